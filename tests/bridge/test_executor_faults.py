"""The executor under real faults, in-process: each test names the fault of docs/reliability.md it proves.

Wiped journal, crash + broker day roll, QMT session drops and hung calls (over the xtquant fake with
QMT's real ``None`` semantics), a journal on a full disk or cut by a power loss, commission in the
results, partial fill then broker error, signed results. None of these may place a second order or
lose a fill. Process-level versions (two executors, kill -9, a damaged journal under the scheduler)
are in ``tests/chain/test_executor_processes.py``.
"""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from windows_bridge.brokers.interface import (
    BrokerOrder,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
    Side,
)
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.messages import OrderResult, ResultStatus, encode, order_remark
from windows_bridge.contract.signing import verify
from windows_bridge.executor import journal as journal_module
from windows_bridge.executor.broker_access import BrokerUnrecoverable
from windows_bridge.executor.journal import JOURNAL_FILE, Journal, JournalError
from windows_bridge.executor.tracker import OrderTracker

from .executor_support import (
    CODE,
    T0,
    Clock,
    Crash,
    CrashingBroker,
    Mono,
    make_broker,
    make_executor,
    make_quote,
    make_settings,
    make_signal,
    read_result,
    write_quote,
    write_signal,
)
from .xtfake_helpers import make_broker as make_xt_broker
from .xtfake_helpers import make_terminal

FEE_RATE = 0.0001


def live(tmp_path: Path, **kw: Any):
    settings = make_settings(tmp_path, **kw)
    clock = Clock()
    broker = make_broker(settings, clock)
    broker.on_quote(CODE, 1.0, time=T0)
    write_quote(settings)
    return settings, clock, broker


def kill_while_working(settings, clock, broker, sig) -> CrashingBroker:
    """Place ``sig`` (a limit below the market: it works) and die while it is being tracked."""
    dying = CrashingBroker(broker)

    def die(_timeout: float) -> None:
        raise Crash("kill -9 while the order is working")

    dying.next_event = die  # type: ignore[method-assign]
    ex = make_executor(settings, dying, clock)  # type: ignore[arg-type]
    ex._drain_stray_events = lambda: None  # type: ignore[method-assign]
    write_signal(settings, sig)
    with pytest.raises(Crash):
        ex.poll_once()
    return dying


# ------------------------------------------------------------------ fault 2: the journal wiped


@pytest.mark.parametrize("filled_before_wipe", [True, False])
def test_wiped_journal_adopts_the_brokers_order_instead_of_placing(
    tmp_path: Path, filled_before_wipe
) -> None:
    settings, clock, broker = live(tmp_path, order_timeout_s=0.3)
    sig = make_signal(price=0.99)
    kill_while_working(settings, clock, broker, sig)
    if filled_before_wipe:
        broker.on_quote(CODE, 0.99, time=T0)
    (settings.state_dir / JOURNAL_FILE).unlink()  # the local journal is gone (disk replaced, wiped)
    write_signal(settings, sig)  # the app re-sends the same signal
    ex = make_executor(settings, broker, clock)
    assert ex.recover() == 0  # nothing in the journal to recover
    assert ex.poll_once()
    orders = broker.query_orders() or []
    assert len(orders) == 1 and orders[0].remark == order_remark(sig.signal_id)  # adopted, not re-placed
    res = read_result(settings)
    assert res.order_id == orders[0].order_id
    if filled_before_wipe:
        assert res.status is ResultStatus.FILLED and res.filled_shares == 1000
    else:
        assert res.status is ResultStatus.CANCELLED  # tracked to its end: timed out and cancelled
    rec = Journal(settings.state_dir / JOURNAL_FILE).get(sig.signal_id)
    assert rec is not None and rec.order_id == orders[0].order_id  # the journal knows it again


# ---------------------------------------------------------- fault 3: crash, then the broker's day rolls


