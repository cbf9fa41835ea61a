"""Everything important is visible at 1280×800 and 1440×900 without scrolling sideways (issue: the order
table's 成交股数 / 成交均价 / 状态 / 说明 were off-screen and the layer table's 合计 row hidden)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractScrollArea, QHeaderView

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.formatting import set_language
from miniqmt_gui.ui.i18n import install_translator


def _fits_sideways(area: QAbstractScrollArea) -> bool:
    return area.horizontalScrollBar().maximum() == 0


def _layer_rows_visible(window) -> bool:
    table = window.live.layers.table
    last = table.visualRect(window.live.layers.model.index(9, 0))  # the 合计 row
    return last.isValid() and last.bottom() <= table.viewport().height()


@pytest.fixture(params=["zh", "en"])
def lang(request, qapp):
    """The UI language (English is longer: nothing may be clipped in it either)."""
    if request.param == "zh":
        if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
            # Without a Chinese font Qt measures and draws placeholder boxes, not the widths a user sees.
            pytest.skip("no Chinese font (Debian: fonts-noto-cjk): the Chinese layout cannot be measured")
        yield "zh"
        return
    translator = install_translator(qapp, "en")
    set_language("en")
    yield "en"
    set_language("zh")
    QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)])
def test_everything_important_fits(make_window, qtbot, feed, size, lang):
    window = make_window(paper=True, base_shares=200_000)
    window.resize(*size)
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.RUNNING, timeout=5000)
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.book.last_buy_price > 0, timeout=10_000)
    anchor = window.controller.view.snapshot.book.last_buy_price
    feed.start(interval_s=0.15)
    feed.price = round(anchor * 0.98, 3)  # a buy: the orders table has a row with every column filled
    qtbot.waitUntil(lambda: window.live.orders.model.rowCount() >= 1
                    and window.live.orders.model.rows()[0]["status"] != "sent", timeout=15_000)
    qtbot.wait(300)
    assert window.width() <= size[0] and window.height() <= size[1]
    orders = window.live.orders.view
    assert _fits_sideways(orders), "the orders table scrolls sideways"
    header = orders.horizontalHeader()
    for c in range(window.live.orders.model.columnCount() - 2):  # every visible column is on screen
        assert header.sectionViewportPosition(c) + header.sectionSize(c) <= orders.viewport().width() + 1
    assert _fits_sideways(window.live.layers.table), "the layer table scrolls sideways"
    for view in (orders, window.live.layers.table):  # and no cell is cut short ("15:15:…")
        for c in range(view.model().columnCount()):
            stretched = view.horizontalHeader().sectionResizeMode(c) == QHeaderView.ResizeMode.Stretch
            if not view.isColumnHidden(c) and not stretched:
                needed = view.sizeHintForColumn(c)
                assert view.horizontalHeader().sectionSize(c) >= needed, (view.objectName(), c)
    assert _layer_rows_visible(window), "the 合计 row is hidden"
    left = window.live.left_scroll
    assert left.widget().minimumSizeHint().width() <= left.viewport().width(), "the left column is clipped"
    for panel in (window.live.account, window.live.pnl):  # the account and P&L panels are on screen
        bottom = panel.mapTo(left.widget(), panel.rect().bottomLeft()).y()
        assert bottom <= left.viewport().height()
