"""A fake ``xtquant.xttrader``: ``XtQuantTrader`` and ``XtQuantTraderCallback`` as the wheel defines them.

Every public name and signature of the real classes is here (``tests/bridge/test_xt_surface.py``
compares them with the installed wheel), and the behaviour follows the wheel's sources and
``doc/xttrader.md``:

* ``connect``/``subscribe`` return 0 on success; there is **no** ``on_connected`` push (the real
  client never calls it) and no automatic reconnect: after ``on_disconnected`` the trader stays
  dead, a NEW trader with a new session id must connect;
* ``order_stock`` returns the order id (-1 when it could not be sent); ``order_stock_async`` returns
  the request ``seq`` at once, the id comes in ``on_order_stock_async_response`` and a refusal in
  ``on_order_error``;
* order, trade and position queries return ``None`` for a failure **and** for an empty list; the
  asset query returns ``None`` only for a failure;
* one callback thread per trader (``ThreadPoolExecutor(max_workers=1)`` in xtquant) runs every push
  and, unless ``set_relaxed_response_order_enabled(True)``, delivers the answers to synchronous
  calls too: a synchronous call from a callback deadlocks real QMT, so the fake raises
  :class:`~windows_bridge.brokers.xtquant.fake.dispatcher.CallbackDeadlock` instead of hanging.

Operations a simulated cash stock account cannot do (credit, securities lending, bank transfers,
algorithmic orders, …) are in :mod:`.unsupported`.
"""

from __future__ import annotations

import itertools
import logging
import time as _time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from xtquant import xtconstant, xttype

from windows_bridge.brokers.xtquant.fake.dispatcher import CallbackDeadlock, CallbackDispatcher
from windows_bridge.brokers.xtquant.fake.terminal import FakeQmt, lookup_terminal
from windows_bridge.brokers.xtquant.fake.unsupported import UnsupportedOperations

log = logging.getLogger(__name__)

FINAL_STATUSES = frozenset(
    {
        xtconstant.ORDER_PART_CANCEL,
        xtconstant.ORDER_CANCELED,
        xtconstant.ORDER_SUCCEEDED,
        xtconstant.ORDER_JUNK,
    }
)


class XtQuantTraderCallback:
    """Base class with xtquant's callback names; every method does nothing."""

    def on_connected(self) -> None:
        """Declared by xtquant but never called by its client (kept for the same surface)."""

    def on_disconnected(self) -> None:
        """Connection lost."""

    def on_account_status(self, status: Any) -> None:
        """Account status changed (``XtAccountStatus``)."""

    def on_stock_asset(self, asset: Any) -> None:
        """Asset pushed (``XtAsset``)."""

    def on_stock_order(self, order: Any) -> None:
        """Order changed (``XtOrder``)."""

    def on_stock_trade(self, trade: Any) -> None:
        """Fill (``XtTrade``)."""

    def on_stock_position(self, position: Any) -> None:
        """Position pushed (``XtPosition``)."""

    def on_order_error(self, order_error: Any) -> None:
        """Order refused (``XtOrderError``)."""

    def on_cancel_error(self, cancel_error: Any) -> None:
        """Cancel refused (``XtCancelError``)."""

    def on_order_stock_async_response(self, response: Any) -> None:
        """Answer to ``order_stock_async`` (``XtOrderResponse``)."""

    def on_cancel_order_stock_async_response(self, response: Any) -> None:
        """Answer to ``cancel_order_stock_async`` (``XtCancelOrderResponse``)."""

    def on_smt_appointment_async_response(self, response: Any) -> None:
        """Answer to a securities-lending appointment (``XtSmtAppointmentResponse``)."""

    def on_bank_transfer_async_response(self, response: Any) -> None:
        """Answer to an asynchronous bank transfer (``XtBankTransferResponse``)."""

    def on_ctp_internal_transfer_async_response(self, response: Any) -> None:
        """Answer to an asynchronous CTP internal transfer (``XtBankTransferResponse``)."""

    def on_smart_algo_order_async_response(self, response: Any) -> None:
        """Answer to ``smart_algo_order_async`` (``XtSmartAlgoOrderResponse``)."""

    def on_operate_smart_task_async_response(self, response: Any) -> None:
        """Answer to an algorithmic-task operation (``XtOperateSmartTaskResponse``)."""


