"""miniQMT through ``xtquant``: :class:`XtBroker` (trading) and :class:`XtMarketData` (quotes, bars).

This is the only module that imports ``xtquant.xttrader`` / ``xtquant.xtdata``, and only inside
functions (they load Windows DLLs). Both classes take the xtquant object injected — the trader
class via a factory, the xtdata module as an object — so tests and the offline demo run them over
``windows_bridge.brokers.xtquant.fake`` through exactly the same code.

How xtquant behaves, and what this module does about it:

* ``XtQuantTrader(path, session)`` → ``register_callback`` → ``start`` → ``connect`` (0 = ok) →
  ``subscribe(StockAccount)`` (0 = ok). There is no automatic reconnect: after
  ``on_disconnected`` or repeated failed calls :meth:`XtBroker.reconnect` builds a NEW trader
  with a NEW session id (with backoff), connects, subscribes; the caller then re-queries and
  reconciles by ``order_remark``.
* Callbacks run on xtquant's single worker thread, which also delivers the answers to synchronous
  calls: a sync call from a callback deadlocks. The callbacks here only convert and enqueue.
* Queries answer ``None`` when they fail; that stays ``None`` (failed), never ``[]`` (empty).
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
        """Nothing to do: :meth:`XtBroker.reconnect` knows."""

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
        """True while the session is up (no disconnect push, no run of failed calls)."""
        return self._up

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
            result = trader.connect()
            if result != 0:
                self.last_error = f"connect() returned {result} (is QMT running and logged in?)"
                return False
            result = trader.subscribe(self.account)
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
        try:
            trader.stop()
        except Exception as exc:
            log.debug("stopping the old trader failed: %s", exc)

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
        """Call ``trader.name(*args)``; (False, None) when not connected or it raised."""
        trader = self._trader
        if trader is None or not self._up:
            return False, None
        try:
            return True, getattr(trader, name)(*args)
        except Exception as exc:
            self._failed(f"{name} raised {type(exc).__name__}: {exc}")
            return False, None

    # ------------------------------------------------------------------ Broker protocol

    def place_limit_order(self, code: str, side: Side, shares: int, price: float, remark: str) -> int:
        """``order_stock`` with FIX_PRICE; the order id, or BrokerError when it was not sent."""
        order_type = xtconstant.STOCK_BUY if Side(side) is Side.BUY else xtconstant.STOCK_SELL
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
            raise BrokerError(f"order not sent: not connected to QMT ({self.last_error or 'no session'})")
        if result is None or int(result) <= 0:
            self._failed(f"order_stock returned {result}")
            raise BrokerError(f"order not sent: order_stock returned {result}")
        self._failures = 0
        return int(result)

    def cancel_order(self, order_id: int) -> bool:
        """``cancel_order_stock``: True when the request was accepted (0)."""
        ok, result = self._call("cancel_order_stock", self.account, int(order_id))
        return ok and result == 0

    def _query(self, name: str, *args: Any) -> Any:
        ok, result = self._call(name, self.account, *args)
        if not ok:
            return None
        if result is None:
            self._failed(f"{name} answered None")
            return None
        self._failures = 0
        return result

    def query_orders(self) -> list[BrokerOrder] | None:
        """Today's orders, or ``None`` when the query failed."""
        result = self._query("query_stock_orders", False)
        return None if result is None else [order_from_xt(o) for o in result]

    def query_trades(self) -> list[BrokerTrade] | None:
        """Today's fills, or ``None``."""
        result = self._query("query_stock_trades")
        return None if result is None else [trade_from_xt(t) for t in result]

    def query_positions(self) -> list[BrokerPositionInfo] | None:
        """All positions, or ``None`` (never ``[]`` for a failure)."""
        result = self._query("query_stock_positions")
        return None if result is None else [position_from_xt(p) for p in result]

    def query_asset(self) -> BrokerAsset | None:
        """The asset summary, or ``None``."""
        result = self._query("query_stock_asset")
        return None if result is None else asset_from_xt(result)

    def next_event(self, timeout: float) -> BrokerEvent | None:
        """The next pushed event, waiting up to ``timeout`` seconds."""
        return get_event(self._events, timeout)

    def close(self) -> None:
        """Stop the session."""
        with self._lock:
            self._drop_trader()


# --------------------------------------------------------------------------- market data


