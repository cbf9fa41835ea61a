"""XtBroker against the xtquant fake: connect, orders, rejections, cancels, disconnects, queries."""

from __future__ import annotations

import pytest
from xtquant import xtconstant

from windows_bridge.brokers.interface import (
    Broker,
    BrokerError,
    CancelErrorEvent,
    DisconnectedEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
    Side,
    TradeEvent,
    find_order_by_remark,
)
from windows_bridge.brokers.xtquant.convert import STATUS_MAP, map_status

from .xtfake_helpers import ACCOUNT, CODE, FakeMonotonic, collect, make_broker, make_terminal, wait_for


def final_order(events):
    return any(isinstance(e, OrderEvent) and e.order.status.is_final for e in events)


def order_statuses(events):
    return [e.order.status for e in events if isinstance(e, OrderEvent)]


@pytest.fixture
def terminal(tmp_path):
    term = make_terminal(tmp_path)
    yield term
    term.shutdown()


@pytest.fixture
def broker(terminal):
    b = make_broker(terminal)
    assert b.connect()
    yield b
    b.close()


# ---------------------------------------------------------------- status mapping


def test_status_mapping_covers_every_xt_order_status():
    assert map_status(xtconstant.ORDER_UNREPORTED) is OrderStatus.PENDING
    assert map_status(xtconstant.ORDER_REPORTED) is OrderStatus.PENDING
    assert map_status(xtconstant.ORDER_REPORTED_CANCEL) is OrderStatus.PENDING
    assert map_status(xtconstant.ORDER_PART_SUCC) is OrderStatus.PARTIAL
    assert map_status(xtconstant.ORDER_SUCCEEDED) is OrderStatus.FILLED
    assert map_status(xtconstant.ORDER_PART_CANCEL) is OrderStatus.PART_CANCELLED
    assert map_status(xtconstant.ORDER_CANCELED) is OrderStatus.CANCELLED
    assert map_status(xtconstant.ORDER_JUNK) is OrderStatus.REJECTED
    assert map_status(xtconstant.ORDER_UNKNOWN) is OrderStatus.UNKNOWN
    assert map_status(12345) is OrderStatus.UNKNOWN
    final = {code for code, status in STATUS_MAP.items() if status.is_final}
    assert final == {53, 54, 56, 57}  # 52 (部成待撤) may still fill: not final


# ---------------------------------------------------------------- connect / subscribe


def test_connect_subscribes_and_reports_account_status(terminal):
    broker = make_broker(terminal)
    assert isinstance(broker, Broker)
    assert not broker.connected
    assert broker.connect()
    assert broker.connected and broker.session_id
    assert wait_for(lambda: broker.account_status == "ok")
    broker.close()


def test_connect_failure_backs_off_then_uses_a_new_session(terminal):
    clock = FakeMonotonic()
    broker = make_broker(terminal, monotonic=clock, backoff_s=(5.0,))
    terminal.fail_connect = 1
    assert not broker.connect()
    assert not broker.connected and "connect() returned -1" in broker.last_error
    first_session = broker.session_id
    assert not broker.reconnect()  # still backing off: no attempt
    assert broker.session_id == first_session
    clock.now += 5.0
    assert broker.reconnect()
    assert broker.connected and broker.session_id != first_session
    broker.close()


def test_subscribe_failure_is_a_failed_connect(terminal):
    terminal.fail_subscribe = 1
    broker = make_broker(terminal)
    assert not broker.connect()
    assert "subscribe" in broker.last_error
    assert broker.query_positions() is None
    assert broker.connect()  # next time it works
    broker.close()


def test_no_qmt_at_the_path_means_not_connected(tmp_path):
    from windows_bridge.brokers.xtquant.execution import XtBroker
    from windows_bridge.brokers.xtquant.fake import XtQuantTrader

    broker = XtBroker(str(tmp_path / "nothing-here"), ACCOUNT, trader_factory=XtQuantTrader)
    assert not broker.connect()
    with pytest.raises(BrokerError):
        broker.place_limit_order(CODE, Side.BUY, 100, 1.0, "r")
    assert broker.query_orders() is None


