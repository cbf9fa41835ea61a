"""The window as a trader uses it every day: paper account, alarms, manual intervention, closing.

Each test drives the real window over the real engine (paper: the real executor over the simulated
account) with quote files written the way the bridge writes them.
"""

from __future__ import annotations

import logging

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.layer_model import LayerState
from windows_bridge.contract.messages import AssetInfo, BrokerPosition, SharedQuote

from .support import QuoteFeed


class BrokerFeed(QuoteFeed):
    """The bridge with a real broker account behind it (position and cash known)."""

    volume = 99_900
    cash = 123_456.0

    def quote(self, price: float | None = None) -> SharedQuote:
        quote = super().quote(price)
        position = BrokerPosition(volume=self.volume, can_use_volume=self.volume, avg_price=1.0,
                                  market_value=self.volume * quote.price)
        return quote.model_copy(update={"position": position, "positions_status": "ok",
                                        "asset": AssetInfo(cash=self.cash, total_asset=self.cash)})


def _start(window, qtbot) -> None:
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.RUNNING, timeout=5000)


def _anchor(window, qtbot, feed) -> float:
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.book.last_buy_price > 0, timeout=10_000)
    return window.controller.view.snapshot.book.last_buy_price


def test_paper_account_starts_from_the_base_sells_a_lot_bought_today_and_is_what_the_window_shows(
        make_window, qtbot, shared, clock):
    feed = BrokerFeed(shared, clock)
    try:
        window = make_window(paper=True, base_shares=20_000)
        _start(window, qtbot)
        anchor = _anchor(window, qtbot, feed)
        account = window.live.account
        qtbot.waitUntil(lambda: account.values["volume"].text() == "20,000", timeout=10_000)
        assert "模拟账户" in account.title()  # the paper account, not the broker's 99,900
        assert "模拟账户持仓 20,000" in window.live.layers.broker_label.text()
        feed.start(interval_s=0.15)
        feed.price = round(anchor * 0.98, 3)
        model = window.live.layers.model
        qtbot.waitUntil(lambda: model.row(1).state is LayerState.HELD, timeout=15_000)
        lot = model.row(1).lot
        feed.price = round(lot.buy_price * 1.02, 3)  # above the take-profit: the lot bought today is sold
        qtbot.waitUntil(lambda: model.row(1).state is LayerState.EMPTY, timeout=15_000)
        statuses = [row["status"] for row in window.live.orders.model.rows()]
        assert statuses[-1] in ("filled", "partially_filled"), statuses  # not rejected as T+1
        assert window.live.orders.fills.rowCount() >= 2  # the buy's and the sell's fills
        assert window.live.pnl.values["realised"].text() not in ("0.00", "—")
        qtbot.waitUntil(lambda: window.live.chart.fill_sells.data.size >= 1, timeout=5000)
    finally:
        feed.stop()


def test_paper_start_without_a_base_asks_where_the_account_starts(make_window, qtbot, shared, clock,
                                                                  monkeypatch):
    feed = BrokerFeed(shared, clock)
    window = make_window(paper=True, base_shares=None)
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.quote is not None, timeout=10_000)
    asked = []

    def confirm_snapshot(dialog) -> int:
        asked.append((dialog.broker_choice.isEnabled(), dialog.base_choice.isEnabled()))
        dialog.broker_choice.setChecked(True)  # the broker's position and cash, confirmed
        return 1

    monkeypatch.setattr("miniqmt_gui.ui.book_dialogs.PaperAccountDialog.exec", confirm_snapshot)
    window.controls.action("start").trigger()
    assert asked == [(True, False)]
    assert window.config.paper_base_shares == 99_900 and window.config.paper_cash == 123_456.0
    qtbot.waitUntil(lambda: window.controller.settings.base_shares == 99_900, timeout=5000)
    qtbot.waitUntil(lambda: window.live.account.values["volume"].text() == "99,900", timeout=10_000)
    assert window.live.account.values["cash"].text() == "123,456.00"


