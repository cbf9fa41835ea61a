"""The live ("实盘监控") tab: banner, quote / account / P&L column, chart, layer table, orders, fills, log.

Layout (fits 1280×800 without sideways scrolling, see ``tests/ui/test_layout.py``): a left column
(quote panel, account, today's P&L with its curve) that scrolls vertically if the screen is short; in
the middle the chart on the fixed 09:30–15:00 axis (or an empty state saying what to do before the
first quote); below it the layer book beside the tabs 委托 / 成交 / 日志.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.ui.account_panel import AccountPanel, PnlPanel
from miniqmt_gui.ui.banner import AMBER, DEMO, LILAC, RED, Warning, warnings
from miniqmt_gui.ui.icons import icon
from miniqmt_gui.ui.layer_panel import LayerPanel
from miniqmt_gui.ui.live_chart import LiveChart
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.log_panel import LogPanel
from miniqmt_gui.ui.orders_panel import OrdersPanel
from miniqmt_gui.ui.quote_panel import QuotePanel

STYLES = {
    RED: "background: #c1121f; color: white; font-size: 14px; font-weight: bold;",
    AMBER: "background: #f4a261; color: #222; font-size: 14px; font-weight: bold;",
    LILAC: "background: #efe3fa; color: #5a189a; font-weight: bold;",
    DEMO: "background: #dfe7f2; color: #1d3557; font-weight: bold;",
}
#: the live tab is dense: a slightly smaller font and tight cells keep 1280×800 free of sideways scrolling
COMPACT = ("QTableView, QGroupBox, QLabel, QLineEdit, QComboBox, QPushButton, QTabBar, QCheckBox "
           "{ font-size: 12px; } QHeaderView::section { padding: 1px 3px; font-size: 12px; }")


class Banner(QFrame):
    """The one-line warning at the top, with an icon and, when the warning has one, an action button."""

    actionRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Hidden until a warning holds."""
        super().__init__(parent)
        self.setObjectName("alert_banner")
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setVisible(False)
        self.action: str = ""
        self.key: str = ""
        self._shown: tuple[str, ...] | None = None
        self.button.clicked.connect(lambda: self.actionRequested.emit(self.action))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setVisible(False)

    def text(self) -> str:
        """The banner's text (tests)."""
        return self.label.text()

    def show_warning(self, warning: Warning | None, buttons: dict[str, str]) -> None:
        """Show ``warning`` (``None`` hides the banner); the same warning again changes nothing (a style
        sheet re-polishes and repaints the banner: once per view was the idle app's largest cost)."""
        shown = None if warning is None else (warning.key, warning.level, warning.text, warning.action,
                                              buttons.get(warning.action, ""))
        if shown == self._shown:
            return
        self._shown = shown
        if warning is None:
            self.key, self.action = "", ""
            self.setVisible(False)
            return
        self.key, self.action = warning.key, warning.action
        style = STYLES[warning.level]
        self.setStyleSheet(f"#alert_banner {{ {style} }} QLabel {{ {style} }}")
        name = "halt" if warning.level == RED else "sell_only" if warning.level == AMBER else "simulate"
        self.icon.setPixmap(icon(name).pixmap(20, 20))
        self.label.setText(warning.text)
        self.button.setText(buttons.get(warning.action, ""))
        self.button.setVisible(bool(warning.action))
        self.setVisible(True)


