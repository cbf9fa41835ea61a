"""The xtquant fake itself: xttype objects, return codes, one callback thread, deadlock detection, xtdata."""

from __future__ import annotations

import threading

import pytest
from xtquant import xtconstant, xttype

from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.fake import (
    CallbackDeadlock,
    FakeQmt,
    XtDataUnavailable,
    XtQuantTrader,
    XtQuantTraderCallback,
)
from windows_bridge.brokers.xtquant.fake.replay import ReplayClock, ReplaySource, load_bars
from windows_bridge.brokers.xtquant.fake.xttrader import wait_callbacks

from .xtfake_helpers import ACCOUNT, CODE, make_terminal, write_bars_csv

T0 = 1_700_000_000.0


class Recorder(XtQuantTraderCallback):
    """Records every push with the thread it ran on."""

    def __init__(self):
        self.pushes = []
        self.threads = set()

    def _rec(self, name, obj=None):
        self.pushes.append((name, obj))
        self.threads.add(threading.get_ident())

    def on_connected(self):
        self._rec("connected")

    def on_disconnected(self):
        self._rec("disconnected")

    def on_account_status(self, status):
        self._rec("account_status", status)

    def on_stock_order(self, order):
        self._rec("order", order)

    def on_stock_trade(self, trade):
        self._rec("trade", trade)

    def on_order_error(self, order_error):
        self._rec("order_error", order_error)

    def on_cancel_error(self, cancel_error):
        self._rec("cancel_error", cancel_error)

    def of(self, name):
        return [obj for n, obj in self.pushes if n == name]


@pytest.fixture
def terminal(tmp_path):
    term = make_terminal(tmp_path, fill_ratio=0.5)
    yield term
    term.shutdown()


def open_trader(terminal, session=7, callback=None):
    trader = XtQuantTrader(terminal._path, session)
    trader.register_callback(callback or Recorder())
    trader.start()
    assert trader.connect() == 0
    assert trader.subscribe(xttype.StockAccount(ACCOUNT)) == 0
    return trader


def test_order_lifecycle_pushes_real_xttype_objects_with_xtconstant_values(terminal):
    rec = Recorder()
    trader = open_trader(terminal, callback=rec)
    acct = xttype.StockAccount(ACCOUNT)
    terminal.feed(CODE, 1.0)
    order_id = trader.order_stock(
        acct, CODE, xtconstant.STOCK_BUY, 400, xtconstant.FIX_PRICE, 1.0, "strat", "RMK"
    )
    terminal.feed(CODE, 1.0)
    assert wait_callbacks(trader)
    orders = rec.of("order")
    assert all(isinstance(o, xttype.XtOrder) for o in orders)
    assert [o.order_status for o in orders] == [
        xtconstant.ORDER_UNREPORTED,
        xtconstant.ORDER_REPORTED,
        xtconstant.ORDER_PART_SUCC,
        xtconstant.ORDER_SUCCEEDED,
    ]
    last = orders[-1]
    assert (last.order_id, last.stock_code, last.order_type) == (order_id, CODE, xtconstant.STOCK_BUY)
    assert (last.order_volume, last.traded_volume, last.traded_price) == (400, 400, 1.0)
    assert (last.order_remark, last.strategy_name, last.account_id) == ("RMK", "strat", ACCOUNT)
    assert last.price_type != xtconstant.FIX_PRICE  # QMT echoes another price_type (50)
    trades = rec.of("trade")
    assert all(isinstance(t, xttype.XtTrade) for t in trades)
    assert [t.traded_volume for t in trades] == [200, 200]
    assert trades[0].traded_amount == pytest.approx(200.0) and trades[0].commission == pytest.approx(0.02)
    assert isinstance(trader.query_stock_asset(acct), xttype.XtAsset)
    (pos,) = trader.query_stock_positions(acct)
    assert isinstance(pos, xttype.XtPosition) and (pos.volume, pos.can_use_volume) == (400, 0)
    assert trader.query_stock_order(acct, order_id).order_status == xtconstant.ORDER_SUCCEEDED
    trader.stop()