def test_paper_fills_stay_off_the_live_chart(make_window, qtbot, feed):
    window = make_window(paper=True)
    _start(window, qtbot)
    anchor = _anchor(window, qtbot, feed)
    feed.start(interval_s=0.15)
    feed.price = round(anchor * 0.98, 3)
    chart = window.live.chart
    qtbot.waitUntil(lambda: chart.fill_buys.data.size == 1, timeout=15_000)
    window.controls.action("stop").trigger()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.STOPPED, timeout=5000)
    window.set_simulate(False)
    qtbot.waitUntil(lambda: chart.fill_buys.data.size == 0, timeout=5000)
    assert window.live.orders.model.rowCount() == 0  # the live history is its own


def test_a_dead_bridge_raises_banner_notification_and_title(make_window, qtbot, feed):
    window = make_window(engine={"link_timeout_s": 0.8})
    feed.start(interval_s=0.1)
    qtbot.waitUntil(lambda: window.controller.view.snapshot.quote is not None, timeout=10_000)
    feed.stop()
    qtbot.waitUntil(lambda: window.live.banner.key == "link_down", timeout=10_000)
    assert "行情端失联" in window.live.banner.text() and "行情端失联" in window.windowTitle()
    assert any("行情端失联" in text for _, text in window.notifier.sent)
    assert window.status.bridge.text().startswith("行情端失联")
    feed.start(interval_s=0.1)
    qtbot.waitUntil(lambda: window.live.banner.key != "link_down", timeout=10_000)
    assert "行情端失联" not in window.windowTitle()


def test_a_dead_executor_with_an_order_out_is_said_everywhere(make_window, qtbot, shared, clock):
    feed = BrokerFeed(shared, clock)
    feed.volume = 0  # live: base 0, book 0, broker 0 → the book is verified and may buy
    try:
        window = make_window(paper=False, base_shares=0)
        _start(window, qtbot)
        anchor = _anchor(window, qtbot, feed)
        feed.start(interval_s=0.15)
        qtbot.waitUntil(lambda: "unverified" not in window.controller.view.snapshot.status.blockers,
                        timeout=10_000)
        feed.price = round(anchor * 0.98, 3)  # a BUY goes out; no executor runs in this folder
        qtbot.waitUntil(lambda: window.live.banner.key == "executor_down", timeout=15_000)
        pending = window.controller.view.snapshot.book.pending_signal
        assert pending is not None and pending.signal_id in window.live.banner.text()
        assert "执行端离线" in window.windowTitle()
        assert any("执行端离线" in text for _, text in window.notifier.sent)
        assert window.close_question() and "执行端" in window.close_question()
    finally:
        feed.stop()


def test_first_run_without_a_bridge_says_what_is_missing(make_window, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: window.live.banner.key == "no_quote", timeout=10_000)
    assert "miniqmt-bridge" in window.live.banner.text() and "miniqmt demo" in window.live.banner.text()
    assert window.live.chart_stack.currentWidget() is window.live.empty
    assert str(window.controller.settings.shared_dir) in window.live.empty.text()


def test_settings_refuse_a_shared_folder_that_does_not_exist(make_window, qtbot, tmp_path):
    from miniqmt_gui.ui.settings_dialog import SettingsDialog

    window = make_window()
    dialog = SettingsDialog(window.config, lambda path: None)
    qtbot.addWidget(dialog)
    dialog.shared_edit.setText(str(tmp_path / "nowhere"))
    dialog.confirm_create = lambda title, text: False
    dialog.accept()
    assert dialog.result() == 0 and "border" in dialog.shared_edit.styleSheet()
    dialog.confirm_create = lambda title, text: True
    dialog.accept()
    assert dialog.result() == 1 and (tmp_path / "nowhere").is_dir()


