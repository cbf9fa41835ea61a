"""The order executor's core: one signal file in, exactly one order (or none), one result out.

:class:`OrderExecutor` takes everything by injection — settings, broker (a :class:`SimBroker` in
tests and paper mode, the xtquant adapter in the process, none in simulate mode), journal, clocks,
sleep, a stop event and a fencing check — and starts no threads: the process (:mod:`.main`) or
the app's paper mode calls :meth:`OrderExecutor.poll_once` from its own loop. The algorithm:

1. read ``order_signal.json`` (never blocking: FIFOs, folders, links are not opened); unusable →
   wait until it stops changing, then quarantine + REJECTED result (no journal, no order);
2. HMAC (when a key is configured) before anything is journaled — forged files burn no ids;
3. journal lookup: same id + same digest → re-publish the journaled result; same id + other
   digest → REJECTED ``payload_conflict``; an open intent → resolve it from the broker;
4. live: the QMT session must be up (a lost one is reconnected; a young signal waits, it is not
   rejected); a signal the journal never saw is looked up at the broker by its ``order_remark``
   first — an order found (the journal was wiped) is adopted, never placed again;
5. pre-trade checks → REJECTED result, journaled;
6. simulate → SIMULATED result, journaled; live → fencing check (still the folder's owner?) →
   journal intent (fsync) → place with ``order_remark`` → journal placed → track to final (cancel
   after the timeout) → result with the trades' commission → journal outcome;
7. publish: consume the file (only if it still holds this signal) → ``order_result.json`` (signed
   when a key is configured) → done marker → ``executed_signals.json``.

At start-up :meth:`OrderExecutor.recover` resolves every intent without an outcome from the broker
(:mod:`.recovery`): by remark, order id, trades; "not placed" only when provable, else ``in_doubt``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from windows_bridge.brokers.interface import (
    Broker,
    BrokerError,
    BrokerOrder,
    OrderRefused,
    Side,
    find_order_by_remark,
)
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import (
    CANCEL_REQUEST_FILE,
    DONE_DIR,
    EXECUTED_FILE,
    QUOTE_FILE,
    RESULT_FILE,
    SIGNAL_FILE,
    CodeFiles,
    done_marker_name,
    kill_switch,
    quote_file_for,
)
from windows_bridge.contract.market_hours import as_shanghai, now_shanghai
from windows_bridge.contract.messages import (
    SIGNAL_ID_RE,
    DoneMarker,
    ExecutedSignals,
    OrderResult,
    OrderSignal,
    SharedQuote,
    order_remark,
)
from windows_bridge.contract.signing import sign
from windows_bridge.executor.broker_access import BrokerUnrecoverable, ensure_session, fatal_reason
from windows_bridge.executor.intake import (
    SETTLE_S,
    IncomingSignal,
    SettleWatch,
    consume,
    extract_signal_id,
    quarantine,
    read_signal_file,
)
from windows_bridge.executor.journal import Journal, JournalWriteError, SignalRecord, SignalState
from windows_bridge.executor.presence import FenceUnavailable, NoFence
from windows_bridge.executor.pretrade import AccountView, CheckInputs, Refusal, check_hmac, run_checks
from windows_bridge.executor.recovery import Resolver, watermark
from windows_bridge.executor.results import (
    conflict_result,
    refusal_result,
    simulated_result,
    unreadable_result,
)
from windows_bridge.executor.tracker import FinalOrder, OrderTracker

log = logging.getLogger(__name__)

EXECUTED_VIEW_LIMIT = 1000
#: after a failed journal append, signals wait this long before the next try
JOURNAL_RETRY_S = 5.0


class RecoveryError(RuntimeError):
    """An open intent cannot be resolved in this mode; a human must start the live executor."""


@dataclass
class Lane:
    """One signal file the executor serves and where its answers go (protocol layout 2).

    The legacy lane (``code`` ``None``) is v1.0.0's ``order_signal.json`` → ``order_result.json``
    and takes a signal of any code; a per-code lane (``order_signal_{code}.json`` →
    ``order_result_{code}.json``) takes only signals of its code. Placements stay serial: the executor
    handles one signal of one lane at a time, so every cash and volume check sees the previous order.
    """

    signal: Path
    result: Path
    cancel: Path
    code: str | None = None
    settle: SettleWatch = field(default_factory=SettleWatch)


def make_lanes(shared: Path, codes: list[str], settle_s: float,
               monotonic: Callable[[], float]) -> list[Lane]:
    """The legacy lane plus one lane per configured code (none extra for a single-code set-up)."""
    lanes = [Lane(shared / SIGNAL_FILE, shared / RESULT_FILE, shared / CANCEL_REQUEST_FILE, None,
                  SettleWatch(settle_s, monotonic))]
    if len(codes) > 1:
        for code in codes:
            files = CodeFiles(code, primary=False)
            lanes.append(Lane(shared / files.signal, shared / files.result, shared / files.cancel_request,
                              code, SettleWatch(settle_s, monotonic)))
    return lanes


class Fence(Protocol):
    """The fencing check run right before every order (see :class:`.presence.OwnerLock`)."""

    def check(self) -> None:
        """Raise ``NotOwnerError`` (stop for good) or ``FenceUnavailable`` (not now) to forbid placing."""
        ...


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
        reread_delay_s: float = SETTLE_S,
        retry_delay_s: float = 1.0,
        cancel_wait_s: float = 10.0,
        stop: threading.Event | None = None,
        fence: Fence | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wire the executor; ``broker`` must be None exactly in simulate mode.

        ``reread_delay_s``: how long an invalid signal file must stay unchanged before it is
        rejected. ``fence``: the ownership check before each order (default: none — for an
        executor that owns its folder by construction, e.g. the app's paper mode).
        """
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
        self.retry_delay_s = retry_delay_s
        self.stop = stop or threading.Event()
        self.fence: Fence = fence or NoFence()
        self.monotonic = monotonic
        self.last_signal_id = ""
        self.last_status = ""
        #: ``running``, ``waiting`` (for QMT, for ownership) or ``halted`` (the journal cannot be written)
        self.state = "running"
        #: what needs a human, shown in the heartbeat ("" when all is well)
        self.alarm = ""
        # rehearsals (simulate mode, or the fake broker replaying history) run at any hour
        #: simulate mode or the fake broker replaying history: any hour, a replayed market time
        self.rehearsal = settings.simulate or settings.broker == "fake"
        self.session_check = not self.rehearsal or settings.session_check_in_simulate
        self._codes = settings.instrument_codes()
        self._lanes = make_lanes(settings.shared_dir, self._codes, reread_delay_s, monotonic)
        #: the lane being handled (signal file in, result file out)
        self._lane = self._lanes[0]
        self._next_lane = 0
        #: the highest quote ``seq`` seen per quote file
        self._quote_seq: dict[str, int] = {}
        self._position_before: int | None = None
        self._blocked_until = 0.0
        self._waiting = ""
        self._unpublished: tuple[OrderResult, bool, Lane] | None = None
        self._tracker: OrderTracker | None = None
        self._resolver: Resolver | None = None
        if broker is not None:
            self._tracker = OrderTracker(
                broker, timeout_s=settings.order_timeout_s, cancel_wait_s=cancel_wait_s, stop=self.stop,
                monotonic=monotonic,
            )
            self._resolver = Resolver(
                broker,
                journal,
                self._tracker,
                clock=clock,
                sleep=sleep,
                stop=self.stop,
                retry_delay_s=retry_delay_s,
            )

    # ------------------------------------------------------------------ paths

    @property
    def shared(self) -> Path:
        """The shared folder."""
        return self.settings.shared_dir

    @property
    def signal_path(self) -> Path:
        """The signal file being handled (``order_signal.json`` unless a per-code lane is)."""
        return self._lane.signal

    @property
    def _settle(self) -> SettleWatch:
        return self._lane.settle

    def _lane_for(self, code: str) -> Lane:
        """Where a result for ``code`` goes when no file says so (recovery): the primary code's and
        unknown codes' to the legacy lane, another configured code's to its own."""
        if code != self._codes[0]:
            for lane in self._lanes[1:]:
                if lane.code == code:
                    return lane
        return self._lanes[0]

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
            if self._resolver is None:
                raise RecoveryError(
                    f"意图 {rec.signal_id} 来自实盘运行，模拟模式无法核对 "
                    "an open intent from a live run cannot be resolved in simulate mode: "
                    "start the executor in live mode once"
                )
            log.warning("恢复未完成的意图 recovering intent %s (state %s)", rec.signal_id, rec.state.value)
            self.state = "waiting"
            self._lane = self._lane_for(rec.code)
            self._finish(self._resolver.resolve(rec), rec.digest, raw=None)
        self.state = "running" if not self.alarm else self.state
        self._write_executed_view()
        self._publish_latest()
        return len(open_records)

    # ------------------------------------------------------------------ polling

    def poll_once(self) -> bool:
        """Handle ``order_signal.json`` if there is one; True when a file was handled.

        Raises ``NotOwnerError`` when another executor owns the folder now and
        :class:`BrokerUnrecoverable` when the broker client cannot be recovered in this process.
        """
        if self.broker is not None and (reason := fatal_reason(self.broker)):
            raise BrokerUnrecoverable(reason)
        self._drain_stray_events()
        if self._publish_pending():
            return True
        if self.monotonic() < self._blocked_until:
            return False
        count = len(self._lanes)
        seen = False
        for offset in range(count):  # round robin: no code starves another
            index = (self._next_lane + offset) % count
            self._lane = self._lanes[index]
            incoming = read_signal_file(self.signal_path)
            if incoming is None:
                self._settle.clear()
                continue
            seen = True
            if self._poll_lane(incoming):
                self._next_lane = (index + 1) % count
                return True
        if not seen:
            self._not_waiting()
        return False

    def _poll_lane(self, incoming: IncomingSignal) -> bool:
        """Handle the file read from the current lane; True when it was handled."""
        if incoming.signal is None:
            return self._reject_unreadable(incoming)
        self._settle.clear()
        lane_code = self._lane.code
        if lane_code is not None and incoming.signal.code != lane_code:
            why = Refusal("wrong_signal_file", f"{self.signal_path.name} 只收 {lane_code} 的信号 "
                          f"this file takes signals of {lane_code} only, not {incoming.signal.code}")
            return self._reject_untrusted(incoming.signal, incoming, why)
        handled = self._handle(incoming.signal, incoming)
        if handled:
            self._not_waiting()
        return handled

    def _drain_stray_events(self) -> None:
        """Events that arrive while no order of ours is working (manual orders, late reports)."""
        while self.broker is not None and (event := self.broker.next_event(0)) is not None:
            log.debug("忽略无关事件 stray broker event: %s", event)

    def _wait(self, why: str) -> bool:
        """Leave the signal where it is for now (logged once per reason); always False."""
        if why != self._waiting:
            log.warning("信号等待 signal waiting: %s", why)
            self._waiting = why
        if self.state == "running":
            self.state = "waiting"
        return False

    def _not_waiting(self) -> None:
        if self._waiting:
            self._waiting = ""
        if self.state == "waiting":
            self.state = "running"

    def _reject_unreadable(self, incoming: IncomingSignal) -> bool:
        """An unusable file (or not a file at all): answered once, kept aside once, with a reason."""
        if self._settle.answered(incoming):
            return False
        if not incoming.not_a_file and not self._settle.settled(incoming):
            return False  # maybe still being written: judge it once it stops changing
        now = self.clock()
        signal_id = extract_signal_id(incoming.raw) if incoming.raw else ""
        try:
            moved = quarantine(self.signal_path, incoming, now)
        except OSError as exc:
            self._settle.mark_answered(incoming)
            where = f"could not be moved aside ({exc}); left in place and ignored while unchanged"
        else:
            if moved is None:
                log.info("信号文件已变化，重新读取 signal file changed while being rejected; reading again")
                return True
            where = f"moved to {moved}"
        log.error("拒绝 rejected unreadable signal file (id %r): %s — %s", signal_id, incoming.error, where)
        kept_aside = not self._settle.answered(incoming)
        result = unreadable_result(
            signal_id, incoming.error, now, simulate=self.settings.simulate, kept_aside=kept_aside
        )
        self._write_result(result)
        self._note(result)
        return True

    def _handle(self, signal: OrderSignal, incoming: IncomingSignal) -> bool:
        refusal = check_hmac(signal, self.hmac_key)
        if refusal is not None:
            return self._reject_untrusted(signal, incoming, refusal)
        raw = incoming.raw
        digest = signal.digest()
        rec = self.journal.get(signal.signal_id)
        if rec is not None:
            return self._handle_known(signal, raw, digest, rec)
        if self.broker is None:
            self._handle_simulated(signal, raw, digest)
            return True
        return self._handle_live(signal, raw, digest)

    def _reject_untrusted(self, signal: OrderSignal, incoming: IncomingSignal, refusal: Refusal) -> bool:
        """A signal failing HMAC is not trusted with an id: quarantined, nothing journaled."""
        now = self.clock()
        moved = quarantine(self.signal_path, incoming, now)
        if moved is None:
            log.info("信号文件已变化，重新读取 signal file changed while being rejected; reading it again")
            return True
        log.error("拒绝未通过签名的信号 %s: %s → %s", signal.signal_id, refusal.message, moved)
        result = refusal_result(signal, refusal, now, simulate=self.settings.simulate)
        self._write_result(result)
        self._note(result)
        return True

    def _handle_known(self, signal: OrderSignal, raw: bytes, digest: str, rec: SignalRecord) -> bool:
        if rec.digest != digest:
            log.error(
                "!!! 同一 signal_id 内容不同，拒绝 PAYLOAD CONFLICT for %s: journal %s, file %s",
                signal.signal_id,
                rec.digest[:12],
                digest[:12],
            )
            self._publish(conflict_result(signal, self.clock()), raw, digest, mark_done=False)
            return True
        if rec.state is SignalState.DONE and rec.result is not None:
            log.info("重复信号，重发已有结果 %s already handled; re-publishing its result", signal.signal_id)
            self._publish(rec.result, raw, digest)
            return True
        if self.broker is None or self._resolver is None:
            raise RecoveryError(f"intent {rec.signal_id} is open from a live run; start the live executor")
        if not ensure_session(self.broker):
            return self._wait(f"QMT 未连接，无法核对 {rec.signal_id} — QMT session down; resolving it later")
        self._finish(self._resolver.resolve(rec), digest, raw)
        return True

    # ------------------------------------------------------------------ checks

    def _check_inputs(self, signal: OrderSignal) -> CheckInputs:
        now = self.clock()
        name = quote_file_for(signal.code)
        if not (self.shared / name).exists():
            name = QUOTE_FILE  # a single-code bridge (v1.0.0 layout): the one quote file
        read = read_message(self.shared / name, SharedQuote)
        quote_problem = "missing" if read.missing else read.error
        floor = self._quote_seq.get(name, -1)
        if read.value is not None:
            self._quote_seq[name] = max(floor, read.value.seq)
        account, account_problem = self._account_view(signal, read.value, now)
        stop_name = kill_switch(self.shared)
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
            stop_present=stop_name is not None,
            stop_name=stop_name or "",
            quote_seq_floor=floor,
            quote_time_is_wall_clock=not self.rehearsal,
        )

    def _account_view(
        self, signal: OrderSignal, quote: SharedQuote | None, now: datetime
    ) -> tuple[AccountView | None, str]:
        if self.broker is not None:
            return self._broker_account(signal.code)
        return self._simulated_account(signal.code, quote, now)

    def _broker_account(self, code: str) -> tuple[AccountView | None, str]:
        assert self.broker is not None
        self._position_before = None
        asset = self.broker.query_asset()
        positions = self.broker.query_positions()
        if asset is None or positions is None:
            return None, "券商资金/持仓查询失败 broker asset/position query failed"
        mine = [p for p in positions if p.code == code]
        self._position_before = sum(p.volume for p in mine)
        return AccountView(available_cash=asset.cash, can_use_volume=sum(p.can_use_volume for p in mine)), ""

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

    def _refused(self, signal: OrderSignal, raw: bytes, digest: str) -> bool:
        """Run the pre-trade checks; on a refusal journal and publish it (True)."""
        refusal = run_checks(self._check_inputs(signal))
        if refusal is None:
            return False
        log.warning("拒绝信号 refused %s: [%s] %s", signal.signal_id, refusal.reason_code, refusal.message)
        result = refusal_result(signal, refusal, self.clock(), simulate=self.settings.simulate)
        self._finish(result, digest, raw)
        return True

    # ------------------------------------------------------------------ simulate mode

    def _handle_simulated(self, signal: OrderSignal, raw: bytes, digest: str) -> None:
        if self._refused(signal, raw, digest):
            return
        result = simulated_result(signal, self.clock())
        log.info("%s (%s)", result.message, signal.signal_id)
        self._finish(result, digest, raw)

    # ------------------------------------------------------------------ live orders

    def _young(self, signal: OrderSignal) -> bool:
        """Still young enough to be placed (so worth waiting for the broker rather than refusing)."""
        return (self.clock() - signal.timestamp).total_seconds() <= self.settings.risk.max_signal_age_s

    def _handle_live(self, signal: OrderSignal, raw: bytes, digest: str) -> bool:
        assert self.broker is not None
        orders: list[BrokerOrder] | None = None
        if ensure_session(self.broker):
            orders = self.broker.query_orders()
            if orders is not None and (found := find_order_by_remark(orders, order_remark(signal.signal_id))):
                self._adopt(signal, raw, digest, found)
                return True
        if orders is None and self._young(signal):
            why = str(getattr(self.broker, "last_error", "") or "the order query failed")
            return self._wait(f"QMT 会话不可用 QMT session not usable ({why}); {signal.signal_id} waits")
        if self._refused(signal, raw, digest):
            return True
        if orders is None:  # old signals are refused above; kept for the type checker
            return self._wait("broker order list unknown")
        return self._place(signal, raw, digest, orders)

    def _adopt(self, signal: OrderSignal, raw: bytes, digest: str, found: BrokerOrder) -> None:
        """The journal never saw this signal but the broker has its order (the journal was wiped)."""
        assert self._resolver is not None
        log.warning(
            "日志无记录但券商已有该委托，接管 journal has no record of %s but the broker has order %s "
            "(remark %s): adopting it, not placing again",
            signal.signal_id,
            found.order_id,
            found.remark,
        )
        remark = order_remark(signal.signal_id)
        try:
            self.journal.record_intent(
                signal.signal_id, digest, remark, found.time or self.clock(), code=signal.code,
                direction=signal.direction, shares=signal.shares, price=signal.price,
            )
            self.journal.record_placed(signal.signal_id, found.order_id)
        except JournalWriteError as exc:
            self._journal_failed(exc)
        rec = self.journal.get(signal.signal_id) or _record(signal, digest, remark)
        self._finish(self._resolver.track(replace(rec, order_id=found.order_id), found), digest, raw)

    def _place(self, signal: OrderSignal, raw: bytes, digest: str, orders: list[BrokerOrder]) -> bool:
        assert self.broker is not None and self._tracker is not None and self._resolver is not None
        try:
            self.fence.check()
        except FenceUnavailable as exc:
            return self._wait(str(exc))
        remark = order_remark(signal.signal_id)
        code, side, shares, price = signal.code, signal.direction, signal.shares, signal.price
        try:
            self.journal.record_intent(
                signal.signal_id, digest, remark, self.clock(), code=code, direction=side, shares=shares,
                price=price, position_before=self._position_before, watermark=watermark(orders),
            )
        except JournalWriteError as exc:
            self._journal_failed(exc)
            return False
        self._journal_ok()
        rec = self.journal.get(signal.signal_id) or _record(signal, digest, remark)
        try:
            order_id = self.broker.place_limit_order(code, Side(side), shares, price, remark=remark)
        except BrokerError as exc:
            log.error("下单调用失败，按备注核对 place_limit_order failed for %s: %s", signal.signal_id, exc)
            refused = str(exc) if isinstance(exc, OrderRefused) else ""  # a definite "no" from the broker
            self._finish(self._resolver.resolve(rec, refused=refused), digest, raw)
            return True
        try:
            self.journal.record_placed(signal.signal_id, order_id)
        except JournalWriteError as exc:  # the remark finds the order again after a restart
            self._journal_failed(exc)
        log.info("已下单 placed %s %s %s @ %s → order %s (%s)", side, code, shares, price, order_id, remark)
        placed = replace(rec, state=SignalState.PLACED, order_id=order_id)
        final = self._tracker.follow(order_id, cancel_if=lambda: self._cancel_requested(signal.signal_id))
        self._finish(self._resolver.finish(placed, final, side, code, shares), digest, raw)
        return True

    def _cancel_requested(self, signal_id: str) -> bool:
        """The app asked to cancel this signal's order (``order_cancel_request.txt`` names it)."""
        for path in dict.fromkeys((self._lane.cancel, self.shared / CANCEL_REQUEST_FILE)):
            try:
                text = path.read_text(encoding="ascii", errors="replace")[:200]
            except OSError:
                continue
            if text.strip() == signal_id:
                return True
        return False

    # ------------------------------------------------------------------ journal trouble

    def _journal_failed(self, exc: JournalWriteError) -> None:
        """A journal append failed: no new orders until one succeeds (retried every few seconds)."""
        self.alarm = f"日志写入失败，暂停下单 journal cannot be written ({exc}); no new orders"
        self.state = "halted"
        self._blocked_until = self.monotonic() + JOURNAL_RETRY_S
        log.error("!!! %s", self.alarm)

    def _journal_ok(self) -> None:
        if self.state == "halted":
            log.warning("日志恢复写入，继续 journal writable again; resuming")
            self.alarm, self.state = "", "running"

    # ------------------------------------------------------------------ publishing

    def _finish(self, result: OrderResult, digest: str, raw: bytes | None) -> None:
        """Journal the outcome (the point of no return), then publish it."""
        try:
            self.journal.record_outcome(result, digest)
        except JournalWriteError as exc:  # published anyway; a restart resolves the open intent again
            self._journal_failed(exc)
        self._publish(result, raw, digest)

    def _write_result(self, result: OrderResult) -> None:
        """The current lane's result file (``order_result.json`` …), signed when a key is configured."""
        signed = sign(result, self.hmac_key) if self.hmac_key else result
        write_message(self._lane.result, signed)

    def _publish(
        self, result: OrderResult, raw: bytes | None, digest: str, *, mark_done: bool = True
    ) -> None:
        """Consume the signal file, then write the result files.

        The file goes first: the app writes its next signal as soon as it sees this result, and a
        signal file removed after the result could be that next one (a read-compare-delete race).
        Should writing fail (share gone, disk full), the result is written again by every poll
        until it succeeds (:meth:`_publish_pending`), and at start-up (:meth:`_publish_latest`).
        """
        consume(self.signal_path, raw, result.signal_id, digest)
        self._unpublished = (result, mark_done, self._lane)
        self._publish_pending()

    def _publish_pending(self) -> bool:
        """Write the result files of a result not yet fully published; True when there was one."""
        if self._unpublished is None:
            return False
        result, mark_done, self._lane = self._unpublished
        self._write_result(result)
        if mark_done and SIGNAL_ID_RE.match(result.signal_id):
            marker = DoneMarker(signal_id=result.signal_id, status=result.status, timestamp=result.timestamp)
            done_dir = self.shared / DONE_DIR
            done_dir.mkdir(exist_ok=True)
            write_message(done_dir / done_marker_name(result.signal_id), marker)
        self._write_executed_view()
        self._unpublished = None
        self._note(result)
        return True

    def _publish_latest(self) -> None:
        """At start-up: the last journaled result again, in case a crash came between consuming
        its signal and writing its result (harmless otherwise: the app ignores what it applied)."""
        latest: dict[int, SignalRecord] = {}
        for signal_id in reversed(self.journal.done_ids()):
            rec = self.journal.get(signal_id)
            if rec is None or rec.result is None:
                continue
            lane = self._lane_for(rec.code or rec.result.code or "")
            latest.setdefault(id(lane), rec)
            if len(latest) == len(self._lanes):
                break
        for lane in self._lanes:
            rec = latest.get(id(lane))
            if rec is None or rec.result is None:
                continue
            current = read_message(lane.result, OrderResult).value
            if current is None or current.signal_id != rec.signal_id:
                self._unpublished = (rec.result, True, lane)
                self._publish_pending()

    def _write_executed_view(self) -> None:
        ids = self.journal.done_ids()[-EXECUTED_VIEW_LIMIT:]
        write_message(self.shared / EXECUTED_FILE, ExecutedSignals(executed=ids, updated=self.clock()))

    def _note(self, result: OrderResult) -> None:
        self.last_signal_id, self.last_status = result.signal_id, result.status.value
        log.info(
            "结果 result %s: %s %s/%s @ %s fees %s %s",
            result.signal_id or "(no id)",
            result.status.value,
            result.filled_shares,
            result.requested_shares,
            result.avg_price,
            result.fees,
            result.reason_code,
        )


def _record(signal: OrderSignal, digest: str, remark: str) -> SignalRecord:
    """An in-memory record for a signal whose journal append failed."""
    return SignalRecord(
        signal_id=signal.signal_id,
        digest=digest,
        state=SignalState.INTENT,
        remark=remark,
        code=signal.code,
        direction=signal.direction,
        shares=signal.shares,
        price=signal.price,
    )


__all__ = ["BrokerUnrecoverable", "Fence", "FinalOrder", "OrderExecutor", "RecoveryError"]
