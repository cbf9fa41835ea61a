"""Account and P&L panels of the live tab: what QMT's 资金/持仓 pages show, plus today's Alpha and Beta.

The account is the snapshot's ``account`` quote: the simulated account in paper mode (模拟账户), the
broker's real account otherwise (券商账户). A failed position query shows 查询失败, never zeros.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.plot_items import SESSION_MINUTES, SessionAxis
from miniqmt_gui.ui.pnl_model import PnlFigures
from miniqmt_gui.ui.restyle import set_style

#: the widest money the panels show (the column is sized for it before any data arrives)
WIDEST_MONEY = "1,999,999.99"


def _grid(parent: QGroupBox, names: list[tuple[str, str]]) -> tuple[QGridLayout, dict[str, QLabel]]:
    """Label/value pairs two per row; returns the layout and the value labels by key."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(6)
    grid.setVerticalSpacing(1)
    values: dict[str, QLabel] = {}
    for n, (key, text) in enumerate(names):
        row, col = divmod(n, 2)
        name = QLabel(text)
        name.setStyleSheet("color: #555;")
        value = QLabel("—")
        value.setObjectName(f"value_{key}")
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance(WIDEST_MONEY))  # sized for the data
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(name, row, col * 2)
        grid.addWidget(value, row, col * 2 + 1)
        values[key] = value
    return grid, values


class AccountPanel(QGroupBox):
    """Cash, frozen cash, market value, total asset; position, available (T+1), average cost, float."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty until the first quote with an account."""
        super().__init__(self.tr("券商账户"), parent)
        self.setObjectName("account_panel")
        grid, self.values = _grid(self, [
            ("cash", self.tr("可用资金")), ("frozen", self.tr("冻结资金")),
            ("market_value", self.tr("持仓市值")), ("total", self.tr("总资产")),
            ("volume", self.tr("持仓（股）")), ("available", self.tr("可卖（T+1）")),
            ("avg_price", self.tr("成本价")), ("float", self.tr("持仓盈亏")),
        ])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(grid)

    def set_view(self, view: LiveView) -> None:
        """Show the trading account of ``view`` (the paper account in paper mode)."""
        snap = view.snapshot
        self.setTitle(self.tr("模拟账户（模拟盘）") if snap.status.paper else self.tr("券商账户"))
        account, quote = snap.account, snap.quote
        v = self.values
        asset = account.asset if account is not None else None
        v["cash"].setText(fm.money(asset.cash) if asset else "—")
        v["frozen"].setText(fm.money(asset.frozen_cash) if asset else "—")
        v["market_value"].setText(fm.money(asset.market_value) if asset else "—")
        v["total"].setText(fm.money(asset.total_asset) if asset and asset.total_asset else "—")
        if account is None or account.positions_status != "ok" or account.position is None:
            failed = account is not None
            for key in ("volume", "available", "avg_price", "float"):
                v[key].setText(self.tr("查询失败") if failed and key == "volume" else "—")
            return
        pos = account.position
        price = quote.price if quote is not None else math.nan
        v["volume"].setText(fm.shares(pos.volume))
        v["available"].setText(fm.shares(pos.can_use_volume))
        v["avg_price"].setText(fm.price(pos.avg_price))
        floating = (price - pos.avg_price) * pos.volume if pos.avg_price > 0 and pos.volume else math.nan
        v["float"].setText(fm.money(floating))
        set_style(v["float"], f"color: {fm.signed_color(floating)};")


class PnlPanel(QGroupBox):
    """Today's realised and floating P&L, Alpha (grid) and Beta (base), fees, and a small curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Zeros and an empty curve."""
        super().__init__(self.tr("今日盈亏"), parent)
        self.setObjectName("pnl_panel")
        grid, self.values = _grid(self, [
            ("realised", self.tr("已实现")), ("floating", self.tr("浮动")),
            ("alpha", self.tr("Alpha 网格")), ("beta", self.tr("Beta 底仓")),
            ("fees", self.tr("手续费")), ("total", self.tr("合计")),
        ])
        self.curve_plot = pg.PlotWidget(axisItems={"bottom": SessionAxis()})
        self.curve_plot.setObjectName("pnl_curve")
        self.curve_plot.setMinimumHeight(56)
        self.curve_plot.setMaximumHeight(90)
        self.curve_plot.setMouseEnabled(x=False, y=False)
        self.curve_plot.hideButtons()
        self.curve_plot.getAxis("left").setWidth(44)
        self.curve_plot.setXRange(0, SESSION_MINUTES, padding=0.01)
        self.curve_plot.addLine(y=0, pen=pg.mkPen("#999", width=1))
        self.curve = self.curve_plot.plot(pen=pg.mkPen("#1d3557", width=1.5))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(grid)
        layout.addWidget(self.curve_plot)

    def show_figures(self, figures: PnlFigures, curve: dict[int, float]) -> None:
        """Show the numbers (red gain, green loss) and the curve."""
        for key in ("realised", "floating", "alpha", "beta", "fees", "total"):
            value = getattr(figures, key)
            label = self.values[key]
            label.setText(fm.money(value))
            set_style(label, "" if key == "fees" else f"color: {fm.signed_color(value)};")
        xs = sorted(curve)
        self.curve.setData(xs, [curve[x] for x in xs])
