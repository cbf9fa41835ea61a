"""A fake ``xtquant.xttrader``: ``XtQuantTrader`` and ``XtQuantTraderCallback`` with the real names.

Call signatures and return codes follow xtquant: ``connect``/``subscribe`` return 0 on success,
``order_stock`` the order id or -1, ``cancel_order_stock`` 0 or -1, queries a list / object or
``None``. Each trader has ONE callback thread (xtquant's ``ThreadPoolExecutor(max_workers=1)``)
on which every push runs; a synchronous call made from that thread raises
:class:`~windows_bridge.brokers.xtquant.fake.dispatcher.CallbackDeadlock` (real QMT would hang forever).

A trader connects to the :class:`~windows_bridge.brokers.xtquant.fake.terminal.FakeQmt` installed at its
``path``. After a disconnect the trader stays dead — its calls fail — as in xtquant, which has no
automatic reconnect: build a new trader with a new session id.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

from xtquant import xtconstant, xttype

from windows_bridge.brokers.xtquant.fake.dispatcher import CallbackDeadlock, CallbackDispatcher
from windows_bridge.brokers.xtquant.fake.terminal import FakeQmt, lookup_terminal

log = logging.getLogger(__name__)


class XtQuantTraderCallback:
    """Base class with xtquant's callback names; every method does nothing."""

    def on_connected(self) -> None:
        """Connection established."""

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