def test_placed_order_gone_after_a_day_roll_is_in_doubt_never_not_placed(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal(price=0.99)
    kill_while_working(settings, clock, broker, sig)
    broker.on_quote(CODE, 0.99, time=T0, volume=400)  # 400 fill while the executor is down
    broker.end_day()  # QMT's day rolls over before the restart: yesterday's orders and trades vanish
    clock.advance(days=1)
    make_executor(settings, broker, clock).recover()
    res = read_result(settings)
    assert res.status is ResultStatus.IN_DOUBT and res.reason_code == "order_not_found"
    assert res.order_id is not None  # everything known is carried
    assert res.position_at_intent == 50_000 and res.broker_position == 50_400
    assert broker.query_orders() == []  # and nothing was placed again


def test_order_no_longer_listed_is_resolved_from_its_trades(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal(price=0.99)
    kill_while_working(settings, clock, broker, sig)
    broker.on_quote(CODE, 0.99, time=T0, volume=300)

    @dataclass
    class ListsNoOrders(CrashingBroker):
        def query_orders(self) -> list[BrokerOrder] | None:
            return []  # e.g. a broker whose order list was reset while its trades remain

    make_executor(settings, ListsNoOrders(broker), clock).recover()  # type: ignore[arg-type]
    res = read_result(settings)
    assert res.status is ResultStatus.PARTIALLY_FILLED and res.filled_shares == 300
    assert res.avg_price == 0.99 and res.fees == pytest.approx(round(300 * 0.99 * FEE_RATE, 2))


@pytest.mark.parametrize("fills_while_down", [False, True], ids=["still_working", "filled_while_down"])
def test_recovery_by_order_id_when_the_broker_drops_the_remark(
    tmp_path: Path, fills_while_down: bool
) -> None:
    settings = make_settings(tmp_path, order_timeout_s=0.3)
    clock = Clock()
    terminal = make_terminal(tmp_path, clock=clock, initial_positions={CODE: 50_000}, initial_cash=100_000.0)
    terminal.echo_remark = False  # this broker does not echo order_remark
    terminal.feed(CODE, 1.0)
    write_quote(settings)
    broker = make_xt_broker(terminal, backoff_s=(0.0,))
    assert broker.connect()
    kill_while_working(settings, clock, broker, make_signal(price=0.99))
    if fills_while_down:
        terminal.feed(CODE, 0.99)
    restarted = make_xt_broker(terminal, backoff_s=(0.0,))
    assert restarted.connect()
    make_executor(settings, restarted, clock).recover()
    res = read_result(settings)
    if fills_while_down:  # its trades, found by the journaled order id
        assert res.status is ResultStatus.FILLED and res.filled_shares == 1000
        assert res.fees == pytest.approx(round(1000 * 0.99 * FEE_RATE, 2))
    else:  # still working: found in the orders by its id, tracked and cancelled — never in doubt
        assert res.status is ResultStatus.CANCELLED and res.order_id is not None
    assert len(terminal.engine.query_orders() or []) == 1
    terminal.shutdown()


# ------------------------------------------------------------------ fault 4: QMT drops the session


@pytest.fixture
def qmt(tmp_path: Path):
    clock = Clock()
    terminal = make_terminal(tmp_path, clock=clock, initial_positions={CODE: 50_000}, initial_cash=100_000.0)
    terminal.feed(CODE, 1.0)
    broker = make_xt_broker(terminal, backoff_s=(0.0,), call_limit_s=1.0)
    assert broker.connect()
    settings = make_settings(tmp_path, order_timeout_s=0.3)
    write_quote(settings)
    yield settings, clock, terminal, broker
    broker.close()
    terminal.release.set()
    terminal.shutdown()


def test_signal_waits_while_qmt_is_down_and_is_placed_once_it_is_back(qmt) -> None:
    settings, clock, terminal, broker = qmt
    first_session = broker.session_id
    terminal.disconnect("QMT restarted", down=True)
    write_signal(settings, make_signal())
    ex = make_executor(settings, broker, clock)
    for _ in range(3):
        assert not ex.poll_once()  # young: kept waiting, not rejected
    assert not (settings.shared_dir / "order_result.json").exists() and ex.state == "waiting"
    terminal.running = True
    assert ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED
    assert broker.session_id != first_session  # a NEW session id after the drop
    assert len(terminal.engine.query_orders() or []) == 1


def test_signal_too_old_while_qmt_is_down_is_refused_with_its_reason(qmt) -> None:
    settings, clock, terminal, broker = qmt
    terminal.disconnect("QMT closed", down=True)
    write_signal(settings, make_signal())
    ex = make_executor(settings, broker, clock)
    assert not ex.poll_once()
    clock.advance(seconds=300)
    assert ex.poll_once()
    assert read_result(settings).reason_code == "signal_too_old"
    assert terminal.engine.query_orders() == []


def test_session_dropped_while_tracking_is_reconnected_and_the_fill_is_reported(qmt) -> None:
    settings, clock, terminal, broker = qmt
    sig = make_signal(price=0.99)
    write_signal(settings, sig)
    ex = make_executor(settings, broker, clock)
    real_follow = ex._tracker.follow  # type: ignore[union-attr]

    def drop_then_follow(order_id: int, **kw: Any):
        terminal.disconnect("network blip")
        terminal.feed(CODE, 0.99)  # fills while the session is down: no push reaches us
        return real_follow(order_id, **kw)

    ex._tracker.follow = drop_then_follow  # type: ignore[union-attr,method-assign]
    assert ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED and res.filled_shares == 1000  # found by polling after reconnect
    assert broker.connected


def test_a_hung_qmt_call_marks_the_session_lost_and_repeated_hangs_end_the_process(qmt) -> None:
    settings, clock, terminal, broker = qmt
    write_signal(settings, make_signal())
    ex = make_executor(settings, broker, clock)
    terminal.hang_calls = 1  # the next synchronous call never answers
    first = broker.session_id
    assert not ex.poll_once()  # the watchdog gave up on the call: session lost, the signal waits
    assert not broker.connected and ex.state == "waiting"
    assert ex.poll_once()  # a new session, then the order
    assert broker.session_id != first and read_result(settings).status is ResultStatus.FILLED
    write_signal(settings, make_signal(token="99999999"))
    terminal.hang_calls = 10
    with pytest.raises(BrokerUnrecoverable):
        for _ in range(5):
            ex.poll_once()
    assert "hung" in broker.fatal
    assert len(terminal.engine.query_orders() or []) <= 1


def test_qmt_none_for_an_empty_day_is_not_a_lost_session(qmt) -> None:
    settings, clock, terminal, broker = qmt
    assert terminal.engine.query_orders() == []  # QMT itself answers None here
    write_signal(settings, make_signal())
    assert make_executor(settings, broker, clock).poll_once()
    assert read_result(settings).status is ResultStatus.FILLED and broker.connected


# ---------------------------------------------------------- fault 5: journal on a full disk / power cut


def write_half_then_enospc(monkeypatch: pytest.MonkeyPatch, times: int = 1) -> dict[str, int]:
    """``os.write`` in the journal writes half the record, then the disk is full."""
    real = os.write
    left = {"n": times}

    def full(fd: int, data: Any) -> int:
        if left["n"] <= 0:
            return real(fd, data)
        left["n"] -= 1
        real(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", full)
    return left


def test_full_disk_on_the_intent_places_nothing_leaves_no_broken_record_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, clock, broker = live(tmp_path)
    journal_path = settings.state_dir / JOURNAL_FILE
    mono = Mono()
    ex = make_executor(settings, broker, clock, monotonic=mono)
    write_signal(settings, make_signal(token="00000001"))
    assert ex.poll_once()  # a first order journals fine
    size = journal_path.stat().st_size
    write_half_then_enospc(monkeypatch)
    write_signal(settings, make_signal(token="00000002"))
    assert not ex.poll_once()
    assert journal_path.stat().st_size == size  # the half record was cut off again
    assert ex.state == "halted" and "journal" in ex.alarm  # visible: no new orders
    assert len(broker.query_orders() or []) == 1  # nothing placed without its intent
    assert not ex.poll_once()  # backing off, signal kept
    mono.now += 10
    assert ex.poll_once()  # disk has room again
    assert ex.state == "running" and ex.alarm == ""
    assert read_result(settings).status is ResultStatus.FILLED and len(broker.query_orders() or []) == 2
    assert [r.signal_id for r in Journal(journal_path).unresolved()] == []  # loads cleanly


def test_failed_truncate_is_repaired_before_the_next_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.record_intent("BUY_159201.SZ_L1_00000001", "d1", "r1", T0)
    good = path.read_bytes()
    write_half_then_enospc(monkeypatch)
    monkeypatch.setattr(j, "_truncate", lambda _size: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(OSError):
        j.record_placed("BUY_159201.SZ_L1_00000001", 7)
    assert len(path.read_bytes()) > len(good)  # the broken half is still there …
    monkeypatch.undo()
    j.record_placed("BUY_159201.SZ_L1_00000001", 7)  # … and is cut before the next record
    assert Journal(path).get("BUY_159201.SZ_L1_00000001").order_id == 7  # type: ignore[union-attr]


def test_full_disk_on_the_outcome_still_publishes_and_a_restart_finds_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, clock, broker = live(tmp_path)
    ex = make_executor(settings, broker, clock)
    sig = make_signal()
    write_signal(settings, sig)
    real = ex.journal.record_outcome

    def full(*_a: Any, **_k: Any) -> None:
        raise journal_module.JournalWriteError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ex.journal, "record_outcome", full)
    assert ex.poll_once()
    first = read_result(settings)
    assert first.status is ResultStatus.FILLED and ex.alarm
    monkeypatch.setattr(ex.journal, "record_outcome", real)
    make_executor(settings, broker, clock).recover()  # the intent is still open: resolved again
    again = read_result(settings)
    assert (again.status, again.order_id, again.filled_shares) == (first.status, first.order_id, 1000)
    assert len(broker.query_orders() or []) == 1


@pytest.mark.parametrize(
    "tail",
    [
        b"\x00" * 4096,
        b'{"type":"placed","signal_id":"BUY_159201.SZ_L1_0a1b2c3d","order_id":7,"crc":"00000000"}\n',
    ],
    ids=["zeros_after_power_cut", "record_failing_its_crc"],
)
def test_damaged_tail_is_cut_with_a_warning(
    tmp_path: Path, tail: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "j.jsonl"
    Journal(path).record_intent("BUY_159201.SZ_L1_0a1b2c3d", "d1", "r1", T0)
    good = path.read_bytes()
    with open(path, "ab") as fh:
        fh.write(tail)
    with caplog.at_level(logging.WARNING):
        again = Journal(path)
    assert "damaged tail" in caplog.text
    assert path.read_bytes() == good and again.get("BUY_159201.SZ_L1_0a1b2c3d").order_id is None  # type: ignore[union-attr]


def test_bit_flip_in_an_earlier_record_is_caught_by_its_crc(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.record_intent("BUY_159201.SZ_L1_0a1b2c3d", "d1", "r1", T0, shares=1000)
    j.record_placed("BUY_159201.SZ_L1_0a1b2c3d", 7)
    data = bytearray(path.read_bytes())
    data[data.index(b'"shares":1000') + 9] = ord("9")  # 1000 → 9000: still valid JSON
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match="damaged"):
        Journal(path)


# ------------------------------------------------------------------ commission, partial + error, signing


def test_live_result_carries_the_real_commission(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    write_signal(settings, make_signal(shares=10_000))
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    trades = broker.query_trades() or []
    assert res.fees == pytest.approx(sum(t.commission for t in trades)) == pytest.approx(1.0)


def test_commission_through_the_xtquant_fake_is_xttrade_commission(qmt) -> None:
    settings, clock, _terminal, broker = qmt
    write_signal(settings, make_signal(shares=10_000))
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.fees == pytest.approx(round(10_000 * 1.0 * FEE_RATE, 2))


@dataclass
class ScriptedBroker:
    """Plays a fixed list of events (enough of the Broker protocol for the tracker)."""

    events: list[Any]
    orders: list[BrokerOrder] = field(default_factory=list)
    connected: bool = True
    fatal: str = ""

    def next_event(self, _timeout: float) -> Any:
        return self.events.pop(0) if self.events else None

    def query_orders(self) -> list[BrokerOrder]:
        return self.orders

    def reconnect(self, force: bool = False) -> bool:
        return True

    def cancel_order(self, order_id: int) -> bool:
        return True


def test_partial_fill_followed_by_a_broker_error_is_reported_as_partial(tmp_path: Path) -> None:
    from windows_bridge.executor.results import order_result

    partial = BrokerOrder(7, CODE, Side.BUY, 1.0, 1000, 300, 1.0, OrderStatus.PARTIAL, "r")
    broker = ScriptedBroker(
        [OrderEvent(partial), OrderErrorEvent(7, "r", "交易所拒绝剩余 exchange refused the rest")]
    )
    final = OrderTracker(broker, timeout_s=30.0, poll_every_s=3600.0).follow(7)  # type: ignore[arg-type]
    assert final.status is OrderStatus.PART_CANCELLED and final.filled_shares == 300
    res = order_result("BUY_159201.SZ_L1_0a1b2c3d", CODE, "BUY", 1000, final, T0)
    assert res.status is ResultStatus.PARTIALLY_FILLED and res.filled_shares == 300
    assert "exchange refused the rest" in res.message


def test_results_are_signed_when_a_key_is_configured(tmp_path: Path) -> None:
    from windows_bridge.contract.signing import sign

    key = bytes(range(32))
    settings, clock, broker = live(tmp_path)
    write_signal(settings, sign(make_signal(), key))
    make_executor(settings, broker, clock, hmac_key=key).poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED and res.hmac and verify(res, key)
    write_signal(settings, make_signal(token="99999999"))  # unsigned: refused, and the refusal is signed
    make_executor(settings, broker, clock, hmac_key=key).poll_once()
    refused = read_result(settings)
    assert refused.reason_code == "missing_hmac" and verify(refused, key)
    assert not verify(refused.model_copy(update={"filled_shares": 0, "status": ResultStatus.FILLED}), key)


# ------------------------------------------------------------------ fault 7: lying or broken quotes


@pytest.mark.parametrize(
    "fault",
    [
        {"time": T0 + timedelta(minutes=5)},
        {"heartbeat": T0 + timedelta(minutes=5)},
        {"time": T0 + timedelta(seconds=31), "heartbeat": T0 + timedelta(seconds=31)},
    ],
    ids=["time_ahead", "heartbeat_ahead", "just_beyond_the_skew_bound"],
)
def test_quote_from_the_future_is_refused(tmp_path: Path, fault: dict[str, Any]) -> None:
    settings, clock, broker = live(tmp_path, broker="xtquant")  # the real broker: market time = wall time
    write_message(settings.shared_dir / "shared_quote.json", make_quote().model_copy(update=fault))
    write_signal(settings, make_signal())
    make_executor(settings, broker, clock).poll_once()
    assert read_result(settings).reason_code == "quote_from_future" and broker.query_orders() == []


def test_a_replayed_market_time_is_no_future_quote_but_its_heartbeat_still_is(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)  # the fake broker replays history: its market time is not today
    replayed = make_quote().model_copy(update={"time": T0 + timedelta(days=300)})
    write_message(settings.shared_dir / "shared_quote.json", replayed)
    write_signal(settings, make_signal(token="00000001"))
    ex = make_executor(settings, broker, clock)
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED
    ahead = replayed.model_copy(update={"heartbeat": T0 + timedelta(minutes=5), "seq": 2})
    write_message(settings.shared_dir / "shared_quote.json", ahead)
    write_signal(settings, make_signal(token="00000002"))
    ex.poll_once()
    assert read_result(settings).reason_code == "quote_from_future"


def test_quote_within_the_skew_bound_is_accepted(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    ahead = T0 + timedelta(seconds=20)  # a clock a few seconds off is normal
    write_message(
        settings.shared_dir / "shared_quote.json", make_quote().model_copy(update={"heartbeat": ahead})
    )
    write_signal(settings, make_signal())
    make_executor(settings, broker, clock).poll_once()
    assert read_result(settings).status is ResultStatus.FILLED


def test_quote_whose_seq_went_backwards_is_refused(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    ex = make_executor(settings, broker, clock)
    write_message(settings.shared_dir / "shared_quote.json", make_quote().model_copy(update={"seq": 50}))
    write_signal(settings, make_signal(token="00000001"))
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED
    write_message(settings.shared_dir / "shared_quote.json", make_quote().model_copy(update={"seq": 49}))
    write_signal(settings, make_signal(token="00000002"))  # an old quote file replayed
    ex.poll_once()
    assert read_result(settings).reason_code == "quote_seq_backwards"
    assert len(broker.query_orders() or []) == 1


@pytest.mark.parametrize(
    "literal",
    ['"cash": NaN', '"cash": Infinity', '"cash": -Infinity', '"cash": 1e999', '"volume": NaN'],
)
def test_nan_or_infinity_anywhere_in_the_quote_is_a_schema_error(tmp_path: Path, literal: str) -> None:
    settings, clock, broker = live(tmp_path)
    text = encode(make_quote()).decode()
    text = (
        text.replace('"cash": 100000.0', literal)
        if "cash" in literal
        else text.replace('"volume": 0.0', literal, 1)
    )
    assert literal in text
    (settings.shared_dir / "shared_quote.json").write_text(text, encoding="utf-8")
    write_signal(settings, make_signal())
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.reason_code == "no_quote" and ("NaN" in res.message or "infinity" in res.message)
    assert broker.query_orders() == []


# ---------------------------------------------------------- fault 1: the fencing check before every order


@dataclass
class Fence:
    """A fencing check that says what the test wants."""

    error: Exception | None = None
    checks: int = 0

    def check(self) -> None:
        self.checks += 1
        if self.error is not None:
            raise self.error


def test_no_order_without_passing_the_fencing_check(tmp_path: Path) -> None:
    from windows_bridge.executor.presence import FenceUnavailable, NotOwnerError

    settings, clock, broker = live(tmp_path)
    fence = Fence(FenceUnavailable("the owner lock is missing"))
    ex = make_executor(settings, broker, clock, fence=fence)
    write_signal(settings, make_signal())
    assert not ex.poll_once() and fence.checks == 1  # cannot confirm ownership: the signal waits
    assert broker.query_orders() == [] and ex.journal.get(make_signal().signal_id) is None
    fence.error = NotOwnerError("another executor owns the folder")
    with pytest.raises(NotOwnerError):
        ex.poll_once()  # the process exits non-zero on this
    assert broker.query_orders() == []
    fence.error = None
    assert ex.poll_once() and read_result(settings).status is ResultStatus.FILLED


# ---------------------------------------------------------- publishing: the next signal is never eaten


def test_the_apps_next_signal_written_the_moment_the_result_appears_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the signal file was removed *after* the result was written. The app writes its
    next signal as soon as it sees the result, so between the executor's "still our signal?" read and
    its delete the file could already be the next signal — and was deleted (found by the torture)."""
    from windows_bridge.executor import intake

    settings, clock, broker = live(tmp_path)
    ex = make_executor(settings, broker, clock)
    first, second = make_signal(token="00000001"), make_signal(token="00000002")
    real_remove = intake.remove_file
    sent: list[str] = []

    def app_races_the_delete(path: Path) -> bool:
        seen = read_message(settings.shared_dir / "order_result.json", OrderResult).value
        if seen is not None and seen.signal_id == first.signal_id and not sent:
            write_signal(settings, second)  # the app saw its result and answers at once
            sent.append(second.signal_id)
        return real_remove(path)

    monkeypatch.setattr(intake, "remove_file", app_races_the_delete)
    write_signal(settings, first)
    assert ex.poll_once()
    if not sent:  # the result came after the file was gone: the app sends its next signal now
        write_signal(settings, second)
    assert (settings.shared_dir / "order_signal.json").exists()  # the app's next signal was not eaten
    assert ex.poll_once() and read_result(settings).signal_id == second.signal_id
    assert len(broker.query_orders() or []) == 2


def test_a_crash_between_consuming_and_writing_the_result_is_answered_at_restart(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    ex = make_executor(settings, broker, clock)
    sig = make_signal()

    def die(_result: Any) -> None:
        raise Crash("killed after the signal file was consumed")

    ex._write_result = die  # type: ignore[method-assign]
    write_signal(settings, sig)
    with pytest.raises(Crash):
        ex.poll_once()
    assert not (settings.shared_dir / "order_signal.json").exists()
    make_executor(settings, broker, clock).recover()
    res = read_result(settings)
    assert res.signal_id == sig.signal_id and res.status is ResultStatus.FILLED
    assert len(broker.query_orders() or []) == 1
