"""Deterministic SYNTHETIC 1-minute sample bars (not market data) for demos, tests and defaults.

Realistic A-share layout: weekdays, bar end times 09:31–11:30 and 13:01–15:00 (240 bars a day),
Asia/Shanghai, prices on the 0.001 tick around 1.0 CNY, like an ETF. The path is a mean-reverting
random walk with intraday swings, generated with a fixed seed, so every run yields identical bars
and the golden tests can pin their results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.data import TZ

SAMPLE_LABEL = "synthetic sample (generated, not market data)"
DEFAULT_DAYS = 80
DEFAULT_SEED = 159201


def session_times(days: int, start: str = "2024-01-02") -> pd.DatetimeIndex:
    """Bar end times of ``days`` weekdays from ``start``: 09:31–11:30 and 13:01–15:00."""
    dates = pd.bdate_range(start, periods=days)
    minutes = np.concatenate([np.arange(9 * 60 + 31, 11 * 60 + 31), np.arange(13 * 60 + 1, 15 * 60 + 1)])
    stamps = (dates.values[:, None] + (minutes * 60 * 1_000_000_000).astype("timedelta64[ns]")[None, :])
    return pd.DatetimeIndex(stamps.ravel()).tz_localize(TZ)


def make_sample_bars(days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED, start_price: float = 1.0,
                     tick: float = 0.001) -> pd.DataFrame:
    """Generate the synthetic sample: OHLCV frame indexed by timezone-aware bar end times."""
    idx = session_times(days)
    n = len(idx)
    rng = np.random.Generator(np.random.PCG64(seed))
    log_level = np.log(start_price)
    drift_target = np.log(start_price)
    closes = np.empty(n)
    regime = 0.0
    for i in range(n):
        if i % 240 == 0:
            regime = rng.normal(0.0, 0.004)
        pull = 0.002 * (drift_target - log_level)
        log_level += pull + regime / 240 + rng.normal(0.0, 0.0009)
        closes[i] = np.exp(log_level)
    close = np.maximum(np.round(closes / tick) * tick, tick)
    open_ = np.concatenate([[close[0]], close[:-1]])
    wiggle = np.abs(rng.normal(0.0, 0.0006, size=(2, n))) * close
    high = np.round(np.maximum(open_, close) + wiggle[0], 3)
    low = np.maximum(np.round(np.minimum(open_, close) - wiggle[1], 3), tick)
    volume = np.round(rng.lognormal(13.0, 0.6, size=n) / 100) * 100
    return pd.DataFrame(
        {"open": np.round(open_, 3), "high": high, "low": low, "close": np.round(close, 3), "volume": volume},
        index=pd.DatetimeIndex(idx, name="datetime"),
    )