# ---------------------------------------------------------------- order lifecycle


def test_order_accepted_then_partial_then_filled(tmp_path):
    terminal = make_terminal(tmp_path, fill_ratio=0.5)
    broker = make_broker(terminal)
    assert broker.connect()
    terminal.feed(CODE, 1.000)
    order_id = broker.place_limit_order(CODE, Side.BUY, 1000, 1.000, "B1_aaaa")
    events = collect(broker, lambda ev: OrderStatus.PARTIAL in order_statuses(ev))
    assert order_statuses(events) == [OrderStatus.PENDING, OrderStatus.PENDING, OrderStatus.PARTIAL]
    trades = [e.trade for e in events if isinstance(e, TradeEvent)]
    assert [(t.order_id, t.shares, t.price, t.remark) for t in trades] == [(order_id, 500, 1.0, "B1_aaaa")]
    terminal.feed(CODE, 0.999)
    events = collect(broker, final_order)
    last = [e.order for e in events if isinstance(e, OrderEvent)][-1]
    assert last.status is OrderStatus.FILLED and last.filled_shares == 1000
    assert last.avg_price == pytest.approx(0.9995)
    assert last.remark == "B1_aaaa"
    pos = {p.code: p for p in broker.query_positions()}[CODE]
    assert pos.volume == 1000 and pos.can_use_volume == 0  # T+1
    assert terminal.deadlocks == []
    broker.close()
    terminal.shutdown()


@pytest.mark.parametrize(
    ("side", "shares", "price", "needle"),
    [
        (Side.BUY, 150, 1.0, "100"),  # lots
        (Side.BUY, 2_000_000, 1.0, "资金"),  # cash
        (Side.BUY, 100, 1.2, "涨跌停"),  # price band
        (Side.SELL, 100, 1.0, "T+1"),  # nothing sellable
    ],
)
def test_rejections_come_back_as_error_and_junk_order(broker, terminal, side, shares, price, needle):
    terminal.band = (1.1, 0.9)
    terminal.feed(CODE, 1.0)
    order_id = broker.place_limit_order(CODE, side, shares, price, "R1")
    events = collect(broker, final_order)
    errors = [e for e in events if isinstance(e, OrderErrorEvent)]
    assert len(errors) == 1 and errors[0].order_id == order_id and needle in errors[0].message
    assert errors[0].remark == "R1"
    last = [e.order for e in events if isinstance(e, OrderEvent)][-1]
    assert last.status is OrderStatus.REJECTED and needle in last.message and last.filled_shares == 0


def test_same_day_buy_cannot_be_sold_t_plus_1(broker, terminal):
    terminal.feed(CODE, 1.0)
    broker.place_limit_order(CODE, Side.BUY, 500, 1.0, "B")
    collect(broker, final_order)
    broker.place_limit_order(CODE, Side.SELL, 500, 1.0, "S")
    events = collect(broker, final_order)
    assert order_statuses(events)[-1] is OrderStatus.REJECTED


def test_cancel_after_partial_fill(tmp_path):
    terminal = make_terminal(tmp_path, fill_ratio=0.5)
    broker = make_broker(terminal)
    assert broker.connect()
    terminal.feed(CODE, 1.0)
    order_id = broker.place_limit_order(CODE, Side.BUY, 1000, 1.0, "C1")
    collect(broker, lambda ev: OrderStatus.PARTIAL in order_statuses(ev))
    assert broker.cancel_order(order_id)
    events = collect(broker, final_order)
    orders = [e.order for e in events if isinstance(e, OrderEvent)]
    assert orders[-1].status is OrderStatus.PART_CANCELLED and orders[-1].filled_shares == 500
    assert not orders[0].status.is_final  # 52 部成待撤 first, not final
    assert not broker.cancel_order(order_id)  # already final
    assert any(isinstance(e, CancelErrorEvent) for e in collect(broker, lambda ev: bool(ev), 1.0))
    asset = broker.query_asset()
    assert asset is not None and asset.frozen_cash == 0
    broker.close()
    terminal.shutdown()


# ---------------------------------------------------------------- disconnects, reconnect, reconciliation