def test_rejection_pushes_order_error_with_seq_and_a_junk_order(terminal):
    rec = Recorder()
    trader = open_trader(terminal, callback=rec)
    acct = xttype.StockAccount(ACCOUNT)
    order_id = trader.order_stock(acct, CODE, xtconstant.STOCK_SELL, 100, xtconstant.FIX_PRICE, 1.0, "", "S1")
    assert order_id > 0  # refused orders still get an id, like QMT
    assert wait_callbacks(trader)
    (err,) = rec.of("order_error")
    assert isinstance(err, xttype.XtOrderError)
    assert err.order_id == order_id and err.order_remark == "S1" and err.error_msg
    assert isinstance(err.seq, int) and err.seq > 0
    (junk,) = rec.of("order")
    assert junk.order_status == xtconstant.ORDER_JUNK and junk.status_msg == err.error_msg
    trader.stop()


def test_cancel_goes_through_pending_cancel_to_cancelled(terminal):
    rec = Recorder()
    trader = open_trader(terminal, callback=rec)
    acct = xttype.StockAccount(ACCOUNT)
    terminal.feed(CODE, 1.05)
    order_id = trader.order_stock(acct, CODE, xtconstant.STOCK_BUY, 100, xtconstant.FIX_PRICE, 1.0, "", "C")
    assert trader.cancel_order_stock(acct, order_id) == 0
    assert trader.cancel_order_stock(acct, order_id) == -1
    assert wait_callbacks(trader)
    assert [o.order_status for o in rec.of("order")][-2:] == [
        xtconstant.ORDER_REPORTED_CANCEL,
        xtconstant.ORDER_CANCELED,
    ]
    (cerr,) = rec.of("cancel_error")
    assert isinstance(cerr, xttype.XtCancelError) and cerr.order_id == order_id
    trader.stop()


def test_all_callbacks_run_on_one_thread_which_is_not_the_callers(terminal):
    rec = Recorder()
    trader = open_trader(terminal, callback=rec)
    acct = xttype.StockAccount(ACCOUNT)
    terminal.feed(CODE, 1.0)
    for k in range(5):
        trader.order_stock(acct, CODE, xtconstant.STOCK_BUY, 200, xtconstant.FIX_PRICE, 1.0, "", f"R{k}")
    terminal.feed(CODE, 1.0)
    trader.order_stock(acct, CODE, xtconstant.STOCK_BUY, 150, xtconstant.FIX_PRICE, 1.0, "", "bad")
    assert wait_callbacks(trader)
    assert len(rec.pushes) > 20
    assert len(rec.threads) == 1
    assert threading.get_ident() not in rec.threads
    trader.stop()


def test_sync_call_from_a_callback_is_detected_as_a_deadlock(terminal):
    acct = xttype.StockAccount(ACCOUNT)
    caught = []

    class Careless(XtQuantTraderCallback):
        def on_stock_order(self, order):
            if caught:
                return
            try:
                trader.query_stock_orders(acct)  # would hang real QMT forever
            except CallbackDeadlock as exc:
                caught.append(exc)
            buy, fix = xtconstant.STOCK_BUY, xtconstant.FIX_PRICE
            trader.order_stock_async(acct, CODE, buy, 100, fix, 0.5, "", "A")  # async: allowed

    trader = XtQuantTrader(terminal._path, 11)
    trader.register_callback(Careless())
    trader.start()
    assert trader.connect() == 0 and trader.subscribe(acct) == 0
    trader.order_stock(acct, CODE, xtconstant.STOCK_BUY, 100, xtconstant.FIX_PRICE, 0.5, "", "X")
    assert wait_callbacks(trader)
    assert caught and "query_stock_orders" in terminal.deadlocks
    assert terminal.deadlocks == ["query_stock_orders"]  # the async order was fine
    assert [o.order_remark for o in trader.query_stock_orders(acct)] == ["X", "A"]
    trader.stop()


def test_return_codes_for_sessions_and_disconnects(terminal):
    acct = xttype.StockAccount(ACCOUNT)
    unstarted = XtQuantTrader(terminal._path, 1)
    assert unstarted.connect() == -1  # start() first
    rec = Recorder()
    first = open_trader(terminal, session=5, callback=rec)
    twin = XtQuantTrader(terminal._path, 5)
    twin.start()
    assert twin.connect() == -1  # session id in use
    assert first.subscribe(xttype.StockAccount("OTHER")) == -1
    terminal.disconnect("link lost")
    assert wait_callbacks(first) and rec.of("disconnected") == [None]
    assert first.query_stock_orders(acct) is None
    assert first.order_stock(acct, CODE, xtconstant.STOCK_BUY, 100, xtconstant.FIX_PRICE, 1.0) == -1
    assert first.cancel_order_stock(acct, 1) == -1
    assert first.connect() == -1  # a lost trader stays lost: build a new one
    second = open_trader(terminal, session=6)
    assert second.query_stock_orders(acct) is None  # QMT: None for "no orders today" too
    assert second.query_stock_asset(acct) is not None  # the asset is None only on failure
    terminal.fail_queries = 1
    assert second.query_stock_positions(acct) is None
    for t in (unstarted, first, twin, second):
        t.stop()


