"""miniQMT trading through ``xtquant.xttrader``: :class:`XtBroker`.

The trader class is injected through a factory (the real one is loaded lazily by
:mod:`.loader`), so tests and the offline demo run this code over
``windows_bridge.brokers.xtquant.fake`` unchanged.

How xtquant behaves (its sources and ``doc/xttrader.md``), and what this module does about it:

* ``XtQuantTrader(path, session)`` → ``register_callback`` → ``start`` → ``connect`` (0 = ok) →
  ``subscribe(StockAccount)`` (0 = ok). There is no ``on_connected`` push and no automatic
  reconnect: after ``on_disconnected``, a hung call or repeated failed calls the session is lost and
  :meth:`XtBroker.reconnect` builds a NEW trader with a NEW session id (with backoff), connects and
  subscribes again; the caller then re-queries and reconciles by ``order_remark``.
* Every synchronous call runs under a :class:`~.watchdog.CallWatchdog`: one that does not answer
  within its limit marks the session lost; after repeated hangs :attr:`XtBroker.fatal` says the
  process must be restarted.
* Callbacks run on xtquant's single worker thread, which also delivers the answers to synchronous
  calls: a sync call from a callback deadlocks. The callbacks here only convert and enqueue.
* Order, trade and position queries answer ``None`` both for a failure and for an empty list; the
  asset query answers ``None`` only for a failure. A ``None`` list is therefore checked with the
  asset query: answered → the list is empty (``[]``); not answered → the query failed (``None``).
  An empty day is never taken for a lost session, a failure never for "no orders".
* Order status comes from ``xtconstant.ORDER_*``; the pushed ``price_type`` is not the one sent
  (50 is seen for FIX_PRICE orders), so nothing relies on it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from xtquant import xtconstant
from xtquant.xttype import StockAccount

from windows_bridge.brokers.interface import (
    BrokerAsset,
    BrokerError,
    BrokerEvent,
    BrokerOrder,
    BrokerPositionInfo,
    BrokerTrade,
    CancelErrorEvent,
    DisconnectedEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderRefused,
    Side,
    TradeEvent,
    get_event,
)
from windows_bridge.brokers.xtquant.convert import (
    ACCOUNT_STATUS_TEXT,
    asset_from_xt,
    order_from_xt,
    position_from_xt,
    trade_from_xt,
)
from windows_bridge.brokers.xtquant.loader import real_trader_factory
from windows_bridge.brokers.xtquant.watchdog import (
    DEFAULT_LIMIT_S,
    DEFAULT_MAX_ABANDONED,
    CallTimeout,
    CallWatchdog,
)

log = logging.getLogger(__name__)

TraderFactory = Callable[[str, int], Any]

#: seconds to wait before reconnect attempt n (the last one repeats)
DEFAULT_BACKOFF_S: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


# --------------------------------------------------------------------------- lazy real xtquant


class SessionIds:
    """Session ids unique per process and per reconnect (xtquant refuses a session id in use)."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        """A new id: ms clock mixed with the pid, strictly increasing in this process."""
        with self._lock:
            candidate = (int(time.time() * 1000) * 7 + os.getpid()) % 2_000_000_000
            self._last = max(candidate, self._last + 1)
            return self._last


# --------------------------------------------------------------------------- conversions


# --------------------------------------------------------------------------- callbacks


class _Callback:
    """xtquant callback: converts and enqueues, nothing else (no sync call may happen here)."""

    def __init__(self, owner: XtBroker, generation: int) -> None:
        self._owner = owner
        self._generation = generation

    def _put(self, make: Callable[[], BrokerEvent]) -> None:
        try:
            self._owner._events.put(make())
        except Exception:
            log.exception("cannot convert an xtquant push")

    def on_connected(self) -> None:
        """Never called by the real client (declared in its base class only)."""

    def on_disconnected(self) -> None:
        """Mark the session lost and tell the consumer."""
        if self._owner._session_lost(self._generation):
            self._owner._events.put(DisconnectedEvent("QMT connection lost (on_disconnected)"))

    def on_account_status(self, status: Any) -> None:
        """Remember the account status (plain attribute write)."""
        self._owner._account_status = getattr(status, "status", None)

    def on_stock_order(self, order: Any) -> None:
        """Order changed."""
        self._put(lambda: OrderEvent(order_from_xt(order)))

    def on_stock_trade(self, trade: Any) -> None:
        """A fill."""
        self._put(lambda: TradeEvent(trade_from_xt(trade)))

    def on_order_error(self, order_error: Any) -> None:
        """The order was refused."""
        self._put(
            lambda: OrderErrorEvent(
                order_id=int(order_error.order_id),
                remark=str(getattr(order_error, "order_remark", "") or ""),
                message=str(order_error.error_msg or ""),
                error_id=int(order_error.error_id or 0),
            )
        )

    def on_cancel_error(self, cancel_error: Any) -> None:
        """A cancel was refused."""
        self._put(lambda: CancelErrorEvent(int(cancel_error.order_id), str(cancel_error.error_msg or "")))

    def on_stock_asset(self, asset: Any) -> None:
        """Ignored: the bridge queries the asset."""

    def on_stock_position(self, position: Any) -> None:
        """Ignored: the bridge queries positions."""

    def on_order_stock_async_response(self, response: Any) -> None:
        """Ignored: only synchronous ``order_stock`` is used."""

    def on_cancel_order_stock_async_response(self, response: Any) -> None:
        """Ignored: only synchronous ``cancel_order_stock`` is used."""

    def on_smt_appointment_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_bank_transfer_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_ctp_internal_transfer_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_smart_algo_order_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_operate_smart_task_async_response(self, response: Any) -> None:
        """Ignored."""


# --------------------------------------------------------------------------- trading


class XtBroker:
    """:class:`windows_bridge.brokers.interface.Broker` over an ``XtQuantTrader`` (real or fake)."""

    def __init__(
        self,
        path: str,
        account_id: str,
        account_type: str = "STOCK",
        *,
        trader_factory: TraderFactory | None = None,
        session_ids: Callable[[], int] | None = None,
        strategy_name: str = "miniqmt",
        backoff_s: Sequence[float] = DEFAULT_BACKOFF_S,
        failure_threshold: int = 3,
        monotonic: Callable[[], float] = time.monotonic,
        call_limit_s: float = DEFAULT_LIMIT_S,
        max_hung_calls: int = DEFAULT_MAX_ABANDONED,
    ) -> None:
        """Nothing connects until :meth:`connect`/:meth:`reconnect`."""
        self.path = path
        self.account = StockAccount(account_id, account_type)
        self.strategy_name = strategy_name
        self._factory = trader_factory or real_trader_factory
        self._session_ids = session_ids or SessionIds()
        self._backoff = tuple(backoff_s) or (1.0,)
        self._threshold = max(1, failure_threshold)
        self._monotonic = monotonic
        self._watchdog = CallWatchdog("xtquant-call", call_limit_s, max_hung_calls)
        self._events: queue.Queue[BrokerEvent] = queue.Queue()
        self._lock = threading.RLock()
        self._trader: Any = None
        self._generation = 0
        self._up = False
        self._failures = 0
        self._attempts = 0
        self._next_attempt = 0.0
        self._account_status: int | None = None
        self.session_id: int | None = None
        self.last_error = ""

    # ------------------------------------------------------------------ connection

    @property
    def connected(self) -> bool:
        """True while the session is up (no disconnect push, no hung call, no run of failed calls)."""
        return self._up

    @property
    def fatal(self) -> str:
        """Why this process cannot recover its xtquant client (``""`` while it can)."""
        if self._watchdog.exhausted:
            return f"{self._watchdog.abandoned} xtquant calls hung; restart the process"
        return ""

    @property
    def account_status(self) -> str:
        """The last pushed account status as text (``""`` before any push)."""
        if self._account_status is None:
            return ""
        return ACCOUNT_STATUS_TEXT.get(self._account_status, f"status {self._account_status}")

    def connect(self) -> bool:
        """Connect now, ignoring the backoff."""
        return self.reconnect(force=True)

    def reconnect(self, force: bool = False) -> bool:
        """One attempt with a NEW trader and session id; False at once while backing off."""
        with self._lock:
            if not force and self._monotonic() < self._next_attempt:
                return False
            self._drop_trader()
            ok = self._open_session()
            if ok:
                self._attempts, self._failures, self._next_attempt = 0, 0, 0.0
                log.info("connected to QMT at %s, session %s", self.path, self.session_id)
            else:
                delay = self._backoff[min(self._attempts, len(self._backoff) - 1)]
                self._attempts += 1
                self._next_attempt = self._monotonic() + delay
                log.warning("QMT connect failed (%s); next try in %.0f s", self.last_error, delay)
            return ok

    def _open_session(self) -> bool:
        self._generation += 1
        self.session_id = self._session_ids()
        try:
            trader = self._factory(self.path, self.session_id)
            trader.register_callback(_Callback(self, self._generation))
            trader.start()
            self._trader = trader
            result = self._watchdog.call("connect", trader.connect)
            if result != 0:
                self.last_error = f"connect() returned {result} (is QMT running and logged in?)"
                return False
            result = self._watchdog.call("subscribe", lambda: trader.subscribe(self.account))
            if result != 0:
                self.last_error = f"subscribe({self.account.account_id}) returned {result}"
                return False
        except Exception as exc:  # the real client raises on a missing path, DLL trouble, …
            self.last_error = f"{type(exc).__name__}: {exc}"
            return False
        self._up = True
        self.last_error = ""
        return True

    def _drop_trader(self) -> None:
        trader, self._trader, self._up = self._trader, None, False
        if trader is None:
            return
        # stop() can hang on a wedged client as well: never wait for it on the caller's thread
        threading.Thread(target=_stop_quietly, args=(trader,), name="xtquant-stop", daemon=True).start()

    def _session_lost(self, generation: int) -> bool:
        """Called from the callback thread: mark the current session down (attribute writes only)."""
        if generation != self._generation:
            return False
        self._up = False
        self.last_error = "QMT connection lost (on_disconnected)"
        return True

    def _failed(self, what: str) -> None:
        self._failures += 1
        self.last_error = what
        if self._failures >= self._threshold and self._up:
            self._up = False
            log.warning("%d failed calls in a row (%s): session considered lost", self._failures, what)

    def _call(self, name: str, *args: Any) -> tuple[bool, Any]:
        """``trader.name(*args)`` under the watchdog; (False, None) when not connected, it raised or hung."""
        trader = self._trader
        if trader is None or not self._up:
            return False, None
        try:
            return True, self._watchdog.call(name, lambda: getattr(trader, name)(*args))
        except CallTimeout as exc:
            self._up = False
            self.last_error = f"{exc}: session considered lost"
            self._events.put(DisconnectedEvent(self.last_error))
            return False, None
        except Exception as exc:
            self._failed(f"{name} raised {type(exc).__name__}: {exc}")
            return False, None

    # ------------------------------------------------------------------ Broker protocol

    def place_limit_order(self, code: str, side: Side, shares: int, price: float, remark: str) -> int:
        """``order_stock`` with FIX_PRICE; the order id, or BrokerError when it was not sent."""
        order_type = xtconstant.STOCK_BUY if Side(side) is Side.BUY else xtconstant.STOCK_SELL
        trader_was_up = self._trader is not None and self._up
        ok, result = self._call(
            "order_stock",
            self.account,
            code,
            order_type,
            int(shares),
            xtconstant.FIX_PRICE,
            float(price),
            self.strategy_name,
            remark,
        )
        if not ok:
            if trader_was_up:  # the call hung or raised: QMT may or may not have the order
                raise BrokerError(f"order_stock failed: {self.last_error}")
            raise OrderRefused(f"order not sent: {self.last_error or 'not connected to QMT'}")
        if result is None or int(result) <= 0:
            self._failed(f"order_stock returned {result}")
            raise OrderRefused(f"order not sent: order_stock returned {result}")
        self._failures = 0
        return int(result)

    def cancel_order(self, order_id: int) -> bool:
        """``cancel_order_stock``: True when the request was accepted (0)."""
        ok, result = self._call("cancel_order_stock", self.account, int(order_id))
        return ok and result == 0

    def _answered(self) -> None:
        self._failures = 0

    def _list_query(self, name: str, *args: Any, empty_if: Callable[[Any], bool]) -> list[Any] | None:
        """A list query: ``None`` only when it failed; QMT's ``None`` for an empty list becomes ``[]``.

        QMT answers ``None`` for both. The asset query (``None`` only on failure) decides: it must
        answer, and ``empty_if(asset)`` must agree that the list can be empty (no market value
        means no position; no frozen cash means no working buy order).
        """
        ok, result = self._call(name, self.account, *args)
        if not ok:
            return None
        if result is not None:
            self._answered()
            return list(result)
        ok, asset = self._call("query_stock_asset", self.account)
        if ok and asset is not None and empty_if(asset):
            self._answered()
            return []
        self._failed(f"{name} answered None and the account summary does not confirm an empty list")
        return None

    def query_orders(self) -> list[BrokerOrder] | None:
        """Today's orders, or ``None`` when the query failed."""
        result = self._list_query("query_stock_orders", False, empty_if=_no_frozen_cash)
        return None if result is None else [order_from_xt(o) for o in result]

    def query_trades(self) -> list[BrokerTrade] | None:
        """Today's fills, or ``None``."""
        result = self._list_query("query_stock_trades", empty_if=_answered)
        return None if result is None else [trade_from_xt(t) for t in result]

    def query_positions(self) -> list[BrokerPositionInfo] | None:
        """All positions, or ``None`` (never ``[]`` for a failure)."""
        result = self._list_query("query_stock_positions", empty_if=_no_market_value)
        return None if result is None else [position_from_xt(p) for p in result]

    def query_asset(self) -> BrokerAsset | None:
        """The asset summary, or ``None``."""
        ok, result = self._call("query_stock_asset", self.account)
        if not ok or result is None:
            if ok:
                self._failed("query_stock_asset answered None")
            return None
        self._answered()
        return asset_from_xt(result)

    def next_event(self, timeout: float) -> BrokerEvent | None:
        """The next pushed event, waiting up to ``timeout`` seconds."""
        return get_event(self._events, timeout)

    def close(self) -> None:
        """Stop the session."""
        with self._lock:
            self._drop_trader()
        self._watchdog.close()


def _answered(_asset: Any) -> bool:
    return True


def _no_frozen_cash(asset: Any) -> bool:
    """Working buy orders freeze cash: frozen cash means the order list cannot be empty."""
    return not float(getattr(asset, "frozen_cash", 0.0) or 0.0) > 0.0


def _no_market_value(asset: Any) -> bool:
    """Held shares have a market value: a value means the position list cannot be empty."""
    return not float(getattr(asset, "market_value", 0.0) or 0.0) > 0.0


def _stop_quietly(trader: Any) -> None:
    try:
        trader.stop()
    except Exception as exc:
        log.debug("stopping the old trader failed: %s", exc)


# --------------------------------------------------------------------------- market data


