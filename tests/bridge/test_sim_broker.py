"""The simulated broker's rules: fills, partial fills, T+1, lots, cash, fees, bands, ledger."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from windows_bridge.brokers.interface import (
    Broker,
    BrokerError,
    CancelErrorEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
    Side,
    TradeEvent,
)
from windows_bridge.brokers.sim.broker import PRICE_SAVE_S, SimBroker
from windows_bridge.contract.fees import FeeSchedule

from .executor_support import CODE, T0, Clock


def drain(broker: SimBroker) -> list[object]:
    events = []
    while (event := broker.next_event(0)) is not None:
        events.append(event)
    return events


def order(broker: SimBroker, order_id: int):
    orders = broker.query_orders()
    assert orders is not None
    return next(o for o in orders if o.order_id == order_id)


def position(broker: SimBroker, code: str = CODE):
    positions = broker.query_positions()
    assert positions is not None
    return next(p for p in positions if p.code == code)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def broker(tmp_path: Path, clock: Clock) -> SimBroker:
    b = SimBroker(
        tmp_path / "ledger.json", initial_cash=100_000.0, initial_positions={CODE: 1000}, clock=clock
    )
    b.on_quote(CODE, 1.0, time=T0)
    return b


def test_is_a_broker(broker: SimBroker) -> None:
    assert isinstance(broker, Broker)
    assert broker.connected


def test_marketable_buy_fills_at_quote_price_with_fee(broker: SimBroker) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 1000, 1.005, remark="B1_tag")
    o = order(broker, oid)
    assert o.status is OrderStatus.FILLED and o.filled_shares == 1000 and o.avg_price == 1.0
    asset = broker.query_asset()
    assert asset is not None
    assert asset.cash == pytest.approx(100_000 - 1000 - 0.1)  # fee 0.0001 × 1000
    assert asset.frozen_cash == 0
    assert position(broker).volume == 2000
    kinds = [type(e) for e in drain(broker)]
    assert kinds == [OrderEvent, TradeEvent, OrderEvent]


def test_limit_below_market_waits_then_fills_when_price_crosses(broker: SimBroker) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 1000, 0.990, remark="r")
    assert order(broker, oid).status is OrderStatus.PENDING
    broker.on_quote(CODE, 0.995, time=T0)
    assert order(broker, oid).status is OrderStatus.PENDING
    broker.on_quote(CODE, 0.989, time=T0)
    o = order(broker, oid)
    assert o.status is OrderStatus.FILLED and o.avg_price == 0.989  # at the quote, better than the limit


def test_sell_fills_when_price_at_or_above_limit(broker: SimBroker) -> None:
    oid = broker.place_limit_order(CODE, Side.SELL, 500, 1.010, remark="s")
    broker.on_quote(CODE, 1.009, time=T0)
    assert order(broker, oid).filled_shares == 0
    broker.on_quote(CODE, 1.010, time=T0)
    assert order(broker, oid).status is OrderStatus.FILLED
    asset = broker.query_asset()
    assert asset is not None and asset.cash == pytest.approx(100_000 + 505 - 0.05)
    assert position(broker).volume == 500


def test_partial_fills_by_quote_volume(broker: SimBroker) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 1000, 0.990, remark="p")
    broker.on_quote(CODE, 0.990, time=T0, volume=350)
    o = order(broker, oid)
    assert o.status is OrderStatus.PARTIAL and o.filled_shares == 300  # rounded down to lots
    broker.on_quote(CODE, 0.985, time=T0, volume=10_000)
    o = order(broker, oid)
    assert o.status is OrderStatus.FILLED and o.filled_shares == 1000
    assert o.avg_price == pytest.approx((300 * 0.990 + 700 * 0.985) / 1000)
    trades = broker.query_trades()
    assert trades is not None and [t.shares for t in trades] == [300, 700]


def test_partial_fills_by_fill_ratio(tmp_path: Path, clock: Clock) -> None:
    b = SimBroker(None, initial_cash=100_000.0, fill_ratio=0.3, clock=clock)
    b.on_quote(CODE, 1.0, time=T0)
    oid = b.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="f")
    assert order(b, oid).filled_shares == 300  # 30 % at placement
    b.on_quote(CODE, 1.0, time=T0)
    b.on_quote(CODE, 1.0, time=T0)
    assert order(b, oid).filled_shares == 900
    b.on_quote(CODE, 1.0, time=T0)
    assert order(b, oid).status is OrderStatus.FILLED


def test_t_plus_one_today_buys_not_sellable_until_next_day(broker: SimBroker, clock: Clock) -> None:
    broker.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="b")
    assert position(broker).volume == 2000 and position(broker).can_use_volume == 1000
    drain(broker)
    oid = broker.place_limit_order(CODE, Side.SELL, 1100, 1.0, remark="s")
    assert order(broker, oid).status is OrderStatus.REJECTED
    events = drain(broker)
    assert isinstance(events[0], OrderErrorEvent) and "T+1" in events[0].message
    clock.advance(days=1)
    assert position(broker).can_use_volume == 2000
    oid2 = broker.place_limit_order(CODE, Side.SELL, 2000, 1.0, remark="s2")
    assert order(broker, oid2).status is OrderStatus.FILLED


def test_day_change_expires_working_orders_and_clears_the_day(broker: SimBroker, clock: Clock) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 1000, 0.9, remark="w")
    asset = broker.query_asset()
    assert asset is not None and asset.frozen_cash > 0
    clock.advance(days=1)
    assert broker.query_orders() == []  # orders are per trading day, like QMT
    asset = broker.query_asset()
    assert asset is not None and asset.frozen_cash == 0 and asset.cash == pytest.approx(100_000)
    expired = [e for e in drain(broker) if isinstance(e, OrderEvent) and e.order.order_id == oid]
    assert expired[-1].order.status is OrderStatus.CANCELLED


@pytest.mark.parametrize("shares", [150, 0, -100, 99, 1050])
def test_lots_must_be_positive_multiples_of_100(broker: SimBroker, shares: int) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, shares, 1.0, remark="l")
    o = order(broker, oid)
    assert o.status is OrderStatus.REJECTED and "100" in o.message
    assert position(broker).volume == 1000


def test_insufficient_cash_and_buys_freeze_cash(broker: SimBroker) -> None:
    first = broker.place_limit_order(CODE, Side.BUY, 60_000, 0.95, remark="a")  # 57,000 frozen
    assert order(broker, first).status is OrderStatus.PENDING
    second = broker.place_limit_order(CODE, Side.BUY, 50_000, 0.95, remark="b")  # 47,500 > the rest
    o = order(broker, second)
    assert o.status is OrderStatus.REJECTED and "insufficient cash" in o.message
    assert broker.cancel_order(first)
    third = broker.place_limit_order(CODE, Side.BUY, 50_000, 0.95, remark="c")
    assert order(broker, third).status is OrderStatus.PENDING


def test_cash_check_includes_the_fee(tmp_path: Path, clock: Clock) -> None:
    b = SimBroker(None, initial_cash=1000.0, fees=FeeSchedule(rate=0.0001, minimum=5.0), clock=clock)
    oid = b.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="x")  # 1000 + 5 > 1000
    assert order(b, oid).status is OrderStatus.REJECTED


def test_fee_minimum_is_charged_per_fill(tmp_path: Path, clock: Clock) -> None:
    b = SimBroker(None, initial_cash=10_000.0, fees=FeeSchedule(rate=0.0001, minimum=5.0), clock=clock)
    b.on_quote(CODE, 1.0, time=T0, volume=500)
    oid = b.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="m")
    b.on_quote(CODE, 1.0, time=T0)
    assert order(b, oid).status is OrderStatus.FILLED
    asset = b.query_asset()
    assert asset is not None and asset.cash == pytest.approx(10_000 - 1000 - 5 - 5)
    assert position(b).avg_price == pytest.approx(1.01)


@pytest.mark.parametrize("price", [1.0005, 0.0, -1.0, float("nan")])
def test_price_must_be_a_positive_tick_price(broker: SimBroker, price: float) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 100, price, remark="t")
    assert order(broker, oid).status is OrderStatus.REJECTED


def test_price_band_from_up_and_down_stop(broker: SimBroker) -> None:
    broker.on_quote(CODE, 1.0, time=T0, up_stop=1.1, down_stop=0.9)
    high = broker.place_limit_order(CODE, Side.BUY, 100, 1.101, remark="h")
    low = broker.place_limit_order(CODE, Side.SELL, 100, 0.899, remark="l")
    inside = broker.place_limit_order(CODE, Side.BUY, 100, 1.1, remark="i")
    assert order(broker, high).status is OrderStatus.REJECTED
    assert order(broker, low).status is OrderStatus.REJECTED
    assert order(broker, inside).status is OrderStatus.FILLED


def test_session_check(tmp_path: Path) -> None:
    clock = Clock(T0.replace(hour=12, minute=0))
    b = SimBroker(None, clock=clock, check_session=True)
    lunch = b.place_limit_order(CODE, Side.BUY, 100, 1.0, remark="lunch")
    assert order(b, lunch).status is OrderStatus.REJECTED
    clock.now = T0.replace(hour=13, minute=1)
    ok = b.place_limit_order(CODE, Side.BUY, 100, 1.0, remark="pm")
    assert order(b, ok).status is OrderStatus.PENDING


def test_working_sell_reduces_can_use_volume(broker: SimBroker) -> None:
    broker.place_limit_order(CODE, Side.SELL, 600, 1.2, remark="s1")
    assert position(broker).can_use_volume == 400
    oid = broker.place_limit_order(CODE, Side.SELL, 500, 1.2, remark="s2")
    assert order(broker, oid).status is OrderStatus.REJECTED


def test_cancel_partial_and_untouched_orders(broker: SimBroker) -> None:
    partial = broker.place_limit_order(CODE, Side.BUY, 1000, 0.99, remark="p")
    broker.on_quote(CODE, 0.99, time=T0, volume=400)
    untouched = broker.place_limit_order(CODE, Side.BUY, 1000, 0.98, remark="u")
    assert broker.cancel_order(partial) and broker.cancel_order(untouched)
    assert order(broker, partial).status is OrderStatus.PART_CANCELLED
    assert order(broker, partial).filled_shares == 400
    assert order(broker, untouched).status is OrderStatus.CANCELLED
    asset = broker.query_asset()
    assert asset is not None and asset.frozen_cash == 0  # the unfilled part is released
    drain(broker)
    assert not broker.cancel_order(partial)
    assert not broker.cancel_order(999)
    assert all(isinstance(e, CancelErrorEvent) for e in drain(broker))


def test_order_ids_increase_and_remark_is_echoed(broker: SimBroker) -> None:
    ids = [broker.place_limit_order(CODE, Side.BUY, 100, 1.0, remark=f"R{i}") for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    orders = broker.query_orders()
    trades = broker.query_trades()
    assert orders is not None and trades is not None
    assert [o.remark for o in orders] == ["R0", "R1", "R2"]
    assert [t.remark for t in trades] == ["R0", "R1", "R2"]


def test_ledger_persists_across_restart(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "ledger.json"
    a = SimBroker(path, initial_cash=50_000.0, clock=clock)
    a.on_quote(CODE, 1.0, time=T0)
    first = a.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="one")
    working = a.place_limit_order(CODE, Side.BUY, 1000, 0.9, remark="two")
    b = SimBroker(path, initial_cash=1.0, clock=clock)  # initial_* ignored once a ledger exists
    assert b.query_orders() == a.query_orders()
    assert b.query_asset() == a.query_asset()
    assert b.last_price(CODE) == 1.0
    assert position(b).can_use_volume == 0  # the T+1 part survives the restart
    third = b.place_limit_order(CODE, Side.BUY, 100, 1.0, remark="three")
    assert third > working > first
    b.on_quote(CODE, 0.9, time=T0)
    assert order(b, working).status is OrderStatus.FILLED


def test_corrupt_ledger_refuses_to_open(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text("{not json")
    with pytest.raises(RuntimeError):
        SimBroker(path)


def test_read_only_view_follows_the_writer(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "ledger.json"
    view_missing = SimBroker(path, read_only=True, clock=clock)
    assert view_missing.query_positions() is None and view_missing.query_asset() is None
    writer = SimBroker(path, initial_positions={CODE: 300}, clock=clock)
    view = SimBroker(path, read_only=True, clock=clock)
    assert position(view).volume == 300
    writer.on_quote(CODE, 1.0, time=T0)
    writer.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="x")
    assert position(view).volume == 1300
    assert view.query_orders() == writer.query_orders()
    with pytest.raises(BrokerError):
        view.place_limit_order(CODE, Side.BUY, 100, 1.0, remark="no")
    with pytest.raises(BrokerError):
        view.on_quote(CODE, 1.0, time=T0)
    path.write_text("garbage")
    assert view.query_orders() is None  # unreadable is "failed", never "empty"


def test_read_only_view_applies_the_day_change(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "ledger.json"
    writer = SimBroker(path, clock=clock)
    writer.on_quote(CODE, 1.0, time=T0)
    writer.place_limit_order(CODE, Side.BUY, 1000, 1.0, remark="x")
    view = SimBroker(path, read_only=True, clock=clock)
    assert position(view).can_use_volume == 0
    clock.advance(days=1)
    assert position(view).can_use_volume == 1000


def test_events_cross_threads(broker: SimBroker) -> None:
    oid = broker.place_limit_order(CODE, Side.BUY, 1000, 0.95, remark="th")
    drain(broker)

    def feed() -> None:
        broker.on_quote(CODE, 0.95, time=T0 + timedelta(seconds=1))

    threading.Timer(0.05, feed).start()
    event = broker.next_event(2.0)
    assert isinstance(event, TradeEvent) and event.trade.order_id == oid


def test_closed_broker_refuses_orders(broker: SimBroker) -> None:
    broker.close()
    assert not broker.connected
    with pytest.raises(BrokerError):
        broker.place_limit_order(CODE, Side.BUY, 100, 1.0, remark="x")
    assert broker.query_orders() is not None


def test_initial_position_is_valued_at_first_quote(clock: Clock) -> None:
    b = SimBroker(None, initial_positions={CODE: 1000}, clock=clock)
    b.on_quote(CODE, 1.234, time=datetime(2026, 1, 5, 10, 0, tzinfo=T0.tzinfo))
    pos = position(b)
    assert pos.avg_price == pytest.approx(1.234) and pos.market_value == pytest.approx(1234.0)


def test_a_quote_that_moves_only_the_price_is_written_at_most_once_a_second(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every quote tick used to rewrite (and fsync) the ledger under the broker's lock; a fill is still
    written at once, a price alone once ``PRICE_SAVE_S`` has passed, and a restart never sees a fill lost."""
    now = [100.0]
    monkeypatch.setattr("windows_bridge.brokers.sim.broker.monotonic", lambda: now[0])
    path = tmp_path / "ledger.json"
    writer = SimBroker(path, initial_cash=100_000.0, clock=clock)
    writer.on_quote(CODE, 1.0, time=T0)
    view = SimBroker(path, read_only=True, clock=clock)
    assert view.last_price(CODE) == 1.0
    writer.on_quote(CODE, 1.001, time=T0)  # price alone, within the second: memory only
    assert writer.last_price(CODE) == 1.001 and view.last_price(CODE) == 1.0
    working = writer.place_limit_order(CODE, Side.BUY, 1000, 0.99, remark="w")
    writer.on_quote(CODE, 0.99, time=T0)  # the fill: written at once, with the price
    assert order(view, working).status is OrderStatus.FILLED and view.last_price(CODE) == 0.99
    writer.on_quote(CODE, 0.995, time=T0)
    assert view.last_price(CODE) == 0.99
    now[0] += PRICE_SAVE_S
    writer.on_quote(CODE, 0.996, time=T0)
    assert view.last_price(CODE) == 0.996
    restarted = SimBroker(path, clock=clock)
    assert restarted.query_orders() == writer.query_orders()
