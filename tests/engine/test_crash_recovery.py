"""Crash the engine at each persistence step, restart on the same folder: no duplicate, no lost fill."""

from __future__ import annotations

import pytest

from miniqmt_gui.live.engine import CHECKPOINTS
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import DONE_DIR, EXECUTED_FILE, SIGNAL_FILE, STATE_FILE, done_marker_name
from windows_bridge.contract.messages import (
    DashboardState,
    DoneMarker,
    ExecutedSignals,
    OrderSignal,
    ResultStatus,
)

from .support import T0, make_quote, write_quote, write_result


class Crash(Exception):
    pass


def crash_at(point):
    def hook(name):
        if name == point:
            raise Crash(name)

    return hook


def _quote(engine, shared, clock, seq, price, **kw):
    clock.advance(3)
    write_quote(shared, make_quote(seq, price, clock.now, **kw))
    engine.step()


def _signal(shared):
    return read_message(shared / SIGNAL_FILE, OrderSignal).value


def _state(shared):
    return read_message(shared / STATE_FILE, DashboardState).value


def _to_buy(make_engine, shared, clock, point):
    engine = make_engine(checkpoint=crash_at(point))
    engine.start()
    _quote(engine, shared, clock, 1, 1.0)
    with pytest.raises(Crash):
        _quote(engine, shared, clock, 2, 0.985)


def test_crash_before_state_leaves_nothing_and_the_decision_is_made_afresh(make_engine, shared, clock):
    _to_buy(make_engine, shared, clock, "before_state")
    assert _state(shared).pending_signal is None and _signal(shared) is None
    engine = make_engine()
    engine.start()
    _quote(engine, shared, clock, 3, 0.985)
    assert _signal(shared) is not None and engine.book.hold_layers == 1


def test_crash_between_state_and_signal_reemits_the_same_id(make_engine, shared, clock):
    _to_buy(make_engine, shared, clock, "after_state")
    pending = _state(shared).pending_signal
    assert pending is not None and _signal(shared) is None
    engine = make_engine()
    engine.start()
    _quote(engine, shared, clock, 3, 0.97)
    assert _signal(shared) == pending  # the same signal, not a new decision
    assert engine.book.hold_layers == 1


def test_crash_after_signal_waits_for_the_executor(make_engine, shared, clock):
    _to_buy(make_engine, shared, clock, "after_signal")
    sig = _signal(shared)
    engine = make_engine()
    engine.start()
    _quote(engine, shared, clock, 3, 0.97)
    assert _signal(shared) == sig and engine.book.pending_signal == sig
    write_result(shared, sig.signal_id, ResultStatus.FILLED, 1000, 1000, 0.985)
    engine.step()
    assert engine.book.pending_signal is None and engine.book.positions[0].shares == 1000


@pytest.mark.parametrize("record", ["done_marker", "executed_list"])
def test_signal_consumed_but_no_result_yet_is_not_reemitted(make_engine, shared, clock, record):
    _to_buy(make_engine, shared, clock, "after_signal")
    sig = _signal(shared)
    (shared / SIGNAL_FILE).unlink()  # the executor consumed it …
    if record == "done_marker":
        (shared / DONE_DIR).mkdir()
        write_message(shared / DONE_DIR / done_marker_name(sig.signal_id),
                      DoneMarker(signal_id=sig.signal_id, status=ResultStatus.FILLED, timestamp=T0))
    else:
        write_message(shared / EXECUTED_FILE, ExecutedSignals(executed=[sig.signal_id]))
    engine = make_engine()
    engine.start()
    engine.step()
    assert _signal(shared) is None  # … and has a record: wait, do not re-emit


def test_crash_while_applying_a_result_applies_it_after_restart_once(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _quote(engine, shared, clock, 1, 1.0)
    _quote(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    write_result(shared, sig.signal_id, ResultStatus.PARTIALLY_FILLED, 1000, 400, 0.985)
    crashing = make_engine(checkpoint=crash_at("applying_result"))
    crashing.start()
    with pytest.raises(Crash):
        crashing.step()
    assert _state(shared).pending_signal == sig  # nothing lost, nothing half-applied
    again = make_engine()
    again.start()
    again.step()
    again.step()
    assert again.book.positions[0].shares == 400 and again.book.applied_results == [sig.signal_id]
    third = make_engine()
    third.step()
    assert third.book == again.book


def test_every_checkpoint_is_exercised():
    assert set(CHECKPOINTS) == {"before_state", "after_state", "after_signal", "applying_result"}


def test_broker_zero_clears_lots_and_mismatch_blocks_buys(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _quote(engine, shared, clock, 1, 1.0)
    _quote(engine, shared, clock, 2, 0.985)
    write_result(shared, _signal(shared).signal_id, ResultStatus.FILLED, 1000, 1000, 0.985)
    engine.step()
    _quote(engine, shared, clock, 3, 0.985, volume=400, market_value=394, asset_mv=394)
    assert "mismatch" in engine.status.blockers
    _quote(engine, shared, clock, 4, 0.96, volume=400, market_value=384, asset_mv=384)
    assert engine.book.pending_signal is None  # buys paused
    for seq in (5, 6, 7):
        _quote(engine, shared, clock, seq, 0.985, volume=0)
    assert engine.book.positions == [] and "mismatch" not in engine.status.blockers