def test_sell_only_hides_the_next_buy_line_and_resume_is_logged(make_window, qtbot, feed):
    window = make_window()
    _start(window, qtbot)
    _anchor(window, qtbot, feed)
    chart = window.live.chart
    qtbot.waitUntil(chart.next_buy_line.isVisible, timeout=5000)
    window.controls.action("sell_only").trigger()
    feed.write()
    qtbot.waitUntil(lambda: not chart.next_buy_line.isVisible(), timeout=5000)
    window.halt()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.HALTED, timeout=5000)
    window.resume()
    assert any("已请求恢复" in line for line in window.live.log.lines())


def test_the_log_follows_the_newest_line(make_window, qtbot):
    window = make_window()
    window.tabs.setCurrentIndex(0)
    window.live.bottom_tabs.setCurrentWidget(window.live.log)
    for n in range(200):
        window.live.log.add(f"line {n}", logging.INFO)
    bar = window.live.log.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    window.live.log.add("the newest line")
    assert bar.value() == bar.maximum()


def test_a_demo_is_marked_as_a_demo(make_window, qtbot, feed):
    window = make_window(paper=False, demo=True)
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.quote is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "演示" in window.windowTitle(), timeout=5000)
    assert "实盘" not in window.controls.mode_label.text() and "演示" in window.controls.mode_label.text()


def test_closing_while_running_asks_and_says_what_keeps_running(make_window, qtbot, feed):
    window = make_window(paper=False)
    _start(window, qtbot)
    asked: list[str] = []
    window.quiet_close = False
    window.confirm = lambda title, text: asked.append(text) or False
    window.close()
    assert window.isVisible() and asked and "停止" in asked[0] and "继续" in asked[0]
    window.confirm = lambda title, text: True
    window.close()
    assert not window.isVisible()


def test_manual_sell_of_one_layer_goes_out_as_a_journaled_signal(make_window, qtbot, feed):
    window = make_window(paper=True, base_shares=50_000)
    _start(window, qtbot)
    anchor = _anchor(window, qtbot, feed)
    feed.start(interval_s=0.15)
    feed.price = round(anchor * 0.98, 3)
    model = window.live.layers.model
    qtbot.waitUntil(lambda: model.row(1).state is LayerState.HELD, timeout=15_000)
    window.controls.action("stop").trigger()  # a manual sell works with the strategy stopped too
    qtbot.waitUntil(lambda: window.controller.state is TradingState.STOPPED, timeout=5000)
    window.live.layers.table.selectRow(0)
    window.manual("sell")
    qtbot.waitUntil(lambda: model.row(1).state is LayerState.EMPTY, timeout=15_000)
    sells = [r for r in window.live.orders.model.rows() if r["direction"] == "SELL"]
    assert sells and sells[0]["rule"] == "manual_sell" and sells[0]["message"].startswith("手动卖出")
    journal = window.controller.settings.journal_path.read_text(encoding="utf-8")
    assert '"manual_sell"' in journal


def test_reconcile_dialog_says_both_sides_and_adopts_the_broker_lots(make_window, qtbot, shared, clock):
    feed = BrokerFeed(shared, clock)
    feed.volume = 16_000  # base 10,000 + 6,000 grid shares the book does not know
    try:
        window = make_window(paper=False, base_shares=10_000)
        _start(window, qtbot)
        feed.start(interval_s=0.15)
        qtbot.waitUntil(lambda: window.book_dialog is not None, timeout=15_000)
        dialog = window.book_dialog
        text = dialog.label.text()
        assert "16,000" in text and "10,000" in text and "6,000" in text
        qtbot.waitUntil(lambda: window.live.banner.key == "reconcile", timeout=5000)
        assert "核对" in window.status.book.text()
        dialog.adopt_button.click()
        qtbot.waitUntil(lambda: sum(lot.shares for lot in window.controller.view.snapshot.book.positions
                                    if lot.signal_id == "adopted") == 6_000, timeout=10_000)
        qtbot.waitUntil(lambda: window.live.banner.key != "reconcile", timeout=10_000)
    finally:
        feed.stop()


