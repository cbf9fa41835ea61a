"""Staleness on the monotonic clock, market-hours aware."""

from __future__ import annotations

from datetime import datetime

from miniqmt_gui.live.staleness import StalenessTracker
from windows_bridge.contract.market_hours import SHANGHAI

from .support import FakeClock


def _tracker(start: datetime) -> tuple[StalenessTracker, FakeClock]:
    clock = FakeClock(start)
    return StalenessTracker(300, monotonic=clock.monotonic, wall_clock=clock.wall), clock


def test_stale_after_300s_without_progress_and_resumes():
    t, c = _tracker(datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI))
    t.observe(1, c.now)
    c.advance(299)
    t.observe(1, datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI))
    assert not t.is_stale()
    c.advance(2)
    assert t.is_stale()
    t.observe(2, c.now)
    assert not t.is_stale()


def test_seq_growing_but_time_frozen_is_stale():
    t, c = _tracker(datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI))
    frozen = c.now
    for seq in range(200):
        t.observe(seq, frozen)
        c.advance(3)
    assert t.is_stale()


def test_lunch_break_is_not_stale_and_afternoon_starts_fresh():
    t, c = _tracker(datetime(2025, 3, 3, 11, 29, tzinfo=SHANGHAI))
    last = c.now
    t.observe(1, last)
    for _ in range(91 * 6):  # 11:29 → 13:00 in 10 s polls
        c.advance(10)
        t.observe(1, last)
        assert not t.is_stale()
    c.advance(200)  # 13:03:20, no quote since 11:29 but only ~260 s of market time
    t.observe(1, last)
    assert not t.is_stale()
    c.advance(100)
    assert t.is_stale()


def test_weekend_and_night_are_not_stale():
    t, c = _tracker(datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI))  # Saturday
    t.observe(1, c.now)
    c.advance(3600)
    t.observe(1, c.now.replace(hour=10))
    assert not t.is_stale()