class XtQuantTrader:
    """A fake trading session; see the module docstring."""

    def __init__(self, path: str, session: int, callback: Any = None) -> None:
        """``path`` selects the installed fake terminal; ``session`` must be unique among live sessions."""
        self.path = str(path)
        self.session = int(session)
        self.callback = callback
        self.connected = False
        self.subscribed_accounts: set[str] = set()
        self._terminal: FakeQmt | None = None
        self._dispatcher = CallbackDispatcher(f"xtquant-callback-{session}")
        self._started = False
        self._lost = False
        self._seq = itertools.count(1)

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
        """0 when connected to the fake QMT at ``path``, non-zero otherwise."""
        self._guard("connect")
        terminal = lookup_terminal(self.path)
        if not self._started or terminal is None or self._lost:
            return -1
        result = terminal.session_connect(self)
        self._terminal = terminal if result == 0 else None
        self.connected = result == 0
        if self.connected:
            self._push("on_connected")
        return result

    def subscribe(self, account: Any) -> int:
        """Subscribe to the account's pushes: 0 on success, -1 otherwise."""
        self._guard("subscribe")
        terminal = self._live()
        if terminal is None:
            return -1
        self.subscribed_accounts.add(getattr(account, "account_id", ""))
        result = terminal.session_subscribe(self, account)
        if result != 0:
            self.subscribed_accounts.discard(getattr(account, "account_id", ""))
        return result

    def unsubscribe(self, account: Any) -> int:
        """Stop the account's pushes."""
        self._guard("unsubscribe")
        self.subscribed_accounts.discard(getattr(account, "account_id", ""))
        return 0

    def run_forever(self) -> None:
        """Block forever, as xtquant's does."""
        while True:
            time.sleep(2)

    def sleep(self, seconds: float) -> None:
        """Sleep (xtquant runs this on its event loop)."""
        time.sleep(seconds)

    def set_timeout(self, timeout: int = 0) -> None:
        """Accepted and ignored."""

    def set_relaxed_response_order_enabled(self, enabled: bool) -> None:
        """Accepted and ignored (responses always run on the callback thread)."""

    # ------------------------------------------------------------------ orders

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
        self._guard("order_stock")
        request = _order_request(
            stock_code, order_type, order_volume, price_type, price, strategy_name, order_remark
        )
        return self._place(account, request, next(self._seq))

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
        """Place an order; returns the request seq (the id comes in ``on_order_stock_async_response``)."""
        request = _order_request(
            stock_code, order_type, order_volume, price_type, price, strategy_name, order_remark
        )
        seq = next(self._seq)
        order_id = self._place(account, request, seq)
        response = xttype.XtOrderResponse(
            getattr(account, "account_id", ""),
            order_id,
            strategy_name,
            order_remark,
            "" if order_id > 0 else "下单失败",
            seq,
        )
        self._push("on_order_stock_async_response", response)
        return seq if order_id > 0 else -1

    def _place(self, account: Any, args: dict[str, Any], seq: int) -> int:
        terminal = self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id:
            return -1
        return terminal.place(args, seq)

    def cancel_order_stock(self, account: Any, order_id: int) -> int:
        """Cancel synchronously: 0 when accepted, -1 when it failed."""
        self._guard("cancel_order_stock")
        terminal = self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id:
            return -1
        return terminal.cancel(int(order_id))

    def cancel_order_stock_async(self, account: Any, order_id: int) -> int:
        """Cancel; the result arrives in ``on_cancel_order_stock_async_response``."""
        seq = next(self._seq)
        terminal = self._live()
        result = -1 if terminal is None else terminal.cancel(int(order_id))
        response = xttype.XtCancelOrderResponse(
            getattr(account, "account_id", ""), result, int(order_id), f"S{order_id}", seq, ""
        )
        self._push("on_cancel_order_stock_async_response", response)
        return seq

    # ------------------------------------------------------------------ queries

    def query_stock_asset(self, account: Any) -> Any:
        """``XtAsset`` or ``None``."""
        return self._query("query_stock_asset", account, "asset")

    def query_stock_orders(self, account: Any, cancelable_only: bool = False) -> Any:
        """Today's ``XtOrder`` list, or ``None`` when the query failed."""
        orders = self._query("query_stock_orders", account, "orders")
        if orders is None or not cancelable_only:
            return orders
        final = {
            xtconstant.ORDER_PART_CANCEL,
            xtconstant.ORDER_CANCELED,
            xtconstant.ORDER_SUCCEEDED,
            xtconstant.ORDER_JUNK,
        }
        return [o for o in orders if o.order_status not in final]

    def query_stock_order(self, account: Any, order_id: int) -> Any:
        """One ``XtOrder`` or ``None``."""
        orders = self._query("query_stock_order", account, "orders")
        return next((o for o in orders or [] if o.order_id == order_id), None)

    def query_stock_trades(self, account: Any) -> Any:
        """Today's ``XtTrade`` list, or ``None``."""
        return self._query("query_stock_trades", account, "trades")

    def query_stock_positions(self, account: Any) -> Any:
        """``XtPosition`` list, or ``None``."""
        return self._query("query_stock_positions", account, "positions")

    def query_stock_position(self, account: Any, stock_code: str) -> Any:
        """One ``XtPosition`` or ``None``."""
        positions = self._query("query_stock_position", account, "positions")
        return next((p for p in positions or [] if p.stock_code == stock_code), None)

    def query_account_status(self) -> Any:
        """``[XtAccountStatus]`` for the terminal's account, or ``None``."""
        self._guard("query_account_status")
        terminal = self._live()
        if terminal is None:
            return None
        return [
            xttype.XtAccountStatus(
                terminal.account_id, xtconstant.SECURITY_ACCOUNT, xtconstant.ACCOUNT_STATUS_OK
            )
        ]

    def _query(self, name: str, account: Any, kind: str) -> Any:
        self._guard(name)
        terminal = self._live()
        if terminal is None or getattr(account, "account_id", None) != terminal.account_id:
            return None
        return terminal.query(kind)

    # ------------------------------------------------------------------ internals

    def _live(self) -> FakeQmt | None:
        if not self.connected or self._lost or self._terminal is None or not self._terminal.running:
            return None
        return self._terminal

    def _guard(self, name: str) -> None:
        """Refuse a synchronous call from the callback thread: real QMT deadlocks there."""
        if self._dispatcher.on_dispatcher_thread():
            if self._terminal is not None:
                self._terminal.deadlocks.append(name)
            log.error("DEADLOCK: %s called from an xtquant callback (QMT would hang forever)", name)
            raise CallbackDeadlock(f"{name} called from the xtquant callback thread: this deadlocks QMT")

    def _push(self, method: str, *args: Any) -> None:
        """Run ``callback.method(*args)`` on this trader's callback thread."""
        target = getattr(self.callback, method, None)
        if target is not None and self._started:
            self._dispatcher.submit(target, *args)

    def _lose_connection(self) -> None:
        """Called by the terminal: the link is gone for good for this trader."""
        self._lost = True
        self.connected = False
        self._push("on_disconnected")

    def wait_callbacks(self, timeout: float = 5.0) -> bool:
        """Test helper: block until every queued push ran."""
        return self._dispatcher.wait_idle(timeout)


def _order_request(
    stock_code: str, order_type: int, order_volume: int, price_type: int, price: float,
    strategy_name: str, order_remark: str,
) -> dict[str, Any]:
    """The fields of an ``order_stock`` call, as the fake's matching step takes them."""
    return {
        "stock_code": stock_code, "order_type": order_type, "order_volume": order_volume,
        "price_type": price_type, "price": price, "strategy_name": strategy_name,
        "order_remark": order_remark,
    }
