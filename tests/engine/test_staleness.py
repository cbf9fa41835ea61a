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


# --- a dead bridge is a link failure at any hour; rehearsal staleness follows the replay's clock ---

def _engine_at(tmp_path, start, **settings):
    from miniqmt_gui.live.engine import LiveEngine
    from miniqmt_gui.live.settings import EngineSettings

    from .support import ScriptedDecider, simple_grid

    clock = FakeClock(start)
    shared = tmp_path / "shared"
    shared.mkdir(exist_ok=True)
    cfg = EngineSettings(shared_dir=shared, work_dir=tmp_path / "work", owner_lock=False, base_shares=0,
                         **settings)
    engine = LiveEngine(cfg, ScriptedDecider(simple_grid), clock=clock.wall, monotonic=clock.monotonic)
    return engine, clock, shared


def _quote(shared, seq, when, price=1.0):
    from .support import make_quote, write_quote

    write_quote(shared, make_quote(seq, price, when))


def test_a_dead_bridge_at_lunch_is_a_link_failure_within_the_timeout(tmp_path):
    lunch = datetime(2025, 3, 3, 12, 5, tzinfo=SHANGHAI)
    engine, clock, shared = _engine_at(tmp_path, lunch)
    engine.start()
    for seq in range(1, 4):  # the bridge writes at lunch too: seq grows, the price stands still
        clock.advance(3)
        _quote(shared, seq, lunch)
        engine.step()
    assert "link_down" not in engine.status.blockers and not engine.status.stale
    clock.advance(19)
    engine.step()
    assert "link_down" not in engine.status.blockers
    clock.advance(2)  # 21 s without a new seq: down, although the market is closed (not stale)
    engine.step()
    assert "link_down" in engine.status.blockers and engine.status.link_down
    assert not engine.status.stale
    assert engine.snapshot().link_age_s > 20
    clock.advance(3)
    _quote(shared, 4, lunch)
    engine.step()
    assert "link_down" not in engine.status.blockers


def test_rehearsal_staleness_follows_the_replayed_market_not_the_wall_clock(tmp_path):
    night = datetime(2025, 3, 3, 22, 0, tzinfo=SHANGHAI)  # wall clock: market closed
    replay = datetime(2025, 3, 4, 10, 0, tzinfo=SHANGHAI)  # the replay: mid-morning session
    engine, clock, shared = _engine_at(tmp_path, night, session_only=False, stale_after_s=60,
                                       link_timeout_s=1000)
    engine.start()
    _quote(shared, 1, replay)
    engine.step()
    for seq in range(2, 30):  # the bridge keeps writing, the replayed market does not move
        clock.advance(3)
        _quote(shared, seq, replay)
        engine.step()
    assert engine.status.stale, "a frozen replayed market in its session hours is stale, even at night"


def test_live_staleness_is_held_while_the_wall_clock_market_is_closed(tmp_path):
    night = datetime(2025, 3, 3, 22, 0, tzinfo=SHANGHAI)
    engine, clock, shared = _engine_at(tmp_path, night, stale_after_s=60, link_timeout_s=1000)
    engine.start()
    for seq in range(1, 30):
        clock.advance(3)
        _quote(shared, seq, night)
        engine.step()
    assert not engine.status.stale
