"""The exchange calendar: holidays, make-up working weekends, no half days, unknown years, and its users."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from miniqmt_gui.live.staleness import StalenessTracker
from miniqmt_gui.rehearsal.demo.prepare import new_dates
from windows_bridge.contract import calendar
from windows_bridge.contract.market_hours import SHANGHAI, in_continuous_session, in_market_hours
from windows_bridge.executor.pretrade import check_session


def at(day: str, hh: int, mm: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=SHANGHAI)


# 2026 Spring Festival (SSE notice of 2025-12-22): closed Mon 16 – Mon 23 Feb; offices work on
# Saturdays 14 and 28 Feb (调休), the exchange does not.
@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2026-02-13", True),  # last session before the festival (Friday)
        ("2026-02-14", False),  # make-up working Saturday: closed for the exchange
        ("2026-02-16", False),
        ("2026-02-17", False),  # 春节 itself
        ("2026-02-20", False),
        ("2026-02-23", False),  # a Monday inside the holiday
        ("2026-02-24", True),  # first session after it
        ("2026-02-28", False),  # the second make-up working Saturday
        ("2025-01-26", False),  # 2025: make-up working Sunday before the festival
        ("2025-01-28", False),
        ("2025-02-04", False),
        ("2025-02-05", True),
        ("2025-02-08", False),  # 2025: make-up working Saturday after it
        ("2025-10-01", False),  # National Day
        ("2025-10-11", False),  # make-up working Saturday after National Day
        ("2025-03-03", True),  # an ordinary Monday
    ],
)
def test_trading_days(day: str, open_: bool) -> None:
    assert calendar.is_trading_day(date.fromisoformat(day)) is open_
    assert in_market_hours(at(day, 10)) is open_
    assert in_continuous_session(at(day, 10)) is open_


def test_next_session_after_the_festival_with_its_date() -> None:
    now = at("2026-02-17", 10)
    start = calendar.next_session_start(now)
    assert start == at("2026-02-24", 9, 30)
    assert calendar.format_session_start(start, now) == "2026-02-24（周二）09:30"
    assert calendar.format_session_start(start, now, "en") == "2026-02-24 (Tue) 09:30"
    # Friday after the close → the next Tuesday, skipping the weekend and the festival week
    assert calendar.next_session_start(at("2026-02-13", 15, 1)) == at("2026-02-24", 9, 30)
    # lunch → 13:00 today, written without a date
    lunch = at("2026-02-24", 12)
    assert calendar.format_session_start(calendar.next_session_start(lunch), lunch) == "13:00"
    assert calendar.next_session_start(at("2026-02-24", 8)) == at("2026-02-24", 9, 30)


def test_closed_reason() -> None:
    assert calendar.closed_reason(date(2026, 2, 17)) == "holiday"
    assert calendar.closed_reason(date(2026, 2, 14)) == "weekend"
    assert calendar.closed_reason(date(2026, 2, 24)) == ""


def test_a_shares_have_no_half_days() -> None:
    """Every session the library knows opens 09:30, breaks 11:30–13:00 and closes 15:00 (Shanghai)."""
    import exchange_calendars as xc

    cal = xc.get_calendar("XSHG", start=calendar.FIRST_DAY.isoformat())
    for column in ("open", "break_start", "break_end", "close"):
        times = set(cal.schedule[column].dt.tz_convert("Asia/Shanghai").dt.strftime("%H:%M"))
        assert len(times) == 1, (column, times)
    local = cal.schedule.iloc[0][["open", "close"]].dt.tz_convert("Asia/Shanghai").dt.strftime("%H:%M")
    assert tuple(local) == ("09:30", "15:00")


def test_an_unknown_year_falls_back_to_weekdays_and_says_so() -> None:
    first, last = calendar.coverage()
    assert first <= date(2015, 1, 5) and last >= date(2026, 12, 31)
    beyond = last + timedelta(days=1)
    while beyond.weekday() >= 5 or (beyond.month, beyond.day) in calendar.FIXED_HOLIDAYS:
        beyond += timedelta(days=1)
    assert not calendar.is_known(beyond)
    assert calendar.is_trading_day(beyond)  # policy: a weekday is assumed open…
    saturday = beyond + timedelta(days=(5 - beyond.weekday()) % 7)
    assert not calendar.is_trading_day(saturday)  # …a weekend closed
    assert not calendar.is_trading_day(date(last.year + 1, 10, 1))  # fixed-date holidays stay closed
    assert "exchange-calendars" in calendar.calendar_note(beyond)
    assert calendar.calendar_note(date(2026, 2, 24)) == ""
    # walking across the boundary works (no error from the library)
    assert calendar.next_trading_day(last) > last
    assert calendar.trading_days_after(last - timedelta(days=3), 5)[-1] > last


def test_trading_day_walks() -> None:
    assert calendar.next_trading_day(date(2026, 2, 13)) == date(2026, 2, 24)
    assert calendar.previous_trading_day(date(2026, 2, 24)) == date(2026, 2, 13)
    assert calendar.trading_days_before(date(2026, 2, 25), 2) == [date(2026, 2, 13), date(2026, 2, 24)]
    assert calendar.trading_days_after(date(2026, 2, 12), 2) == [date(2026, 2, 13), date(2026, 2, 24)]


def test_staleness_holds_on_a_holiday() -> None:
    """On a weekday holiday an hour without progress is not stale (the clock only runs in market hours)."""
    now = [at("2026-02-17", 10)]
    mono = [1000.0]
    tracker = StalenessTracker(300, monotonic=lambda: mono[0], wall_clock=lambda: now[0])
    tracker.observe(1, now[0])
    for _ in range(360):
        mono[0] += 10
        now[0] += timedelta(seconds=10)
        tracker.observe(2, at("2026-02-13", 15))
    assert not tracker.is_stale()


def test_executor_refuses_on_a_holiday_and_says_when_it_opens() -> None:
    refusal = check_session(at("2026-02-17", 10), enabled=True)
    assert refusal is not None and refusal.reason_code == "outside_session"
    assert "2026-02-24" in refusal.message
    assert check_session(at("2026-02-14", 10), enabled=True) is not None  # make-up Saturday
    assert check_session(at("2026-02-24", 10), enabled=True) is None
    assert check_session(at("2026-02-17", 10), enabled=False) is None


def test_demo_redates_onto_trading_days() -> None:
    old = [date(2024, 1, 2) + timedelta(days=k) for k in range(6)]
    mapping = new_dates(old, history_days=2, today=date(2026, 2, 12))
    assert list(mapping.values()) == [
        date(2026, 2, 11), date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 24), date(2026, 2, 25),
        date(2026, 2, 26),
    ]
