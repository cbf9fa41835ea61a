"""The layer table: nine layers (empty / buy pending / held / sell pending) plus a totals row.

Rows come from the engine's book: held lots are in ``positions``; a pending BUY's lot is already
in ``positions`` (tagged with the pending signal id); a pending SELL's lots are gone from
``positions`` but still in ``rollback`` — they are shown as "sell pending" until the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.live_model import Levels
from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import BookLot, DashboardState

N_LAYERS = 9
AnyIndex = QModelIndex | QPersistentModelIndex


class LayerState(StrEnum):
    """What a layer is doing."""

    EMPTY = "empty"
    BUY_PENDING = "buy_pending"
    HELD = "held"
    SELL_PENDING = "sell_pending"


@dataclass(frozen=True)
class LayerRow:
    """One row of the table."""

    layer: int
    state: LayerState
    lot: BookLot | None = None
    target: float = float("nan")
    pnl: float = float("nan")


def layer_rows(book: DashboardState, levels: Levels, last_price: float | None) -> list[LayerRow]:
    """The nine rows for ``book``."""
    pending = book.pending_signal
    targets = {lv.layer: lv.target for lv in levels.lots}
    lots: dict[int, tuple[BookLot, LayerState]] = {}
    for lot in book.positions:
        buying = pending is not None and pending.direction == "BUY" and lot.signal_id == pending.signal_id
        lots[lot.layer] = (lot, LayerState.BUY_PENDING if buying else LayerState.HELD)
    if pending is not None and pending.direction == "SELL" and book.rollback is not None:
        for lot in book.rollback.positions:
            if lot.layer not in lots:
                lots[lot.layer] = (lot, LayerState.SELL_PENDING)
    rows = []
    for layer in range(1, N_LAYERS + 1):
        if layer not in lots:
            rows.append(LayerRow(layer, LayerState.EMPTY))
            continue
        lot, state = lots[layer]
        pnl = lot.shares * last_price - lot.cost if last_price else float("nan")
        rows.append(LayerRow(layer, state, lot, targets.get(layer, float("nan")), pnl))
    return rows


STATE_COLORS = {LayerState.EMPTY: "#999999", LayerState.BUY_PENDING: "#b5651d",
                LayerState.HELD: "#1d3557", LayerState.SELL_PENDING: "#b5651d"}


class LayerModel(QAbstractTableModel):
    """Nine layer rows and a totals row."""

    def __init__(self, parent: QObject | None = None) -> None:
        """All layers empty."""
        super().__init__(parent)
        self._rows = [LayerRow(i, LayerState.EMPTY) for i in range(1, N_LAYERS + 1)]
        #: the market's day: lots bought today show their time, older ones their date (with the year)
        self.today: date | None = None
        self._shown_today: date | None = None
        # the cost (filled value plus fees) is in each row's tooltip and the totals row's: the table stays
        # narrow enough for 1280×800 beside the orders
        self._headers = [self.tr("层"), self.tr("状态"), self.tr("股数"), self.tr("买入价"),
                         self.tr("止盈价"), self.tr("浮动盈亏"), self.tr("买入时间")]

    def state_text(self, state: LayerState) -> str:
        """Display text of a layer state."""
        return {LayerState.EMPTY: self.tr("空"), LayerState.BUY_PENDING: self.tr("买入中"),
                LayerState.HELD: self.tr("持有"), LayerState.SELL_PENDING: self.tr("卖出中")}[state]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Qt hook: nine layers plus totals."""
        return 0 if parent.isValid() else N_LAYERS + 1

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Qt hook."""
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def set_rows(self, rows: list[LayerRow]) -> None:
        """Replace the rows (same count: only the cells change); the same rows repaint nothing."""
        if rows == self._rows and self.today == self._shown_today:
            return
        self._rows, self._shown_today = rows, self.today
        self.dataChanged.emit(self.index(0, 0), self.index(N_LAYERS, len(self._headers) - 1))

    def row(self, layer: int) -> LayerRow:
        """The row of ``layer`` (1-based)."""
        return self._rows[layer - 1]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook: cells of layer rows and the totals row."""
        if not index.isValid():
            return None
        if index.row() == N_LAYERS:
            return self._total_data(index.column(), role)
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and row.lot is not None:
            lot = row.lot
            bought = as_shanghai(lot.time).strftime("%Y-%m-%d %H:%M:%S")
            return self.tr("L%1 成本 %2 元（含手续费），买入 %3，信号 %4").replace("%1", str(row.layer)) \
                .replace("%2", fm.money(lot.cost)).replace("%3", bought).replace("%4", lot.signal_id or "—")
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == 5 and row.lot is not None:
                return QBrush(QColor(fm.signed_color(row.pnl)))
            return QBrush(QColor(STATE_COLORS[row.state]))
        if role == Qt.ItemDataRole.BackgroundRole and row.state in (LayerState.BUY_PENDING,
                                                                    LayerState.SELL_PENDING):
            return QBrush(QColor("#fff3cd"))
        return None

    def _cell(self, row: LayerRow, column: int) -> str:
        lot = row.lot
        if column == 0:
            return f"L{row.layer}"
        if column == 1:
            return self.state_text(row.state)
        if lot is None:
            return ""
        values = ["", "", fm.shares(lot.shares), fm.price(lot.buy_price),
                  fm.price(row.target), fm.money(row.pnl), _time(lot.time, self.today)]
        return values[column]

    def _totals(self) -> tuple[int, float, float]:
        held = [r for r in self._rows if r.lot is not None]
        shares = sum(r.lot.shares for r in held if r.lot is not None)
        cost = sum(r.lot.cost for r in held if r.lot is not None)
        pnl = sum(r.pnl for r in held if r.pnl == r.pnl)
        return shares, cost, pnl

    def _total_data(self, column: int, role: int) -> Any:
        shares, cost, pnl = self._totals()
        if role == Qt.ItemDataRole.DisplayRole:
            count = sum(1 for r in self._rows if r.lot is not None)
            cells = {0: self.tr("合计"), 1: f"{count}/{N_LAYERS}", 2: fm.shares(shares),
                     5: fm.money(pnl) if count else ""}
            return cells.get(column, "")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("层仓成本合计 %1 元").replace("%1", fm.money(cost))
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            return QBrush(QColor(fm.signed_color(pnl)))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#eef2f7"))
        return None


def _time(moment: datetime, today: date | None) -> str:
    local = as_shanghai(moment)
    return local.strftime("%H:%M:%S") if local.date() == today else local.strftime("%Y-%m-%d")
