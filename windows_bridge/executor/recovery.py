"""What became of an order the journal cannot close by itself: ask the broker, never place again.

Used at start-up for every journaled intent without an outcome, for a signal the journal has never
seen but the broker has an order for (a wiped journal: the order is *adopted*), when the broker call
itself failed, and when the broker stops listing an order while it is tracked. In this order:

1. today's orders, by ``order_remark`` and then by the journaled order id (not every broker echoes
   the remark) → track the order to its final state (the result carries its trades' commission);
2. no such order: today's trades, by order id and then by remark → the fills are the result (the
   order is gone, so whatever did not fill has expired);
3. nothing at all, and the journal never got an order id, and today's order list still holds the
   *watermark* (the highest order id listed just before the intent) → the broker's day has not
   rolled since, so an order sent then would be listed: it was **not placed** (and is not placed now);
4. otherwise the broker can no longer say (its trading day rolled over, or it never answered):
   **``in_doubt``**, with the order id if known and the broker position before and now. The app holds
   and reconciles with the broker's position; it never rolls back on ``in_doubt``.

A query that fails is asked again until it answers (``None`` is never "no order"); the broker
adapter tells QMT's ``None`` for an empty list from a failure.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from windows_bridge.brokers.interface import Broker, BrokerOrder, OrderStatus, Side, find_order_by_remark
from windows_bridge.contract.messages import Direction, OrderResult
from windows_bridge.executor.broker_access import order_trades, patiently
from windows_bridge.executor.journal import Journal, JournalWriteError, SignalRecord, SignalState
from windows_bridge.executor.results import (
    in_doubt_result,
    not_placed_result,
    order_result,
    refused_result,
)
from windows_bridge.executor.tracker import FinalOrder, OrderTracker

log = logging.getLogger(__name__)

NOT_FOUND_RECHECKS = 2


def watermark(orders: list[BrokerOrder]) -> int | None:
    """The highest order id in today's list (``None`` for an empty list)."""
    return max((o.order_id for o in orders), default=None)


def direction_of(side: str) -> Direction | None:
    """``"BUY"``/``"SELL"`` (a journal string or a :class:`Side`) as a result direction."""
    value = str(side)
    return "BUY" if value == Side.BUY.value else "SELL" if value == Side.SELL.value else None


