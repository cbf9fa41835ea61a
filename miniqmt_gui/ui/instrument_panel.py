"""The instrument list above the live panels (several codes only): pick what the panels show.

One row per configured code (代码 名称 最新价 涨跌幅 持有层数 今日盈亏 状态); clicking a row shows that
code in the quote panel, chart, layer table and orders. Under it the portfolio line (grid lots' value,
today's P&L, the shared pool's free cash against its reserve) and 全部启动 / 全部停止. The toolbar's
启动/停止/只卖不买 act on the selected code; 紧急熔断 stops every code (the STOP file is shared).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.ui.instrument_model import InstrumentModel, InstrumentRow, PortfolioTotals, instrument_row
from miniqmt_gui.ui.orders_panel import compact_table, fit_columns
from miniqmt_gui.ui.restyle import set_style

SAMPLES = ["000000.SZ", "华泰柏瑞红利低波ETF", "000.000", "+10.00%", "9", "-100,000.00", "只卖不买 · 委托中"]
ROW_HEIGHT = 20
MAX_ROWS = 4


class InstrumentPanel(QWidget):
    """The list, the portfolio line and the all-codes buttons."""

    codeSelected = Signal(str)
    startAll = Signal()
    stopAll = Signal()

    def __init__(self, codes: list[str], parent: QWidget | None = None) -> None:
        """A row per code of ``codes`` (in order); the first is selected."""
        super().__init__(parent)
        self.setObjectName("instrument_panel")
        self.model = InstrumentModel(self)
        self.model.set_instruments([instrument_row(code, None) for code in codes])
        self.view = QTableView()
        self.view.setObjectName("instrument_view")
        self.view.setModel(self.model)
        compact_table(self.view)
        self.view.setSortingEnabled(False)  # portfolio order: row n is the n-th configured code
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.view, SAMPLES, stretch=len(SAMPLES) - 1)
        header_h = self.view.horizontalHeader().sizeHint().height()
        # up to MAX_ROWS rows on show (a longer list scrolls): the chart keeps its room at 1280×800
        self.view.setFixedHeight(header_h + ROW_HEIGHT * min(len(codes), MAX_ROWS) + 4)
        self.totals = QLabel()
        self.totals.setObjectName("portfolio_totals")
        self.start_all = QPushButton(self.tr("全部启动"))
        self.stop_all = QPushButton(self.tr("全部停止"))
        self.start_all.clicked.connect(self.startAll)
        self.stop_all.clicked.connect(self.stopAll)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.totals, 1)
        line.addWidget(self.start_all)
        line.addWidget(self.stop_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view)
        layout.addLayout(line)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.codeSelected.emit(self.model.code_at(current.row()))
            if current.isValid() else None)
        self.select(codes[0])

    def select(self, code: str) -> None:
        """Select ``code``'s row (emits ``codeSelected`` when it changes)."""
        for row in range(self.model.rowCount()):
            if self.model.code_at(row) == code:
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | \
                    QItemSelectionModel.SelectionFlag.Rows
                self.view.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
                return

    def selected(self) -> str:
        """The code whose row is selected."""
        return self.model.code_at(max(0, self.view.currentIndex().row()))

    def show_rows(self, rows: list[InstrumentRow], totals: PortfolioTotals) -> None:
        """New figures for every code and the portfolio line."""
        self.model.set_instruments(rows)
        pool = self.tr("资金池 %1，可用 %2（保留 %3），占用 %4") \
            .replace("%1", f"{totals.capital:,.0f}").replace("%2", f"{totals.free_cash:,.0f}") \
            .replace("%3", f"{totals.reserve:,.0f}").replace("%4", f"{totals.utilisation:.0%}")
        text = self.tr("组合：网格持仓市值 %1 · 今日盈亏 %2 · ").replace("%1", f"{totals.value:,.2f}") \
            .replace("%2", f"{totals.pnl:+,.2f}") + pool
        self.totals.setText(text)
        low = totals.free_cash < totals.reserve
        set_style(self.totals, "color: #b5651d; font-weight: bold;" if low else "")  # once per change
        self.totals.setToolTip(self.tr("可用资金低于保留额：不再开新的第一层，卖出照常") if low else "")
