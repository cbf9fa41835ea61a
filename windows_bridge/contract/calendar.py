"""SSE/SZSE trading days: which dates the exchange is open, and when the next session starts.

The dates come from ``exchange-calendars``' ``XSHG`` calendar (the Shanghai exchange; Shenzhen keeps
the same days), which records the exchanges' published holidays. Make-up working days (调休上班, a
Saturday or Sunday that offices work) are *closed* for the exchange and are not sessions there.
A-shares have no half-day sessions: every session is 09:30–11:30 and 13:00–15:00.

**Years the library does not know.** The library only lists holidays that have been announced
(the exchanges publish next year's in December); asking it about a later date raises an error. Our
policy for such a date: treat Monday–Friday as trading days except the fixed-date statutory holidays
(1 Jan, 1 May, 1–3 Oct), and say so (:func:`is_known` is False, :func:`calendar_note` explains).
That is safe for orders: on an unannounced holiday no quote advances, so the app emits nothing and
the executor refuses a signal on a stale quote; the cost is only a wrong "stale" alarm on such a
day until the library is upgraded.

The library is imported on first use (it pulls in pandas), so importing this module stays cheap.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SHANGHAI = ZoneInfo("Asia/Shanghai")
#: the first date we ask the library about (older data is only used by backtests, which need no calendar)
FIRST_DAY = date(2005, 1, 4)
CONTINUOUS_STARTS = (time(9, 30), time(13, 0))
WEEKDAY_ZH = "一二三四五六日"
#: statutory holidays on fixed solar dates, closed every year (New Year, Labour Day, National Day);
#: the lunar ones (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) cannot be guessed
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class _Known:
    sessions: frozenset[date]
    first: date
    last: date


_lock = threading.Lock()
_known: _Known | None = None


def _load() -> _Known:
    """The library's XSHG sessions (loaded once, thread-safe)."""
    global _known
    with _lock:
        if _known is None:
            import exchange_calendars as xc

            with warnings.catch_warnings():  # the library's own pandas deprecation notices
                warnings.simplefilter("ignore")
                cal = xc.get_calendar("XSHG", start=FIRST_DAY.isoformat())
            days = frozenset(ts.date() for ts in cal.sessions)
            _known = _Known(days, cal.first_session.date(), cal.last_session.date())
        return _known


def coverage() -> tuple[date, date]:
    """First and last date the library's calendar knows."""
    known = _load()
    return known.first, known.last


def is_known(day: date) -> bool:
    """True when ``day`` lies inside the library's published calendar."""
    known = _load()
    return known.first <= day <= known.last


def is_trading_day(day: date) -> bool:
    """True when the exchange is open on ``day`` (weekdays beyond the known years: see the module doc)."""
    known = _load()
    if known.first <= day <= known.last:
        return day in known.sessions
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def closed_reason(day: date) -> str:
    """``""`` on a trading day, else ``"weekend"`` (Saturday/Sunday, make-up working days included) or
    ``"holiday"`` (a weekday the exchange is closed)."""
    if is_trading_day(day):
        return ""
    return "weekend" if day.weekday() >= 5 else "holiday"


def next_trading_day(day: date) -> date:
    """The first trading day strictly after ``day``."""
    current = day + timedelta(days=1)
    while not is_trading_day(current):
        current += timedelta(days=1)
    return current


def previous_trading_day(day: date) -> date:
    """The last trading day strictly before ``day``."""
    current = day - timedelta(days=1)
    while not is_trading_day(current):
        current -= timedelta(days=1)
    return current


def trading_days_after(day: date, count: int) -> list[date]:
    """The ``count`` trading days after ``day``, oldest first."""
    found: list[date] = []
    while len(found) < count:
        day = next_trading_day(day)
        found.append(day)
    return found


def trading_days_before(day: date, count: int) -> list[date]:
    """The ``count`` trading days before ``day``, oldest first."""
    found: list[date] = []
    while len(found) < count:
        day = previous_trading_day(day)
        found.insert(0, day)
    return found


def next_session_start(moment: datetime) -> datetime:
    """The next start of continuous trading (09:30 or 13:00 on a trading day) after ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: market times must be timezone-aware")
    local = moment.astimezone(_SHANGHAI)
    day = local.date()
    if is_trading_day(day):
        for start in CONTINUOUS_STARTS:
            if local.time() < start:
                return datetime.combine(day, start, _SHANGHAI)
    return datetime.combine(next_trading_day(day), CONTINUOUS_STARTS[0], _SHANGHAI)


def format_session_start(start: datetime, now: datetime, lang: str = "zh") -> str:
    """``13:00`` today, else ``2026-02-24（周二）09:30`` / ``2026-02-24 (Tue) 09:30``."""
    local = start.astimezone(_SHANGHAI)
    if local.date() == now.astimezone(_SHANGHAI).date():
        return local.strftime("%H:%M")
    if lang == "zh":
        return f"{local:%Y-%m-%d}（周{WEEKDAY_ZH[local.weekday()]}）{local:%H:%M}"
    return f"{local:%Y-%m-%d (%a) %H:%M}"


def calendar_note(day: date, lang: str = "zh") -> str:
    """``""`` when ``day`` is inside the published calendar, else what we assume and what to do."""
    if is_known(day):
        return ""
    if lang == "zh":
        return (f"交易日历未覆盖 {day:%Y-%m-%d}：按周一至周五处理；"
                "请升级 exchange-calendars 以获得交易所公布的假期")
    return (f"the trading calendar does not cover {day:%Y-%m-%d}: weekdays are assumed; "
            "upgrade exchange-calendars for the published holidays")