def test_disconnect_mid_order_then_reconnect_and_reconcile_by_remark(broker, terminal):
    terminal.feed(CODE, 1.010)
    order_id = broker.place_limit_order(CODE, Side.BUY, 300, 1.000, "B2_12345678_9abcdef0")
    collect(broker, lambda ev: len(order_statuses(ev)) == 2)
    old_session = broker.session_id
    terminal.disconnect("QMT restarted")
    events = collect(broker, lambda ev: any(isinstance(e, DisconnectedEvent) for e in ev))
    assert any(isinstance(e, DisconnectedEvent) for e in events)
    assert not broker.connected
    assert broker.query_orders() is None
    with pytest.raises(BrokerError):
        broker.place_limit_order(CODE, Side.BUY, 100, 1.0, "X")
    assert broker.reconnect(force=True)
    assert broker.session_id != old_session
    orders = broker.query_orders()
    assert orders is not None
    found = find_order_by_remark(orders, "B2_12345678_9abcdef0")
    assert found is not None and found.order_id == order_id and found.status is OrderStatus.PENDING
    terminal.feed(CODE, 0.998)  # the working order fills; the new session gets the pushes
    events = collect(broker, final_order)
    assert order_statuses(events)[-1] is OrderStatus.FILLED


def test_qmt_down_refuses_new_sessions_until_it_is_back(broker, terminal):
    terminal.disconnect("QMT closed", down=True)
    collect(broker, lambda ev: bool(ev), 1.0)
    assert not broker.reconnect(force=True)
    terminal.running = True
    assert broker.reconnect(force=True) and broker.connected


# ---------------------------------------------------------------- queries


def test_qmt_none_is_an_empty_list_only_when_the_account_summary_agrees(broker, terminal):
    # QMT answers None for an empty list too: with nothing held and no working order, that is empty
    assert broker.query_positions() == [] and broker.query_orders() == [] and broker.query_trades() == []
    assert broker.connected  # an empty day is not a lost session
    terminal.feed(CODE, 1.0)
    broker.place_limit_order(CODE, Side.BUY, 200, 1.0, "HELD")
    collect(broker, final_order)
    broker.place_limit_order(CODE, Side.BUY, 100, 0.9, "WORKING")  # freezes cash
    terminal.fail_queries = 1
    assert broker.query_positions() is None  # None while the asset shows a market value: failed, not flat
    terminal.fail_queries = 1
    assert broker.query_orders() is None  # None while cash is frozen by a working buy: failed
    assert len(broker.query_orders()) == 2 and broker.query_positions()[0].volume == 200


def test_failed_queries_are_none_and_repeated_failures_drop_the_session(broker, terminal):
    terminal.feed(CODE, 1.0)
    broker.place_limit_order(CODE, Side.BUY, 200, 1.0, "HELD")
    collect(broker, final_order)
    terminal.fail_queries = 1
    assert broker.query_asset() is None
    assert broker.connected  # one failure is tolerated
    assert broker.query_asset() is not None  # and a success resets the count
    terminal.fail_queries = 5
    assert broker.query_asset() is None
    assert broker.query_positions() is None  # the list and the asset check both fail
    assert broker.connected
    assert broker.query_positions() is None
    assert not broker.connected  # three in a row: the session is considered lost
    assert broker.query_orders() is None
    assert "account summary does not confirm" in broker.last_error
    assert broker.reconnect(force=True)
    assert broker.query_asset() is not None


def test_queries_convert_xt_objects(broker, terminal):
    terminal.feed(CODE, 1.0)
    order_id = broker.place_limit_order(CODE, Side.BUY, 200, 1.0, "Q1")
    collect(broker, final_order)
    (trade,) = broker.query_trades()
    assert (trade.order_id, trade.side, trade.shares, trade.price, trade.remark) == (
        order_id,
        Side.BUY,
        200,
        1.0,
        "Q1",
    )
    (order,) = broker.query_orders()
    assert order.time is not None and order.time.tzinfo is not None
    asset = broker.query_asset()
    assert asset.cash == pytest.approx(1_000_000 - 200 - 0.02)
    assert asset.market_value == pytest.approx(200.0)
