"""The broker interface the executor and bridge talk to.

Two implementations: ``windows_bridge.brokers.xtquant.execution.XtBroker`` (miniQMT through ``xtquant``, or
the xtquant fake) and ``windows_bridge.brokers.sim.broker.SimBroker`` (in-process simulated broker).
The shape follows how QMT behaves: ``place_limit_order`` returns an order id at once (or fails
synchronously); acceptance, fills, rejections and cancels arrive later as events, which the
caller drains with :meth:`Broker.next_event`. Queries answer ``None`` when the broker could not
answer — that is "failed", never "empty".
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class Side(StrEnum):
    """Order direction."""

    BUY = "BUY"
    SELL = "SELL"


class OrderStatus(StrEnum):
    """Broker-neutral order states (the xtquant adapter maps ``xtconstant.ORDER_*`` onto these)."""

    PENDING = "pending"  # not yet reported / reported, nothing filled (48-51)
    PARTIAL = "partial"  # partly filled, rest still working (55)
    FILLED = "filled"  # completely filled (56)
    PART_CANCELLED = "part_cancelled"  # partly filled, rest cancelled (53; 52 on the way)
    CANCELLED = "cancelled"  # nothing filled, cancelled (54)
    REJECTED = "rejected"  # junk order, never worked (57)
    UNKNOWN = "unknown"  # the broker does not know (255)

    @property
    def is_final(self) -> bool:
        """True when the order can no longer change."""
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset(
    {OrderStatus.FILLED, OrderStatus.PART_CANCELLED, OrderStatus.CANCELLED, OrderStatus.REJECTED}
)


@dataclass(frozen=True)
class BrokerOrder:
    """The broker's view of one order."""

    order_id: int
    code: str
    side: Side
    price: float
    shares: int
    filled_shares: int
    avg_price: float
    status: OrderStatus
    remark: str
    message: str = ""
    time: datetime | None = None


@dataclass(frozen=True)
class BrokerTrade:
    """One fill (a trade report) belonging to an order."""

    trade_id: str
    order_id: int
    code: str
    side: Side
    shares: int
    price: float
    remark: str
    time: datetime | None = None
    #: the commission the broker charged for this fill (xtquant's ``XtTrade.commission``)
    commission: float = 0.0


@dataclass(frozen=True)
class BrokerPositionInfo:
    """A position as the broker reports it (field meanings as in xtquant's ``XtPosition``).

    ``volume`` = shares held now (持仓数量); ``can_use_volume`` = sellable now (可用数量: held at
    the start of the day minus sold or being sold today, T+1); ``frozen_volume`` = frozen by working
    sell orders (冻结数量); ``yesterday_volume`` = held at the start of the day (昨夜拥股).
    """

    code: str
    volume: int
    can_use_volume: int
    avg_price: float
    market_value: float
    frozen_volume: int = 0
    yesterday_volume: int = 0


@dataclass(frozen=True)
class BrokerAsset:
    """Account asset summary."""

    cash: float
    frozen_cash: float
    market_value: float
    total_asset: float


@dataclass(frozen=True)
class OrderEvent:
    """An order changed state (``on_stock_order``)."""

    order: BrokerOrder


@dataclass(frozen=True)
class TradeEvent:
    """A fill happened (``on_stock_trade``)."""

    trade: BrokerTrade


@dataclass(frozen=True)
class OrderErrorEvent:
    """The broker refused an order (``on_order_error``)."""

    order_id: int
    remark: str
    message: str
    error_id: int = 0


@dataclass(frozen=True)
class CancelErrorEvent:
    """A cancel request failed (``on_cancel_error``)."""

    order_id: int
    message: str


@dataclass(frozen=True)
class DisconnectedEvent:
    """The connection to the broker dropped (``on_disconnected``)."""

    message: str = ""


BrokerEvent = OrderEvent | TradeEvent | OrderErrorEvent | CancelErrorEvent | DisconnectedEvent


class BrokerError(RuntimeError):
    """A synchronous broker call failed (not connected, order refused at submission, timed out, …)."""


class OrderRefused(BrokerError):
    """The order was certainly not accepted (refused at submission, or never sent: no session).

    Any other :class:`BrokerError` from ``place_limit_order`` (a call that hung, an exception in
    the client) leaves it open whether the broker got the order.
    """


@runtime_checkable
class Broker(Protocol):
    """What the executor and the bridge need from a broker."""

    @property
    def connected(self) -> bool:
        """True while the session to the broker is up."""
        ...

    def place_limit_order(self, code: str, side: Side, shares: int, price: float, remark: str) -> int:
        """Send a limit order tagged with ``remark``; return the broker's order id or raise BrokerError."""
        ...

    def cancel_order(self, order_id: int) -> bool:
        """Ask the broker to cancel the working part of an order; True when the request was sent."""
        ...

    def query_orders(self) -> list[BrokerOrder] | None:
        """Today's orders, or ``None`` when the query failed."""
        ...

    def query_trades(self) -> list[BrokerTrade] | None:
        """Today's fills, or ``None`` when the query failed."""
        ...

    def query_positions(self) -> list[BrokerPositionInfo] | None:
        """All positions, or ``None`` when the query failed (never an empty list for a failure)."""
        ...

    def query_asset(self) -> BrokerAsset | None:
        """The asset summary, or ``None`` when the query failed."""
        ...

    def next_event(self, timeout: float) -> BrokerEvent | None:
        """The next queued event, waiting up to ``timeout`` seconds; ``None`` if none came."""
        ...

    def reconnect(self, force: bool = False) -> bool:
        """Bring a lost session back (a NEW session, with backoff unless ``force``); True when up."""
        ...

    def close(self) -> None:
        """Release the session."""
        ...


def find_order_by_remark(orders: list[BrokerOrder], remark: str) -> BrokerOrder | None:
    """The most recent order carrying ``remark`` (the executor's exactly-once key), if any."""
    matches = [o for o in orders if o.remark == remark]
    return max(matches, key=lambda o: o.order_id) if matches else None


def get_event(events: queue.Queue[BrokerEvent], timeout: float) -> BrokerEvent | None:
    """Take the next event from a broker's queue, waiting up to ``timeout`` seconds (0 = no wait)."""
    try:
        if timeout <= 0:
            return events.get_nowait()
        return events.get(timeout=timeout)
    except queue.Empty:
        return None


def trades_of(trades: list[BrokerTrade], order_id: int | None, remark: str) -> list[BrokerTrade]:
    """The fills of one order: by order id, else by ``remark`` (for a recovery without the id)."""
    by_id = [t for t in trades if order_id is not None and t.order_id == order_id]
    if by_id or not remark:
        return by_id
    return [t for t in trades if t.remark == remark]
