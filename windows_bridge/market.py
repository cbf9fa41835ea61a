"""A-share market facts used by every side: time zone, sessions, tick, lots and fees."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

TICK = 0.001  # ETF price tick on SZSE/SSE
LOT = 100  # shares per board lot

# SZSE continuous trading for the executor: the closing call auction starts at 14:57.
MORNING = (time(9, 30), time(11, 30))
AFTERNOON = (time(13, 0), time(14, 57))


def round_to_tick(price: float, tick: float = TICK) -> float:
    """Round a price to the nearest tick (half away from zero), returned as a clean float."""
    ticks = math.floor(price / tick + 0.5)
    return round(ticks * tick, 6)


def is_on_tick(price: float, tick: float = TICK) -> bool:
    """True when ``price`` sits on the tick grid (within float noise)."""
    return abs(price / tick - round(price / tick)) < 1e-6


def is_lot_multiple(shares: int) -> bool:
    """True for a positive multiple of 100 shares."""
    return shares > 0 and shares % LOT == 0


def as_shanghai(moment: datetime) -> datetime:
    """Convert an aware datetime to Asia/Shanghai; reject naive ones (they are ambiguous)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: market times must be timezone-aware")
    return moment.astimezone(SHANGHAI)


def is_trading_day(day: date) -> bool:
    """Weekdays. Exchange holidays are not modelled: on a holiday no quotes arrive anyway."""
    return day.weekday() < 5


def in_continuous_session(moment: datetime) -> bool:
    """True inside SZ continuous trading (09:30–11:30, 13:00–14:57) on a trading day."""
    local = as_shanghai(moment)
    if not is_trading_day(local.date()):
        return False
    t = local.time()
    return MORNING[0] <= t < MORNING[1] or AFTERNOON[0] <= t < AFTERNOON[1]


def in_market_hours(moment: datetime) -> bool:
    """True while quotes are expected to move (09:15–11:30, 13:00–15:00 on a trading day).

    Used for staleness: outside these hours (lunch, night, weekends) a quote that does not
    advance is normal and must not raise the stale alarm.
    """
    local = as_shanghai(moment)
    if not is_trading_day(local.date()):
        return False
    t = local.time()
    return time(9, 15) <= t < time(11, 30) or time(13, 0) <= t < time(15, 0)


@dataclass(frozen=True)
class FeeSchedule:
    """Commission per side: ``rate`` × value, at least ``minimum`` CNY. ETFs pay no stamp duty."""

    rate: float = 0.0001
    minimum: float = 0.0

    def commission(self, value: float) -> float:
        """Fee in CNY for a trade of ``value`` CNY, rounded to the fen."""
        if value <= 0:
            return 0.0
        return round(max(value * self.rate, self.minimum), 2)
