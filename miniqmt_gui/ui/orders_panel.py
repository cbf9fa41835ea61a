"""Orders (委托) and fills (成交): every signal with its result, and every fill, paper and live apart.

Order rows are keyed by ``signal_id``: a :class:`SignalEvent` adds a row (已报), the matching
:class:`ResultEvent` completes it with the QMT words traders know (已成 / 部撤 / 已撤 / 废单), the broker's
order number (委托编号), filled shares and average price. Each result that filled something adds a row
to the fills list. Paper mode and live mode each keep their own two lists; the panel shows the mode
the engine runs in. The text/status filter and the CSV export work on the orders on show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from miniqmt_gui.live.events import ResultEvent, SignalEvent
from miniqmt_gui.ui.table_models import SORT_ROLE, Column, RowsModel, fmt_number
from windows_bridge.contract.market_hours import as_shanghai

STATUS_COLORS = {"filled": "#1b5e20", "partially_filled": "#b5651d", "rejected": "#c1121f",
                 "cancelled": "#c1121f", "simulated": "#7b2cbf", "sent": "#1d70b8", "in_doubt": "#c1121f"}
STATUS_KEYS = ("sent", "filled", "partially_filled", "cancelled", "rejected", "in_doubt", "simulated")


def _hms(value: Any) -> str:
    return as_shanghai(value).strftime("%H:%M:%S") if isinstance(value, datetime) else str(value or "")


def _side_color(row: dict[str, Any]) -> str:
    return "#d62828" if row.get("direction") == "BUY" else "#1b7f4b"


class OrdersModel(RowsModel):
    """Signals and results, one row per ``signal_id``."""

    def __init__(self, parent: Any = None) -> None:
        """Columns of the orders table (the signal id is last; the view hides it, CSV keeps it)."""
        super().__init__([], parent)
        # the words of QMT's 委托 page (a final partially filled order had its rest cancelled: 部撤)
        self.status_names = {
            "sent": self.tr("已报"), "filled": self.tr("已成"), "partially_filled": self.tr("部撤"),
            "cancelled": self.tr("已撤"), "rejected": self.tr("废单"), "in_doubt": self.tr("状态不明"),
            "simulated": self.tr("模拟成交"),
        }
        self._columns = [
            Column("time", self.tr("时间"), _hms),
            Column("direction", self.tr("方向"), color=_side_color),
            Column("price", self.tr("委托价"), fmt_number(3), numeric=True),
            Column("requested", self.tr("委托量"), fmt_number(0), numeric=True),
            Column("filled", self.tr("成交量"), fmt_number(0), numeric=True),
            Column("avg_price", self.tr("均价"), fmt_number(3), numeric=True),
            Column("status", self.tr("状态"), lambda s: self.status_names.get(str(s), str(s)),
                   color=lambda r: STATUS_COLORS.get(str(r.get("status")))),
            Column("order_id", self.tr("委托编号"), str),
            Column("message", self.tr("说明")),
            Column("signal_id", self.tr("信号")),
            Column("layer", self.tr("层"), str, numeric=True),
        ]
        self._by_id: dict[str, int] = {}
        self.rule_names = {"grid_buy": self.tr("网格买入"), "take_profit": self.tr("止盈"),
                           "float_loss_stop": self.tr("浮亏止损"), "manual_sell": self.tr("手动卖出")}

    def _direction(self, value: Any) -> str:
        return self.tr("买入") if value == "BUY" else self.tr("卖出")

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook: every cell's tooltip names the signal and the full time."""
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and self._columns[index.column()].key == \
                "direction":  # 买入 L3: the side and the layer in one narrow column
            row = self._rows[index.row()]
            layer = row.get("layer")
            return self._direction(row.get("direction")) + (f" L{layer}" if layer else "")
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self._rows[index.row()]
            moment = row.get("time")
            when = as_shanghai(moment).strftime("%Y-%m-%d %H:%M:%S") if isinstance(moment, datetime) else ""
            return f"{row.get('signal_id', '')}  {when}\n{row.get('message', '')}"
        return super().data(index, role)

    def add_signal(self, event: SignalEvent) -> None:
        """A signal went out (or was re-emitted)."""
        s = event.signal
        row = {"time": s.timestamp, "signal_id": s.signal_id, "direction": s.direction, "layer": s.layer,
               "price": s.price, "requested": s.shares, "filled": None, "avg_price": None, "status": "sent",
               "order_id": None, "rule": event.rule or s.reason,
               "message": (self.tr("恢复重发 ") if event.reemitted else "")
               + self.rule_names.get(event.rule, event.rule or s.reason)}
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
            "time": r.timestamp, "signal_id": r.signal_id, "direction": r.direction, "layer": None,
            "price": None}
        row = {**base, "requested": r.requested_shares, "filled": r.filled_shares,
               "avg_price": r.avg_price or None, "status": r.status.value, "order_id": r.order_id,
               "message": " · ".join(t for t in (self.rule_names.get(str(base.get("rule", "")),
                                                                      str(base.get("rule", "") or "")),
                                                 r.message) if t)}
        if position is None:
            self._by_id[r.signal_id] = self.rowCount()
            self.append_row(row)
        else:
            self.update_row(position, row)


