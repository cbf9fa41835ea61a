"""Helpers for the core tests: hand-made prepared bars and the shared data location."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.run import BacktestResult, run_prepared
from miniqmt_gui.strategy.indicators import PreparedBars
from miniqmt_gui.strategy.params import StrategyParams

REPO = Path(__file__).resolve().parents[2]
SHARED_FILE = "etf_like_1m_2015-2016.csv.gz"


def shared_data_dir() -> Path:
    """MINIQMT_SHARED_DATA or <repo>/../shared/data."""
    env = os.environ.get("MINIQMT_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _arr(value: float | list[float] | np.ndarray, n: int) -> np.ndarray:
    a = np.asarray(value, dtype=np.float64)
    return np.full(n, float(a)) if a.ndim == 0 else a.copy()


def prepared(closes: list[float], *, opens: list[float] | None = None, atr: float | list[float] = 0.0,
             atr_avg: float | list[float] = 1.0, slope: float | list[float] = 0.0,
             rsi: float | list[float] = 50.0, minutes: list[str] | None = None,
             days: list[int] | None = None) -> PreparedBars:
    """Bars with chosen indicator values (no warm-up): one bar a minute from 10:00 on one day."""
    n = len(closes)
    start = pd.Timestamp("2024-03-01 10:00", tz="Asia/Shanghai")
    index = pd.DatetimeIndex([start + pd.Timedelta(minutes=i) for i in range(n)])
    if minutes is not None:
        index = pd.DatetimeIndex([pd.Timestamp(f"2024-03-01 {m}", tz="Asia/Shanghai") for m in minutes])
    seconds = np.array(index.hour * 3600 + index.minute * 60, dtype=np.int64)
    day = np.array(days if days is not None else [20240301] * n, dtype=np.int64)
    close = _arr(closes, n)
    return PreparedBars(
        utc_ns=index.as_unit("ns").asi8.copy(), open=_arr(opens if opens is not None else closes, n),
        high=close, low=close, close=close, atr=_arr(atr, n), atr_avg=_arr(atr_avg, n), slope=_arr(slope, n),
        rsi=_arr(rsi, n), seconds=seconds, day=day, warmup_rows=0,
    )


def run(closes: list[float], fill: str = "close", params: StrategyParams | None = None,
        **kwargs: object) -> BacktestResult:
    """Backtest hand-made bars (see :func:`prepared`)."""
    return run_prepared(prepared(closes, **kwargs), params or StrategyParams(), fill)  # type: ignore[arg-type]


def sides(result: BacktestResult) -> list[tuple[int, str, int]]:
    """(bar, side, shares) of every trade."""
    t = result.trades
    return list(zip(t["bar"].tolist(), t["side"].tolist(), t["shares"].tolist(), strict=True))
