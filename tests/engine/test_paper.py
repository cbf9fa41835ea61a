"""Paper mode: fills in-process against live quotes, its own book, nothing for the executor."""

from __future__ import annotations

import pytest

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.paper import PaperRoute, open_paper_broker
from miniqmt_gui.live.settings import PAPER_STATE_FILE, EngineSettings
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.files import SIGNAL_FILE, STATE_FILE

from .support import ScriptedDecider, make_quote, simple_grid, write_quote


def _paper_engine(tmp_path, shared, clock, fill_ratio=1.0, timeout=30.0, **kwargs):
    settings = EngineSettings(shared_dir=shared, work_dir=tmp_path / "work", paper=True,
                              paper_order_timeout_s=timeout)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    if fill_ratio == 1.0:
        broker = open_paper_broker(settings.paper_ledger_path, initial_cash=100_000.0, base_shares=None,
                                   code="159201.SZ", clock=clock.wall)
    else:
        broker = SimBroker(settings.paper_ledger_path, initial_cash=100_000.0, fill_ratio=fill_ratio,
                           clock=clock.wall)
    route = PaperRoute(broker, order_timeout_s=timeout, clock=clock.wall, monotonic=clock.monotonic)
    tokens = iter(f"{n:08x}" for n in range(len(list(settings.work_dir.iterdir())) * 100 + 1, 100_000))
    engine = LiveEngine(settings, ScriptedDecider(simple_grid), route=route, clock=clock.wall,
                        monotonic=clock.monotonic, token=lambda: next(tokens), **kwargs)
    engine.start()
    return engine, settings


def _tick(engine, shared, clock, seq, price, volume=0):
    clock.advance(3)
    write_quote(shared, make_quote(seq, price, clock.now, volume=volume))
    engine.step()


def test_paper_buy_fills_in_process_and_keeps_books_apart(tmp_path, shared, clock):
    engine, settings = _paper_engine(tmp_path, shared, clock)
    _tick(engine, shared, clock, 1, 1.0)
    _tick(engine, shared, clock, 2, 0.985)
    engine.step()
    b = engine.book
    assert b.mode == "paper" and b.pending_signal is None and b.positions[0].shares == 1000
    assert not (shared / SIGNAL_FILE).exists() and not (shared / STATE_FILE).exists()
    assert (settings.work_dir / PAPER_STATE_FILE).exists()
    # the real account (quote position 0) is not the paper truth: no clearing of paper lots
    for seq in (3, 4, 5, 6):
        _tick(engine, shared, clock, seq, 0.985, volume=0)
    assert engine.book.hold_layers == 1 and "mismatch" not in engine.status.blockers


def test_paper_partial_fill_is_cancelled_after_the_timeout(tmp_path, shared, clock):
    engine, _ = _paper_engine(tmp_path, shared, clock, fill_ratio=0.5, timeout=10.0)
    _tick(engine, shared, clock, 1, 1.0)
    _tick(engine, shared, clock, 2, 0.985)
    engine.step()
    assert engine.book.pending_signal is not None  # half filled, the rest still working
    clock.advance(11)
    engine.step()
    b = engine.book
    assert b.pending_signal is None and b.positions[0].shares == 500 and b.pending_buy_shares == 500


def test_paper_crash_after_placing_does_not_place_twice(tmp_path, shared, clock):
    def crash(name):
        if name == "after_signal":
            raise RuntimeError(name)

    engine, _ = _paper_engine(tmp_path, shared, clock, checkpoint=crash)
    _tick(engine, shared, clock, 1, 1.0)
    with pytest.raises(RuntimeError):
        _tick(engine, shared, clock, 2, 0.985)
    again, _ = _paper_engine(tmp_path, shared, clock)
    again.step()
    again.step()
    orders = again._route.broker.query_orders()
    assert len(orders) == 1
    assert again.book.pending_signal is None and again.book.positions[0].shares == 1000
