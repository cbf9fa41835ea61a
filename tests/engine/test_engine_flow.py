"""The engine's main path with a scripted decider: signal, state before signal, results, blockers."""

from __future__ import annotations

import threading

from miniqmt_gui.live.decider import Intent
from miniqmt_gui.live.events import (
    BookEvent,
    LogEvent,
    QuoteEvent,
    ResultEvent,
    SignalEvent,
    StatusEvent,
    TradingState,
)
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.files import SIGNAL_FILE, STATE_FILE, STOP_FILE
from windows_bridge.contract.messages import SIGNAL_ID_RE, DashboardState, OrderSignal, ResultStatus

from .support import CODE, T0, ScriptedDecider, make_quote, write_quote, write_result


def _run(engine, shared, clock, seq, price, **kw):
    clock.advance(3)
    write_quote(shared, make_quote(seq, price, clock.now, **kw))
    engine.step()


def _signal(shared):
    return read_message(shared / SIGNAL_FILE, OrderSignal).value


def test_engine_starts_stopped_and_initialises_the_anchor(make_engine, shared, clock):
    engine = make_engine()
    _run(engine, shared, clock, 1, 1.0)
    assert engine.status.state is TradingState.STOPPED
    assert "state_stopped" in engine.status.blockers
    assert engine.book.last_buy_price == 1.0  # first anchor = last completed bar's close
    assert not (shared / SIGNAL_FILE).exists()


