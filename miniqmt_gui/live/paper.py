"""Paper mode: signals fill in-process on a :class:`SimBroker` against the live quotes.

Nothing goes to the shared folder's signal file, so the real executor never sees a paper order.
The paper book lives in ``dashboard_state_paper.json`` and the simulated account in
``paper_ledger.json`` (both in the work folder), so paper and live books never mix. The broker
position the paper book is synced against is the simulated account's, not the real one.

An order is tagged with the signal's ``order_remark`` exactly like the real executor does, so a
restart finds a paper order placed before a crash instead of placing it twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from windows_bridge.brokers.interface import BrokerOrder, OrderStatus, Side, find_order_by_remark
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.fees import FeeSchedule
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import (
    AssetInfo,
    BrokerPosition,
    OrderResult,
    OrderSignal,
    ResultStatus,
    SharedQuote,
    order_remark,
)

FINAL_TO_RESULT = {
    OrderStatus.FILLED: ResultStatus.FILLED,
    OrderStatus.PART_CANCELLED: ResultStatus.PARTIALLY_FILLED,
    OrderStatus.CANCELLED: ResultStatus.CANCELLED,
    OrderStatus.REJECTED: ResultStatus.REJECTED,
}


class PaperRoute:
    """An :class:`~miniqmt_gui.live.routes.OrderRoute` backed by an in-process SimBroker."""

    def __init__(
        self,
        broker: SimBroker,
        *,
        order_timeout_s: float = 30.0,
        clock: Callable[[], datetime] = now_shanghai,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        """Route paper signals to ``broker``; an order working after ``order_timeout_s`` is cancelled."""
        self.broker = broker
        self.order_timeout_s = order_timeout_s
        self._clock = clock
        self._mono = monotonic or time.monotonic
        self._signal: OrderSignal | None = None
        self._placed_at = 0.0
        self._result: OrderResult | None = None

    def send(self, signal: OrderSignal) -> None:
        """Place the paper order (a re-emitted signal already placed is only tracked again)."""
        self._signal, self._placed_at, self._result = signal, self._mono(), None
        if self._find(signal) is None:
            side = Side.BUY if signal.direction == "BUY" else Side.SELL
            self.broker.place_limit_order(signal.code, side, signal.shares, signal.price,
                                          order_remark(signal.signal_id))

    def _find(self, signal: OrderSignal) -> BrokerOrder | None:
        orders = self.broker.query_orders() or []
        return find_order_by_remark(orders, order_remark(signal.signal_id))

    def pump(self) -> None:
        """Follow the working order: cancel it after the timeout, turn its final state into a result."""
        while self.broker.next_event(0) is not None:
            pass
        signal = self._signal
        if signal is None or self._result is not None:
            return
        order = self._find(signal)
        if order is None:
            return
        if not order.status.is_final and self._mono() - self._placed_at >= self.order_timeout_s:
            self.broker.cancel_order(order.order_id)
            order = self._find(signal) or order
        if order.status.is_final:
            self._result = self._to_result(signal, order)

    def _to_result(self, signal: OrderSignal, order: BrokerOrder) -> OrderResult:
        status = FINAL_TO_RESULT.get(order.status, ResultStatus.CANCELLED)
        if status is ResultStatus.PARTIALLY_FILLED and order.filled_shares == 0:
            status = ResultStatus.CANCELLED
        return OrderResult(
            signal_id=signal.signal_id, status=status, order_id=order.order_id, code=signal.code,
            direction=signal.direction, requested_shares=signal.shares, filled_shares=order.filled_shares,
            avg_price=order.avg_price if order.filled_shares else 0.0, message=f"[PAPER] {order.message}",
            timestamp=self._clock(), simulate=True,
        )

    def poll_result(self) -> OrderResult | None:
        """The paper order's final result, once there is one."""
        return self._result

    def signal_waiting(self, signal_id: str) -> bool:
        """Paper signals are never waiting in a file."""
        return False

    def executor_knows(self, signal_id: str) -> bool:
        """Always False: recovery then re-sends the signal, and :meth:`send` finds an order placed
        before the crash by its remark and only follows it (never a second paper order)."""
        return False

    def on_quote(self, quote: SharedQuote) -> SharedQuote:
        """Feed the price to the paper account; return the quote carrying the *paper* position."""
        self.broker.on_quote(quote.code, quote.price, time=quote.time,
                             up_stop=quote.up_stop_price, down_stop=quote.down_stop_price)
        self.pump()
        positions = self.broker.query_positions()
        asset = self.broker.query_asset()
        if positions is None or asset is None:
            return quote.model_copy(update={"positions_status": "failed", "position": None})
        pos = next((p for p in positions if p.code == quote.code), None)
        position = BrokerPosition(
            volume=pos.volume if pos else 0, can_use_volume=pos.can_use_volume if pos else 0,
            avg_price=pos.avg_price if pos else 0.0, market_value=pos.market_value if pos else 0.0,
        )
        paper_asset = AssetInfo(cash=asset.cash, total_asset=asset.total_asset,
                                market_value=asset.market_value, frozen_cash=asset.frozen_cash)
        return quote.model_copy(update={"positions_status": "ok", "position": position, "asset": paper_asset})


def open_paper_broker(ledger_path: Path, *, initial_cash: float, base_shares: int | None, code: str,
                      clock: Callable[[], datetime] = now_shanghai) -> SimBroker:
    """The paper account: cash plus the base position (so same-day lots can be sold, as live)."""
    positions = {code: base_shares} if base_shares else None
    return SimBroker(ledger_path, initial_cash=initial_cash, initial_positions=positions,
                     fees=FeeSchedule(rate=0.0001), clock=clock)