def test_keep_paused_leaves_buys_paused(make_window, qtbot, shared, clock):
    feed = BrokerFeed(shared, clock)
    feed.volume = 16_000
    try:
        window = make_window(paper=False, base_shares=10_000)
        _start(window, qtbot)
        feed.start(interval_s=0.15)
        qtbot.waitUntil(lambda: window.book_dialog is not None, timeout=15_000)
        window.book_dialog.keep_button.click()
        qtbot.wait(500)
        assert window.controller.view.snapshot.book.positions == []
        assert "reconcile" in window.controller.view.snapshot.status.blockers
        assert any("保持暂停" in line for line in window.live.log.lines())
    finally:
        feed.stop()


def test_a_second_window_only_watches_and_says_who_trades(make_window, qtbot, feed):
    first = make_window(paper=False)
    feed.start(interval_s=0.15)
    qtbot.waitUntil(lambda: first.controller.view.snapshot.quote is not None, timeout=10_000)
    second = make_window(paper=False)
    qtbot.waitUntil(lambda: second.live.banner.key == "not_owner", timeout=15_000)
    assert "仅观察" in second.live.banner.text() and second.status.owner.text() == "仅观察"
    assert first.status.owner.text() == "本程序交易"


def test_live_base_position_is_offered_from_the_broker_to_confirm(make_window, qtbot, shared, clock):
    from miniqmt_gui.ui.settings_dialog import SettingsDialog

    feed = BrokerFeed(shared, clock)
    feed.volume = 31_200
    window = make_window(paper=False, base_shares=None)
    feed.write()
    qtbot.waitUntil(lambda: window.live.banner.key == "base_unknown"
                    and window.controller.view.snapshot.quote is not None, timeout=10_000)
    assert window.live.banner.button.text() == "设置底仓…"
    dialog = SettingsDialog(window.config, lambda path: None, base_suggestion=window._base_suggestion())
    qtbot.addWidget(dialog)
    assert "31,200" in dialog.base_suggest.text()
    dialog.base_suggest.click()
    assert dialog.base_spin.value() == 31_200
    assert dialog.config().base_shares == 31_200


def test_orders_csv_has_numbers_as_numbers_and_dates_with_the_year(make_window, qtbot, feed):
    import csv
    import io

    window = make_window(paper=True, base_shares=50_000)
    window.controls.action("start").trigger()
    anchor = _anchor(window, qtbot, feed)
    feed.start(interval_s=0.15)
    feed.price = round(anchor * 0.98, 3)
    qtbot.waitUntil(lambda: window.live.orders.model.rowCount() == 1
                    and window.live.orders.model.rows()[0]["status"] != "sent", timeout=15_000)
    rows = list(csv.reader(io.StringIO(window.live.orders.visible_csv())))
    header, first = rows[0], rows[1]
    shares = first[header.index("委托量")]
    assert "," not in shares and int(shares) > 0
    assert first[header.index("时间")].startswith("2025-03-05 ")
    assert first[header.index("状态")] in ("已成", "部撤")


def test_the_paper_account_can_start_again_from_the_base(make_window, qtbot, shared, clock, monkeypatch):
    feed = BrokerFeed(shared, clock)
    window = make_window(paper=True, base_shares=20_000)
    feed.write()
    qtbot.waitUntil(lambda: window.live.account.values["volume"].text() == "20,000", timeout=10_000)
    window.config.base_shares = 30_000  # the trader's base changed: the paper account must follow it
    monkeypatch.setattr("miniqmt_gui.ui.book_dialogs.PaperAccountDialog.exec", lambda dialog: 1)
    assert window.choose_paper_account()
    qtbot.waitUntil(lambda: window.live.account.values["volume"].text() == "30,000", timeout=10_000)
    kept = list((window.config.work_dir).glob("paper_old_*"))
    assert kept and (kept[0] / "paper_ledger.json").exists()  # the old account is kept aside
