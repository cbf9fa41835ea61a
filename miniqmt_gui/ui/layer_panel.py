"""Layer table view plus the broker position beside the book, with a match/mismatch indicator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.layer_model import LayerModel, layer_rows
from miniqmt_gui.ui.live_model import LiveView

OK_STYLE = "padding: 4px; border-radius: 3px; background: #e3f4ea; color: #1b5e20;"
BAD_STYLE = "padding: 4px; border-radius: 3px; background: #fde2e1; color: #9b1c1c; font-weight: bold;"
WARN_STYLE = "padding: 4px; border-radius: 3px; background: #fff3cd; color: #7a5b00;"


class LayerPanel(QGroupBox):
    """The nine layers and the broker comparison."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty table until the first view."""
        super().__init__(self.tr("层仓（账本）"), parent)
        self.model = LayerModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (4, 7):  # cost and time need their full width
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.broker_label = QLabel(self.tr("券商持仓：等待行情"))
        self.broker_label.setObjectName("broker_match")
        self.broker_label.setWordWrap(True)
        self.broker_label.setStyleSheet(WARN_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.broker_label)

    def set_view(self, view: LiveView) -> None:
        """Show the book of ``view`` and compare it with the broker's position."""
        snap = view.snapshot
        price = snap.quote.price if snap.quote is not None else None
        self.model.set_rows(layer_rows(snap.book, view.levels, price))
        self._show_broker(view)

    def _show_broker(self, view: LiveView) -> None:
        snap = view.snapshot
        quote = snap.quote
        book_shares = sum(lot.shares for lot in snap.book.positions)
        book_text = self.tr("账本层仓 %1 股").replace("%1", fm.shares(book_shares))
        if quote is None:
            self.broker_label.setText(self.tr("券商持仓：等待行情") + " · " + book_text)
            self.broker_label.setStyleSheet(WARN_STYLE)
            return
        if quote.positions_status != "ok" or quote.position is None:
            self.broker_label.setText(self.tr("⚠ 券商持仓查询失败（不视为空仓）") + " · " + book_text)
            self.broker_label.setStyleSheet(WARN_STYLE)
            return
        pos = quote.position
        broker_text = self.tr("券商持仓 %1 股（可用 %2）").replace("%1", fm.shares(pos.volume)) \
            .replace("%2", fm.shares(pos.can_use_volume))
        mismatch = snap.status.mismatch
        if mismatch:
            self.broker_label.setText("✗ " + self.tr("不一致，暂停买入：") + mismatch)
            self.broker_label.setStyleSheet(BAD_STYLE)
        else:
            self.broker_label.setText("✓ " + self.tr("一致") + " · " + broker_text + " · " + book_text)
            self.broker_label.setStyleSheet(OK_STYLE)