class Resolver:
    """Resolves orders from the broker; see the module docstring."""

    def __init__(
        self,
        broker: Broker,
        journal: Journal,
        tracker: OrderTracker,
        *,
        clock: Callable[[], datetime],
        sleep: Callable[[float], None],
        stop: threading.Event,
        retry_delay_s: float,
    ) -> None:
        """Wire the resolver to the executor's broker, journal and tracker."""
        self.broker, self.journal, self.tracker = broker, journal, tracker
        self.clock, self.sleep, self.stop, self.retry_delay_s = clock, sleep, stop, retry_delay_s

    # ------------------------------------------------------------------ asking the broker

    def orders(self) -> list[BrokerOrder]:
        """Today's orders, asked until the broker answers."""
        return patiently(
            "query_orders",
            self.broker.query_orders,
            self.broker,
            stop=self.stop,
            sleep=self.sleep,
            retry_s=self.retry_delay_s,
        )

    def find(self, rec: SignalRecord) -> tuple[BrokerOrder | None, list[BrokerOrder]]:
        """The record's order (by remark, then by order id) and the last list asked, re-asked if absent."""
        for attempt in range(NOT_FOUND_RECHECKS + 1):
            orders = self.orders()
            found = find_order_by_remark(orders, rec.remark)
            if found is None and rec.order_id is not None:
                found = next((o for o in orders if o.order_id == rec.order_id), None)
            if found is not None or attempt == NOT_FOUND_RECHECKS:
                return found, orders
            self.sleep(self.retry_delay_s / 2)
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ resolving

    def resolve(self, rec: SignalRecord, *, refused: str = "") -> OrderResult:
        """The result of an open journal record (never places anything).

        ``refused``: this process's broker call for ``rec`` was refused moments ago (the broker's
        answer), so an order missing from the list now is proof that none exists.
        """
        found, orders = self.find(rec)
        if found is not None:
            log.warning("找到委托 found order %s (%s) for %s", found.order_id, found.status, rec.signal_id)
            return self.track(rec, found)
        return self.without_order(rec, orders, refused=refused)

    def track(self, rec: SignalRecord, found: BrokerOrder) -> OrderResult:
        """Follow a broker order that belongs to ``rec`` to its final state."""
        if rec.state is SignalState.INTENT:
            try:
                self.journal.record_placed(rec.signal_id, found.order_id)
            except JournalWriteError as exc:  # the remark finds it again after a restart
                log.error("无法记录委托号 cannot journal order %s: %s", found.order_id, exc)
        working_s = (self.clock() - rec.intent_time).total_seconds() if rec.intent_time else 0.0
        final = self.tracker.follow(found.order_id, already_working_s=max(0.0, working_s))
        return self.finish(rec, final, direction_of(found.side), found.code, found.shares)

    def finish(
        self, rec: SignalRecord, final: FinalOrder, direction: Direction | None, code: str, shares: int
    ) -> OrderResult:
        """The result of a tracked order, with its trades' commission; a vanished order is looked up."""
        if final.status is OrderStatus.UNKNOWN:
            return self.without_order(replace(rec, order_id=final.order_id), None)
        fees, note = self._fees(final.order_id, rec.remark)
        final = FinalOrder(
            final.order_id, final.status, final.filled_shares, final.avg_price, final.message + note, fees
        )
        side = direction or direction_of(rec.direction) or "BUY"
        return order_result(rec.signal_id, code, side, shares, final, self.clock())

    def _fees(self, order_id: int, remark: str) -> tuple[float, str]:
        trades = order_trades(self.broker, order_id, remark, sleep=self.sleep)
        if trades is None:
            return 0.0, " 手续费未知 fees unknown: the trade query failed"
        return round(sum(t.commission for t in trades), 2), ""

    def without_order(
        self, rec: SignalRecord, orders: list[BrokerOrder] | None, *, refused: str = ""
    ) -> OrderResult:
        """No order in today's list: its trades, else a proven "not placed", else ``in_doubt``."""
        trades = order_trades(self.broker, rec.order_id, rec.remark, sleep=self.sleep)
        direction = direction_of(rec.direction)
        if trades:
            filled = sum(t.shares for t in trades)
            avg = round(sum(t.shares * t.price for t in trades) / filled, 6)
            status = OrderStatus.FILLED if filled >= rec.shares else OrderStatus.PART_CANCELLED
            fees = round(sum(t.commission for t in trades), 2)
            order_id = rec.order_id if rec.order_id is not None else trades[0].order_id
            log.warning("委托已不在列表，按成交记录核对 %s: %d shares filled", rec.signal_id, filled)
            final = FinalOrder(order_id, status, filled, avg, "按成交记录 resolved from its trades", fees)
            side = direction or direction_of(trades[0].side) or "BUY"
            code = rec.code or trades[0].code
            return order_result(rec.signal_id, code, side, max(rec.shares, filled), final, self.clock())
        if trades is not None and refused:
            return refused_result(rec.signal_id, rec.code, direction, rec.shares, refused, self.clock())
        if trades is not None and self._never_placed(rec, orders):
            log.error("券商无此委托，不重新下单 no broker order for %s (%s)", rec.signal_id, rec.remark)
            return not_placed_result(rec.signal_id, rec.code, direction, rec.shares, self.clock())
        position = self._position(rec.code)
        log.error(
            "!!! 无法确认委托结果 %s (order %s): IN DOUBT — position before %s, now %s",
            rec.signal_id,
            rec.order_id,
            rec.position_before,
            position,
        )
        return in_doubt_result(
            rec.signal_id,
            rec.code,
            direction,
            rec.shares,
            self.clock(),
            order_id=rec.order_id,
            position_before=rec.position_before,
            position_now=position,
        )

    @staticmethod
    def _never_placed(rec: SignalRecord, orders: list[BrokerOrder] | None) -> bool:
        """Provably never placed: no order id came back, and today's list still covers the intent."""
        if rec.order_id is not None or rec.watermark is None or orders is None:
            return False
        return any(o.order_id == rec.watermark for o in orders)

    def _position(self, code: str) -> int | None:
        """The broker's volume in ``code`` now (``None`` when the position query keeps failing)."""
        for _ in range(3):
            positions = self.broker.query_positions() if self.broker.connected else None
            if positions is not None:
                return sum(p.volume for p in positions if p.code == code)
            self.sleep(0.2)
        return None