class LiveTab(QWidget):
    """Everything about the running strategy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the panels."""
        super().__init__(parent)
        self.banner = Banner()
        self.quote_panel = QuotePanel()
        self.account = AccountPanel()
        self.pnl = PnlPanel()
        self.chart = LiveChart()
        self.empty = QLabel()
        self.empty.setObjectName("chart_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 15px; background: #fafafa; padding: 24px;")
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.empty)
        self.chart_stack.addWidget(self.chart)
        self.candles_box = QCheckBox(self.tr("K 线（取消为折线）"))
        self.candles_box.setChecked(True)
        self.candles_box.toggled.connect(self.chart.set_candles)
        self.layers = LayerPanel()
        self.orders = OrdersPanel()
        self.log = LogPanel()
        self.bottom_tabs = QTabWidget()
        orders_page = QWidget()
        orders_layout = QVBoxLayout(orders_page)
        orders_layout.setContentsMargins(2, 2, 2, 2)
        orders_layout.addWidget(self.orders.filter_bar)
        orders_layout.addWidget(self.orders.view)
        self.bottom_tabs.addTab(orders_page, self.tr("委托"))
        self.bottom_tabs.addTab(self.orders.fills_view, self.tr("成交"))
        self.bottom_tabs.addTab(self.log, self.tr("日志"))
        self.warnings: list[Warning] = []
        self.setStyleSheet(COMPACT)
        self.set_empty_hint("")
        self._layout()

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for panel in (self.quote_panel, self.account, self.pnl):
            column.addWidget(panel)
        column.addStretch(1)
        self.left_scroll = QScrollArea()
        self.left_scroll.setObjectName("left_column")
        self.left_scroll.setWidget(left)
        self.left_scroll.setWidgetResizable(True)
        self.left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # as wide as the panels need in the UI's language (English labels are shorter), never clipped
        self.left_scroll.setFixedWidth(left.minimumSizeHint().width() + 4)
        chart_box = QWidget()
        chart_layout = self.chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.setSpacing(0)
        chart_layout.addWidget(self.chart_stack, 1)
        chart_layout.addWidget(self.candles_box)
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        self.bottom.addWidget(self.layers)
        self.bottom.addWidget(self.bottom_tabs)
        self.bottom.setStretchFactor(0, 0)  # the layer book keeps its full width, the orders take the rest
        self.bottom.setStretchFactor(1, 1)
        self.bottom.setCollapsible(0, False)
        self.center = QSplitter(Qt.Orientation.Vertical)
        self.center.addWidget(chart_box)
        self.center.addWidget(self.bottom)
        self.center.setStretchFactor(0, 1)
        self.center.setStretchFactor(1, 0)  # the bottom keeps what the ten layer rows need
        self.center.setCollapsible(0, False)
        self.chart_stack.setMinimumHeight(180)
        self.bottom.setMinimumHeight(self.layers.minimumSizeHint().height())
        self.bottom.setMaximumHeight(self.layers.minimumSizeHint().height() + 60)
        self.center.setCollapsible(1, False)
        main = QHBoxLayout()
        main.setContentsMargins(0, 0, 0, 0)
        main.addWidget(self.left_scroll)
        main.addWidget(self.center, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addLayout(main, 1)

    def set_instrument_panel(self, panel: QWidget) -> None:
        """Several codes: the instrument list goes above the chart (the left column keeps its height)."""
        self.chart_layout.insertWidget(0, panel)
        self.chart_layout.setSpacing(4)

    def set_empty_hint(self, text: str) -> None:
        """The chart's empty state: what is missing and the next step."""
        self.empty.setText(text or self.tr("暂无行情。\n\n行情端（miniqmt-bridge）写入共享文件夹后，"
                                           "这里显示今日 09:30–15:00 的分时 K 线。"))

    def set_view(self, view: LiveView, texts: dict[str, str], buttons: dict[str, str],
                 demo: bool = False) -> list[Warning]:
        """Show one engine frame; returns the warnings that hold (the window notifies and titles them)."""
        self.quote_panel.show_quote(view.snapshot.quote)
        self.account.set_view(view)
        self.chart.set_view(view)
        has_bars = view.snapshot.quote is not None and bool(view.snapshot.quote.history)
        self.chart_stack.setCurrentWidget(self.chart if has_bars else self.empty)
        self.layers.set_view(view)
        self.warnings = warnings(view, texts, demo)
        self.banner.show_warning(self.warnings[0] if self.warnings else None, buttons)
        return self.warnings

    def stop(self) -> None:
        """Stop timers (window closing)."""
        self.chart.stop()
