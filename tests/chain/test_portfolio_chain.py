"""Two codes, one shared folder, one capital pool: the bridge, the executor and the app (one engine per
code), all real, in one process (see portfolio_rig). Faults hit one code while the other trades."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from miniqmt_gui.strategy.pool import Pool
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.files import QUOTE_FILE, CodeFiles, quote_file_for
from windows_bridge.contract.messages import OrderResult, SharedQuote

from .portfolio_rig import BASE, CODES, A, B, PortfolioRig


@pytest.fixture
def rig(tmp_path: Path):
    r = PortfolioRig(tmp_path)
    yield r
    r.close()


def _result_id(path: Path) -> str:
    value = read_message(path, OrderResult).value
    return value.signal_id if value is not None else ""


def _fall(rig: PortfolioRig, *letters: str) -> None:
    """One 0.4 % fall of the named codes' prices (a new layer each), then wait for every result."""
    rig.tick(**{x: rig.price({"A": A, "B": B}[x]) * 0.996 for x in letters})
    rig.settle()


def _assert_books_match_broker(rig: PortfolioRig) -> None:
    for code in CODES:
        assert rig.book_shares(code) == rig.broker_position(code) - BASE[code], code


def _assert_no_duplicates(rig: PortfolioRig) -> None:
    remarks = Counter(o.remark for o in rig.orders())
    assert all(n == 1 for n in remarks.values()), remarks
    for code in CODES:
        sent = {e["signal_id"] for e in rig.journal(code) if e.get("event") == "signal"}
        assert len(rig.orders(code)) == len(sent), code


def test_the_bridge_writes_a_quote_file_per_code_and_the_v1_file_for_the_first(rig: PortfolioRig) -> None:
    rig.tick()
    legacy = read_message(rig.shared / QUOTE_FILE, SharedQuote).value
    first = read_message(rig.shared / quote_file_for(A), SharedQuote).value
    second = read_message(rig.shared / quote_file_for(B), SharedQuote).value
    assert legacy is not None and first is not None and second is not None
    assert legacy == first and legacy.code == A and second.code == B
    assert second.position is not None and second.position.volume == BASE[B]
    assert CodeFiles(B, primary=False).state == f"dashboard_state_{B}.json"
    assert (rig.shared / "dashboard_state.json").exists()  # the first code keeps the v1.0.0 book file
    assert (rig.shared / f"dashboard_state_{B}.json").exists()


def test_two_codes_trade_with_faults_on_one_exactly_once(rig: PortfolioRig) -> None:
    rig.tick()  # first anchors
    for _ in range(2):
        _fall(rig, "A", "B")
    assert rig.engine(A).book.hold_layers == 2 and rig.engine(B).book.hold_layers == 2
    _assert_books_match_broker(rig)

    # fault 1 on B: its result is lost on the share, and B's app restarts with the signal pending
    files = CodeFiles(B, primary=False)
    rig.tick(B=rig.price(B) * 0.996)
    pending = rig.engine(B).book.pending_signal
    assert pending is not None and pending.code == B
    rig.wait(lambda: (rig.shared / files.result).exists()
             and not (rig.shared / files.signal).exists())  # the executor answered it
    rig.wait(lambda: _result_id(rig.shared / files.result) == pending.signal_id)
    result = read_message(rig.shared / files.result, OrderResult).value
    assert result is not None and result.signal_id == pending.signal_id
    (rig.shared / files.result).unlink()
    rig.restart_engine(B)
    assert rig.engine(B).book.pending_signal == pending  # state before signal: the restart still knows it

    # A keeps trading meanwhile
    _fall_a = rig.price(A) * 0.996
    rig.tick(A=_fall_a)
    rig.until(lambda: rig.engine(A).book.pending_signal is None)
    assert rig.engine(A).book.hold_layers == 3

    # B waits out its pending timeout, re-sends the SAME id; the executor answers from its journal
    rig.until(lambda: rig.engine(B).book.pending_signal is None, tick=True)
    assert rig.engine(B).book.hold_layers == 3
    events = [e["event"] for e in rig.journal(B) if e.get("signal_id") == pending.signal_id]
    assert "signal_resent" in events or "signal_reemitted" in events, events

    _assert_books_match_broker(rig)

    # fault 2: the executor is down while both codes decide; the new one serves both signal files in turn
    rig.stop_executor()
    rig.tick(A=rig.price(A) * 0.996, B=rig.price(B) * 0.996)
    assert all(rig.engine(c).book.pending_signal is not None for c in CODES)
    rig.start_executor()
    rig.settle()
    assert rig.engine(A).book.hold_layers == 4 and rig.engine(B).book.hold_layers == 4
    _assert_books_match_broker(rig)

    # both rise step by step: every lot is sold at its take-profit (a few lots a step, under the value cap)
    for _ in range(12):
        if all(rig.engine(c).book.hold_layers == 0 for c in CODES):
            break
        rig.tick(A=rig.price(A) * 1.006, B=rig.price(B) * 1.006)
        rig.settle()
    assert all(rig.engine(c).book.hold_layers == 0 for c in CODES)

    _assert_books_match_broker(rig)
    _assert_no_duplicates(rig)
    assert rig.min_free >= 0
    assert rig.portfolio.pool.free_cash() == pytest.approx(rig.portfolio.pool.pool.capital)


