"""Indicators on 1-minute bars (SPEC §5), bit for bit what pandas computes, and bars prepared for the loop.

True range (undefined on the first bar), ATR = rolling mean of TR, MA of close, ``slope`` =
EMA(span, adjust=False, seeded at its first defined value) of ``MA.diff(lag)/MA.shift(lag)``, ATR
average = rolling mean of ATR shifted by one bar, RSI from rolling simple means of gains and losses
(100 where it is undefined but both means are defined). A window that contains an undefined value is
undefined (pandas' default), which fixes the warm-up.

The arithmetic runs in the compiled loops of :mod:`miniqmt_gui.strategy.rolling`, which follow pandas'
algorithms step for step (tests compare every bit with pandas); the backtest path needs no pandas at
all (:func:`prepare_arrays`), the live path gets a DataFrame (:func:`compute_indicators`).
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy import slots as R
from miniqmt_gui.strategy.params import StrategyParams

if TYPE_CHECKING:
    import pandas as pd

TZ = "Asia/Shanghai"
INDICATOR_COLUMNS = ("atr", "atr_avg", "ma", "slope", "rsi")
#: from this many bars on, the indicators are computed on two threads (the live path's few hundred: one)
PARALLEL_BARS = 20_000


def _matrix(high: np.ndarray, low: np.ndarray, close: np.ndarray, p: StrategyParams) -> np.ndarray:
    k = compiled.kernels()
    args = (_as_f64(high), _as_f64(low), _as_f64(close), p.atr_period, p.ma_period, p.slope_lag, p.slope_span,
            p.atr_avg_period, p.rsi_period)
    if close.size < PARALLEL_BARS or (os.cpu_count() or 1) < 2:
        return np.asarray(k.indicator_matrix(*args))
    # a long history: the moving average's rows on a helper thread (the compiled loops hold no GIL)
    out = np.empty((R.N_INDICATORS, close.size))
    failed: list[BaseException] = []

    def trend_rows() -> None:
        try:
            k.indicator_rows(*args, R.PART_TREND, out)
        except BaseException as exc:  # raised again in the caller's thread below
            failed.append(exc)

    helper = threading.Thread(target=trend_rows, name="miniqmt-indicators")
    helper.start()
    k.indicator_rows(*args, R.PART_RANGE, out)
    helper.join()
    if failed:
        raise failed[0]  # never rows left uninitialised
    return out


def compute_indicators(bars: pd.DataFrame, params: StrategyParams | None = None) -> pd.DataFrame:
    """Return a frame with columns ``atr, atr_avg, ma, slope, rsi`` aligned with ``bars``."""
    import pandas as pd

    p = params or StrategyParams()
    m = _matrix(bars["high"].to_numpy(), bars["low"].to_numpy(), bars["close"].to_numpy(), p)
    rows = {"atr": R.I_ATR, "atr_avg": R.I_ATR_AVG, "ma": R.I_MA, "slope": R.I_SLOPE, "rsi": R.I_RSI}
    return pd.DataFrame({name: m[row] for name, row in rows.items()}, index=bars.index)


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
        return math.isfinite(self.atr) and math.isfinite(self.atr_avg) and math.isfinite(self.slope) \
            and not math.isnan(self.rsi)

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
    import pandas as pd

    stamp = bars.index[-1]
    return indicators_from_arrays(
        bars["high"].to_numpy(), bars["low"].to_numpy(), bars["close"].to_numpy(),
        stamp.to_pydatetime() if isinstance(stamp, pd.Timestamp) else None, params)


def indicators_from_arrays(high: np.ndarray, low: np.ndarray, close: np.ndarray, bar_time: datetime | None,
                           params: StrategyParams | None = None) -> IndicatorSnapshot:
    """:func:`indicators_from_bars` on plain arrays (no pandas: the live engine runs it on every new bar)."""
    if close.size == 0:
        return IndicatorSnapshot.empty()
    m = _matrix(high, low, close, params or StrategyParams())
    return IndicatorSnapshot(
        atr=float(m[R.I_ATR, -1]), atr_avg=float(m[R.I_ATR_AVG, -1]), slope=float(m[R.I_SLOPE, -1]),
        rsi=float(m[R.I_RSI, -1]), close=float(close[-1]), bar_time=bar_time, bars=int(close.size),
    )


@dataclass(frozen=True)
class BarArrays:
    """Validated 1-minute bars as arrays (oldest first), the input of :func:`prepare_arrays`.

    ``utc_ns``: bar (end) times as nanoseconds since 1970 UTC; ``local_s``: the same instants as
    Asia/Shanghai wall-clock seconds since 1970 (for the time of day and the trading day).
    """

    utc_ns: np.ndarray
    local_s: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return int(self.close.size)

    @classmethod
    def from_frame(cls, bars: pd.DataFrame) -> BarArrays:
        """From a frame with a timezone-aware (or Shanghai-naive) index and OHLC(V) columns."""
        import pandas as pd

        idx = pd.DatetimeIndex(bars.index)
        idx = idx.tz_localize(TZ) if idx.tz is None else idx.tz_convert(TZ)
        local = idx.tz_localize(None).as_unit("ns").asi8 // 1_000_000_000
        volume = bars["volume"] if "volume" in bars.columns else pd.Series(0.0, index=bars.index)
        return cls(utc_ns=idx.as_unit("ns").asi8.copy(), local_s=np.asarray(local, dtype=np.int64),
                   open=_f64(bars["open"]), high=_f64(bars["high"]), low=_f64(bars["low"]),
                   close=_f64(bars["close"]), volume=_f64(volume))


@dataclass(frozen=True)
class PreparedBars:
    """Bars after the warm-up, as contiguous arrays for the compiled loop."""

    utc_ns: np.ndarray  # bar (end) times, ns since 1970 UTC
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

    @cached_property
    def index(self) -> pd.DatetimeIndex:
        """The bar times as an Asia/Shanghai ``DatetimeIndex`` (imports pandas on first use)."""
        import pandas as pd

        return pd.DatetimeIndex(pd.to_datetime(self.utc_ns, unit="ns", utc=True)).tz_convert(TZ)

    def calendar_days(self) -> float:
        """Calendar days from the first to the last bar (at least one)."""
        seconds = (int(self.utc_ns[-1]) - int(self.utc_ns[0])) / 1e9 if len(self) else 0.0
        return max(seconds / 86400.0, 1.0)  # as Timedelta.total_seconds() / 86400


def _f64(values: object) -> np.ndarray:
    # a writable contiguous float64 copy: pandas may hand out read-only views, a different numba type
    return np.array(np.asarray(values, dtype=np.float64), dtype=np.float64, copy=True)


def _as_f64(values: np.ndarray) -> np.ndarray:
    """``values`` itself when it is already a writable contiguous float64 array (the loops only read
    it), else such a copy (3.7 MB of copies saved per two-year backtest)."""
    if values.dtype == np.float64 and values.flags.c_contiguous and values.flags.writeable:
        return values
    return _f64(values)


def prepare_arrays(bars: BarArrays, params: StrategyParams | None = None) -> PreparedBars:
    """Compute indicators, drop rows where any is undefined and return arrays for the loop."""
    p = params or StrategyParams()
    m = _matrix(bars.high, bars.low, bars.close, p)
    defined = ~np.isnan(m).any(axis=0)
    first = int(np.argmax(defined)) if defined.any() else defined.size
    # the usual case, undefined only during the warm-up: views instead of copies
    keep: slice | np.ndarray = slice(first, None) if defined[first:].all() else defined
    local = bars.local_s[keep]
    return PreparedBars(
        utc_ns=bars.utc_ns[keep], open=_as_f64(bars.open[keep]), high=_as_f64(bars.high[keep]),
        low=_as_f64(bars.low[keep]), close=_as_f64(bars.close[keep]), atr=m[R.I_ATR, keep],
        atr_avg=m[R.I_ATR_AVG, keep], slope=m[R.I_SLOPE, keep], rsi=m[R.I_RSI, keep],
        seconds=local % 86_400, day=local // 86_400, warmup_rows=int((~defined).sum()),
    )


def prepare(bars: pd.DataFrame, params: StrategyParams | None = None) -> PreparedBars:
    """:func:`prepare_arrays` for a bar frame (timezone-aware index, OHLC columns)."""
    return prepare_arrays(BarArrays.from_frame(bars), params)
