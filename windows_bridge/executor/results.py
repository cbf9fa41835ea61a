"""Building the executor's :class:`OrderResult` messages.

:func:`order_result` is the one map from a broker's final order state to a result (used for live
orders, recovered orders and orders rebuilt from their trades). :func:`in_doubt_result` answers an
order whose fate the broker can no longer show — never "not placed".
"""

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


def unreadable_result(
    signal_id: str, reason: str, now: datetime, *, simulate: bool, kept_aside: bool = True
) -> OrderResult:
    """A REJECTED result for a signal file that could not be parsed or validated."""
    where = (
        "已移入 order_signal_rejected/"
        if kept_aside
        else "无法移走，保持原样且不再处理 could not be moved aside: left in place, ignored while unchanged;"
    )
    return OrderResult(
        signal_id=signal_id,
        status=ResultStatus.REJECTED,
        message=f"信号文件无效，{where} invalid signal file: {reason}"[:2000],
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


#: the broker's final order state → (result status, reason code); anything else is not final
FINAL_STATE_MAP: dict[OrderStatus, tuple[ResultStatus, str]] = {
    OrderStatus.FILLED: (ResultStatus.FILLED, ""),
    OrderStatus.PART_CANCELLED: (ResultStatus.CANCELLED, "cancelled"),  # + fills → partially_filled
    OrderStatus.CANCELLED: (ResultStatus.CANCELLED, "cancelled"),
    OrderStatus.REJECTED: (ResultStatus.REJECTED, "broker_rejected"),
}

_TEXT = {
    ResultStatus.FILLED: "全部成交 filled",
    ResultStatus.PARTIALLY_FILLED: "部分成交，余量已撤 partially filled, rest cancelled",
    ResultStatus.CANCELLED: "未成交，已撤单 nothing filled, cancelled",
    ResultStatus.REJECTED: "券商拒单 rejected by the broker",
}


def final_status(final: FinalOrder) -> tuple[ResultStatus, str]:
    """The result status of a broker-final order: filled shares are never reported as nothing."""
    if final.status not in FINAL_STATE_MAP:
        raise ValueError(f"order {final.order_id} is not final ({final.status.value})")
    status, reason = FINAL_STATE_MAP[final.status]
    if final.filled_shares and status is not ResultStatus.FILLED:
        status, reason = ResultStatus.PARTIALLY_FILLED, "partially_filled"
    return status, reason


def order_result(
    signal_id: str, code: str, direction: Direction, shares: int, final: FinalOrder, now: datetime
) -> OrderResult:
    """The result of an order the broker took: real filled shares, average price and fees."""
    status, reason = final_status(final)
    detail = f" ({final.message})" if final.message else ""
    return OrderResult(
        signal_id=signal_id,
        status=status,
        order_id=final.order_id,
        code=code,
        direction=direction,
        requested_shares=shares,
        filled_shares=final.filled_shares,
        avg_price=final.avg_price if final.filled_shares else 0.0,
        fees=round(final.fees, 2) if final.filled_shares else 0.0,
        message=f"{_TEXT[status]}: {final.filled_shares}/{shares}{detail}",
        reason_code=reason,
        timestamp=now,
    )


def _nothing_placed(
    signal_id: str,
    code: str,
    direction: Direction | None,
    shares: int,
    now: datetime,
    message: str,
    reason: str,
) -> OrderResult:
    return OrderResult(
        signal_id=signal_id,
        status=ResultStatus.REJECTED,
        code=code,
        direction=direction,
        requested_shares=shares,
        message=message[:2000],
        reason_code=reason,
        timestamp=now,
    )


def not_placed_result(
    signal_id: str, code: str, direction: Direction | None, shares: int, now: datetime
) -> OrderResult:
    """An intent the broker provably never received: it was not placed, and it is not placed now.

    Only when today's order list still covers the moment of the intent (see
    :mod:`windows_bridge.executor.recovery`); otherwise the answer is :func:`in_doubt_result`.
    """
    text = (
        "执行器在下单前中断，券商无此委托，未重新下单 executor stopped before the order reached the broker; "
        "not placed and never re-placed automatically"
    )
    return _nothing_placed(signal_id, code, direction, shares, now, text, "not_placed_before_crash")


def refused_result(
    signal_id: str, code: str, direction: Direction | None, shares: int, why: str, now: datetime
) -> OrderResult:
    """The broker refused the order at submission (and lists no order for it): nothing was placed."""
    text = f"券商拒绝下单 the broker refused the order at submission: {why}"
    return _nothing_placed(signal_id, code, direction, shares, now, text, "broker_rejected")


def in_doubt_result(
    signal_id: str,
    code: str,
    direction: Direction | None,
    shares: int,
    now: datetime,
    *,
    order_id: int | None,
    position_before: int | None,
    position_now: int | None,
) -> OrderResult:
    """The broker can no longer show this order's fate: hold and reconcile with the broker's position."""
    known = f"委托号 order {order_id}" if order_id is not None else "下单结果未知 order call outcome unknown"
    before = "?" if position_before is None else str(position_before)
    after = "?" if position_now is None else str(position_now)
    return OrderResult(
        signal_id=signal_id,
        status=ResultStatus.IN_DOUBT,
        order_id=order_id,
        code=code,
        direction=direction,
        requested_shares=shares,
        message=(
            f"无法从券商确认该委托结果（{known}；可能已跨交易日），请按券商持仓核对："
            f"下单前持仓 {before}，现在 {after} — the broker no longer shows this order's fate; "
            f"position before {before}, now {after}: reconcile with the broker's position"
        ),
        reason_code="order_not_found" if order_id is not None else "intent_unresolved",
        timestamp=now,
        position_at_intent=position_before,
        broker_position=position_now,
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
