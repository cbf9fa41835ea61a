"""Building the executor's :class:`OrderResult` messages."""

from __future__ import annotations

from datetime import datetime

from windows_bridge.brokers.interface import OrderStatus
from windows_bridge.contract.messages import Direction, OrderResult, OrderSignal, ResultStatus
from windows_bridge.executor.pretrade import Refusal
from windows_bridge.executor.tracker import FinalOrder


def refusal_result(signal: OrderSignal, refusal: Refusal, now: datetime, *, simulate: bool) -> OrderResult:
    """A REJECTED result for a signal that did not pass a check."""
    return OrderResult(
        signal_id=signal.signal_id,
        status=ResultStatus.REJECTED,
        code=signal.code,
        direction=signal.direction,
        requested_shares=max(0, signal.shares),
        message=refusal.message,
        reason_code=refusal.reason_code,
        timestamp=now,
        simulate=simulate,
    )


def unreadable_result(signal_id: str, reason: str, now: datetime, *, simulate: bool) -> OrderResult:
    """A REJECTED result for a signal file that could not be parsed or validated."""
    return OrderResult(
        signal_id=signal_id,
        status=ResultStatus.REJECTED,
        message=f"信号文件无效，已移入 order_signal_rejected/ invalid signal file: {reason}"[:2000],
        reason_code="invalid_signal",
        timestamp=now,
        simulate=simulate,
    )


def simulated_result(signal: OrderSignal, now: datetime) -> OrderResult:
    """A SIMULATED fill of the whole order at the signal price (simulate mode)."""
    return OrderResult(
        signal_id=signal.signal_id,
        status=ResultStatus.SIMULATED,
        code=signal.code,
        direction=signal.direction,
        requested_shares=signal.shares,
        filled_shares=signal.shares,
        avg_price=signal.price,
        message=f"[SIMULATE] 模拟下单 {signal.direction} {signal.code} {signal.shares} @ {signal.price}",
        timestamp=now,
        simulate=True,
    )


_STATUS_CODES: dict[OrderStatus, tuple[ResultStatus, str]] = {
    OrderStatus.FILLED: (ResultStatus.FILLED, ""),
    OrderStatus.PART_CANCELLED: (ResultStatus.CANCELLED, "cancelled"),
    OrderStatus.CANCELLED: (ResultStatus.CANCELLED, "cancelled"),
    OrderStatus.REJECTED: (ResultStatus.REJECTED, "broker_rejected"),
}


def order_result(
    signal_id: str, code: str, direction: Direction, shares: int, final: FinalOrder, now: datetime
) -> OrderResult:
    """The result of an order the broker took: real filled shares and average price."""
    status, reason = _STATUS_CODES.get(final.status, (ResultStatus.REJECTED, "broker_unknown"))
    if final.filled_shares and status is not ResultStatus.FILLED:
        status, reason = ResultStatus.PARTIALLY_FILLED, "partially_filled"
    text = {
        ResultStatus.FILLED: "全部成交 filled",
        ResultStatus.PARTIALLY_FILLED: "部分成交，余量已撤 partially filled, rest cancelled",
        ResultStatus.CANCELLED: "未成交，已撤单 nothing filled, cancelled",
        ResultStatus.REJECTED: "券商拒单 rejected by the broker",
    }[status]
    return OrderResult(
        signal_id=signal_id,
        status=status,
        order_id=final.order_id,
        code=code,
        direction=direction,
        requested_shares=shares,
        filled_shares=final.filled_shares,
        avg_price=final.avg_price if final.filled_shares else 0.0,
        message=f"{text}: {final.filled_shares}/{shares}" + (f" ({final.message})" if final.message else ""),
        reason_code=reason,
        timestamp=now,
    )


def not_placed_result(
    signal_id: str, code: str, direction: Direction | None, shares: int, now: datetime, *, previous_day: bool
) -> OrderResult:
    """An intent the broker has no order for: it was never placed, and it is not placed now."""
    if previous_day:
        reason = "unresolved_previous_day"
        text = (
            "上一交易日的意图在券商今日委托中查不到，未重新下单，请核对持仓 "
            "intent from an earlier day is not in today's orders; "
            "not re-placed — check the broker's positions"
        )
    else:
        reason = "not_placed_before_crash"
        text = (
            "执行器在下单前中断，券商无此委托，未重新下单 "
            "executor stopped before the order reached the broker; "
            "not placed and never re-placed automatically"
        )
    return OrderResult(
        signal_id=signal_id,
        status=ResultStatus.REJECTED,
        code=code,
        direction=direction,
        requested_shares=shares,
        message=text,
        reason_code=reason,
        timestamp=now,
    )


def conflict_result(signal: OrderSignal, now: datetime) -> OrderResult:
    """The same signal id came back with another payload: refused, the first one stands."""
    return OrderResult(
        signal_id=signal.signal_id,
        status=ResultStatus.REJECTED,
        code=signal.code,
        direction=signal.direction,
        requested_shares=max(0, signal.shares),
        message="同一 signal_id 的内容与已执行的不同，拒绝 signal_id reused with a different payload",
        reason_code="payload_conflict",
        timestamp=now,
    )
