"""Layer table view plus the broker position beside the book, with a match/mismatch indicator."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.layer_model import LayerModel, LayerState, layer_rows
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.orders_panel import fit_columns
from miniqmt_gui.ui.restyle import set_style
from windows_bridge.contract.market_hours import as_shanghai

#: the widest text each column shows (the table's widths come from these, not from the rows on show)
LAYER_SAMPLES = ["合计", "买入中", "100,000", "0.000", "0.000", "-10,000.00", "2026-12-31"]
OK_STYLE = "padding: 4px; border-radius: 3px; background: #e3f4ea; color: #1b5e20;"
BAD_STYLE = "padding: 4px; border-radius: 3px; background: #fde2e1; color: #9b1c1c; font-weight: bold;"
WARN_STYLE = "padding: 4px; border-radius: 3px; background: #fff3cd; color: #7a5b00;"


class LayerPanel(QGroupBox):
    """The nine layers, the broker comparison and the manual-intervention buttons."""

    #: the trader asked for a manual action: "sell", "cancel", "edit" or "reconcile"
    manualRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty table until the first view."""
        super().__init__(self.tr("层仓（账本）"), parent)
        self.model = LayerModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setObjectName("layer_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(19)
        self.table.verticalHeader().setMinimumSectionSize(17)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        states = [self.model.state_text(state) for state in LayerState]
        widest = max(states, key=self.table.fontMetrics().horizontalAdvance)
        self._table_width = fit_columns(self.table, [self.tr("合计"), widest, *LAYER_SAMPLES[2:]], bold=True)
        header = self.table.horizontalHeader()
        self.table.setMinimumWidth(self._table_width + 2 * self.table.frameWidth())
        self.table.setMinimumHeight(19 * 10 + header.sizeHint().height() + 2 * self.table.frameWidth())
        self.broker_label = QLabel(self.tr("券商持仓：等待行情"))
        self.broker_label.setObjectName("broker_match")
        self.broker_label.setWordWrap(True)
        self.broker_label.setStyleSheet(WARN_STYLE)
        buttons = QHBoxLayout()
        self.manual_buttons: dict[str, QPushButton] = {}
        for key, text in (("sell", self.tr("手动卖出选中层")), ("cancel", self.tr("撤单")),
                          ("edit", self.tr("修正层仓…")), ("reconcile", self.tr("核对券商持仓…"))):
            button = QPushButton(text)
            button.setObjectName(f"manual_{key}")
            button.clicked.connect(lambda _=False, k=key: self.manualRequested.emit(k))
            buttons.addWidget(button)
            self.manual_buttons[key] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.broker_label)
        layout.addLayout(buttons)

    def selected_layer(self) -> int | None:
        """The layer of the selected row (``None`` when none or the totals row)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= 9:
            return None
        return rows[0].row() + 1

    def set_view(self, view: LiveView) -> None:
        """Show the book of ``view`` and compare it with the account's position."""
        snap = view.snapshot
        price = snap.quote.price if snap.quote is not None else None
        self.model.today = as_shanghai(snap.quote.time).date() if snap.quote is not None else None
        self.model.set_rows(layer_rows(snap.book, view.levels, price))
        pending = snap.book.pending_signal is not None
        self.manual_buttons["cancel"].setEnabled(pending)
        self.manual_buttons["sell"].setEnabled(not pending and bool(snap.book.positions))
        self.manual_buttons["edit"].setEnabled(not pending)
        self._show_broker(view)

    def _show_broker(self, view: LiveView) -> None:
        snap = view.snapshot
        quote = snap.account  # the paper account in paper mode, the broker's otherwise
        book_shares = sum(lot.shares for lot in snap.book.positions)
        book_text = self.tr("账本层仓 %1 股").replace("%1", fm.shares(book_shares))
        if quote is None:
            self.broker_label.setText(self.tr("券商持仓：等待行情") + " · " + book_text)
            set_style(self.broker_label, WARN_STYLE)
            return
        if quote.positions_status != "ok" or quote.position is None:
            self.broker_label.setText(self.tr("⚠ 券商持仓查询失败（不视为空仓）") + " · " + book_text)
            set_style(self.broker_label, WARN_STYLE)
            return
        pos = quote.position
        who = self.tr("模拟账户持仓") if snap.status.paper else self.tr("券商持仓")
        broker_text = who + self.tr(" %1 股（可用 %2）").replace("%1", fm.shares(pos.volume)) \
            .replace("%2", fm.shares(pos.can_use_volume))
        mismatch = snap.status.mismatch
        if mismatch:
            self.broker_label.setText("✗ " + self.tr("不一致，暂停买入：") + mismatch)
            set_style(self.broker_label, BAD_STYLE)
        else:
            self.broker_label.setText("✓ " + self.tr("一致") + " · " + broker_text + " · " + book_text)
            set_style(self.broker_label, OK_STYLE)
