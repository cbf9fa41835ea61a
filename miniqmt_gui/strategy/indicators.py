"""Indicators on 1-minute bars, computed with pandas so they match pandas bit for bit.

SPEC §5: true range (undefined on the first bar), ATR = rolling mean of TR, MA of close,
``slope`` = EMA(span, adjust=False, seeded at its first defined value) of ``MA.diff(lag)/MA.shift(lag)``,
ATR average = rolling mean of ATR shifted by one bar, RSI from rolling simple means of gains and
losses (100 where it is undefined but both means are defined). A window that contains an undefined
value is undefined (pandas' default), which fixes the warm-up. Decisions sit on float ties, so do not
replace these with cumsum-based means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from miniqmt_gui.strategy.params import StrategyParams

INDICATOR_COLUMNS = ("atr", "atr_avg", "ma", "slope", "rsi")


def true_range(bars: pd.DataFrame) -> pd.Series:
    """True range from high, low and the previous close; NaN on the first bar."""
    prev_close = bars["close"].shift(1)
    high_low = (bars["high"] - bars["low"]).to_numpy()
    high_pc = (bars["high"] - prev_close).abs().to_numpy()
    low_pc = (bars["low"] - prev_close).abs().to_numpy()
    return pd.Series(np.maximum(np.maximum(high_low, high_pc), low_pc), index=bars.index)


def rsi(close: pd.Series, period: int) -> pd.Series:
    """RSI from rolling simple means of gains and losses; 100 where 0/0 (both means defined)."""
    delta = close.diff()
    gains = delta.clip(lower=0).rolling(period).mean()
    losses = (-delta).clip(lower=0).rolling(period).mean()
    value = 100 - 100 / (1 + gains / losses)
    undefined = value.isna() & gains.notna() & losses.notna()
    return value.mask(undefined, 100.0)


def compute_indicators(bars: pd.DataFrame, params: StrategyParams | None = None) -> pd.DataFrame:
    """Return a frame with columns ``atr, atr_avg, ma, slope, rsi`` aligned with ``bars``."""
    p = params or StrategyParams()
    close = bars["close"].astype(np.float64)
    atr = true_range(bars).rolling(p.atr_period).mean()
    ma = close.rolling(p.ma_period).mean()
    raw_slope = ma.diff(p.slope_lag) / ma.shift(p.slope_lag)
    slope = raw_slope.ewm(span=p.slope_span, adjust=False).mean()
    atr_avg = atr.rolling(p.atr_avg_period).mean().shift(1)
    return pd.DataFrame(
        {"atr": atr, "atr_avg": atr_avg, "ma": ma, "slope": slope, "rsi": rsi(close, p.rsi_period)},
        index=bars.index,
    )


@dataclass(frozen=True)
class IndicatorSnapshot:
    """Indicator values of the last completed 1-minute bar (input of the live evaluation).

    ``bars`` is how many bars they were computed from (shown while the warm-up lasts).
    """

    atr: float
    atr_avg: float
    slope: float
    rsi: float
    close: float = float("nan")
    bar_time: datetime | None = None
    bars: int = 0

    @classmethod
    def empty(cls) -> IndicatorSnapshot:
        """No bars yet: every value undefined."""
        nan = float("nan")
        return cls(nan, nan, nan, nan)

    @property
    def ready(self) -> bool:
        """True when every indicator is defined (the warm-up is over)."""
        return bool(np.isfinite([self.atr, self.atr_avg, self.slope]).all() and not np.isnan(self.rsi))

    def as_dict(self) -> dict[str, float]:
        """The values by name, for the decision journal and the views."""
        return {"atr": self.atr, "atr_avg": self.atr_avg, "slope": self.slope, "rsi": self.rsi,
                "close": self.close}


def indicators_from_bars(bars: pd.DataFrame, params: StrategyParams | None = None) -> IndicatorSnapshot:
    """Snapshot of the indicators on the last row of ``bars`` (completed bars only, oldest first).

    Needs at least ``atr_period + atr_avg_period + 1`` bars (75 with the default preset) to be
    :attr:`IndicatorSnapshot.ready`.
    """
    if len(bars) == 0:
        return IndicatorSnapshot.empty()
    last = compute_indicators(bars, params).iloc[-1]
    stamp = bars.index[-1]
    return IndicatorSnapshot(
        atr=float(last["atr"]), atr_avg=float(last["atr_avg"]), slope=float(last["slope"]),
        rsi=float(last["rsi"]), close=float(bars["close"].iloc[-1]),
        bar_time=stamp.to_pydatetime() if isinstance(stamp, pd.Timestamp) else None, bars=len(bars),
    )


@dataclass(frozen=True)
class PreparedBars:
    """Bars after the warm-up, as contiguous arrays for the compiled loop."""

    index: pd.DatetimeIndex
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    atr: np.ndarray
    atr_avg: np.ndarray
    slope: np.ndarray
    rsi: np.ndarray
    seconds: np.ndarray  # seconds since local midnight of the bar's (end) timestamp
    day: np.ndarray  # integer day number (changes at each new trading day)
    warmup_rows: int

    def __len__(self) -> int:
        return int(self.close.size)


def _f64(series: pd.Series) -> np.ndarray:
    # a writable contiguous copy: pandas may hand out read-only views, a different numba type
    return np.array(series.to_numpy(dtype=np.float64), dtype=np.float64, copy=True)


def prepare(bars: pd.DataFrame, params: StrategyParams | None = None) -> PreparedBars:
    """Compute indicators, drop rows where any is undefined and return arrays for the loop."""
    ind = compute_indicators(bars, params)
    keep = ind.notna().all(axis=1).to_numpy()
    b, ind = bars.loc[keep], ind.loc[keep]
    idx = pd.DatetimeIndex(b.index)
    seconds = np.array(idx.hour * 3600 + idx.minute * 60 + idx.second, dtype=np.int64, copy=True)
    day = np.array(idx.year * 10000 + idx.month * 100 + idx.day, dtype=np.int64, copy=True)
    return PreparedBars(
        index=idx, open=_f64(b["open"]), high=_f64(b["high"]), low=_f64(b["low"]),
        close=_f64(b["close"]), atr=_f64(ind["atr"]), atr_avg=_f64(ind["atr_avg"]),
        slope=_f64(ind["slope"]), rsi=_f64(ind["rsi"]), seconds=seconds, day=day,
        warmup_rows=int((~keep).sum()),
    )
