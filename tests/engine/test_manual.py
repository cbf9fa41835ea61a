"""Manual intervention through the engine's own path: cancel the working order, edit the lots.

On the real paper executor over the simulated account (the same executor code a live run uses).
"""

from __future__ import annotations

import time

from miniqmt_gui.live.decider import Intent
from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.factory import make_route
from miniqmt_gui.live.settings import EngineSettings

from .support import ScriptedDecider, make_quote, write_quote


def _bid_below(book, price):
    """One buy 1 % under the market: it rests on the book (a working order to cancel)."""
    if book.positions or price > 0.951:
        return None
    return Intent("BUY", 1, 1000, round(price * 0.99, 3), (), "grid_buy")


def _engine(tmp_path, shared, clock):
    settings = EngineSettings(shared_dir=shared, work_dir=tmp_path / "work", paper=True, base_shares=0,
                              owner_lock=False, session_only=False, paper_order_timeout_s=600)
    route = make_route(settings, clock.wall, clock.monotonic)
    return LiveEngine(settings, ScriptedDecider(_bid_below), route=route, clock=clock.wall,
                      monotonic=clock.monotonic)


def _until(engine, done, what: str, limit_s: float = 30.0) -> None:
    end = time.monotonic() + limit_s
    while not done():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        engine.step()
        time.sleep(0.02)


def test_cancel_reaches_the_executor_and_the_result_rolls_the_buy_back(tmp_path, shared, clock):
    engine = _engine(tmp_path, shared, clock)
    try:
        engine.start()
        clock.advance(3)
        write_quote(shared, make_quote(1, 1.0, clock.now))
        engine.step()
        engine.sell_layer(1)  # nothing held: refused with a reason, nothing sent
        engine.step()
        assert engine.book.pending_signal is None
        clock.advance(3)
        write_quote(shared, make_quote(2, 0.95, clock.now))  # a buy goes out under the market …
        engine.step()
        signal = engine.book.pending_signal
        assert signal is not None and signal.direction == "BUY"
        clock.advance(3)
        write_quote(shared, make_quote(3, 0.955, clock.now))  # … the market stays above it: it keeps working
        engine.step()
        time.sleep(0.3)
        engine.step()
        assert engine.book.pending_signal is not None
        engine.cancel_pending(signal.signal_id)
        _until(engine, lambda: engine.book.pending_signal is None, "the cancelled result")
        assert engine.book.positions == []  # rolled back: nothing filled
        journal = engine.settings.journal_path.read_text(encoding="utf-8")
        assert '"manual_cancel"' in journal and '"manual_refused"' in journal
    finally:
        engine.close()


def test_edit_lots_is_journaled_and_waits_for_the_broker(tmp_path, shared, clock):
    engine = _engine(tmp_path, shared, clock)
    try:
        engine.edit_lots(((1, 1000, 1.01), (3, 500, 0.99)), "test")
        engine.step()
        assert [(lot.layer, lot.shares) for lot in engine.book.positions] == [(1, 1000), (3, 500)]
        assert engine.book.hold_layers == 2
        engine.edit_lots(((1, 1000, 1.01), (1, 5, 1.0)), "dup")  # refused: a layer twice
        engine.step()
        assert engine.book.hold_layers == 2
        journal = engine.settings.journal_path.read_text(encoding="utf-8")
        assert '"manual_edit"' in journal and "manual_bad_lots" in journal
    finally:
        engine.close()
