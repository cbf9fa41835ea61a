"""Synthetic flat-bar files for the chain benchmarks (dated on trading days after today; see prepare.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from miniqmt_gui.backtest.sample import session_times
from windows_bridge.contract.calendar import trading_days_after, trading_days_before
from windows_bridge.contract.market_hours import as_shanghai, now_shanghai


def dated_times(days: int) -> list[str]:
    """Bar end times: one history trading day before the first trading day after today, then ``days - 1``."""
    replayed = trading_days_after(as_shanghai(now_shanghai()).date(), days - 1)
    dates = [*trading_days_before(replayed[0], 1), *replayed]
    day_minutes = session_times(1, start="2024-01-02")  # one day's bar ends: the time of day is what counts
    return [f"{day:%Y-%m-%d} {ts:%H:%M:%S}" for day in dates for ts in day_minutes]


def write_bars(path: Path, closes: list[float], volume: float = 10_000_000.0) -> Path:
    """Flat bars (open = high = low = close) at ``closes``; ``len(closes)`` a multiple of 240."""
    times = dated_times(len(closes) // 240)
    frame = pd.DataFrame({"datetime": times, "open": closes, "high": closes, "low": closes,
                          "close": closes, "volume": volume})
    frame.to_csv(path, index=False)
    return path


def zigzag(days: int = 3, low: float = 0.990, high: float = 1.000) -> list[float]:
    """Alternating levels, one bar each: a grid one tick wide buys on every low and sells on every high."""
    return [high if i % 2 == 1 else low for i in range(days * 240)]  # history ends high: anchor 1.0


def flat(days: int = 2, price: float = 1.0) -> list[float]:
    """No movement at all (idle measurements)."""
    return [price] * (days * 240)