class XtQuantTrader(UnsupportedOperations):
    """A fake trading session; see the module docstring."""

    def __init__(self, path: str, session: int, callback: Any = None) -> None:
        """``path`` selects the installed fake terminal; ``session`` must be unique among live sessions."""
        self.path = str(path)
        self.session = int(session)
        self.callback = callback
        self.connected = False
        self.relaxed_resp_order_enabled = False
        self.cbs: dict[int, Callable[[Any], None]] = {}
        self.subscribed_accounts: set[str] = set()
        self._terminal: FakeQmt | None = None
        self._dispatcher = CallbackDispatcher(f"xtquant-callback-{session}")
        self._started = False
        self._lost = False
        self._seq = itertools.count(1)

    # ------------------------------------------------------------------ xtquant's request plumbing

    def common_op_async_with_seq(self, seq: int, callable: tuple[Any, ...], callback: Any) -> int:
        """Send a request; its answer goes to ``callback`` on the callback thread. Returns ``seq``."""
        func, *args = callable
        self._respond(callback, func(*args))
        return seq

    def common_op_sync_with_seq(self, seq: int, callable: tuple[Any, ...]) -> Any:
        """Send a request and wait for its answer (here: the request computes it)."""
        func, *args = callable
        return func(*args)

    def set_timeout(self, timeout: int = 0) -> None:
        """Accepted and ignored (the real client passes it to its C++ core)."""

    # ------------------------------------------------------------------ lifecycle

    def register_callback(self, callback: Any) -> None:
        """Set the object whose ``on_*`` methods receive pushes."""
        self.callback = callback

    def start(self) -> None:
        """Start the callback thread."""
        self._dispatcher.start()
        self._started = True

    def stop(self) -> None:
        """End the session and the callback thread."""
        if self._terminal is not None:
            self._terminal.session_drop(self)
        self.connected = False
        self._dispatcher.stop()

    def connect(self) -> int:
        """0 when connected to the fake QMT at ``path``, non-zero otherwise (no ``on_connected`` push)."""
        self._guard("connect")
        terminal = lookup_terminal(self.path)
        if not self._started or terminal is None or self._lost:
            return -1
        result = terminal.session_connect(self)
        self._terminal = terminal if result == 0 else None
        self.connected = result == 0
        return result

    def sleep(self, time: float) -> None:
        """Sleep (xtquant runs this on its event loop)."""
        _time.sleep(time)

    def run_forever(self) -> None:
        """Block forever, as xtquant's does."""
        while True:
            _time.sleep(2)

    def set_relaxed_response_order_enabled(self, enabled: bool) -> None:
        """Answers to synchronous calls on their own thread: then a call from a callback is allowed."""
        self.relaxed_resp_order_enabled = bool(enabled)

    def subscribe(self, account: Any) -> int:
        """Subscribe to the account's pushes: 0 on success, -1 otherwise."""
        terminal = self._sync("subscribe")
        if terminal is None:
            return -1
        self.subscribed_accounts.add(getattr(account, "account_id", ""))
        result = terminal.session_subscribe(self, account)
        if result != 0:
            self.subscribed_accounts.discard(getattr(account, "account_id", ""))
        return result

    def unsubscribe(self, account: Any) -> int:
        """Stop the account's pushes: 0 on success, -1 otherwise."""
        terminal = self._sync("unsubscribe")
        if terminal is None:
            return -1
        self.subscribed_accounts.discard(getattr(account, "account_id", ""))
        return 0

    # ------------------------------------------------------------------ orders

    def order_stock_async(
        self,
        account: Any,
        stock_code: str,
        order_type: int,
        order_volume: int,
        price_type: int,
        price: float,
        strategy_name: str = "",
        order_remark: str = "",
    ) -> int:
        """Send an order; returns the request ``seq`` at once (the outcome arrives as pushes)."""
        seq = next(self._seq)
        request = _order_request(
            stock_code, order_type, order_volume, price_type, price, strategy_name, order_remark
        )
        order_id = self._place(account, request, seq)
        account_id = getattr(account, "account_id", "")
        error = "" if order_id > 0 else "下单失败 order could not be sent"
        response = xttype.XtOrderResponse(account_id, order_id, strategy_name, order_remark, error, seq)
        self._push("on_order_stock_async_response", response)
        if order_id <= 0:
            err = xttype.XtOrderError(account_id, order_id, -1, error, strategy_name, order_remark)
            err.seq = seq
            self._push("on_order_error", err)
        return seq

    def order_stock(
        self,
        account: Any,
        stock_code: str,
        order_type: int,
        order_volume: int,
        price_type: int,
        price: float,
        strategy_name: str = "",
        order_remark: str = "",
    ) -> int:
        """Place an order synchronously: the order id (> 0), or -1 when it could not be sent."""
        self._sync("order_stock")
        request = _order_request(
            stock_code, order_type, order_volume, price_type, price, strategy_name, order_remark
        )
        return self._place(account, request, next(self._seq))

    def _place(self, account: Any, request: dict[str, Any], seq: int) -> int:
        terminal = self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id:
            return -1
        return terminal.place(request, seq)

    def cancel_order_stock(self, account: Any, order_id: int) -> int:
        """Cancel synchronously: 0 when accepted, -1 when it failed."""
        self._sync("cancel_order_stock")
        return self._cancel(account, int(order_id))

    def cancel_order_stock_async(self, account: Any, order_id: int) -> int:
        """Cancel; the request ``seq`` now, the result in ``on_cancel_order_stock_async_response``."""
        seq = next(self._seq)
        result = self._cancel(account, int(order_id))
        account_id = getattr(account, "account_id", "")
        error = "" if result == 0 else "撤单失败 cancel refused"
        response = xttype.XtCancelOrderResponse(account_id, result, int(order_id), "", seq, error)
        self._push("on_cancel_order_stock_async_response", response)
        return seq

    def cancel_order_stock_sysid(self, account: Any, market: Any, sysid: str) -> int:
        """Cancel by the counter's contract number (``order_sysid``): 0 or -1."""
        self._sync("cancel_order_stock_sysid")
        return self._cancel(account, _order_id_of(sysid))

    def cancel_order_stock_sysid_async(self, account: Any, market: Any, sysid: str) -> int:
        """Cancel by ``order_sysid``; the result arrives in ``on_cancel_order_stock_async_response``."""
        seq = next(self._seq)
        order_id = _order_id_of(sysid)
        result = self._cancel(account, order_id)
        account_id = getattr(account, "account_id", "")
        error = "" if result == 0 else "撤单失败 cancel refused"
        response = xttype.XtCancelOrderResponse(account_id, result, order_id, str(sysid), seq, error)
        self._push("on_cancel_order_stock_async_response", response)
        return seq

    def _cancel(self, account: Any, order_id: int) -> int:
        terminal = self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id or order_id <= 0:
            return -1
        return terminal.cancel(order_id)

    # ------------------------------------------------------------------ account queries

    def query_account_infos(self) -> Any:
        """``[XtAccountInfo]`` of the terminal's account (``[]`` when not connected)."""
        terminal = self._sync("query_account_infos")
        return [] if terminal is None else [_account_info(terminal)]

    query_account_info = query_account_infos

    def query_account_infos_async(self, callback: Any) -> int:
        """As :meth:`query_account_infos`, answered to ``callback``; returns the request ``seq``."""
        terminal = self._live()
        return self._answer_async(callback, [] if terminal is None else [_account_info(terminal)])

    def query_account_status(self) -> Any:
        """``[XtAccountStatus]`` for the terminal's account, or ``None``."""
        terminal = self._sync("query_account_status")
        return None if terminal is None else [_account_status(terminal)]

    def query_account_status_async(self, callback: Any) -> int:
        """As :meth:`query_account_status`, answered to ``callback``."""
        terminal = self._live()
        return self._answer_async(callback, None if terminal is None else [_account_status(terminal)])

    def query_stock_asset(self, account: Any) -> Any:
        """``XtAsset``, or ``None`` when the query failed."""
        return self._query("query_stock_asset", account, "asset")

    def query_stock_asset_async(self, account: Any, callback: Any) -> None:
        """As :meth:`query_stock_asset`, answered to ``callback`` (the real one returns nothing)."""
        self._answer_async(callback, self._query(None, account, "asset"))

    def query_stock_order(self, account: Any, order_id: int) -> Any:
        """One ``XtOrder``, or ``None`` (unknown id, or the query failed)."""
        orders = self._query("query_stock_order", account, "orders")
        return next((o for o in orders or [] if o.order_id == order_id), None)

    def query_stock_orders(self, account: Any, cancelable_only: bool = False) -> Any:
        """Today's ``XtOrder`` list; ``None`` when it failed or there are none."""
        return self._orders(self._query("query_stock_orders", account, "orders"), cancelable_only)

    def query_stock_orders_async(self, account: Any, callback: Any, cancelable_only: bool = False) -> int:
        """As :meth:`query_stock_orders`, answered to ``callback``."""
        return self._answer_async(
            callback, self._orders(self._query(None, account, "orders"), cancelable_only)
        )

    @staticmethod
    def _orders(orders: Any, cancelable_only: bool) -> Any:
        if orders is None or not cancelable_only:
            return orders
        working = [o for o in orders if o.order_status not in FINAL_STATUSES]
        return working or None

    def query_stock_trades(self, account: Any) -> Any:
        """Today's ``XtTrade`` list; ``None`` when it failed or there are none."""
        return self._query("query_stock_trades", account, "trades")

    def query_stock_trades_async(self, account: Any, callback: Any) -> int:
        """As :meth:`query_stock_trades`, answered to ``callback``."""
        return self._answer_async(callback, self._query(None, account, "trades"))

    def query_stock_position(self, account: Any, stock_code: str) -> Any:
        """One ``XtPosition``, or ``None``."""
        positions = self._query("query_stock_position", account, "positions")
        return next((p for p in positions or [] if p.stock_code == stock_code), None)

    def query_stock_positions(self, account: Any) -> Any:
        """``XtPosition`` list; ``None`` when it failed or there are none."""
        return self._query("query_stock_positions", account, "positions")

    def query_stock_positions_async(self, account: Any, callback: Any) -> int:
        """As :meth:`query_stock_positions`, answered to ``callback``."""
        return self._answer_async(callback, self._query(None, account, "positions"))

    def _query(self, name: str | None, account: Any, kind: str) -> Any:
        """A query; ``name`` is the synchronous API's name (``None`` for the asynchronous variants)."""
        terminal = self._sync(name) if name is not None else self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id:
            return None
        return terminal.query(kind)

    # ------------------------------------------------------------------ internals

    def _live(self) -> FakeQmt | None:
        if not self.connected or self._lost or self._terminal is None or not self._terminal.running:
            return None
        return self._terminal

    def _sync(self, name: str) -> FakeQmt | None:
        """Entry of every synchronous call: the deadlock guard, injected hangs, then the live terminal."""
        self._guard(name)
        terminal = self._terminal if self._terminal is not None else lookup_terminal(self.path)
        if terminal is not None:
            terminal.hang_if_asked(name)
        return self._live()

    def _guard(self, name: str) -> None:
        """Refuse a synchronous call from the callback thread: real QMT deadlocks there."""
        if self._dispatcher.on_dispatcher_thread() and not self.relaxed_resp_order_enabled:
            if self._terminal is not None:
                self._terminal.deadlocks.append(name)
            log.error("DEADLOCK: %s called from an xtquant callback (QMT would hang forever)", name)
            raise CallbackDeadlock(f"{name} called from the xtquant callback thread: this deadlocks QMT")

    def _push(self, method: str, *args: Any) -> None:
        """Run ``callback.method(*args)`` on this trader's callback thread."""
        target = getattr(self.callback, method, None)
        if target is not None and self._started:
            self._dispatcher.submit(target, *args)

    def _respond(self, callback: Any, answer: Any) -> None:
        """Deliver an asynchronous answer to ``callback`` on the callback thread."""
        if callback is not None and self._started:
            self._dispatcher.submit(callback, answer)

    def _answer_async(self, callback: Any, answer: Any) -> int:
        seq = next(self._seq)
        self._respond(callback, answer)
        return seq

    def _lose_connection(self) -> None:
        """Called by the terminal: the link is gone for good for this trader."""
        self._lost = True
        self.connected = False
        self._push("on_disconnected")



