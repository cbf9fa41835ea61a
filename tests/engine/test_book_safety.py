"""Issue "the app's layer book: never lost, never fooled, one owner", on the real engine with the real
strategy and the real executor over a simulated broker that holds several of the grid's lots."""

from __future__ import annotations

import json

import pytest

from miniqmt_gui.live.events import ReconcileEvent
from windows_bridge.brokers.interface import Side
from windows_bridge.contract.files import STATE_FILE

from .live_rig import BASE, LiveRig


@pytest.fixture
def rig(tmp_path, clock):
    r = LiveRig(tmp_path / "rig", clock)
    yield r
    r.close()


def _after_loss(rig: LiveRig, price: float) -> None:
    """Quotes that fall further: a book that forgot its lots would buy layer 1 again here."""
    for k in range(1, 4):
        rig.quote(round(price * (1 - 0.004 * k), 3))
        rig.settle()


def test_base_position_is_required_for_live_trading(tmp_path, clock):
    rig = LiveRig(tmp_path / "nobase", clock, base_shares=None)
    try:
        rig.quote(rig.bars[-1].close)
        rig.quote(round(rig.bars[-1].close * 0.99, 3))
        assert "base_unknown" in rig.engine.status.blockers and rig.orders() == 0
    finally:
        rig.close()


def test_broker_above_base_plus_book_pauses_buys(rig):
    rig.buy_lots(1)
    rig.broker.place_limit_order("159201.SZ", Side.BUY, 1000, 10.0, "manual")  # a manual trade in QMT
    price = round(rig.engine.book.last_buy_price * 0.99, 3)
    rig.quote(price)
    rig.quote(price)
    assert "mismatch" in rig.engine.status.blockers and rig.engine.book.pending_signal is None


@pytest.mark.parametrize("lost", ["share", "share+own", "share+own+journal-truncated"])
def test_a_lost_state_file_never_buys_again(rig, lost):
    price = rig.buy_lots(3)
    orders = rig.orders()
    rig.engine.close()
    (rig.shared / STATE_FILE).unlink()
    if "own" in lost:
        rig.settings().own_state_path.unlink()
    if "truncated" in lost:
        journal = rig.settings().journal_path
        journal.write_bytes(journal.read_bytes()[:-40])  # a torn last line
    rig.restart()
    rig.quote(price)
    assert rig.engine.book.hold_layers == 3
    assert "unverified" not in rig.engine.status.blockers  # the broker agreed
    rig.quote(round(price * 0.999, 3))
    assert rig.orders() == orders  # no second buy of a held layer


def test_everything_lost_pauses_buys_and_asks_to_reconcile(rig):
    price = rig.buy_lots(3)
    orders = rig.orders()
    broker_before = next(p for p in rig.broker.query_positions() if p.code == "159201.SZ").volume
    rig.engine.close()
    (rig.shared / STATE_FILE).unlink()
    rig.settings().own_state_path.unlink()
    rig.settings().journal_path.unlink()
    rig.restart()
    _after_loss(rig, price)
    assert rig.orders() == orders  # never silently empty: no new buy
    assert "reconcile" in rig.engine.status.blockers
    prompts = [e for e in rig.events if isinstance(e, ReconcileEvent)]
    assert prompts and prompts[-1].broker_shares == broker_before and prompts[-1].book_shares == 0
    assert prompts[-1].base_shares == BASE
    rig.engine.adopt_broker_lots()
    rig.engine.step()
    book = rig.engine.book
    assert sum(lot.shares for lot in book.positions) == broker_before - BASE and book.hold_layers >= 1
    assert "reconcile" not in rig.engine.status.blockers


def test_a_truncated_or_zeroed_state_file_is_kept_aside_for_the_own_copy(rig):
    price = rig.buy_lots(2)
    orders = rig.orders()
    rig.engine.close()
    path = rig.shared / STATE_FILE
    path.write_text(json.dumps({"code": "159201.SZ", "positions": [], "revision": 0}), encoding="utf-8")
    rig.restart()
    assert rig.engine.book.hold_layers == 2
    assert any(p.name.startswith("dashboard_state.differs-") for p in rig.shared.iterdir())
    rig.quote(price)  # the engine writes its book back
    rig.engine.close()
    path.write_bytes(path.read_bytes()[:50])
    rig.restart()
    assert rig.engine.book.hold_layers == 2
    assert any(p.name.startswith("dashboard_state.corrupt-") for p in rig.shared.iterdir())
    _after_loss(rig, price)
    assert rig.orders() >= orders and rig.engine.book.hold_layers >= 2


def test_a_huge_number_in_the_state_file_goes_through_the_rebuild(rig):
    rig.buy_lots(1)
    rig.engine.close()
    (rig.shared / STATE_FILE).write_text('{"code": "159201.SZ", "revision": ' + "9" * 5000 + "}")
    rig.restart()
    assert rig.engine.book.hold_layers == 1


# --------------------------------------------------------------------------- results are checked


def _pending_buy(rig: LiveRig):
    """Stop the executor from answering, then let the grid emit one BUY; returns the signal."""
    rig._stop.set()
    rig._thread.join(5)
    price = rig.bars[-1].close
    rig.quote(price)
    rig.quote(round(price * 0.996, 3))
    signal = rig.engine.book.pending_signal
    assert signal is not None and signal.direction == "BUY"
    return signal


