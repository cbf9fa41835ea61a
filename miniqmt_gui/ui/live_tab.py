"""The live ("实盘") tab: alert banner, quote panel, chart, layer table, orders and log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.layer_panel import LayerPanel
from miniqmt_gui.ui.live_chart import LiveChart
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.log_panel import LogPanel
from miniqmt_gui.ui.orders_panel import OrdersPanel
from miniqmt_gui.ui.quote_panel import QuotePanel

RED_BANNER = "background: #c1121f; color: white; font-size: 15px; font-weight: bold; padding: 6px;"
AMBER_BANNER = "background: #f4a261; color: #222; font-size: 14px; font-weight: bold; padding: 6px;"
PAPER_BANNER = "background: #efe3fa; color: #5a189a; font-weight: bold; padding: 4px;"


class LiveTab(QWidget):
    """Everything about the running strategy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the panels."""
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setObjectName("alert_banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setVisible(False)
        self.quote_panel = QuotePanel()
        self.quote_panel.setMinimumWidth(230)
        self.quote_panel.setMaximumWidth(300)
        self.chart = LiveChart()
        self.candles_box = QCheckBox(self.tr("K 线（取消为折线）"))
        self.candles_box.setChecked(True)
        self.candles_box.toggled.connect(self.chart.set_candles)
        self.layers = LayerPanel()
        self.orders = OrdersPanel()
        self.log = LogPanel()
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.orders, self.tr("委托与历史"))
        self.bottom_tabs.addTab(self.log, self.tr("日志"))
        self._layout()

    def _layout(self) -> None:
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.candles_box)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.layers)
        bottom.addWidget(self.bottom_tabs)
        bottom.setSizes([620, 560])
        center = QSplitter(Qt.Orientation.Vertical)
        center.addWidget(chart_box)
        center.addWidget(bottom)
        center.setSizes([430, 330])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.quote_panel)
        main.addWidget(center)
        main.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(main, 1)

    def set_view(self, view: LiveView) -> None:
        """Show one engine frame."""
        self.quote_panel.show_quote(view.snapshot.quote)
        self.chart.set_view(view)
        self.layers.set_view(view)
        self._banner(view)

    def _banner(self, view: LiveView) -> None:
        status = view.snapshot.status
        text, style = "", ""
        if status.state is TradingState.HALTED:
            text, style = "⛔ " + status.reason, RED_BANNER
        elif status.stale:
            text, style = "⚠ " + self.tr("行情已过期，暂停发单"), RED_BANNER
        elif status.mismatch:
            text, style = "⚠ " + status.mismatch, RED_BANNER
        elif "disconnected" in status.blockers:
            text, style = "⚠ " + self.tr("行情端未连接 QMT"), RED_BANNER
        elif status.state is TradingState.SELL_ONLY:
            text, style = "↑ " + status.reason, AMBER_BANNER
        elif status.paper:
            text, style = self.tr("模拟盘：订单在本机模拟成交，不会发送到执行端"), PAPER_BANNER
        self.banner.setText(text)
        self.banner.setStyleSheet(style)
        self.banner.setVisible(bool(text))

    def stop(self) -> None:
        """Stop timers (window closing)."""
        self.chart.stop()