def test_buy_signal_is_written_after_the_state(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    assert sig is not None and sig.direction == "BUY" and sig.shares == 1000 and sig.layer == 1
    assert SIGNAL_ID_RE.match(sig.signal_id) and sig.code == CODE and sig.price == 0.985
    state = read_message(shared / STATE_FILE, DashboardState).value
    assert state is not None and state.pending_signal == sig
    assert state.hold_layers == 1 and state.pending_buy_shares == 1000 and state.last_buy_price == 0.985
    assert state.rollback is not None and state.rollback.last_buy_price == 1.0


def test_at_most_one_outstanding_signal(make_engine, shared, clock):
    decider = ScriptedDecider(lambda b, p: Intent("BUY", b.hold_layers + 1, 1000, p, (), "always"))
    engine = make_engine(decider)
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    first = _signal(shared)
    for seq in range(2, 6):
        _run(engine, shared, clock, seq, 0.9)
    assert _signal(shared) == first
    assert "pending" in engine.status.blockers


def test_filled_result_is_applied_once(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    write_result(shared, sig.signal_id, ResultStatus.FILLED, 1000, 1000, 0.984)
    engine.step()
    b = engine.book
    assert b.pending_signal is None and b.pending_buy_shares == 0 and b.positions[0].buy_price == 0.984
    assert b.applied_results == [sig.signal_id]
    engine.step()
    engine.step()
    assert engine.book.applied_results == [sig.signal_id]


def _partly_bought(make_engine, shared, clock, filled):
    """A running engine whose first 1,000-share buy at 0.98 filled ``filled`` shares."""
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.98)
    buy = _signal(shared)
    write_result(shared, buy.signal_id, ResultStatus.PARTIALLY_FILLED, 1000, filled, 0.98)
    engine.step()
    return engine


def test_partial_buy_then_take_profit_sell(make_engine, shared, clock):
    engine = _partly_bought(make_engine, shared, clock, 600)
    assert engine.book.positions[0].shares == 600 and engine.book.pending_buy_shares == 400
    _run(engine, shared, clock, 3, 0.99, volume=600, market_value=594)
    sell = _signal(shared)
    assert sell.direction == "SELL" and sell.shares == 600 and sell.layer == 1
    assert engine.book.positions == [] and engine.book.bars_since_exit == 0
    write_result(shared, sell.signal_id, ResultStatus.PARTIALLY_FILLED, 600, 200, 0.99)
    engine.step()
    b = engine.book
    assert [lot.shares for lot in b.positions] == [400]
    assert b.last_buy_price == 0.98 and b.bars_since_exit == -1  # the last lot did not really go


def test_rejected_rolls_back_and_starts_the_silent_period(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    write_result(shared, sig.signal_id, ResultStatus.REJECTED, 1000, 0, 0.0)
    engine.step()
    assert engine.book.positions == [] and engine.book.last_buy_price == 1.0
    assert "silent" in engine.status.blockers
    _run(engine, shared, clock, 3, 0.97)
    assert _signal(shared) == sig  # nothing new during the silent period
    clock.advance(300)
    _run(engine, shared, clock, 4, 0.97)
    assert _signal(shared).signal_id != sig.signal_id


def test_silent_period_is_cleared_by_a_restart(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    write_result(shared, _signal(shared).signal_id, ResultStatus.CANCELLED, 1000, 0, 0.0)
    engine.step()
    assert "silent" in engine.status.blockers
    again = make_engine()
    again.start()
    _run(again, shared, clock, 3, 0.98)
    assert "silent" not in again.status.blockers
    assert again.book.pending_signal is not None


def test_simulated_result_counts_as_a_fill(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    write_result(shared, sig.signal_id, ResultStatus.SIMULATED, 1000, 1000, 0.985)
    engine.step()
    assert engine.book.positions[0].shares == 1000 and engine.book.pending_signal is None


def test_stale_quotes_block_and_resume(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    clock.advance(301)
    engine.step()
    assert engine.status.stale and engine.status.headline == "行情已过期，暂停发单"
    _run(engine, shared, clock, 2, 0.985)
    assert not engine.status.stale
    assert _signal(shared) is not None


def test_halt_writes_stop_and_resume_removes_it(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    engine.halt()
    assert (shared / STOP_FILE).exists()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    assert engine.status.state is TradingState.HALTED and _signal(shared) is None
    engine.resume()
    engine.step()
    assert not (shared / STOP_FILE).exists() and engine.status.state is TradingState.RUNNING


def test_stop_file_from_elsewhere_halts_until_removed(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    (shared / STOP_FILE).write_text("x")
    _run(engine, shared, clock, 1, 1.0)
    assert engine.status.state is TradingState.HALTED
    assert engine.status.reason_key == "why_stop_file" and engine.status.reason
    (shared / STOP_FILE).unlink()
    _run(engine, shared, clock, 2, 0.985)
    assert engine.status.state is TradingState.RUNNING and _signal(shared) is not None


def test_sell_only_lets_sells_through_but_not_buys(make_engine, shared, clock):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    write_result(shared, _signal(shared).signal_id, ResultStatus.FILLED, 1000, 1000, 0.985)
    engine.step()
    engine.sell_only()
    _run(engine, shared, clock, 3, 0.97, volume=1000, market_value=970)
    assert engine.book.pending_signal is None  # no buy in sell-only
    _run(engine, shared, clock, 4, 1.0, volume=1000, market_value=1000)
    assert _signal(shared).direction == "SELL"


def test_no_evaluation_outside_the_session(make_engine, shared, clock):
    clock.now = T0.replace(hour=12)
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    assert "closed" in engine.status.blockers and _signal(shared) is None


def test_warm_up_blocks(make_engine, shared, clock):
    engine = make_engine(ScriptedDecider(ready=False))
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    assert "warming_up" in engine.status.blockers


def test_each_seq_is_evaluated_once(make_engine, shared, clock):
    decider = ScriptedDecider()
    engine = make_engine(decider)
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    engine.step()
    engine.step()
    assert decider.calls == [1.0]


def test_listeners_get_events_and_commands_work_from_another_thread(make_engine, shared, clock):
    engine = make_engine()
    events = []
    remove = engine.add_listener(events.append)
    engine.add_listener(lambda e: 1 / 0)  # a broken listener never stops the loop
    t = threading.Thread(target=engine.start)
    t.start()
    t.join()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    kinds = {type(e) for e in events}
    assert {QuoteEvent, BookEvent, SignalEvent, StatusEvent, LogEvent} <= kinds
    write_result(shared, _signal(shared).signal_id, ResultStatus.FILLED, 1000, 1000, 0.985)
    engine.step()
    assert any(isinstance(e, ResultEvent) and e.outcome == "filled" for e in events)
    remove()
    n = len(events)
    _run(engine, shared, clock, 3, 0.985)
    assert len(events) == n
    snap = engine.snapshot()
    assert snap.book.hold_layers == 1 and snap.quote is not None and snap.indicators["rsi"] == 50.0


def test_run_forever_stops_on_event(make_engine, shared, clock):
    engine = make_engine()
    stop = threading.Event()
    t = threading.Thread(target=engine.run_forever, args=(stop,))
    t.start()
    stop.set()
    t.join(timeout=2)
    assert not t.is_alive()


def test_journal_records_decisions_and_exports_csv(make_engine, shared, clock, settings, tmp_path):
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    write_result(shared, _signal(shared).signal_id, ResultStatus.FILLED, 1000, 1000, 0.985)
    engine.step()
    rows = engine.export_journal_csv(tmp_path / "j.csv")
    text = (tmp_path / "j.csv").read_text(encoding="utf-8-sig")
    assert rows == 3 and "anchor_init" in text and "grid_buy" in text and "filled" in text


def test_signal_is_hmac_signed_when_a_key_is_configured(make_engine, shared, clock, settings):
    from windows_bridge.contract.signing import verify

    key = b"k" * 32
    engine = make_engine(settings=settings.model_copy(update={"hmac_key": key}))
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    _run(engine, shared, clock, 2, 0.985)
    sig = _signal(shared)
    assert sig.hmac and verify(sig, key)
    assert engine.book.pending_signal.hmac is None  # the book keeps the payload; signing is per write


def test_core_decider_drives_a_first_layer_buy(tmp_path, clock):
    from miniqmt_gui.live.factory import build_engine
    from miniqmt_gui.live.settings import EngineSettings
    from miniqmt_gui.rehearsal.offline_stages import make_quote as stage_quote
    from miniqmt_gui.rehearsal.offline_stages import synthetic_bars

    shared = tmp_path / "s"
    shared.mkdir()
    settings = EngineSettings(shared_dir=shared, work_dir=tmp_path / "w", base_shares=0, owner_lock=False)
    engine = build_engine(settings, clock=clock.wall, monotonic=clock.monotonic)
    engine.start()
    bars = synthetic_bars(120, T0)
    write_quote(shared, stage_quote(1, bars[-1].close, T0, bars))
    engine.step()
    assert engine.book.last_buy_price == bars[-1].close
    assert engine.snapshot().indicators["atr"] > 0
    write_quote(shared, stage_quote(2, round(bars[-1].close * 0.99, 3), T0, bars))
    engine.step()
    sig = _signal(shared)
    assert sig is not None and sig.direction == "BUY" and sig.layer == 1 and sig.shares % 100 == 0


def test_odd_lot_sells_round_down_and_the_rest_stays_in_the_book(make_engine, shared, clock):
    """A lot of 650 shares (a partial fill) sells 600; the 50 odd shares stay, never a 650 order."""
    engine = _partly_bought(make_engine, shared, clock, 650)
    _run(engine, shared, clock, 3, 0.99, volume=650, market_value=643.5)
    sell = _signal(shared)
    assert sell.direction == "SELL" and sell.shares == 600  # board lots only
    write_result(shared, sell.signal_id, ResultStatus.FILLED, 600, 600, 0.99)
    engine.step()
    assert [lot.shares for lot in engine.book.positions] == [50]


def test_a_holiday_is_closed_until_the_next_session_never_stale(make_engine, shared, clock):
    """春节 2026: quotes frozen for an hour on a weekday holiday → 'closed until 02-24', never 'stale'."""
    from datetime import datetime

    from windows_bridge.contract.market_hours import SHANGHAI

    clock.now = datetime(2026, 2, 17, 10, 0, tzinfo=SHANGHAI)
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    frozen = clock.now
    for seq in range(2, 1200):  # the bridge keeps writing the last quote, seq growing, time frozen
        clock.advance(3)
        write_quote(shared, make_quote(seq, 1.0, frozen))
        engine.step()
    status = engine.status
    assert not status.stale and "stale" not in status.blockers
    assert "closed" in status.blockers
    assert status.closed_until == datetime(2026, 2, 24, 9, 30, tzinfo=SHANGHAI)
    assert "2026-02-24（周二）09:30" in status.blocker_texts[status.blockers.index("closed")]
    assert _signal(shared) is None


def _engine_waiting_for_a_buy(make_engine, shared, clock):
    """A started engine that has just emitted a BUY and waits for its result."""
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    idle = engine.poll_interval()
    _run(engine, shared, clock, 2, 0.985)
    return engine, _signal(shared), idle


def test_polls_fast_only_while_a_signal_is_outstanding(make_engine, shared, clock, settings):
    engine, sig, idle = _engine_waiting_for_a_buy(make_engine, shared, clock)
    assert idle > settings.fast_poll_interval_s  # no signal and no quote cadence known yet: slow
    assert engine.book.pending_signal == sig
    assert engine.poll_interval() == settings.fast_poll_interval_s  # the trader waits for this result
    write_result(shared, sig.signal_id, ResultStatus.FILLED, 1000, 1000, 0.984)
    engine.step()
    assert engine.book.pending_signal is None
    assert engine.poll_interval() > settings.fast_poll_interval_s


def test_a_quote_that_lands_after_the_engines_read_is_polled_for_at_once(make_engine, shared, clock,
                                                                          settings):
    """No nap between a quote landing and the engine reading it, even with no signal outstanding."""
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    assert engine.poll_interval() > settings.fast_poll_interval_s  # read what is there: nap
    clock.advance(1)
    write_quote(shared, make_quote(2, 1.0, clock.now))  # lands between the step and the pacer's look
    assert engine.poll_interval() == settings.fast_poll_interval_s
    engine.step()
    assert engine.poll_interval() > settings.fast_poll_interval_s


def test_a_step_that_keeps_failing_before_the_quote_read_does_not_retry_at_the_fast_pace(
        make_engine, shared, clock, settings, monkeypatch):
    """An unread quote hurries only a step that reads it: one failing earlier naps (no 100 Hz error loop)."""
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)

    def unreadable_share(busy: bool) -> bool:
        raise OSError("the shared folder is gone")

    monkeypatch.setattr(engine, "_scan_stop", unreadable_share)
    clock.advance(1)
    write_quote(shared, make_quote(2, 1.0, clock.now))
    assert engine.run_step() is False
    assert engine.poll_interval() > settings.fast_poll_interval_s


def test_a_result_file_rewritten_in_place_is_still_seen(make_engine, shared, clock):
    """The result is read by stat signature; a rewrite with a new signature is read, never missed."""
    engine, sig, _ = _engine_waiting_for_a_buy(make_engine, shared, clock)
    write_result(shared, "BUY_159201.SZ_L1_00000000", ResultStatus.FILLED, 1000, 1000, 0.984)  # not ours
    engine.step()
    assert engine.book.pending_signal == sig
    write_result(shared, sig.signal_id, ResultStatus.FILLED, 1000, 1000, 0.984)
    engine.step()
    assert engine.book.pending_signal is None and engine.book.applied_results == [sig.signal_id]


def test_between_quotes_stop_is_seen_within_a_second_and_always_before_a_decision(make_engine, shared, clock):
    """The idle step lists the folder at most once a second; a new quote always looks first."""
    engine = make_engine()
    engine.start()
    _run(engine, shared, clock, 1, 1.0)
    (shared / STOP_FILE).write_text("")
    clock.advance(0.1)
    engine.step()  # nothing new, the last scan is 0.1 s old: not listed again yet
    assert engine.status.state is TradingState.RUNNING
    clock.advance(1.0)
    engine.step()  # a second later it is
    assert engine.status.state is TradingState.HALTED
    (shared / STOP_FILE).unlink()
    engine.resume()
    engine.step()
    assert engine.status.state is TradingState.RUNNING
    (shared / STOP_FILE).write_text("")
    write_quote(shared, make_quote(2, 0.985, clock.now))  # a buy, were it not for STOP (0.1 s later)
    clock.advance(0.1)
    engine.step()
    assert engine.status.state is TradingState.HALTED and not (shared / SIGNAL_FILE).exists()
