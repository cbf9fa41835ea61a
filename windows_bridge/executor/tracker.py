"""Following one broker order to a final state.

Events (``next_event``) are the fast path; a ``query_orders`` poll every second catches
anything an event missed (and everything while the session was down: a lost session is brought
back from here, pushes of the old session are gone). After the order timeout the working rest is
cancelled and the tracker waits for the broker to confirm the final state — it never reports a
state the broker has not confirmed (a cancel is re-sent every ``cancel_wait_s`` until it is).
The tracker only reports the broker's final state; :mod:`.results` maps it to a result.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from windows_bridge.brokers.interface import (
    Broker,
    BrokerOrder,
    CancelErrorEvent,
    DisconnectedEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
)
from windows_bridge.executor.broker_access import TrackingInterrupted, ensure_session

log = logging.getLogger(__name__)

EVENT_WAIT_S = 0.05
POLL_EVERY_S = 1.0
#: an order missing from this many answered polls in a row, after its cancel, has left the list
VANISHED_AFTER_POLLS = 3


@dataclass(frozen=True)
class FinalOrder:
    """The broker-confirmed final state of an order (``fees``: the commission of its trades).

    ``UNKNOWN`` means the broker stopped listing the order before it was seen final: its fate is
    then looked up in the trades and, failing that, reported ``in_doubt``.
    """

    order_id: int
    status: OrderStatus
    filled_shares: int
    avg_price: float
    message: str = ""
    fees: float = 0.0


def _newer(current: BrokerOrder | None, candidate: BrokerOrder) -> BrokerOrder:
    """Keep the most advanced view of an order (events may arrive out of order)."""
    if current is None or candidate.status.is_final:
        return candidate
    if current.status.is_final:
        return current
    return candidate if candidate.filled_shares >= current.filled_shares else current


class OrderTracker:
    """Waits for one order to become final, cancelling it after a timeout."""

    def __init__(
        self,
        broker: Broker,
        *,
        timeout_s: float,
        cancel_wait_s: float = 10.0,
        poll_every_s: float = POLL_EVERY_S,
        stop: threading.Event | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Track orders on ``broker``; ``timeout_s`` is how long an order may work before cancelling."""
        self._broker = broker
        self._timeout_s = timeout_s
        self._cancel_wait_s = cancel_wait_s
        self._poll_every_s = poll_every_s
        self._stop = stop or threading.Event()
        self._now = monotonic
        self._missing = 0

    def follow(self, order_id: int, *, already_working_s: float = 0.0,
               cancel_if: Callable[[], bool] | None = None) -> FinalOrder:
        """Block until ``order_id`` is final; raise :class:`TrackingInterrupted` on shutdown.

        ``cancel_if()`` true (the trader asked to cancel this order) cancels the rest before the timeout.
        """
        latest: BrokerOrder | None = None
        deadline = self._now() + max(0.0, self._timeout_s - already_working_s)
        next_poll = self._now()  # the first pass asks the broker at once (recovery: no events come)
        cancel_sent_at: float | None = None
        self._missing = 0
        while True:
            event = self._broker.next_event(EVENT_WAIT_S)
            rejected = self._rejection(event, order_id)
            if rejected is not None:
                return self._rejected_final(order_id, latest, rejected)
            if isinstance(event, OrderEvent) and event.order.order_id == order_id:
                latest = _newer(latest, event.order)
            if self._now() >= next_poll:
                latest = self._poll(order_id, latest)
                next_poll = self._now() + self._poll_every_s
            if latest is not None and latest.status.is_final:
                return FinalOrder(
                    order_id, latest.status, latest.filled_shares, latest.avg_price, latest.message
                )
            if cancel_sent_at is not None and self._missing >= VANISHED_AFTER_POLLS:
                return self._vanished(order_id, latest)
            if self._stop.is_set():
                raise TrackingInterrupted(f"stopping while order {order_id} is still working")
            if cancel_if is not None and cancel_sent_at is None and cancel_if():
                log.info("按用户请求撤单 cancel requested by the trader for order %s", order_id)
                deadline = self._now()
            cancel_sent_at = self._maybe_cancel(order_id, deadline, cancel_sent_at)

    def _vanished(self, order_id: int, latest: BrokerOrder | None) -> FinalOrder:
        """The broker stopped listing the order (its trading day ended): its fate must be looked up."""
        log.warning("券商不再列出委托 %s（交易日已切换？） order %s is no longer listed", order_id, order_id)
        filled = latest.filled_shares if latest else 0
        return FinalOrder(order_id, OrderStatus.UNKNOWN, filled, latest.avg_price if latest else 0.0)

    def _rejection(self, event: object, order_id: int) -> str | None:
        if isinstance(event, OrderErrorEvent) and event.order_id == order_id:
            return event.message or "broker rejected the order"
        if isinstance(event, CancelErrorEvent) and event.order_id == order_id:
            log.warning("撤单失败 cancel of order %s failed: %s", order_id, event.message)
        if isinstance(event, DisconnectedEvent):
            log.warning(
                "券商连接断开 broker disconnected while tracking order %s: %s", order_id, event.message
            )
        return None

    def _rejected_final(self, order_id: int, latest: BrokerOrder | None, message: str) -> FinalOrder:
        """A broker error ends the order: what filled before it stays filled (part-cancelled)."""
        filled = latest.filled_shares if latest else 0
        avg = latest.avg_price if latest else 0.0
        status = OrderStatus.PART_CANCELLED if filled else OrderStatus.REJECTED
        return FinalOrder(order_id, status, filled, avg, message)

    def _poll(self, order_id: int, latest: BrokerOrder | None) -> BrokerOrder | None:
        orders = self._broker.query_orders() if ensure_session(self._broker) else None
        if orders is None:
            log.warning("查询委托失败，稍后重试 query_orders failed while tracking order %s", order_id)
            return latest
        found = next((o for o in orders if o.order_id == order_id), None)
        self._missing = 0 if found is not None else self._missing + 1
        return latest if found is None else _newer(latest, found)

    def _maybe_cancel(self, order_id: int, deadline: float, sent_at: float | None) -> float | None:
        now = self._now()
        if now < deadline or (sent_at is not None and now - sent_at < self._cancel_wait_s):
            return sent_at
        if sent_at is None:
            log.info("委托超时，撤销剩余部分 order %s timed out; cancelling the rest", order_id)
        else:
            log.warning("撤单未确认，重发 cancel of order %s not confirmed; sending again", order_id)
        self._broker.cancel_order(order_id)
        return now


__all__ = ["FinalOrder", "OrderTracker", "TrackingInterrupted"]