class FillsModel(RowsModel):
    """One row per result that filled shares (the 成交 page)."""

    def __init__(self, parent: Any = None) -> None:
        """Columns of the fills table."""
        super().__init__([], parent)
        self._columns = [
            Column("time", self.tr("回报时间"), _hms),
            Column("direction", self.tr("方向"), lambda v: self.tr("买入") if v == "BUY" else self.tr("卖出"),
                   color=_side_color),
            Column("layer", self.tr("层"), str, numeric=True),
            Column("shares", self.tr("成交量"), fmt_number(0), numeric=True),
            Column("price", self.tr("成交均价"), fmt_number(3), numeric=True),
            Column("value", self.tr("成交额"), fmt_number(2), numeric=True),
            Column("fees", self.tr("手续费"), fmt_number(2), numeric=True),
            Column("order_id", self.tr("委托编号"), str),
            Column("signal_id", self.tr("信号")),
        ]

    def add_result(self, event: ResultEvent, layer: int | None) -> None:
        """Add the fill of ``event`` (nothing when it filled nothing)."""
        r = event.result
        if r.filled_shares <= 0:
            return
        self.append_row({"time": r.timestamp, "direction": r.direction, "layer": layer,
                         "shares": r.filled_shares, "price": r.avg_price,
                         "value": round(r.filled_shares * r.avg_price, 2), "fees": r.fees,
                         "order_id": r.order_id, "signal_id": r.signal_id})


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


def compact_table(view: QTableView) -> None:
    """A read-only table whose columns take what their contents need (the last one the rest)."""
    view.setSortingEnabled(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(20)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(16)


CELL_MARGINS = 10


def fit_columns(view: QTableView, samples: list[str], stretch: int | None = None,
                bold: bool = False) -> int:
    """Fixed column widths from the widest of each column's header and ``samples[c]`` (font metrics, not
    the rows on show, so the layout never changes with the data); returns the total width.

    ``stretch`` takes what is left (its sample is its minimum). Deterministic widths are what keeps the
    layer book and the orders free of sideways scrolling at 1280×800.
    """
    header = view.horizontalHeader()
    font = QFont(view.font())
    font.setBold(bold)  # a table with a bold totals row measures bold
    metrics = QFontMetrics(font)
    head_metrics = header.fontMetrics()
    model = view.model()
    total = 0
    for c, sample in enumerate(samples):
        if view.isColumnHidden(c):
            continue
        title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        # the cell's own margins (the style's focus frame and text margins) come on top of the text
        width = max(metrics.horizontalAdvance(sample), head_metrics.horizontalAdvance(title)) + CELL_MARGINS
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                    else QHeaderView.ResizeMode.Fixed)
        header.resizeSection(c, width)
        total += width
    header.setStretchLastSection(False)
    return total


ORDER_SAMPLES = ["00:00:00", "卖出 L9", "0.000", "100,000", "100,000", "0.000", "废单", "000000000", "说明",
                 "", ""]
FILL_SAMPLES = ["00:00:00", "卖出", "9", "100,000", "0.000", "100,000.00", "00.00", "000000000",
                "SELL_159201.SZ_L9_00000000"]


