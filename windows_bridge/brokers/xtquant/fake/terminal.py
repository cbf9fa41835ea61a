"""The simulated QMT terminal that fake ``XtQuantTrader`` sessions connect to.

One :class:`FakeQmt` stands for one running miniQMT client (one ``userdata_mini`` path) with one
stock account. Its matching engine and account are a :class:`~windows_bridge.brokers.sim.broker.SimBroker`
(cash, lots, price band, T+1, fees, partial fills, persisted ledger), so the rules are written
once; the terminal turns the engine's events into real ``xttype`` objects and pushes them to every
connected, subscribed session, each on that session's single callback thread.

Order pushes follow QMT's lifecycle: 48 (未报) → 50 (已报) → 55 (部成) → 56 (已成); a cancel goes
through 51/52 (待撤) to 54/53; a refused order gets ``on_order_error`` and a 57 (废单) push with
``status_msg``. Faults are injectable: :meth:`disconnect` (``on_disconnected`` to every session, whose
calls then fail until a NEW trader connects), ``running = False`` (connects fail: QMT is down),
``fail_connect`` / ``fail_subscribe`` / ``fail_queries`` counters, ``hang_calls`` (a synchronous call
that never answers until :attr:`FakeQmt.release` is set) and ``echo_remark = False`` (a broker that
does not echo ``order_remark``).

Queries answer as QMT does: ``None`` for a failure **and** for an empty list.

With a replay source the terminal also serves the fake ``xtdata`` (:attr:`xtdata`) and feeds the
replay's current price into the engine before every order and from a background pump.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from xtquant import xtconstant, xttype

from windows_bridge.brokers.interface import (
    BrokerError,
    BrokerEvent,
    BrokerOrder,
    BrokerTrade,
    CancelErrorEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
    Side,
    TradeEvent,
)
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.fake import convert
from windows_bridge.brokers.xtquant.fake.replay import ReplaySource
from windows_bridge.brokers.xtquant.fake.xtdata import FakeXtData
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.prices import round_to_tick

if TYPE_CHECKING:
    from windows_bridge.brokers.xtquant.fake.xttrader import XtQuantTrader

log = logging.getLogger(__name__)

EchoT = TypeVar("EchoT", BrokerOrder, BrokerTrade)

_TERMINALS: dict[str, FakeQmt] = {}
_REGISTRY_LOCK = threading.Lock()


def lookup_terminal(path: str) -> FakeQmt | None:
    """The terminal installed at ``path`` (a ``userdata_mini`` path), if any."""
    with _REGISTRY_LOCK:
        return _TERMINALS.get(str(path))


class FakeQmt:
    """A simulated miniQMT client with one account; see the module docstring."""

    def __init__(
        self,
        engine: SimBroker,
        *,
        account_id: str = "SIM001",
        replay: ReplaySource | None = None,
        codes: Sequence[str] = ("159201.SZ",),
        feed_quotes: bool = True,
        quote_refresh_s: float = 5.0,
        replays: Mapping[str, ReplaySource] | None = None,
    ) -> None:
        """``feed_quotes=False`` for a read-only view of another process's ledger. ``replays``: a replay
        per code (same clock) for codes that should not follow ``replay`` (the two-ETF demo)."""
        self.engine = engine
        self.account_id = account_id
        self.replay = replay
        self.codes = tuple(codes)
        self.feed_quotes = feed_quotes and replay is not None
        self.quote_refresh_s = quote_refresh_s
        self.xtdata = FakeXtData(replay, codes, replays=replays) if replay is not None else None
        self.running = True
        #: daily up/down stop used by :meth:`feed` when there is no replay (0 = no limit)
        self.band: tuple[float, float] = (0.0, 0.0)
        self.fail_connect = 0
        self.fail_subscribe = 0
        self.fail_queries = 0
        #: False: orders and trades come back without ``order_remark`` (some brokers drop it)
        self.echo_remark = True
        #: the next ``hang_calls`` synchronous calls block until :attr:`release` is set (QMT hung)
        self.hang_calls = 0
        self.release = threading.Event()
        self.deadlocks: list[str] = []
        self._lock = threading.RLock()
        self._sessions: dict[int, XtQuantTrader] = {}
        self._strategy: dict[int, str] = {}
        self._request_seq: dict[int, int] = {}
        self._announced: set[int] = set()
        self._cancelling: set[int] = set()
        self._last_feed: tuple[float, Any] | None = None
        self._last_feed_volume = 0.0
        self._path: str | None = None
        self._pump_stop = threading.Event()
        self._pump_thread: threading.Thread | None = None

    # ------------------------------------------------------------------ registry and pump

    def install(self, path: str) -> FakeQmt:
        """Make ``XtQuantTrader(path, session)`` connect to this terminal."""
        with _REGISTRY_LOCK:
            _TERMINALS[str(path)] = self
        self._path = str(path)
        return self

    def start_pump(self, interval: float = 0.25) -> None:
        """Feed replay quotes and deliver engine events from a background thread."""
        if self._pump_thread is not None:
            return
        self._pump_stop.clear()

        def loop() -> None:
            while not self._pump_stop.wait(interval):
                try:
                    self.pump()
                except Exception:  # keep the simulated terminal alive, like QMT would
                    log.exception("fake QMT pump failed")

        self._pump_thread = threading.Thread(target=loop, name="fake-qmt-pump", daemon=True)
        self._pump_thread.start()

    def shutdown(self) -> None:
        """Stop the pump, drop every session and uninstall."""
        self._pump_stop.set()
        if self._pump_thread is not None:
            self._pump_thread.join(timeout=5.0)
            self._pump_thread = None
        self.disconnect("terminal shut down")
        with _REGISTRY_LOCK:
            if self._path is not None and _TERMINALS.get(self._path) is self:
                del _TERMINALS[self._path]

    def pump(self) -> None:
        """Feed the replay's price if due, then push the engine's pending events."""
        with self._lock:
            self._feed_replay(force=False)
            self._drain()

    # ------------------------------------------------------------------ fault injection

    def disconnect(self, message: str = "", *, down: bool = False) -> None:
        """Drop every session (``on_disconnected``); ``down=True`` also refuses new connects."""
        with self._lock:
            sessions = list(self._sessions.values())
            self._sessions.clear()
            if down:
                self.running = False
        for trader in sessions:
            trader._lose_connection()
        if sessions:
            log.info("fake QMT: %d session(s) disconnected %s", len(sessions), message)

    def feed(self, code: str, price: float, *, volume: int | None = None) -> None:
        """Feed a quote by hand (tests without a replay), then deliver the resulting pushes."""
        with self._lock:
            up, down = self._band(price)
            self.engine.on_quote(code, price, time=self._now(), volume=volume, up_stop=up, down_stop=down)
            self._drain()

    def _band(self, price: float) -> tuple[float, float]:
        if self.replay is not None:
            _, up, down = self.replay.limits()
            return up, down
        return self.band

    def _now(self) -> datetime:
        return self.replay.now() if self.replay is not None else now_shanghai()

    # ------------------------------------------------------------------ session API (used by the trader)

    def session_connect(self, trader: XtQuantTrader) -> int:
        """0 when the session is up; -1 when QMT is down, the session id is taken or a fault is set."""
        with self._lock:
            if not self.running:
                return -1
            if self.fail_connect > 0:
                self.fail_connect -= 1
                return -1
            if trader.session in self._sessions:
                log.warning("fake QMT: session %s already connected", trader.session)
                return -1
            self._sessions[trader.session] = trader
            return 0

    def session_subscribe(self, trader: XtQuantTrader, account: Any) -> int:
        """0 when subscribed to this terminal's account, else -1."""
        with self._lock:
            if self.fail_subscribe > 0:
                self.fail_subscribe -= 1
                return -1
            if getattr(account, "account_id", None) != self.account_id:
                return -1
            status = xttype.XtAccountStatus(
                self.account_id, xtconstant.SECURITY_ACCOUNT, xtconstant.ACCOUNT_STATUS_OK
            )
        trader._push("on_account_status", status)
        return 0

    def session_drop(self, trader: XtQuantTrader) -> None:
        """Forget a stopped session."""
        with self._lock:
            if self._sessions.get(trader.session) is trader:
                del self._sessions[trader.session]

    def _subscribers(self) -> list[XtQuantTrader]:
        return [t for t in self._sessions.values() if self.account_id in t.subscribed_accounts]

    def place(self, order: dict[str, Any], seq: int) -> int:
        """Place an order for a session; the id, or -1 when it could not be sent at all."""
        side = {xtconstant.STOCK_BUY: Side.BUY, xtconstant.STOCK_SELL: Side.SELL}.get(order["order_type"])
        if side is None:
            return -1
        with self._lock:
            self._feed_replay(force=True)
            price = order["price"]
            if order["price_type"] == xtconstant.LATEST_PRICE:
                price = self._latest_price(order["stock_code"])
            elif order["price_type"] != xtconstant.FIX_PRICE:
                return -1
            try:
                order_id = self.engine.place_limit_order(
                    order["stock_code"], side, int(order["order_volume"]), float(price), order["order_remark"]
                )
            except BrokerError as exc:
                log.warning("fake QMT: order refused at submission: %s", exc)
                return -1
            self._strategy[order_id] = order["strategy_name"]
            self._request_seq[order_id] = seq
            self._drain()
            return order_id

    def _latest_price(self, code: str) -> float:
        last = self.engine.last_price(code)
        return round_to_tick(last) if last else 0.0

    def cancel(self, order_id: int) -> int:
        """0 when the cancel request was accepted, -1 otherwise (with ``on_cancel_error``)."""
        with self._lock:
            self._cancelling.add(order_id)
            try:
                ok = self.engine.cancel_order(order_id)
            except BrokerError:
                ok = False
            if not ok:
                self._cancelling.discard(order_id)
            self._drain()
            return 0 if ok else -1

    def hang_if_asked(self, name: str) -> None:
        """Fault injection: block this call (outside the terminal lock) while :attr:`hang_calls` > 0."""
        with self._lock:
            if self.hang_calls <= 0:
                return
            self.hang_calls -= 1
        log.warning("fake QMT: %s hangs (fault injected)", name)
        self.release.wait()

    def query(self, kind: str) -> Any:
        """Answer a query as xttype objects, as QMT does: ``None`` when it failed **and** for an
        empty list (xttrader.md: "None表示查询失败或者当日委托列表为空"); the asset is ``None`` only
        when the query failed."""
        with self._lock:
            if self.fail_queries > 0:
                self.fail_queries -= 1
                return None
            answer = self._answer(kind)
            return None if isinstance(answer, list) and not answer else answer

    def _answer(self, kind: str) -> Any:
        acct = self.account_id
        if kind == "asset":
            asset = self.engine.query_asset()
            return None if asset is None else convert.xt_asset(acct, asset)
        if kind == "orders":
            orders = self.engine.query_orders()
            if orders is None:
                return None
            return [
                convert.xt_order(acct, self._echo(o), strategy_name=self._strategy.get(o.order_id, ""))
                for o in orders
            ]
        if kind == "trades":
            trades = self.engine.query_trades()
            if trades is None:
                return None
            return [convert.xt_trade(acct, self._echo(t), self._strategy.get(t.order_id, "")) for t in trades]
        positions = self.engine.query_positions()
        return None if positions is None else [convert.xt_position(acct, p) for p in positions]

    def _echo(self, record: EchoT) -> EchoT:
        """The record as this broker reports it (without the remark when it does not echo it)."""
        return record if self.echo_remark else replace(record, remark="")

    # ------------------------------------------------------------------ engine → pushes

    def _feed_replay(self, *, force: bool) -> None:
        if not self.feed_quotes or self.replay is None:
            return
        snap = self.replay.snapshot()
        key = (snap.price, snap.time)
        due = self._last_feed is None or snap.time.timestamp() - self._last_feed[0] >= self.quote_refresh_s
        if not force and self._last_feed is not None and self._last_feed[1] == key:
            return
        if not (force or due or self._has_working_orders()):
            return
        traded = max(0.0, snap.volume - self._last_feed_volume) if self._last_feed is not None else None
        self._last_feed, self._last_feed_volume = (snap.time.timestamp(), key), snap.volume
        volume = None if traded is None or traded <= 0 else int(traded)
        assert self.xtdata is not None
        for code in self.codes:
            replay = self.xtdata._replay_of(code)
            own = snap if replay is self.replay else replay.snapshot()
            _, up, down = replay.limits()
            own_volume = volume if replay is self.replay else None
            self.engine.on_quote(code, own.price, time=own.time, volume=own_volume, up_stop=up,
                                 down_stop=down)

    def _has_working_orders(self) -> bool:
        orders = self.engine.query_orders() or []
        return any(not o.status.is_final for o in orders)

    def _drain(self) -> None:
        while True:
            event = self.engine.next_event(0)
            if event is None:
                return
            self._dispatch(event)

    def _dispatch(self, event: BrokerEvent) -> None:
        acct = self.account_id
        if isinstance(event, OrderEvent):
            self._push_order(event)
        elif isinstance(event, TradeEvent):
            trade = event.trade
            self._broadcast(
                "on_stock_trade",
                convert.xt_trade(acct, self._echo(trade), self._strategy.get(trade.order_id, "")),
            )
        elif isinstance(event, OrderErrorEvent):
            seq = self._request_seq.get(event.order_id, 0)
            err = convert.xt_order_error(
                acct,
                event.order_id,
                event.error_id,
                event.message,
                event.remark,
                seq,
                self._strategy.get(event.order_id, ""),
            )
            self._broadcast("on_order_error", err)
        elif isinstance(event, CancelErrorEvent):
            self._cancelling.discard(event.order_id)
            self._broadcast("on_cancel_error", convert.xt_cancel_error(acct, event.order_id, event.message))

    def _push_order(self, event: OrderEvent) -> None:
        order = event.order
        strategy = self._strategy.get(order.order_id, "")
        steps: list[int | None] = []
        if order.order_id not in self._announced:
            self._announced.add(order.order_id)
            if order.status is not OrderStatus.REJECTED:
                steps.append(xtconstant.ORDER_UNREPORTED)
        if order.order_id in self._cancelling and order.status in (
            OrderStatus.CANCELLED,
            OrderStatus.PART_CANCELLED,
        ):
            self._cancelling.discard(order.order_id)
            steps.append(
                xtconstant.ORDER_PARTSUCC_CANCEL if order.filled_shares else xtconstant.ORDER_REPORTED_CANCEL
            )
        steps.append(None)
        for status in steps:
            self._broadcast(
                "on_stock_order",
                convert.xt_order(self.account_id, self._echo(order), strategy_name=strategy, status=status),
            )

    def _broadcast(self, method: str, payload: Any) -> None:
        for trader in self._subscribers():
            trader._push(method, payload)