def _result(signal, **over):
    from windows_bridge.contract.messages import OrderResult, ResultStatus

    data = {"signal_id": signal.signal_id, "status": ResultStatus.FILLED, "order_id": 1, "code": signal.code,
            "direction": signal.direction, "requested_shares": signal.shares, "filled_shares": signal.shares,
            "avg_price": signal.price, "timestamp": signal.timestamp}
    return OrderResult.model_validate({**data, **over})


@pytest.mark.parametrize(
    ("why", "over"),
    [
        ("another code", {"code": "510300.SH"}),
        ("other direction", {"direction": "SELL"}),
        ("other requested shares", {"requested_shares": 100, "filled_shares": 100}),
        ("fill price worse than the limit", {"avg_price": 2.0}),
        ("fill price far better than the limit", {"avg_price": 0.5}),
        ("a forged rejection with other shares", {"status": "rejected", "filled_shares": 0, "avg_price": 0.0,
                                                  "requested_shares": 7}),
    ],
)
def test_a_result_that_does_not_match_is_refused_and_the_real_one_still_applies(rig, why, over):
    from windows_bridge.contract.atomic_io import write_message
    from windows_bridge.contract.files import RESULT_FILE

    signal = _pending_buy(rig)
    write_message(rig.shared / RESULT_FILE, _result(signal, **over))
    rig.engine.step()
    rig.engine.step()
    assert rig.engine.book.pending_signal == signal, why  # still waiting
    assert any("refused a suspicious result" in str(getattr(e, "message", "")) or
               "拒绝可疑的执行结果" in str(getattr(e, "message", "")) for e in rig.events), why
    write_message(rig.shared / RESULT_FILE, _result(signal))
    rig.engine.step()
    assert rig.engine.book.pending_signal is None and rig.engine.book.hold_layers == 1


def test_with_a_key_unsigned_results_are_refused_and_signed_ones_applied(tmp_path, clock):
    from windows_bridge.contract.atomic_io import write_message
    from windows_bridge.contract.files import RESULT_FILE
    from windows_bridge.contract.signing import sign

    key = b"k" * 32
    rig = LiveRig(tmp_path / "keyed", clock, key=key)
    try:
        signal = _pending_buy(rig)
        write_message(rig.shared / RESULT_FILE, _result(signal, status="rejected", filled_shares=0,
                                                                avg_price=0.0))
        rig.engine.step()
        assert rig.engine.book.pending_signal == signal  # a forged "rejected" cannot roll back
        write_message(rig.shared / RESULT_FILE, sign(_result(signal), b"x" * 32))
        rig.engine.step()
        assert rig.engine.book.pending_signal == signal  # signed with the wrong key
        write_message(rig.shared / RESULT_FILE, sign(_result(signal), key))
        rig.engine.step()
        assert rig.engine.book.pending_signal is None and rig.engine.book.hold_layers == 1
    finally:
        rig.close()


def test_in_doubt_holds_and_the_broker_position_settles_it(rig):
    from windows_bridge.brokers.interface import Side
    from windows_bridge.contract.atomic_io import write_message
    from windows_bridge.contract.files import RESULT_FILE

    signal = _pending_buy(rig)
    doubt = _result(signal, status="in_doubt", filled_shares=0, avg_price=0.0)
    write_message(rig.shared / RESULT_FILE, doubt)
    rig.engine.step()
    book = rig.engine.book
    assert book.pending_signal == signal and book.pending_in_doubt and book.hold_layers == 1
    assert "in_doubt" in rig.engine.status.blockers
    for _ in range(2):  # the broker shows nothing new yet: still in doubt, nothing rolled back
        rig.quote(signal.price)
    # the order had in fact filled before the crash: the broker's position now shows it
    rig.broker.place_limit_order(signal.code, Side.BUY, signal.shares, signal.price, "filled-before-crash")
    for _ in range(3):
        rig.quote(signal.price)
    book = rig.engine.book
    assert book.pending_signal is None and not book.pending_in_doubt
    assert [lot.shares for lot in book.positions] == [signal.shares]


def test_in_doubt_not_filled_rolls_back_only_after_the_broker_says_so(rig):
    from windows_bridge.contract.atomic_io import write_message
    from windows_bridge.contract.files import RESULT_FILE

    signal = _pending_buy(rig)
    doubt = _result(signal, status="in_doubt", filled_shares=0, avg_price=0.0)
    write_message(rig.shared / RESULT_FILE, doubt)
    rig.engine.step()
    assert rig.engine.book.pending_in_doubt
    for _ in range(3):
        rig.quote(signal.price)
    assert rig.engine.book.pending_signal is None and rig.engine.book.hold_layers == 0


# --------------------------------------------------------------------------- no result forever


def test_no_result_resends_the_same_signal_then_says_stuck(tmp_path, clock):
    from windows_bridge.contract.atomic_io import read_message
    from windows_bridge.contract.files import SIGNAL_FILE
    from windows_bridge.contract.messages import OrderSignal

    rig = LiveRig(tmp_path / "silent", clock, pending_timeout_s=60.0, pending_max_resends=2)
    try:
        signal = _pending_buy(rig)
        (rig.shared / SIGNAL_FILE).unlink()  # the share lost it and nobody answers
        for _ in range(25):
            clock.advance(10)
            rig.engine.step()
        resent = read_message(rig.shared / SIGNAL_FILE, OrderSignal).value
        assert resent == signal  # the same id and payload, never a new decision
        assert "pending_stuck" in rig.engine.status.blockers
        texts = " ".join(str(getattr(e, "message", "")) for e in rig.events)
        assert "re-sent" in texts or "重发" in texts
    finally:
        rig.close()