class OrdersPanel(QWidget):
    """The orders table with its filter bar and export buttons, and the fills table (``fills_view``)."""

    exportRequested = Signal(str, str)  # path, CSV text
    journalExportRequested = Signal(str)  # path

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty tables for both modes; live mode on show until :meth:`set_mode`."""
        super().__init__(parent)
        #: (code, paper) → its orders and fills; ``""`` is the code until :meth:`set_code` names one
        self.books: dict[tuple[str, bool], tuple[OrdersModel, FillsModel]] = {}
        self.paper = False
        self.code = ""
        self.model, self.fills = self._book(self.code, False)
        self.proxy = OrdersFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("orders_view")
        self.view.setModel(self.proxy)
        compact_table(self.view)
        n = len(self.model._columns)
        for hidden in (n - 2, n - 1):  # the long signal id and the layer (in 方向): tooltip + CSV
            self.view.setColumnHidden(hidden, True)
        fit_columns(self.view, self._order_samples(), stretch=n - 3)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.fills_view = QTableView()
        self.fills_view.setObjectName("fills_view")
        self.fills_view.setModel(self.fills)
        compact_table(self.fills_view)
        fit_columns(self.fills_view, FILL_SAMPLES, stretch=len(FILL_SAMPLES) - 1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("筛选：信号、方向、说明…"))
        self.status_box = QComboBox()
        self.status_box.addItem(self.tr("全部状态"), "")
        for key in STATUS_KEYS:
            self.status_box.addItem(self.model.status_names[key], key)
        self.export_button = QPushButton(self.tr("导出 CSV…"))
        self.journal_button = QPushButton(self.tr("导出决策日志…"))
        self.filter_bar = QWidget()
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_box)
        bar.addWidget(self.export_button)
        bar.addWidget(self.journal_button)
        self.search.textChanged.connect(self._refilter)
        self.status_box.currentIndexChanged.connect(self._refilter)
        self.export_button.clicked.connect(self._export)
        self.journal_button.clicked.connect(self._export_journal)

    def _order_samples(self) -> list[str]:
        """The widest text of each order column in the UI's language."""
        metrics = self.view.fontMetrics()
        # the everyday statuses; a rare 状态不明 / 模拟成交 may be cut short (its tooltip says it in full)
        everyday = [self.model.status_names[k] for k in ("sent", "filled", "partially_filled", "cancelled",
                                                         "rejected")]
        widest = max(everyday, key=metrics.horizontalAdvance)
        side = max((self.model._direction(d) for d in ("BUY", "SELL")), key=metrics.horizontalAdvance)
        return [ORDER_SAMPLES[0], side + " L9", *ORDER_SAMPLES[2:6], widest, *ORDER_SAMPLES[7:]]

    def _book(self, code: str, paper: bool) -> tuple[OrdersModel, FillsModel]:
        key = (code, paper)
        if key not in self.books:
            self.books[key] = (OrdersModel(self), FillsModel(self))
        return self.books[key]

    def set_mode(self, paper: bool) -> None:
        """Show the paper or the live history."""
        if paper == self.paper:
            return
        self.paper = paper
        self._show()

    def set_code(self, code: str) -> None:
        """Show ``code``'s history (several codes: each has its own orders and fills)."""
        if self.books and not self.code and code:
            # the first code was shown before any code was named: its rows are that code's
            for paper in (False, True):
                if ("", paper) in self.books:
                    self.books[(code, paper)] = self.books.pop(("", paper))
        self.code = code
        self._show()

    def _show(self) -> None:
        model, fills = self._book(self.code, self.paper)
        if model is not self.model:
            self.model, self.fills = model, fills
            self.proxy.setSourceModel(self.model)
            self.fills_view.setModel(self.fills)

    def add_signal(self, event: SignalEvent, code: str | None = None) -> None:
        """A signal of ``code`` (default: the code on show) in the mode on show."""
        self._book(self.code if code is None else code, self.paper)[0].add_signal(event)

    def add_result(self, event: ResultEvent, code: str | None = None) -> None:
        """A result of ``code`` (default: the code on show): completes its order and adds its fill."""
        model, fills = self._book(self.code if code is None else code, self.paper)
        model.add_result(event)
        row = next((r for r in model.rows() if r.get("signal_id") == event.result.signal_id), {})
        fills.add_result(event, row.get("layer"))

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
