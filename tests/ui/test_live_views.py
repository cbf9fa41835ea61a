"""Live views driven by the real engine: stale banner, quote panel, layer table, chart, orders."""

from __future__ import annotations

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.layer_model import LayerState

STALE = "行情已过期，暂停发单"


def test_stale_banner_appears_and_clears(make_window, qtbot, feed):
    window = make_window(stale_after_s=0.6)
    feed.start(interval_s=0.1)
    qtbot.waitUntil(lambda: window.live.quote_panel.last_label.text() != "—", timeout=5000)
    qtbot.wait(900)
    assert STALE not in window.windowTitle()
    feed.stop()
    qtbot.waitUntil(lambda: STALE in window.windowTitle(), timeout=5000)
    assert window.live.banner.isVisible() and STALE in window.live.banner.text()
    assert window.status.quote.text().startswith("行情停滞")
    assert any(title == STALE for title, _ in window.notifier.sent)
    feed.start(interval_s=0.1)
    qtbot.waitUntil(lambda: STALE not in window.windowTitle(), timeout=5000)
    assert STALE not in window.live.banner.text()


def test_quote_panel_shows_last_change_and_levels(make_window, qtbot, feed):
    window = make_window()
    quote = feed.write(price=1.010)
    panel = window.live.quote_panel
    qtbot.waitUntil(lambda: panel.last_label.text() == "1.010", timeout=5000)
    change = 1.010 - quote.pre_close
    assert f"{change:+.3f}" in panel.change_label.text()
    assert panel.bid_prices[0].text() == "1.009"
    assert panel.ask_prices[0].text() == "1.010"
    assert "2025-03-05 10:00" in panel.time_label.text()
    assert panel.fields["high"].text() != "—" and panel.fields["volume"].text() == "1234.6万股"


def test_layer_table_chart_and_orders_follow_a_paper_buy(make_window, qtbot, feed):
    window = make_window(paper=True)
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.RUNNING, timeout=5000)
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.book.last_buy_price > 0, timeout=10_000)
    anchor = window.controller.view.snapshot.book.last_buy_price
    chart = window.live.chart
    qtbot.waitUntil(lambda: chart.next_buy_line.isVisible(), timeout=5000)
    assert chart.next_buy_line.value() < anchor
    feed.start(interval_s=0.15)
    feed.price = round(anchor * 0.98, 3)  # far below the trigger: one layer is bought
    model = window.live.layers.model
    qtbot.waitUntil(lambda: model.row(1).state is LayerState.HELD, timeout=15_000)
    lot = model.row(1).lot
    assert lot is not None and lot.shares % 100 == 0 and lot.shares > 0
    assert model.row(2).state is LayerState.EMPTY
    qtbot.waitUntil(lambda: chart.buy_lines[0].isVisible() and chart.target_lines[0].isVisible(),
                    timeout=5000)
    assert chart.target_lines[0].value() > chart.buy_lines[0].value()
    qtbot.waitUntil(lambda: len(chart.fill_buys.data) == 1, timeout=5000)
    orders = window.live.orders.model
    assert orders.rowCount() == 1
    row = orders.rows()[0]
    assert row["direction"] == "BUY" and row["status"] in ("filled", "partially_filled")
    assert any(title.startswith("成交") for title, _ in window.notifier.sent)
    assert "L1" in model.data(model.index(0, 0))
    csv_text = window.live.orders.visible_csv()
    assert row["signal_id"] in csv_text
    window.live.orders.search.setText("SELL_")
    assert window.live.orders.proxy.rowCount() == 0
    window.live.orders.search.setText("")
    assert window.live.orders.proxy.rowCount() == 1


def test_chart_redraw_rate_is_capped(make_window, qtbot, feed):
    window = make_window()
    chart = window.live.chart
    feed.write()
    qtbot.waitUntil(lambda: chart.redraws > 0, timeout=5000)
    before = chart.redraws
    view = window.controller.view
    for _ in range(200):
        chart.set_view(view)
    qtbot.wait(450)
    assert chart.redraws - before <= 4


def test_the_banner_restyles_only_when_its_warning_changes(qtbot):
    from miniqmt_gui.ui.banner import AMBER, RED, Warning
    from miniqmt_gui.ui.live_tab import Banner

    banner = Banner()
    qtbot.addWidget(banner)
    styled: list[str] = []
    real = banner.setStyleSheet
    banner.setStyleSheet = lambda sheet: (styled.append(sheet), real(sheet))
    stale = Warning("stale", RED, STALE)
    for _ in range(3):  # a view per quote with the same warning: one re-style (it repaints the banner)
        banner.show_warning(stale, {})
    assert len(styled) == 1 and banner.text() == STALE and not banner.isHidden()
    banner.show_warning(Warning("stale", AMBER, STALE), {})
    banner.show_warning(None, {})
    assert len(styled) == 2 and banner.isHidden()
    banner.show_warning(stale, {})
    assert len(styled) == 3 and not banner.isHidden()
