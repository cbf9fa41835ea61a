"""One app per shared folder; quotes that cannot be trusted are not fresh; hostile numbers never stop
the engine; one failure policy under both hosts."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.settings import EngineSettings
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import APP_LOCK_FILE, QUOTE_FILE, RESULT_FILE, SIGNAL_FILE
from windows_bridge.contract.messages import OrderSignal
from windows_bridge.contract.owner_lock import LockRecord, Ownership

from .support import ScriptedDecider, make_quote, simple_grid, write_quote


def _engine(tmp_path, shared, clock, name, **over) -> LiveEngine:
    settings = EngineSettings(shared_dir=shared, work_dir=tmp_path / name, base_shares=0, **over)
    engine = LiveEngine(settings, ScriptedDecider(simple_grid), clock=clock.wall, monotonic=clock.monotonic)
    engine.start()
    return engine


def _tick(engines, shared, clock, seq, price):
    clock.advance(3)
    write_quote(shared, make_quote(seq, price, clock.now))
    for engine in engines:
        engine.step()


def test_a_second_app_watches_and_never_trades(tmp_path, shared, clock):
    first = _engine(tmp_path, shared, clock, "a")
    _tick([first], shared, clock, 1, 1.0)
    _tick([first], shared, clock, 2, 1.0)  # the claim is confirmed one beat later
    second = _engine(tmp_path, shared, clock, "b")
    _tick([first, second], shared, clock, 3, 1.0)
    assert "not_owner" in second.status.blockers and "not_owner" not in first.status.blockers
    assert "pid" in second.status.headline  # the window says who trades the folder
    (shared / SIGNAL_FILE).unlink(missing_ok=True)
    _tick([second], shared, clock, 4, 0.985)  # only the watcher sees the buy trigger
    assert not (shared / SIGNAL_FILE).exists()
    _tick([first], shared, clock, 5, 0.985)
    assert read_message(shared / SIGNAL_FILE, OrderSignal).value is not None  # the owner trades
    first.close()
    second.close()


def test_the_lock_is_taken_over_only_when_the_owner_is_provably_gone(tmp_path, shared, clock):
    first = _engine(tmp_path, shared, clock, "a", owner_takeover_s=30.0)
    _tick([first], shared, clock, 1, 1.0)
    _tick([first], shared, clock, 2, 1.0)
    second = _engine(tmp_path, shared, clock, "b", owner_takeover_s=30.0)
    for seq in range(3, 9):  # the owner keeps beating: the watcher never takes over
        _tick([first, second], shared, clock, seq, 1.0)
    assert second._owner.state is Ownership.WATCHING
    for seq in range(9, 30):  # the owner froze (no beats) for well over 30 s of the watcher's clock
        _tick([second], shared, clock, seq, 1.0)
    assert second._owner.state is Ownership.OWNER and "not_owner" not in second.status.blockers
    _tick([first], shared, clock, 30, 1.0)  # the frozen one wakes up: it lost the folder, writes nothing
    assert first._owner.state is Ownership.LOST and "not_owner" in first.status.blockers
    first.close()
    second.close()


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over_at_once(tmp_path, shared, clock):
    import socket

    dead = LockRecord(owner="deadbeef00000000", role="app", host=socket.gethostname(), pid=2 ** 22 + 12345,
                      started=clock.now, time=clock.now, beat=7)
    write_message(shared / APP_LOCK_FILE, dead)
    engine = _engine(tmp_path, shared, clock, "a")
    _tick([engine], shared, clock, 1, 1.0)
    _tick([engine], shared, clock, 2, 1.0)
    assert engine._owner.state is Ownership.OWNER
    engine.close()
    assert not (shared / APP_LOCK_FILE).exists()  # a clean exit frees the folder


def test_a_wiped_lock_file_is_put_back_by_its_owner(tmp_path, shared, clock):
    engine = _engine(tmp_path, shared, clock, "a")
    _tick([engine], shared, clock, 1, 1.0)
    _tick([engine], shared, clock, 2, 1.0)
    (shared / APP_LOCK_FILE).unlink()
    _tick([engine], shared, clock, 3, 0.985)  # a signal: the fencing check rewrites the lock
    assert (shared / APP_LOCK_FILE).exists() and (shared / SIGNAL_FILE).exists()
    engine.close()


# --------------------------------------------------------------------------- quotes that cannot be trusted


def test_seq_going_back_is_not_fresh_and_alternating_files_go_stale(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _tick([engine], shared, clock, 10, 1.0)
    new, old = make_quote(11, 1.0, clock.now + timedelta(seconds=3)), make_quote(10, 1.0, clock.now)
    for _ in range(150):  # the share flips between an old and a new copy for 7.5 minutes
        clock.advance(3)
        write_quote(shared, old)
        engine.step()
        clock.advance(3)
        write_quote(shared, new)
        engine.step()
    assert engine.status.stale and "stale" in engine.status.blockers
    assert engine.snapshot().quote is not None and engine.snapshot().quote.seq == 11


def test_a_restarted_bridge_with_fresh_times_is_trusted_again(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _tick([engine], shared, clock, 500, 1.0)
    _tick([engine], shared, clock, 1, 1.0)  # seq starts again, but the quote is newer
    assert engine.snapshot().quote.seq == 1 and "quote_refused" not in engine.status.blockers


def test_a_quote_from_the_future_is_refused(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _tick([engine], shared, clock, 1, 1.0)
    write_quote(shared, make_quote(2, 1.0, clock.now + timedelta(minutes=10)))
    engine.step()
    assert engine.snapshot().quote.seq == 1 and "quote_refused" in engine.status.blockers


@pytest.mark.parametrize("target", [QUOTE_FILE, RESULT_FILE])
def test_hostile_numbers_never_stop_the_engine(make_engine, shared, clock, target):
    engine = make_engine()
    engine.start()
    _tick([engine], shared, clock, 1, 1.0)
    good = json.loads((shared / QUOTE_FILE).read_text())
    for hostile in ("9" * 5000, "NaN", "Infinity", "-1e999", '"abc"', '"1.0"', "[]", "true"):
        text = json.dumps(good).replace('"price": 1.0', f'"price": {hostile}').replace(
            '"seq": 1', '"seq": 2')
        (shared / target).write_text(text, encoding="utf-8")
        engine.run_step()
    assert engine.snapshot().quote.seq == 1 and engine.book.hold_layers == 0
    kept = list((engine.settings.work_dir / "rejected").glob("*")) if target == QUOTE_FILE else []
    assert target != QUOTE_FILE or kept  # refused quotes are kept aside once, with their reason


# --------------------------------------------------------------------------- one failure policy


class FlakyRoute:
    """The shared folder's route whose first signal write fails (a share that vanished)."""

    def __init__(self, shared):
        from miniqmt_gui.live.routes import SharedFolderRoute

        self.inner, self.failures = SharedFolderRoute(shared), 1

    def send(self, signal):
        if self.failures:
            self.failures -= 1
            raise OSError("the share vanished")
        self.inner.send(signal)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_failed_signal_write_is_recovered_by_the_engine_itself(make_engine, shared, clock):
    engine = make_engine(route=FlakyRoute(shared))
    engine.start()
    _tick([engine], shared, clock, 1, 1.0)
    clock.advance(3)
    write_quote(shared, make_quote(2, 0.985, clock.now))
    assert engine.run_step() is False  # the write failed: said, not raised
    pending = engine.book.pending_signal
    assert pending is not None and not (shared / SIGNAL_FILE).exists()
    assert engine.run_step() is True  # recovery writes the same signal, same id
    assert read_message(shared / SIGNAL_FILE, OrderSignal).value == pending


def test_the_gui_worker_uses_the_engines_failure_policy():
    import inspect

    from miniqmt_gui.ui.engine_worker import EngineWorker

    assert "run_step()" in inspect.getsource(EngineWorker._tick)
    assert os.path.exists  # the headless loop is run_forever → run_step (tested above through run_step)
