"""The bridge's after-close trades export: when it runs, what QMT's ``None`` answers prove, restarts."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from windows_bridge.bridge.trades_export import TradesExporter, export_path, judge
from windows_bridge.brokers.interface import BrokerOrder, OrderStatus, Side
from windows_bridge.brokers.xtquant.execution import XtBroker
from windows_bridge.brokers.xtquant.fake import XtQuantTrader
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.trades_export import TradesExport, day_of_export, trades_export_name

from . import test_bridge_producer as bridge_tests
from .test_bridge_producer import producer
from .xtfake_helpers import ACCOUNT, CODE, FakeMonotonic, collect


@pytest.fixture
def env(tmp_path):
    """The bridge tests' world: a replayed market, an executor-side fake terminal, a bridge-side broker."""
    yield from bridge_tests.env.__wrapped__(tmp_path)


def _after_close(quote) -> datetime:
    return datetime.combine(quote.time.astimezone(SHANGHAI).date(), time(15, 10), SHANGHAI)


def _fill(env, shares: int, remark: str, side: Side = Side.BUY) -> None:
    broker = XtBroker(env.owner._path, ACCOUNT, trader_factory=XtQuantTrader)
    assert broker.connect()
    broker.place_limit_order(CODE, side, shares, env.replay.snapshot().price, remark)
    collect(broker, lambda ev: any(getattr(e, "order", None) and e.order.status.is_final for e in ev))
    broker.close()


def _exporter(env, **kw) -> TradesExporter:
    mono = kw.pop("monotonic", FakeMonotonic())
    shared = env.settings.shared_dir
    return TradesExporter(env.broker, shared, CODE, "bridge@test", monotonic=mono, **kw)


def _on_disk(env, day) -> TradesExport:
    found = read_message(export_path(env.settings.shared_dir, day), TradesExport)
    assert found.ok, found.error
    return found.value


def test_the_day_is_exported_once_after_the_close(env):
    _fill(env, 1000, "B1_00000001_aaaaaaaa")
    quote = producer(env).tick()
    now = _after_close(quote)
    exporter = _exporter(env)
    assert exporter.maybe_export(now.replace(hour=14, minute=59), quote) is None  # before the close
    export = exporter.maybe_export(now, quote)
    assert export is not None and export.status == "ok"
    got = [(t.remark, t.direction, t.shares) for t in export.trades]
    assert got == [("B1_00000001_aaaaaaaa", "BUY", 1000)]
    trade = export.trades[0]
    assert trade.fees == pytest.approx(round(1000 * trade.price * 0.0001, 2))
    assert export.orders is not None and export.orders[0].order_id == trade.order_id
    assert export.close_price == quote.price and export.pre_close == quote.pre_close
    assert export.position is not None and export.position.volume == 1000
    assert _on_disk(env, now.date()) == export
    assert exporter.maybe_export(now.replace(hour=16), quote) is None  # done for the day
    restarted = _exporter(env)
    env.reader.fail_queries = 99  # a restart must not need the broker: the ok file is there
    assert restarted.maybe_export(now.replace(hour=17), quote) is None
    assert _on_disk(env, now.date()).status == "ok"


def test_no_export_on_a_holiday():
    exporter = TradesExporter(None, None, CODE, "x")  # type: ignore[arg-type]  # never touched
    assert exporter.due(datetime(2026, 2, 17, 16, 0, tzinfo=SHANGHAI)) is None  # 春节
    assert exporter.due(datetime(2026, 2, 14, 16, 0, tzinfo=SHANGHAI)) is None  # make-up Saturday


def test_a_failed_trades_query_is_never_an_empty_day(env):
    _fill(env, 1000, "B1_00000001_aaaaaaaa")
    quote = producer(env).tick()
    now = _after_close(quote)
    mono = FakeMonotonic()
    exporter = _exporter(env, monotonic=mono)
    env.reader.fail_queries = 1  # only the trades query answers None; the orders show a fill
    export = exporter.maybe_export(now, quote)
    assert export.status == "failed" and "orders show fills" in export.reason and export.trades == []
    assert exporter.maybe_export(now, quote) is None  # waits before retrying
    mono.now += 61
    assert exporter.maybe_export(now, quote).status == "ok"  # the retry overwrites the file
    assert _on_disk(env, now.date()).status == "ok"


def test_qmt_answering_nothing_on_an_empty_account_is_an_empty_day(env):
    """On a day without orders QMT (and the fake) answers None for trades and orders; the account
    summary (no frozen cash) confirms the empty lists, so the export is an empty day, final."""
    quote = producer(env).tick()
    now = _after_close(quote)
    exporter = _exporter(env, monotonic=FakeMonotonic())
    export = exporter.maybe_export(now, quote)
    assert export.status == "ok" and export.trades == []
    assert exporter.maybe_export(now, quote) is None  # done for the day


def test_disconnected_is_failed(env):
    quote = producer(env).tick()
    env.reader.disconnect("QMT closed", down=True)
    collect(env.broker, lambda ev: bool(ev), 0.5)
    export = _exporter(env).maybe_export(_after_close(quote), quote)
    assert export.status == "failed" and export.orders is None


@pytest.mark.parametrize(
    ("trades", "orders", "asset", "status"),
    [
        ([], None, False, "ok"),
        (None, [("filled", 100)], True, "failed"),
        (None, [("cancelled", 0)], True, "ok"),
        (None, None, True, "unconfirmed"),
        (None, None, False, "failed"),
        (None, [], False, "failed"),
    ],
)
def test_judge(trades, orders, asset, status):
    def order(state: str, filled: int) -> BrokerOrder:
        avg = 1.0 if filled else 0.0
        return BrokerOrder(1, CODE, Side.BUY, 1.0, 100, filled, avg, OrderStatus(state), "r")

    listed = None if orders is None else [order(*o) for o in orders]
    assert judge(trades, listed, asset)[0] == status


def test_file_names_round_trip():
    day = datetime(2026, 2, 24).date()
    assert day_of_export(trades_export_name(day)) == day
    assert day_of_export("trades_20261399.json") is None and day_of_export("x.json") is None
