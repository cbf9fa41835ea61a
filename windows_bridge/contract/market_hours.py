"""A-share market facts used by every side: time zone, sessions, tick, lots and fees."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from windows_bridge.contract import calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


# SZSE continuous trading for the executor: the closing call auction starts at 14:57.
MORNING = (time(9, 30), time(11, 30))
AFTERNOON = (time(13, 0), time(14, 57))


def as_shanghai(moment: datetime) -> datetime:
    """Convert an aware datetime to Asia/Shanghai; reject naive ones (they are ambiguous)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: market times must be timezone-aware")
    return moment.astimezone(SHANGHAI)


def is_trading_day(day: date) -> bool:
    """True on an exchange trading day (holidays and make-up working weekends are closed).

    From the exchange calendar (:mod:`windows_bridge.contract.calendar`, which also says what happens
    on a year the calendar does not know yet).
    """
    return calendar.is_trading_day(day)


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


def now_shanghai() -> datetime:
    """The current time, timezone-aware in Asia/Shanghai."""
    from windows_bridge.contract.market_hours import SHANGHAI

    return datetime.now(SHANGHAI)
