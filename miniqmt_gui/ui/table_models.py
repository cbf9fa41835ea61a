"""A small generic read-only table model: rows of dicts, columns described once.

Used by the backtest trades table and the orders & history table. Sorting goes through a
``QSortFilterProxyModel`` (the raw value is exposed under :data:`SORT_ROLE`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def fmt_number(decimals: int) -> Callable[[Any], str]:
    """Formatter for numbers with thousands separators; blank for None/NaN."""
    def _fmt(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return f"{value:,.{decimals}f}"
    return _fmt


@dataclass(frozen=True)
class Column:
    """One column: dict ``key``, header text, formatter, right-aligned numbers, optional colour."""

    key: str
    header: str
    fmt: Callable[[Any], str] = str
    numeric: bool = False
    color: Callable[[dict[str, Any]], str | None] | None = None


class RowsModel(QAbstractTableModel):
    """Read-only rows; :meth:`set_rows` replaces them, :meth:`append_row` adds one."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        """A model with ``columns`` and no rows."""
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[dict[str, Any]] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Qt hook."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Qt hook."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook: column headers."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook: text, alignment, colour and sort value of a cell."""
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], self._columns[index.column()]
        value = row.get(col.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return col.fmt(value) if value is not None else ""
        if role == SORT_ROLE:
            return value if value is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            color = col.color(row)
            return QBrush(QColor(color)) if color else None
        return None

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def extend_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add rows at the end (one insert: a sorting proxy merges them in one pass)."""
        if not rows:
            return
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def append_row(self, row: dict[str, Any]) -> None:
        """Add one row at the end."""
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def update_row(self, position: int, row: dict[str, Any]) -> None:
        """Replace the row at ``position``."""
        self._rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self._columns) - 1))

    def rows(self) -> list[dict[str, Any]]:
        """A copy of the rows."""
        return list(self._rows)

    def to_csv(self, rows: Sequence[int] | None = None) -> str:
        """CSV text of all rows or of the given row numbers: numbers as plain numbers (no thousands
        separators, so a spreadsheet reads them as numbers), times with the year, text as shown."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.header for c in self._columns])
        chosen = range(len(self._rows)) if rows is None else rows
        for r in chosen:
            writer.writerow([self._csv_cell(self._rows[r], c, r, i) for i, c in enumerate(self._columns)])
        return out.getvalue()

    def _csv_cell(self, row: dict[str, Any], column: Column, r: int, c: int) -> Any:
        value = row.get(column.key)
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if column.numeric and isinstance(value, int | float):
            return value
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return self.data(self.index(r, c))


def pnl_color(key: str) -> Callable[[dict[str, Any]], str | None]:
    """Red for a gain, green for a loss (A-share colours)."""
    def _color(row: dict[str, Any]) -> str | None:
        value = row.get(key)
        if not isinstance(value, int | float) or value != value or value == 0:
            return None
        return "#d62828" if value > 0 else "#1b7f4b"
    return _color
