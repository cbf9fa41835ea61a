"""The order executor's core: one signal file in, exactly one order (or none), one result out.

:class:`OrderExecutor` takes its broker by injection (tests pass a :class:`SimBroker`; the
process passes the xtquant adapter; simulate mode passes none). The exactly-once algorithm:

1. read ``order_signal.json``; unusable → quarantine + REJECTED result (no journal, no order);
2. HMAC (when a key is configured) before anything is journaled — forged files burn no ids;
3. journal lookup: same id + same digest → re-publish the journaled result; same id + other
   digest → REJECTED ``payload_conflict``; an open intent → resolve it from the broker;
4. pre-trade checks → REJECTED result, journaled;
5. simulate → SIMULATED result, journaled; live → journal intent (fsync) → place with
   ``order_remark`` → journal placed → track to final (cancel after the timeout) → journal outcome;
6. publish: ``order_result.json`` → done marker → ``executed_signals.json`` → consume the file.

At start-up :meth:`OrderExecutor.recover` resolves every intent without an outcome by looking
the remark up in the broker's orders; an intent the broker never saw is reported REJECTED
(``not_placed_before_crash``) and is never placed again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from windows_bridge.brokers.interface import Broker, BrokerError, BrokerOrder, Side, find_order_by_remark
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import (
    CANCEL_REQUEST_FILE,
    DONE_DIR,
    EXECUTED_FILE,
    QUOTE_FILE,
    RESULT_FILE,
    SIGNAL_FILE,
    STOP_FILE,
    done_marker_name,
)
from windows_bridge.contract.market_hours import as_shanghai, now_shanghai
from windows_bridge.contract.messages import (
    SIGNAL_ID_RE,
    Direction,
    DoneMarker,
    ExecutedSignals,
    OrderResult,
    OrderSignal,
    SharedQuote,
    order_remark,
)
from windows_bridge.executor.intake import (
    IncomingSignal,
    consume,
    extract_signal_id,
    quarantine,
    read_signal_file,
)
from windows_bridge.executor.journal import Journal, SignalRecord, SignalState
from windows_bridge.executor.pretrade import AccountView, CheckInputs, Refusal, check_hmac, run_checks
from windows_bridge.executor.results import (
    conflict_result,
    not_placed_result,
    order_result,
    refusal_result,
    simulated_result,
    unreadable_result,
)
from windows_bridge.executor.tracker import FinalOrder, OrderTracker, TrackingInterrupted

log = logging.getLogger(__name__)

EXECUTED_VIEW_LIMIT = 1000
NOT_FOUND_RECHECKS = 2


class RecoveryError(RuntimeError):
    """An open intent cannot be resolved in this mode; a human must start the live executor."""


class OrderExecutor:
    """Consumes signals from the shared folder and places each at most once."""

    def __init__(
        self,
        settings: Settings,
        broker: Broker | None,
        journal: Journal,
        *,
        hmac_key: bytes | None = None,
        clock: Callable[[], datetime] = now_shanghai,
        sleep: Callable[[float], None] = time.sleep,
        reread_delay_s: float = 0.2,
        retry_delay_s: float = 1.0,
        cancel_wait_s: float = 10.0,
        stop: threading.Event | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wire the executor; ``broker`` must be None exactly in simulate mode."""
        if settings.simulate and broker is not None:
            raise ValueError("simulate mode never touches a broker: pass broker=None")
        if not settings.simulate and broker is None:
            raise ValueError("live mode needs a broker")
        self.settings = settings
        self.broker = broker
        self.journal = journal
        self.hmac_key = hmac_key
        self.clock = clock
        self.sleep = sleep
        self.reread_delay_s = reread_delay_s
        self.retry_delay_s = retry_delay_s
        self.stop = stop or threading.Event()
        self.last_signal_id = ""
        self.last_status = ""
        # rehearsals (simulate mode, or the fake broker replaying history) run at any hour
        rehearsal = settings.simulate or settings.broker == "fake"
        self.session_check = not rehearsal or settings.session_check_in_simulate
        self._tracker = (
            OrderTracker(
                broker,
                timeout_s=settings.order_timeout_s,
                cancel_wait_s=cancel_wait_s,
                stop=self.stop,
                monotonic=monotonic,
            )
            if broker is not None
            else None
        )

    # ------------------------------------------------------------------ paths

    @property
    def shared(self) -> Path:
        """The shared folder."""
        return self.settings.shared_dir

    @property
    def signal_path(self) -> Path:
        """``order_signal.json`` in the shared folder."""
        return self.shared / SIGNAL_FILE

    # ------------------------------------------------------------------ start-up

    def describe_mode(self) -> None:
        """Log how this executor is set up (simulate, session check, HMAC)."""
        if self.settings.simulate:
            log.info("[SIMULATE] 模拟模式：不连接券商 simulate mode: the broker is never called")
        if not self.session_check:
            log.info(
                "交易时段检查已关闭（模拟/演练） trading-session check is OFF (simulate mode / fake broker)"
            )
        log.info(
            "HMAC 校验%s signal HMAC %s",
            "开启" if self.hmac_key else "关闭",
            "on" if self.hmac_key else "off",
        )

    def recover(self) -> int:
        """Resolve every journaled intent without an outcome; return how many were resolved."""
        open_records = self.journal.unresolved()
        for rec in open_records:
            log.warning("恢复未完成的意图 recovering intent %s (state %s)", rec.signal_id, rec.state.value)
            self._finish(self._resolve(rec), rec.digest, raw=None)
        self._write_executed_view()
        return len(open_records)

    # ------------------------------------------------------------------ polling

    def poll_once(self) -> bool:
        """Handle ``order_signal.json`` if there is one; True when a file was handled."""
        self._drain_stray_events()
        incoming = read_signal_file(self.signal_path, reread_delay_s=self.reread_delay_s, sleep=self.sleep)
        if incoming is None:
            return False
        if incoming.signal is None:
            self._reject_unreadable(incoming)
        else:
            self._handle(incoming.signal, incoming.raw)
        return True

    def _drain_stray_events(self) -> None:
        """Events that arrive while no order of ours is working (manual orders, late reports)."""
        while self.broker is not None and (event := self.broker.next_event(0)) is not None:
            log.debug("忽略无关事件 stray broker event: %s", event)

    def _reject_unreadable(self, incoming: IncomingSignal) -> None:
        now = self.clock()
        signal_id = extract_signal_id(incoming.raw)
        moved = quarantine(self.signal_path, incoming.raw, now)
        if moved is None:
            log.info("信号文件已变化，重新读取 signal file changed while being rejected; reading it again")
            return
        log.error(
            "拒绝无效信号文件 rejected unreadable signal file (id %r): %s → %s",
            signal_id,
            incoming.error,
            moved,
        )
        result = unreadable_result(signal_id, incoming.error, now, simulate=self.settings.simulate)
        write_message(self.shared / RESULT_FILE, result)
        self._note(result)

    def _handle(self, signal: OrderSignal, raw: bytes) -> None:
        refusal = check_hmac(signal, self.hmac_key)
        if refusal is not None:
            self._reject_untrusted(signal, raw, refusal)
            return
        digest = signal.digest()
        rec = self.journal.get(signal.signal_id)
        if rec is not None:
            self._handle_known(signal, raw, digest, rec)
            return
        refusal = run_checks(self._check_inputs(signal))
        if refusal is not None:
            log.warning(
                "拒绝信号 refused %s: [%s] %s", signal.signal_id, refusal.reason_code, refusal.message
            )
            self._finish(
                refusal_result(signal, refusal, self.clock(), simulate=self.settings.simulate), digest, raw
            )
        elif self.settings.simulate:
            result = simulated_result(signal, self.clock())
            log.info("%s (%s)", result.message, signal.signal_id)
            self._finish(result, digest, raw)
        else:
            self._finish(self._execute(signal, digest), digest, raw)

    def _reject_untrusted(self, signal: OrderSignal, raw: bytes, refusal: Refusal) -> None:
        """A signal failing HMAC is not trusted with an id: quarantined, nothing journaled."""
        now = self.clock()
        moved = quarantine(self.signal_path, raw, now)
        if moved is None:
            log.info("信号文件已变化，重新读取 signal file changed while being rejected; reading it again")
            return
        log.error("拒绝未通过签名的信号 %s: %s → %s", signal.signal_id, refusal.message, moved)
        result = refusal_result(signal, refusal, now, simulate=self.settings.simulate)
        write_message(self.shared / RESULT_FILE, result)
        self._note(result)

    def _handle_known(self, signal: OrderSignal, raw: bytes, digest: str, rec: SignalRecord) -> None:
        if rec.digest != digest:
            log.error(
                "!!! 同一 signal_id 内容不同，拒绝 PAYLOAD CONFLICT for %s: journal %s, file %s",
                signal.signal_id,
                rec.digest[:12],
                digest[:12],
            )
            self._publish(conflict_result(signal, self.clock()), raw, digest, mark_done=False)
            return
        if rec.state is SignalState.DONE and rec.result is not None:
            log.info("重复信号，重发已有结果 %s already handled; re-publishing its result", signal.signal_id)
            self._publish(rec.result, raw, digest)
            return
        self._finish(self._resolve(rec), digest, raw)

    # ------------------------------------------------------------------ checks

    def _check_inputs(self, signal: OrderSignal) -> CheckInputs:
        now = self.clock()
        read = read_message(self.shared / QUOTE_FILE, SharedQuote)
        quote_problem = "missing" if read.missing else read.error
        account, account_problem = self._account_view(signal, read.value, now)
        return CheckInputs(
            signal=signal,
            now=now,
            risk=self.settings.risk,
            quote=read.value,
            quote_problem=quote_problem,
            hmac_key=self.hmac_key,
            check_session=self.session_check,
            orders_today=self.journal.orders_on(as_shanghai(now).date()),
            account=account,
            account_problem=account_problem,
            stop_present=(self.shared / STOP_FILE).exists(),
        )

    def _account_view(
        self, signal: OrderSignal, quote: SharedQuote | None, now: datetime
    ) -> tuple[AccountView | None, str]:
        if self.broker is not None:
            return self._broker_account(signal.code)
        return self._simulated_account(signal.code, quote, now)

    def _broker_account(self, code: str) -> tuple[AccountView | None, str]:
        assert self.broker is not None
        asset = self.broker.query_asset()
        positions = self.broker.query_positions()
        if asset is None or positions is None:
            return None, "券商资金/持仓查询失败 broker asset/position query failed"
        can_use = sum(p.can_use_volume for p in positions if p.code == code)
        return AccountView(available_cash=asset.cash, can_use_volume=can_use), ""

    def _simulated_account(
        self, code: str, quote: SharedQuote | None, now: datetime
    ) -> tuple[AccountView | None, str]:
        """Simulate mode: the bridge's account figures minus today's simulated orders."""
        if quote is None or quote.positions_status != "ok" or quote.position is None or quote.asset is None:
            return None, "shared_quote.json has no valid position/asset (positions_status not ok)"
        cash, can_use = quote.asset.cash, quote.position.can_use_volume
        for done in self.journal.simulated_on(as_shanghai(now).date()):
            if done.direction == "BUY":
                cash -= done.filled_shares * done.avg_price
            elif done.code == code:
                can_use -= done.filled_shares
        return AccountView(available_cash=cash, can_use_volume=max(0, can_use)), ""

    # ------------------------------------------------------------------ live orders

    def _execute(self, signal: OrderSignal, digest: str) -> OrderResult:
        assert self.broker is not None and self._tracker is not None
        remark = order_remark(signal.signal_id)
        code, side, shares, price = _terms(signal)
        self.journal.record_intent(
            signal.signal_id,
            digest,
            remark,
            self.clock(),
            code=code,
            direction=side,
            shares=shares,
            price=price,
        )
        try:
            order_id = self.broker.place_limit_order(code, Side(side), shares, price, remark=remark)
        except BrokerError as exc:
            log.error("下单调用失败，按备注核对 place_limit_order failed for %s: %s", signal.signal_id, exc)
            rec = self.journal.get(signal.signal_id)
            assert rec is not None
            return self._resolve_from_broker(rec)
        self.journal.record_placed(signal.signal_id, order_id)
        log.info("已下单 placed %s %s %s @ %s → order %s (%s)", side, code, shares, price, order_id, remark)
        final = self._tracker.follow(order_id, cancel_if=lambda: self._cancel_requested(signal.signal_id))
        return order_result(signal.signal_id, code, signal.direction, shares, final, self.clock())

    def _cancel_requested(self, signal_id: str) -> bool:
        """The app asked to cancel this signal's order (``order_cancel_request.txt`` names it)."""
        try:
            text = (self.shared / CANCEL_REQUEST_FILE).read_text(encoding="ascii", errors="replace")[:200]
        except OSError:
            return False
        return text.strip() == signal_id

    def _resolve(self, rec: SignalRecord) -> OrderResult:
        """Resolve an open intent; only the broker can say what happened to it."""
        if self.broker is None:
            raise RecoveryError(
                f"意图 {rec.signal_id} 来自实盘运行，模拟模式无法核对 "
                "an open intent from a live run cannot be resolved in simulate mode: "
                "start the executor in live mode once"
            )
        return self._resolve_from_broker(rec)

    def _resolve_from_broker(self, rec: SignalRecord) -> OrderResult:
        """Find the intent's order by remark (never place again) and track it to final."""
        assert self._tracker is not None
        found = self._find_order(rec)
        if found is None:
            log.error(
                "券商无此委托，不重新下单 no broker order for %s (remark %s)", rec.signal_id, rec.remark
            )
            return self._not_placed(rec)
        if rec.state is SignalState.INTENT:
            self.journal.record_placed(rec.signal_id, found.order_id)
        log.warning("找到委托 found order %s (%s) for %s", found.order_id, found.status.value, rec.signal_id)
        working_s = (self.clock() - rec.intent_time).total_seconds() if rec.intent_time else 0.0
        final = self._tracker.follow(found.order_id, already_working_s=working_s)
        return order_result(
            rec.signal_id, found.code, _direction(found.side), found.shares, final, self.clock()
        )

    def _find_order(self, rec: SignalRecord) -> BrokerOrder | None:
        for attempt in range(NOT_FOUND_RECHECKS + 1):
            orders = self._query_orders_patiently()
            found = find_order_by_remark(orders, rec.remark)
            if found is None and rec.order_id is not None:
                found = next((o for o in orders if o.order_id == rec.order_id), None)
            if found is not None or attempt == NOT_FOUND_RECHECKS:
                return found
            self.sleep(self.retry_delay_s / 2)
        return None

    def _query_orders_patiently(self) -> list[BrokerOrder]:
        """``query_orders`` until it answers: a failed query is never read as "no order"."""
        assert self.broker is not None
        while True:
            orders = self.broker.query_orders()
            if orders is not None:
                return orders
            log.warning("查询委托失败，等待重试 query_orders failed; retrying (never guessing)")
            if self.stop.is_set():
                raise TrackingInterrupted("stopping while resolving an intent")
            self.sleep(self.retry_delay_s)

    def _not_placed(self, rec: SignalRecord) -> OrderResult:
        now = self.clock()
        previous_day = (
            rec.intent_time is not None and as_shanghai(rec.intent_time).date() < as_shanghai(now).date()
        )
        direction = _direction(Side(rec.direction)) if rec.direction in ("BUY", "SELL") else None
        return not_placed_result(
            rec.signal_id, rec.code, direction, rec.shares, now, previous_day=previous_day
        )

    # ------------------------------------------------------------------ publishing

    def _finish(self, result: OrderResult, digest: str, raw: bytes | None) -> None:
        """Journal the outcome (the point of no return), then publish it."""
        self.journal.record_outcome(result, digest)
        self._publish(result, raw, digest)

    def _publish(
        self, result: OrderResult, raw: bytes | None, digest: str, *, mark_done: bool = True
    ) -> None:
        write_message(self.shared / RESULT_FILE, result)
        if mark_done and SIGNAL_ID_RE.match(result.signal_id):
            marker = DoneMarker(signal_id=result.signal_id, status=result.status, timestamp=result.timestamp)
            done_dir = self.shared / DONE_DIR
            done_dir.mkdir(exist_ok=True)
            write_message(done_dir / done_marker_name(result.signal_id), marker)
        self._write_executed_view()
        consume(self.signal_path, raw, result.signal_id, digest)
        self._note(result)

    def _write_executed_view(self) -> None:
        ids = self.journal.done_ids()[-EXECUTED_VIEW_LIMIT:]
        write_message(self.shared / EXECUTED_FILE, ExecutedSignals(executed=ids, updated=self.clock()))

    def _note(self, result: OrderResult) -> None:
        self.last_signal_id, self.last_status = result.signal_id, result.status.value
        log.info(
            "结果 result %s: %s %s/%s @ %s %s",
            result.signal_id or "(no id)",
            result.status.value,
            result.filled_shares,
            result.requested_shares,
            result.avg_price,
            result.reason_code,
        )


def _terms(signal: OrderSignal) -> tuple[str, Direction, int, float]:
    return signal.code, signal.direction, signal.shares, signal.price


def _direction(side: Side) -> Direction:
    return "BUY" if side is Side.BUY else "SELL"


__all__ = ["FinalOrder", "OrderExecutor", "RecoveryError"]
