"""Conversions from xtquant's objects and constants to the broker interface's types."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from xtquant import xtconstant

from windows_bridge.brokers.interface import (
    BrokerAsset,
    BrokerOrder,
    BrokerPositionInfo,
    BrokerTrade,
    OrderStatus,
    Side,
)
from windows_bridge.contract.market_hours import SHANGHAI

STATUS_MAP: dict[int, OrderStatus] = {
    xtconstant.ORDER_UNREPORTED: OrderStatus.PENDING,
    xtconstant.ORDER_WAIT_REPORTING: OrderStatus.PENDING,
    xtconstant.ORDER_REPORTED: OrderStatus.PENDING,
    xtconstant.ORDER_REPORTED_CANCEL: OrderStatus.PENDING,
    # 52 部成待撤: part filled, cancel on the way — more fills may still come, so not final yet
    xtconstant.ORDER_PARTSUCC_CANCEL: OrderStatus.PARTIAL,
    xtconstant.ORDER_PART_CANCEL: OrderStatus.PART_CANCELLED,
    xtconstant.ORDER_CANCELED: OrderStatus.CANCELLED,
    xtconstant.ORDER_PART_SUCC: OrderStatus.PARTIAL,
    xtconstant.ORDER_SUCCEEDED: OrderStatus.FILLED,
    xtconstant.ORDER_JUNK: OrderStatus.REJECTED,
    xtconstant.ORDER_UNKNOWN: OrderStatus.UNKNOWN,
}


ACCOUNT_STATUS_TEXT: dict[int, str] = {
    xtconstant.ACCOUNT_STATUS_INVALID: "invalid",
    xtconstant.ACCOUNT_STATUS_OK: "ok",
    xtconstant.ACCOUNT_STATUS_WAITING_LOGIN: "waiting_login",
    xtconstant.ACCOUNT_STATUSING: "logging_in",
    xtconstant.ACCOUNT_STATUS_FAIL: "failed",
    xtconstant.ACCOUNT_STATUS_INITING: "initialising",
    xtconstant.ACCOUNT_STATUS_CORRECTING: "correcting",
    xtconstant.ACCOUNT_STATUS_CLOSED: "closed",
}


def _moment(epoch_s: Any) -> datetime | None:
    try:
        value = float(epoch_s)
    except (TypeError, ValueError):
        return None
    if value <= 0:
        return None
    if value > 1e11:  # some builds report ms
        value /= 1000.0
    return datetime.fromtimestamp(value, SHANGHAI)


def _side(order_type: Any) -> Side:
    return Side.BUY if order_type == xtconstant.STOCK_BUY else Side.SELL


def map_status(order_status: Any) -> OrderStatus:
    """``xtconstant.ORDER_*`` → :class:`OrderStatus` (unknown codes → UNKNOWN)."""
    try:
        return STATUS_MAP.get(int(order_status), OrderStatus.UNKNOWN)
    except (TypeError, ValueError):
        return OrderStatus.UNKNOWN


def order_from_xt(o: Any) -> BrokerOrder:
    """``XtOrder`` → :class:`BrokerOrder`."""
    return BrokerOrder(
        order_id=int(o.order_id),
        code=str(o.stock_code),
        side=_side(o.order_type),
        price=float(o.price),
        shares=int(o.order_volume),
        filled_shares=int(o.traded_volume or 0),
        avg_price=float(o.traded_price or 0.0),
        status=map_status(o.order_status),
        remark=str(o.order_remark or ""),
        message=str(o.status_msg or ""),
        time=_moment(o.order_time),
    )


def trade_from_xt(t: Any) -> BrokerTrade:
    """``XtTrade`` → :class:`BrokerTrade`."""
    return BrokerTrade(
        trade_id=str(t.traded_id),
        order_id=int(t.order_id),
        code=str(t.stock_code),
        side=_side(t.order_type),
        shares=int(t.traded_volume),
        price=float(t.traded_price),
        remark=str(t.order_remark or ""),
        time=_moment(t.traded_time),
        commission=_number(getattr(t, "commission", 0.0)),
    )


def _number(value: Any) -> float:
    """A finite, non-negative float from a broker field (missing or garbage → 0)."""
    try:
        number = float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def position_from_xt(p: Any) -> BrokerPositionInfo:
    """``XtPosition`` → :class:`BrokerPositionInfo` (``avg_price`` falls back to ``open_price``)."""
    avg = _number(getattr(p, "avg_price", 0.0)) or _number(getattr(p, "open_price", 0.0))
    return BrokerPositionInfo(
        code=str(p.stock_code),
        volume=int(p.volume),
        can_use_volume=int(p.can_use_volume),
        avg_price=avg,
        market_value=_number(p.market_value),
        frozen_volume=int(getattr(p, "frozen_volume", 0) or 0),
        yesterday_volume=int(getattr(p, "yesterday_volume", 0) or 0),
    )


def asset_from_xt(a: Any) -> BrokerAsset:
    """``XtAsset`` → :class:`BrokerAsset`."""
    return BrokerAsset(
        cash=float(a.cash),
        frozen_cash=float(a.frozen_cash),
        market_value=float(a.market_value),
        total_asset=float(a.total_asset),
    )
