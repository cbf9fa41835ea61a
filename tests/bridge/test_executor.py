"""The order executor end to end on a real folder, a real journal and the simulated broker."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from windows_bridge.brokers.interface import OrderStatus, Side
from windows_bridge.contract.atomic_io import read_message, write_bytes_atomic
from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.files import DONE_DIR, EXECUTED_FILE, SIGNAL_FILE, STOP_FILE, done_marker_name
from windows_bridge.contract.messages import DoneMarker, ExecutedSignals, ResultStatus, encode, order_remark
from windows_bridge.executor import intake as signal_intake
from windows_bridge.executor.intake import consume
from windows_bridge.executor.journal import JOURNAL_FILE, Journal, SignalState
from windows_bridge.executor.service import OrderExecutor, RecoveryError

from .executor_support import (
    CODE,
    T0,
    Clock,
    Crash,
    CrashingBroker,
    Mono,
    make_broker,
    make_executor,
    make_settings,
    make_signal,
    read_result,
    write_quote,
    write_signal,
)


def executed_ids(shared: Path) -> list[str]:
    got = read_message(shared / EXECUTED_FILE, ExecutedSignals)
    assert got.value is not None
    return got.value.executed


# ------------------------------------------------------------------ dry run (simulate mode)


def test_dry_run_stage_valid_signal_result_consumed_done_recorded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    clock = Clock()
    write_quote(settings)
    sig = make_signal()
    write_signal(settings, sig)
    ex = make_executor(settings, None, clock)
    assert ex.poll_once()
    res = read_result(settings)
    assert res.signal_id == sig.signal_id and res.status is ResultStatus.SIMULATED and res.simulate
    assert res.filled_shares == 1000 and res.avg_price == 1.0 and "[SIMULATE] 模拟下单" in res.message
    assert not (settings.shared_dir / SIGNAL_FILE).exists()
    marker = read_message(settings.shared_dir / DONE_DIR / done_marker_name(sig.signal_id), DoneMarker)
    assert marker.value is not None and marker.value.status is ResultStatus.SIMULATED
    assert executed_ids(settings.shared_dir) == [sig.signal_id]
    assert ex.journal.state(sig.signal_id) is SignalState.DONE
    assert not ex.poll_once()  # nothing left


def test_dry_run_same_signal_again_is_consumed_without_a_second_order(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    clock = Clock()
    write_quote(settings)
    sig = make_signal()
    ex = make_executor(settings, None, clock)
    write_signal(settings, sig)
    ex.poll_once()
    first = read_result(settings)
    clock.advance(seconds=5)
    write_signal(settings, sig)
    ex.poll_once()
    assert read_result(settings) == first  # the journaled result, re-published
    assert not (settings.shared_dir / SIGNAL_FILE).exists()
    assert ex.journal.orders_on(T0.date()) == 1
    assert executed_ids(settings.shared_dir) == [sig.signal_id]


def test_simulate_logs_the_simulate_tag(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    write_signal(settings, make_signal())
    ex = make_executor(settings, None, Clock())
    with caplog.at_level(logging.INFO):
        ex.describe_mode()
        ex.poll_once()
    assert "[SIMULATE] 模拟下单" in caplog.text
    assert "session check is OFF" in caplog.text


def test_simulate_mode_refuses_a_broker(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    with pytest.raises(ValueError):
        OrderExecutor(settings, make_broker(settings, Clock()), Journal(settings.state_dir / JOURNAL_FILE))


def test_simulate_mode_tracks_cash_of_earlier_simulated_buys(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    clock = Clock()
    write_quote(settings, cash=25_000.0)
    ex = make_executor(settings, None, clock)
    statuses = []
    for i, token in enumerate(["00000001", "00000002", "00000003"]):
        write_signal(settings, make_signal(shares=10_000, layer=i + 1, token=token))
        ex.poll_once()
        statuses.append(read_result(settings).reason_code or read_result(settings).status.value)
    assert statuses == ["simulated", "simulated", "insufficient_cash"]


def test_simulate_mode_session_check_configurable(tmp_path: Path) -> None:
    lunch = T0.replace(hour=12)
    settings = make_settings(tmp_path, simulate=True, session_check_in_simulate=True)
    write_quote(settings, time=lunch)
    write_signal(settings, make_signal(timestamp=lunch))
    make_executor(settings, None, Clock(lunch)).poll_once()
    assert read_result(settings).reason_code == "outside_session"


def test_session_check_is_on_for_the_real_broker_only(tmp_path: Path) -> None:
    lunch = T0.replace(hour=12)
    real = make_settings(tmp_path / "real", broker="xtquant")
    fake = make_settings(tmp_path / "fake", broker="fake")
    for settings in (real, fake):
        write_quote(settings, time=lunch)
        write_signal(settings, make_signal(timestamp=lunch))
        broker = make_broker(settings, Clock(lunch))
        broker.on_quote(CODE, 1.0, time=lunch)
        make_executor(settings, broker, Clock(lunch)).poll_once()
    assert read_result(real).reason_code == "outside_session"
    assert read_result(fake).status is ResultStatus.FILLED


# ------------------------------------------------------------------ live mode with the simulated broker


def live(tmp_path: Path, **kw: object):
    settings = make_settings(tmp_path, **kw)
    clock = Clock()
    broker = make_broker(settings, clock)
    broker.on_quote(CODE, 1.0, time=T0)
    write_quote(settings)
    return settings, clock, broker


def test_live_buy_fills_and_reports_real_fill(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    broker.on_quote(CODE, 0.998, time=T0)
    sig = make_signal(price=1.0)
    write_signal(settings, sig)
    ex = make_executor(settings, broker, clock)
    ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED and res.filled_shares == 1000 and res.avg_price == 0.998
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1
    assert orders[0].remark == order_remark(sig.signal_id) and res.order_id == orders[0].order_id
    assert executed_ids(settings.shared_dir) == [sig.signal_id]
    rec = ex.journal.get(sig.signal_id)
    assert rec is not None and rec.order_id == orders[0].order_id


def test_live_replay_places_no_second_order(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal()
    ex = make_executor(settings, broker, clock)
    write_signal(settings, sig)
    ex.poll_once()
    write_signal(settings, sig)
    ex.poll_once()
    fresh = make_executor(settings, broker, clock)  # even a restarted executor
    write_signal(settings, sig)
    fresh.poll_once()
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1
    assert read_result(settings).status is ResultStatus.FILLED


def test_same_id_other_payload_is_rejected_loudly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings, clock, broker = live(tmp_path)
    ex = make_executor(settings, broker, clock)
    write_signal(settings, make_signal(shares=1000))
    ex.poll_once()
    write_signal(settings, make_signal(shares=2000))
    with caplog.at_level(logging.ERROR):
        ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.REJECTED and res.reason_code == "payload_conflict"
    assert "PAYLOAD CONFLICT" in caplog.text
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1 and orders[0].shares == 1000
    rec = ex.journal.get(make_signal().signal_id)
    assert rec is not None and rec.result is not None and rec.result.status is ResultStatus.FILLED
    assert not (settings.shared_dir / SIGNAL_FILE).exists()


def test_partial_fill_then_cancel_after_timeout(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path, order_timeout_s=0.3)
    broker.on_quote(CODE, 1.0, time=T0, volume=300)
    write_signal(settings, make_signal(shares=1000, price=1.0))
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.PARTIALLY_FILLED
    assert res.filled_shares == 300 and res.requested_shares == 1000 and res.avg_price == 1.0
    orders = broker.query_orders()
    assert orders is not None and orders[0].status is OrderStatus.PART_CANCELLED
    asset = broker.query_asset()
    assert asset is not None and asset.frozen_cash == 0


def test_nothing_filled_cancelled_after_timeout(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path, order_timeout_s=0.2)
    write_signal(settings, make_signal(price=0.99))  # below the market: never crosses
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.CANCELLED and res.filled_shares == 0 and res.order_id is not None


def test_broker_rejection_is_reported(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    broker.on_quote(CODE, 1.0, time=T0, up_stop=1.0, down_stop=0.995)  # the quote file knows no limits
    write_signal(settings, make_signal(price=0.99))
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.REJECTED and res.reason_code == "broker_rejected"
    assert "涨跌停" in res.message


def test_pretrade_refusal_places_nothing(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    write_signal(settings, make_signal(shares=70_000, price=1.0))
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.reason_code == "order_value_too_large" and broker.query_orders() == []
    assert not (settings.shared_dir / SIGNAL_FILE).exists()


def test_sell_beyond_can_use_volume_is_refused_before_the_broker(tmp_path: Path) -> None:
    risk = RiskLimits(max_value_per_order=1e9, max_shares_per_order=1_000_000)
    settings, clock, broker = live(tmp_path, risk=risk)
    write_signal(settings, make_signal(direction="SELL", shares=50_100, price=1.0))
    make_executor(settings, broker, clock).poll_once()
    assert read_result(settings).reason_code == "insufficient_volume"
    assert broker.query_orders() == []


def test_kill_switch_refuses_each_signal_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings, clock, broker = live(tmp_path)
    (settings.shared_dir / STOP_FILE).write_text("stop")
    ex = make_executor(settings, broker, clock)
    write_signal(settings, make_signal())
    with caplog.at_level(logging.WARNING):
        ex.poll_once()
        ex.poll_once()
    assert read_result(settings).reason_code == "kill_switch"
    assert broker.query_orders() == []
    assert caplog.text.count("kill switch") == 1
    (settings.shared_dir / STOP_FILE).unlink()
    write_signal(settings, make_signal(token="feedbeef"))
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED


def test_orders_per_day_cap(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path, risk=RiskLimits(max_orders_per_day=2))
    ex = make_executor(settings, broker, clock)
    for token in ["00000001", "00000002", "00000003"]:
        write_signal(settings, make_signal(shares=100, token=token))
        ex.poll_once()
    assert read_result(settings).reason_code == "orders_per_day"
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 2


def test_broker_account_query_failure_refuses(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    wrapped = CrashingBroker(broker)
    wrapped.query_asset = lambda: None  # type: ignore[method-assign]
    write_signal(settings, make_signal())
    make_executor(settings, wrapped, clock).poll_once()  # type: ignore[arg-type]
    assert read_result(settings).reason_code == "account_unknown"
    assert broker.query_orders() == []


# ------------------------------------------------------------------ crash / restart


def test_crash_between_journal_and_broker_call(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    manual = broker.place_limit_order(CODE, Side.BUY, 100, 0.95, remark="manual")  # today's list: not empty
    sig = make_signal()
    write_signal(settings, sig)
    dying = make_executor(settings, CrashingBroker(broker, crash_before_place=True), clock)  # type: ignore[arg-type]
    with pytest.raises(Crash):
        dying.poll_once()
    assert (settings.shared_dir / SIGNAL_FILE).exists()  # nothing lost
    rec = Journal(settings.state_dir / JOURNAL_FILE).get(sig.signal_id)
    assert rec is not None and rec.watermark == manual and rec.position_before == 50_000
    restarted = make_executor(settings, broker, clock)
    assert restarted.recover() == 1
    res = read_result(settings)
    assert res.signal_id == sig.signal_id and res.status is ResultStatus.REJECTED
    assert res.reason_code == "not_placed_before_crash"  # provable: the watermark order is still listed
    assert [o.order_id for o in broker.query_orders() or []] == [manual]  # never placed again
    assert not (settings.shared_dir / SIGNAL_FILE).exists()
    write_signal(settings, sig)  # the app re-emits the same id: same answer, still no order
    restarted.poll_once()
    assert read_result(settings).reason_code == "not_placed_before_crash"
    assert [o.order_id for o in broker.query_orders() or []] == [manual]


def test_crash_before_the_first_order_of_the_day_cannot_prove_not_placed(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal()
    write_signal(settings, sig)
    with pytest.raises(Crash):
        make_executor(settings, CrashingBroker(broker, crash_before_place=True), clock).poll_once()  # type: ignore[arg-type]
    make_executor(settings, broker, clock).recover()
    res = read_result(settings)
    # an empty list then and now does not prove that the day did not roll in between: in doubt
    assert res.status is ResultStatus.IN_DOUBT and res.reason_code == "intent_unresolved"
    assert res.position_at_intent == 50_000 and res.broker_position == 50_000
    assert broker.query_orders() == []


def test_crash_between_broker_call_and_result(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal()
    write_signal(settings, sig)
    crashing = CrashingBroker(broker, crash_after_place=True)
    with pytest.raises(Crash):
        make_executor(settings, crashing, clock).poll_once()  # type: ignore[arg-type]
    assert len(crashing.placed) == 1
    assert not (settings.shared_dir / "order_result.json").exists()
    restarted = make_executor(settings, broker, clock)
    restarted.recover()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED and res.order_id == crashing.placed[0]
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1  # no duplicate
    assert not (settings.shared_dir / SIGNAL_FILE).exists()
    assert executed_ids(settings.shared_dir) == [sig.signal_id]


def test_crash_while_tracking_a_working_order(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path, order_timeout_s=0.2)
    sig = make_signal(price=0.99)
    write_signal(settings, sig)
    dying_broker = CrashingBroker(broker)

    def die(_timeout: float) -> None:
        raise Crash("killed while the order was working")

    dying_broker.next_event = die  # type: ignore[method-assign]
    dying = make_executor(settings, dying_broker, clock)  # type: ignore[arg-type]
    dying._drain_stray_events = lambda: None  # type: ignore[method-assign]
    with pytest.raises(Crash):
        dying.poll_once()
    broker.on_quote(CODE, 0.99, time=T0, volume=500)  # it fills partly while the executor is down
    restarted = make_executor(settings, broker, clock)
    restarted.recover()
    res = read_result(settings)
    assert res.status is ResultStatus.PARTIALLY_FILLED and res.filled_shares == 500
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1 and orders[0].status is OrderStatus.PART_CANCELLED


def test_crash_after_final_state_before_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, clock, broker = live(tmp_path)
    write_signal(settings, make_signal())
    dying = make_executor(settings, broker, clock)

    def die(*_a: object, **_k: object) -> None:
        raise Crash("killed before the outcome was journaled")

    monkeypatch.setattr(dying.journal, "record_outcome", die)
    with pytest.raises(Crash):
        dying.poll_once()
    make_executor(settings, broker, clock).recover()
    assert read_result(settings).status is ResultStatus.FILLED
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1


def test_recovery_waits_for_a_failing_order_query(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    write_signal(settings, make_signal())
    crashing = CrashingBroker(broker, crash_after_place=True)
    with pytest.raises(Crash):
        make_executor(settings, crashing, clock).poll_once()  # type: ignore[arg-type]
    flaky = CrashingBroker(broker, failing_queries=3)
    make_executor(settings, flaky, clock).recover()  # type: ignore[arg-type]
    assert flaky.failing_queries == 0
    assert read_result(settings).status is ResultStatus.FILLED  # None was never read as "not placed"


def test_intent_from_an_earlier_day_is_in_doubt_never_not_placed(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    broker.place_limit_order(CODE, Side.BUY, 100, 0.95, remark="manual")
    write_signal(settings, make_signal())
    with pytest.raises(Crash):
        make_executor(settings, CrashingBroker(broker, crash_before_place=True), clock).poll_once()  # type: ignore[arg-type]
    clock.advance(days=1)  # QMT's trading day rolled over: yesterday's orders are gone
    make_executor(settings, broker, clock).recover()
    res = read_result(settings)
    assert res.status is ResultStatus.IN_DOUBT and res.reason_code == "intent_unresolved"
    assert broker.query_orders() == []


def test_simulate_mode_will_not_guess_about_live_intents(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    write_signal(settings, make_signal())
    with pytest.raises(Crash):
        make_executor(settings, CrashingBroker(broker, crash_before_place=True), clock).poll_once()  # type: ignore[arg-type]
    sim_settings = settings.model_copy(update={"simulate": True})
    with pytest.raises(RecoveryError):
        make_executor(sim_settings, None, clock).recover()


def test_wiped_share_does_not_cause_duplicates(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    sig = make_signal()
    ex = make_executor(settings, broker, clock)
    write_signal(settings, sig)
    ex.poll_once()
    for item in settings.shared_dir.iterdir():
        if item.is_file():
            item.unlink()
    write_quote(settings)
    restarted = make_executor(settings, broker, clock)
    restarted.recover()
    assert executed_ids(settings.shared_dir) == [sig.signal_id]  # rebuilt from the journal
    write_signal(settings, sig)
    restarted.poll_once()
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1


# ------------------------------------------------------------------ shared-folder robustness


def test_sharing_violations_are_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    write_signal(settings, make_signal())
    real_replace, real_unlink = os.replace, Path.unlink
    left = {"replace": 3, "unlink": 2}

    def flaky_replace(src: object, dst: object) -> None:
        if left["replace"] > 0:
            left["replace"] -= 1
            raise PermissionError(13, "sharing violation")
        real_replace(src, dst)  # type: ignore[arg-type]

    def flaky_unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == SIGNAL_FILE and left["unlink"] > 0:
            left["unlink"] -= 1
            raise PermissionError(13, "sharing violation")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", flaky_replace)
    monkeypatch.setattr(Path, "unlink", flaky_unlink)
    make_executor(settings, None, Clock()).poll_once()
    assert left == {"replace": 0, "unlink": 0}
    assert read_result(settings).status is ResultStatus.SIMULATED
    assert not (settings.shared_dir / SIGNAL_FILE).exists()


def test_a_newer_signal_is_not_consumed_by_mistake(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first, second = make_signal(), make_signal(token="99999999")
    path = settings.shared_dir / SIGNAL_FILE
    write_bytes_atomic(path, encode(second))
    assert not consume(path, encode(first), first.signal_id, first.digest())
    assert path.exists()
    assert consume(path, None, second.signal_id, second.digest())
    assert not path.exists()


def test_half_written_file_is_not_rejected_while_it_is_still_changing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    sig = make_signal()
    path = settings.shared_dir / SIGNAL_FILE
    body = encode(sig)
    mono = Mono()
    ex = make_executor(settings, None, Clock(), settle_s=1.0, monotonic=mono)
    for cut in (20, 60, 120):  # written in place in chunks, slowly
        path.write_bytes(body[:cut])
        assert not ex.poll_once()
        mono.now += 0.6  # each chunk arrives before the file has been stable for 1 s
    path.write_bytes(body)
    assert ex.poll_once()
    assert read_result(settings).status is ResultStatus.SIMULATED
    assert not (settings.shared_dir / "order_signal_rejected").exists()


def test_bad_file_is_rejected_once_it_has_been_stable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    path = settings.shared_dir / SIGNAL_FILE
    path.write_bytes(encode(make_signal())[:90])  # torn after the id
    mono = Mono()
    ex = make_executor(settings, None, Clock(), settle_s=1.0, monotonic=mono)
    assert not ex.poll_once() and path.exists()
    mono.now += 0.5
    assert not ex.poll_once() and path.exists()
    mono.now += 0.6
    assert ex.poll_once() and not path.exists()
    res = read_result(settings)
    assert res.reason_code == "invalid_signal" and res.signal_id == make_signal().signal_id


def test_stray_events_do_not_confuse_tracking(tmp_path: Path) -> None:
    settings, clock, broker = live(tmp_path)
    manual = broker.place_limit_order(CODE, Side.BUY, 100, 0.95, remark="manual")
    write_signal(settings, make_signal())
    make_executor(settings, broker, clock).poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.FILLED and res.order_id != manual


def test_bad_file_replaced_during_rejection_is_not_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    path = settings.shared_dir / SIGNAL_FILE
    path.write_bytes(b"{garbage")
    good = make_signal()
    ex = make_executor(settings, None, Clock())
    real_read = signal_intake.read_bytes
    calls = {"n": 0}

    def read_then_replace(p: Path, limit: int = 2 * 1024 * 1024) -> bytes | None:
        calls["n"] += 1
        if calls["n"] == 2:  # the quarantine's re-check: the writer has just replaced the file
            path.write_bytes(encode(good))
        return real_read(p, limit)

    monkeypatch.setattr(signal_intake, "read_bytes", read_then_replace)
    ex.poll_once()
    monkeypatch.setattr(signal_intake, "read_bytes", real_read)
    assert not (settings.shared_dir / "order_result.json").exists()  # no stale rejection
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.SIMULATED