# ---------------------------------------------------------------- xtdata


@pytest.fixture
def replay_terminal(tmp_path):
    csv = write_bars_csv(tmp_path / "bars.csv")
    replay = ReplaySource(load_bars(csv), ReplayClock(T0, 60.0, wall=lambda: T0 + 20.25))
    term = FakeQmt(SimBroker(tmp_path / "l.json", clock=replay.now), account_id=ACCOUNT, replay=replay)
    term.install(f"replay-qmt://{tmp_path}")
    yield term
    term.shutdown()


def test_full_tick_fields_and_units(replay_terminal):
    xtdata = replay_terminal.xtdata
    tick = xtdata.get_full_tick([CODE, "000001.SZ"])
    assert list(tick) == [CODE]
    t = tick[CODE]
    snap = replay_terminal.replay.snapshot()
    assert t["lastPrice"] == snap.price and t["lastClose"] == snap.pre_close
    assert t["time"] == int(snap.time.timestamp() * 1000)
    assert t["timetag"] == snap.time.strftime("%Y%m%d %H:%M:%S")
    assert t["volume"] * 100 == t["pvolume"]  # volume in lots of 100
    assert len(t["bidPrice"]) == len(t["askPrice"]) == 5 and t["askPrice"][0] > t["bidPrice"][0]


def test_minute_history_must_be_downloaded_before_it_can_be_read(replay_terminal):
    xtdata = replay_terminal.xtdata
    assert xtdata.get_market_data_ex([], [CODE], period="1m", count=5)[CODE].empty  # not in the cache
    steps = []
    summary = xtdata.download_history_data2([CODE], "1m", "20240102", "", steps.append)
    assert [(s["finished"], s["total"]) for s in steps] == [(1, 2), (2, 2)]  # one step per trading day
    assert summary[CODE]["end_time"] <= replay_terminal.replay.now()
    assert len(xtdata.get_market_data_ex([], [CODE], period="1m", count=5)[CODE]) == 5


def test_market_data_ex_serves_completed_bars_only(replay_terminal):
    xtdata = replay_terminal.xtdata
    xtdata.download_history_data(CODE, "1m", "20240101")
    frames = xtdata.get_market_data_ex([], [CODE], period="1m", count=5)
    frame = frames[CODE]
    assert len(frame) == 5
    now_ms = replay_terminal.replay.now().timestamp() * 1000
    assert frame["time"].max() <= now_ms  # no bar from the future, no forming bar
    assert str(frame.index[-1]) == "20240103095000"  # index = end time tag
    no_time = xtdata.get_market_data_ex(["close"], [CODE], period="1m", count=3)[CODE]
    assert list(no_time.columns) == ["close"]  # like xtquant: no `time` unless asked for
    everything = xtdata.get_market_data_ex(["time"], [CODE], period="1m", start_time="20240102")[CODE]
    assert len(everything) == 260


def test_instrument_detail_and_unavailable_terminal(replay_terminal):
    xtdata = replay_terminal.xtdata
    detail = xtdata.get_instrument_detail(CODE)
    pre = replay_terminal.replay.bars.close[239]
    assert detail["PreClose"] == pre and detail["PriceTick"] == 0.001
    assert detail["UpStopPrice"] == pytest.approx(round(pre * 1.1, 3))
    assert detail["DownStopPrice"] == pytest.approx(round(pre * 0.9, 3))
    assert xtdata.get_instrument_detail("600000.SH") is None
    assert xtdata.subscribe_quote(CODE, period="tick") > 0
    assert xtdata.download_history_data(CODE, "1m", "20240101") is None
    xtdata.available = False
    with pytest.raises(XtDataUnavailable):
        xtdata.get_full_tick([CODE])
