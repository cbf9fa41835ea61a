"""Build real ``xtquant.xttype`` objects from the simulated broker's records."""

from __future__ import annotations

from datetime import datetime

from xtquant import xtconstant, xttype

from windows_bridge.brokers.interface import (
    BrokerAsset,
    BrokerOrder,
    BrokerPositionInfo,
    BrokerTrade,
    OrderStatus,
    Side,
)

#: The ``price_type`` QMT reports back for a limit order is not the FIX_PRICE (11) that was sent:
#: 50 has been seen in practice, so the fake reports 50 too and nobody may rely on the echo.
REPORTED_LIMIT_PRICE_TYPE = 50

#: neutral status → the xtconstant value the fake pushes
STATUS_TO_XT: dict[OrderStatus, int] = {
    OrderStatus.PENDING: xtconstant.ORDER_REPORTED,
    OrderStatus.PARTIAL: xtconstant.ORDER_PART_SUCC,
    OrderStatus.FILLED: xtconstant.ORDER_SUCCEEDED,
    OrderStatus.PART_CANCELLED: xtconstant.ORDER_PART_CANCEL,
    OrderStatus.CANCELLED: xtconstant.ORDER_CANCELED,
    OrderStatus.REJECTED: xtconstant.ORDER_JUNK,
    OrderStatus.UNKNOWN: xtconstant.ORDER_UNKNOWN,
}

SECU_ACCOUNT = "0123456789"
#: ``instrument_name`` of every simulated object (the fake xtdata reports the same name)
INSTRUMENT_NAME = "模拟ETF"


def _epoch_s(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0


def _order_type(side: Side) -> int:
    return xtconstant.STOCK_BUY if side is Side.BUY else xtconstant.STOCK_SELL


def _offset_flag(side: Side) -> int:
    return xtconstant.DIRECTION_FLAG_BUY if side is Side.BUY else xtconstant.DIRECTION_FLAG_SELL


def xt_order(
    account_id: str, order: BrokerOrder, *, strategy_name: str = "", status: int | None = None
) -> xttype.XtOrder:
    """An ``XtOrder`` for ``order``; ``status`` overrides the mapped one (48, 51, 52 on the way)."""
    return xttype.XtOrder(
        account_id,
        order.code,
        order.order_id,
        f"S{order.order_id}",
        _epoch_s(order.time),
        _order_type(order.side),
        order.shares,
        REPORTED_LIMIT_PRICE_TYPE,
        order.price,
        order.filled_shares,
        order.avg_price,
        STATUS_TO_XT[order.status] if status is None else status,
        order.message,
        strategy_name,
        order.remark,
        xtconstant.DIRECTION_FLAG_LONG,
        _offset_flag(order.side),
        SECU_ACCOUNT,
        INSTRUMENT_NAME,
    )


def xt_trade(account_id: str, trade: BrokerTrade, strategy_name: str = "") -> xttype.XtTrade:
    """An ``XtTrade`` for one fill, with the commission the simulated broker charged for it."""
    amount = round(trade.shares * trade.price, 2)
    return xttype.XtTrade(
        account_id,
        trade.code,
        _order_type(trade.side),
        trade.trade_id,
        _epoch_s(trade.time),
        trade.price,
        trade.shares,
        amount,
        trade.order_id,
        f"S{trade.order_id}",
        strategy_name,
        trade.remark,
        xtconstant.DIRECTION_FLAG_LONG,
        _offset_flag(trade.side),
        trade.commission,
        SECU_ACCOUNT,
        INSTRUMENT_NAME,
    )


def xt_position(account_id: str, pos: BrokerPositionInfo) -> xttype.XtPosition:
    """An ``XtPosition`` with QMT's field meanings (see :class:`BrokerPositionInfo`).

    ``open_price`` is the cost price here too (a cash account has no separate opening price);
    ``on_road_volume`` (在途: subscriptions, transfers) is always 0 for exchange-traded buys; the
    real object also carries ``float_profit``, ``open_date`` and ``position_profit``.
    """
    last = round(pos.market_value / pos.volume, 4) if pos.volume else 0.0
    profit = (last / pos.avg_price - 1.0) if pos.avg_price and pos.volume else 0.0
    xt = xttype.XtPosition(
        account_id,
        pos.code,
        pos.volume,
        pos.can_use_volume,
        pos.avg_price,
        pos.market_value,
        pos.frozen_volume,
        0,
        pos.yesterday_volume,
        pos.avg_price,
        xtconstant.DIRECTION_FLAG_LONG,
        last,
        round(profit, 6),
        SECU_ACCOUNT,
        INSTRUMENT_NAME,
    )
    xt.float_profit = round(pos.market_value - pos.avg_price * pos.volume, 2)
    xt.open_date = ""
    xt.position_profit = 0.0
    return xt


def xt_asset(account_id: str, asset: BrokerAsset) -> xttype.XtAsset:
    """An ``XtAsset`` (``fetch_balance`` = available cash)."""
    return xttype.XtAsset(
        account_id, asset.cash, asset.frozen_cash, asset.market_value, asset.total_asset, asset.cash
    )


def xt_order_error(
    account_id: str,
    order_id: int,
    error_id: int,
    message: str,
    remark: str,
    seq: int,
    strategy_name: str = "",
) -> xttype.XtOrderError:
    """An ``XtOrderError``; QMT's pushed object also carries the request ``seq``."""
    err = xttype.XtOrderError(account_id, order_id, error_id, message, strategy_name, remark)
    err.seq = seq
    return err


def xt_cancel_error(account_id: str, order_id: int, message: str, code: str = "") -> xttype.XtCancelError:
    """An ``XtCancelError`` (market 0 = Shanghai, 1 = Shenzhen)."""
    market = 0 if code.endswith(".SH") else 1
    return xttype.XtCancelError(account_id, order_id, market, f"S{order_id}", -1, message)