def wait_callbacks(trader: XtQuantTrader, timeout: float = 5.0) -> bool:
    """Test helper: block until every push queued for ``trader`` ran (the real class has no such method)."""
    return trader._dispatcher.wait_idle(timeout)


def _order_request(
    stock_code: str,
    order_type: int,
    order_volume: int,
    price_type: int,
    price: float,
    strategy_name: str,
    order_remark: str,
) -> dict[str, Any]:
    """The fields of an ``order_stock`` call, as the fake's matching step takes them."""
    return {
        "stock_code": stock_code,
        "order_type": order_type,
        "order_volume": order_volume,
        "price_type": price_type,
        "price": price,
        "strategy_name": strategy_name,
        "order_remark": order_remark,
    }


def _order_id_of(sysid: Any) -> int:
    """The fake's ``order_sysid`` is ``S<order_id>``; anything else names no order (0)."""
    text = str(sysid)
    return int(text[1:]) if text.startswith("S") and text[1:].isdigit() else 0


def _account_info(terminal: FakeQmt) -> Any:
    """An ``XtAccountInfo``-like record (the real one is a C++ object with these attributes)."""
    return SimpleNamespace(
        account_type=xtconstant.SECURITY_ACCOUNT,
        account_id=terminal.account_id,
        broker_type=xtconstant.SECURITY_ACCOUNT,
        platform_id=0,
        account_classification=0,
        login_status=xtconstant.ACCOUNT_STATUS_OK,
    )


def _account_status(terminal: FakeQmt) -> Any:
    return xttype.XtAccountStatus(
        terminal.account_id, xtconstant.SECURITY_ACCOUNT, xtconstant.ACCOUNT_STATUS_OK
    )


__all__ = ["CallbackDeadlock", "XtQuantTrader", "XtQuantTraderCallback", "wait_callbacks"]