def test_the_pool_refuses_a_first_layer_below_the_reserve_and_a_buy_without_cash(tmp_path: Path) -> None:
    rig = PortfolioRig(tmp_path, Pool(capital=1_000_000.0))
    try:
        rig.tick()
        _fall(rig, "A")
        cost = rig.engine(A).book.total_cost
        assert rig.engine(A).book.hold_layers == 1 and cost > 0
        # a tighter pool from now on: free = 2.5 lots, reserve = 2 lots
        rig.portfolio.pool.pool = Pool(capital=3.5 * cost, reserve=2.0 * cost)
        _fall(rig, "A", "B")  # A's second layer is no first layer: allowed; B's first is not
        assert rig.engine(A).book.hold_layers == 2
        assert rig.engine(B).book.hold_layers == 0 and rig.orders(B) == []
        refused = [e for e in rig.journal(B) if e.get("event") == "pool_refused"]
        assert refused and refused[0]["note"] == "reserve" and refused[0]["first_layer"] is True
        _fall(rig, "A", "B")  # A's third: 0.5 lot left after it
        _fall(rig, "A", "B")  # A's fourth: no cash in the pool
        assert rig.engine(A).book.hold_layers == 3
        reasons = {e["note"] for e in rig.journal(A) if e.get("event") == "pool_refused"}
        assert reasons == {"pool_cash"}
        assert rig.orders(B) == [] and rig.min_free >= 0
        # A sells everything on a rise: the pool is free again and B's first layer may go
        rig.tick(A=rig.price(A) * 1.03)
        rig.until(lambda: rig.engine(A).book.hold_layers == 0 and rig.engine(A).book.pending_signal is None,
                  tick=True)
        rig.until(lambda: rig.engine(B).book.hold_layers == 1 and rig.engine(B).book.pending_signal is None,
                  tick=True)
        _assert_books_match_broker(rig)
        _assert_no_duplicates(rig)
        assert rig.min_free >= 0
    finally:
        rig.close()


def test_a_signal_in_another_codes_file_is_refused_without_an_order(rig: PortfolioRig) -> None:
    from .support import make_signal

    rig.tick()
    files = CodeFiles(B, primary=False)
    signal = make_signal("0f0f0f0f").model_copy(update={"timestamp": rig.clock.now})  # a 159201.SZ signal
    from windows_bridge.contract.atomic_io import write_message

    write_message(rig.shared / files.signal, signal)
    rig.wait(lambda: _result_id(rig.shared / files.result) == signal.signal_id)
    result = read_message(rig.shared / files.result, OrderResult).value
    assert result is not None and result.reason_code == "wrong_signal_file"
    assert rig.orders() == [] and not (rig.shared / files.signal).exists()
    assert list((rig.shared / "order_signal_rejected").iterdir())  # kept aside, nothing journaled
