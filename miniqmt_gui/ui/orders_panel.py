"""Orders & history: every signal and its result, with a text/status filter and CSV export.

Rows are keyed by ``signal_id``: a :class:`SignalEvent` adds a row ("sent"), the matching
:class:`ResultEvent` completes it (status, filled/requested shares, average price, message).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.live.events import ResultEvent, SignalEvent
from miniqmt_gui.ui.table_models import SORT_ROLE, Column, RowsModel, fmt_number
from windows_bridge.contract.market_hours import as_shanghai

STATUS_COLORS = {"filled": "#1b5e20", "partially_filled": "#b5651d", "rejected": "#c1121f",
                 "cancelled": "#c1121f", "simulated": "#7b2cbf", "sent": "#1d70b8"}


class OrdersModel(RowsModel):
    """Signals and results, one row per ``signal_id``."""

    def __init__(self, parent: Any = None) -> None:
        """Columns of the orders table."""
        super().__init__([], parent)
        self._status_names = {
            "sent": self.tr("已发送，等待结果"), "filled": self.tr("全部成交"),
            "partially_filled": self.tr("部分成交"), "rejected": self.tr("拒绝"),
            "cancelled": self.tr("已撤单"), "simulated": self.tr("模拟成交"),
        }
        columns = [
            Column("time", self.tr("时间")),
            Column("signal_id", self.tr("信号")),
            Column("direction", self.tr("方向"), self._direction,
                   color=lambda r: "#d62828" if r.get("direction") == "BUY" else "#1b7f4b"),
            Column("layer", self.tr("层"), str, numeric=True),
            Column("price", self.tr("委托价"), fmt_number(3), numeric=True),
            Column("requested", self.tr("委托股数"), fmt_number(0), numeric=True),
            Column("filled", self.tr("成交股数"), fmt_number(0), numeric=True),
            Column("avg_price", self.tr("成交均价"), fmt_number(3), numeric=True),
            Column("status", self.tr("状态"), lambda s: self._status_names.get(str(s), str(s)),
                   color=lambda r: STATUS_COLORS.get(str(r.get("status")))),
            Column("message", self.tr("说明")),
        ]
        self._columns = columns
        self._by_id: dict[str, int] = {}

    def _direction(self, value: Any) -> str:
        return self.tr("买入") if value == "BUY" else self.tr("卖出")

    def add_signal(self, event: SignalEvent) -> None:
        """A signal went out (or was re-emitted)."""
        s = event.signal
        row = {"time": as_shanghai(s.timestamp).strftime("%m-%d %H:%M:%S"), "signal_id": s.signal_id,
               "direction": s.direction, "layer": s.layer, "price": s.price, "requested": s.shares,
               "filled": None, "avg_price": None, "status": "sent",
               "message": (self.tr("恢复重发 ") if event.reemitted else "") + (event.rule or s.reason)}
        if s.signal_id in self._by_id:
            self.update_row(self._by_id[s.signal_id], row)
            return
        self._by_id[s.signal_id] = self.rowCount()
        self.append_row(row)

    def add_result(self, event: ResultEvent) -> None:
        """A result arrived: complete the signal's row (or add one for an unknown id)."""
        r = event.result
        position = self._by_id.get(r.signal_id)
        base = self.rows()[position] if position is not None else {
            "time": "", "signal_id": r.signal_id, "direction": r.direction, "layer": None, "price": None}
        row = {**base, "requested": r.requested_shares, "filled": r.filled_shares,
               "avg_price": r.avg_price or None, "status": r.status.value,
               "message": r.message + (self.tr(" [模拟]") if r.simulate else "")}
        if not base.get("time"):
            row["time"] = as_shanghai(r.timestamp).strftime("%m-%d %H:%M:%S")
        if position is None:
            self._by_id[r.signal_id] = self.rowCount()
            self.append_row(row)
        else:
            self.update_row(position, row)


class OrdersFilter(QSortFilterProxyModel):
    """Free-text filter over all columns plus a status filter."""

    def __init__(self, parent: Any = None) -> None:
        """No filter."""
        super().__init__(parent)
        self.text = ""
        self.status = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str, status: str) -> None:
        """Show rows containing ``text`` (any column) with status ``status`` ("" = any)."""
        self.text, self.status = text.strip().lower(), status
        self.invalidate()

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Qt hook."""
        model = self.sourceModel()
        if not isinstance(model, OrdersModel):
            return True
        row = model.rows()[source_row]
        if self.status and row.get("status") != self.status:
            return False
        if not self.text:
            return True
        cells = [str(model.data(model.index(source_row, c)) or "") for c in range(model.columnCount())]
        return any(self.text in cell.lower() for cell in cells)


class OrdersPanel(QWidget):
    """The orders table with its filter bar and export button."""

    exportRequested = Signal(str, str)  # path, CSV text
    journalExportRequested = Signal(str)  # path

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty table."""
        super().__init__(parent)
        self.model = OrdersModel(self)
        self.proxy = OrdersFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("筛选：信号、方向、说明…"))
        self.status_box = QComboBox()
        self.status_box.addItem(self.tr("全部状态"), "")
        for key in ("sent", "filled", "partially_filled", "rejected", "cancelled", "simulated"):
            self.status_box.addItem(self.model._status_names[key], key)
        self.export_button = QPushButton(self.tr("导出 CSV…"))
        self.journal_button = QPushButton(self.tr("导出决策日志…"))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_box)
        bar.addWidget(self.export_button)
        bar.addWidget(self.journal_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.search.textChanged.connect(self._refilter)
        self.status_box.currentIndexChanged.connect(self._refilter)
        self.export_button.clicked.connect(self._export)
        self.journal_button.clicked.connect(self._export_journal)

    def _refilter(self) -> None:
        self.proxy.set_filter(self.search.text(), str(self.status_box.currentData() or ""))

    def visible_csv(self) -> str:
        """CSV of the rows the filter shows."""
        rows = [self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in range(self.proxy.rowCount())]
        return self.model.to_csv(rows)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出委托记录"), "orders.csv", "CSV (*.csv)")
        if path:
            self.exportRequested.emit(path, self.visible_csv())

    def _export_journal(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出决策日志"), "decisions.csv", "CSV (*.csv)")
        if path:
            self.journalExportRequested.emit(path)
