"""The instrument list's rows and the portfolio totals, computed from each code's latest engine view.

Everything here is pure arithmetic over :class:`~miniqmt_gui.ui.live_model.LiveView` frames that
already reached the GUI thread (no engine, pool or file is touched from the GUI): the pool's free cash
is its capital less what every code's book ties up (:func:`~miniqmt_gui.live.pool_guard.tied_up`: the lots
held, a pending sell's lots until its result) — the same figure
:meth:`~miniqmt_gui.live.pool_guard.LivePool.free_cash` computes on the engines' side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.live.pool_guard import tied_up
from miniqmt_gui.strategy.portfolio import INSTRUMENT_PRESETS
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.table_models import AnyIndex, Column, RowsModel, fmt_number, pnl_color

STATE_COLORS = {TradingState.RUNNING: "#1b5e20", TradingState.SELL_ONLY: "#b5651d",
                TradingState.HALTED: "#c1121f", TradingState.STOPPED: "#555555"}


def instrument_name(code: str) -> str:
    """The shipped preset's short name of ``code`` ("" for a code without one)."""
    preset = INSTRUMENT_PRESETS.get(code)
    return preset.name if preset is not None else ""


@dataclass(frozen=True)
class InstrumentRow:
    """One line of the instrument list (NaN = not known yet)."""

    code: str
    name: str
    price: float = math.nan
    change: float = math.nan
    layers: int = 0
    cost: float = 0.0
    value: float = math.nan
    pnl: float = math.nan
    state: TradingState | None = None
    reason: str = ""
    pending: bool = False
    #: what the row's book ties up in the pool (None: ``cost``; more while a sell is pending)
    pool_cost: float | None = None

    @property
    def tied(self) -> float:
        """What the row ties up in the pool."""
        return self.cost if self.pool_cost is None else self.pool_cost


def instrument_row(code: str, view: LiveView | None, pnl: float = math.nan) -> InstrumentRow:
    """The row of ``code`` from its latest ``view`` (``None``: no frame yet) and today's ``pnl``."""
    name = instrument_name(code)
    if view is None:
        return InstrumentRow(code, name)
    snap = view.snapshot
    lots = snap.book.positions
    quote = snap.quote
    price = quote.price if quote is not None else math.nan
    change = price / quote.pre_close - 1 if quote is not None and quote.pre_close > 0 else math.nan
    held = sum(lot.shares for lot in lots)
    return InstrumentRow(code, name, price, change, len(lots), sum(lot.cost for lot in lots),
                         held * price if held else 0.0, pnl, snap.status.state, snap.status.reason,
                         snap.book.pending_signal is not None, tied_up(snap.book))


@dataclass(frozen=True)
class PortfolioTotals:
    """The portfolio line under the list: grid lots' cost and value, today's P&L, the pool."""

    cost: float
    value: float
    pnl: float
    capital: float
    reserve: float
    #: what the books tie up in the pool (the lots' cost, plus a pending sell's lots until its result)
    tied: float = 0.0

    @property
    def free_cash(self) -> float:
        """The pool's free cash: capital less what the books tie up."""
        return self.capital - self.tied

    @property
    def utilisation(self) -> float:
        """Share of the pool tied up in lots (0–1)."""
        return self.tied / self.capital if self.capital > 0 else math.nan


def portfolio_totals(rows: list[InstrumentRow], capital: float, reserve: float) -> PortfolioTotals:
    """Sum ``rows`` (a code without a price yet adds nothing to the value; NaN P&L counts as 0)."""
    value = sum(r.value for r in rows if not math.isnan(r.value))
    pnl = sum(r.pnl for r in rows if not math.isnan(r.pnl))
    return PortfolioTotals(sum(r.cost for r in rows), value, pnl, capital, reserve,
                           sum(r.tied for r in rows))


def _pct(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:+.2%}"


class InstrumentModel(RowsModel):
    """The instrument list: one row per configured code, in portfolio order."""

    def __init__(self, parent: QObject | None = None) -> None:
        """Columns 代码 名称 最新价 涨跌幅 持有层数 今日盈亏 状态."""
        super().__init__([], parent)
        self.state_names = {TradingState.RUNNING: self.tr("运行中"),
                            TradingState.STOPPED: self.tr("已停止"),
                            TradingState.SELL_ONLY: self.tr("只卖不买"),
                            TradingState.HALTED: self.tr("已熔断")}
        self._columns = [
            Column("code", self.tr("代码")),
            Column("name", self.tr("名称")),
            Column("price", self.tr("最新价"), fmt_number(3), numeric=True),
            Column("change", self.tr("涨跌幅"), _pct, numeric=True, color=pnl_color("change")),
            Column("layers", self.tr("持有层数"), str, numeric=True),
            Column("pnl", self.tr("今日盈亏"), fmt_number(2), numeric=True, color=pnl_color("pnl")),
            Column("state", self.tr("状态"), self._state_text,
                   color=lambda r: STATE_COLORS.get(r.get("state_key"))),  # type: ignore[arg-type]
        ]

    def _state_text(self, value: Any) -> str:
        return value if isinstance(value, str) else ""

    def set_instruments(self, rows: list[InstrumentRow]) -> None:
        """Show ``rows`` (same codes in the same order: cells change in place, the selection stays)."""
        dicts = [self._as_dict(r) for r in rows]
        if [r.get("code") for r in self._rows] != [d["code"] for d in dicts]:
            self.set_rows(dicts)
            return
        for position, row in enumerate(dicts):
            if row != self._rows[position]:
                self.update_row(position, row)

    def _as_dict(self, row: InstrumentRow) -> dict[str, Any]:
        state = self.state_names.get(row.state, "—") if row.state is not None else "—"
        if row.pending:
            state += self.tr(" · 委托中")
        return {"code": row.code, "name": row.name, "price": None if math.isnan(row.price) else row.price,
                "change": row.change, "layers": row.layers, "pnl": None if math.isnan(row.pnl) else row.pnl,
                "state": state, "state_key": row.state, "reason": row.reason}

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt hook: the row's tooltip is the engine's reason (why it is paused, what it waits for)."""
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self._rows[index.row()]
            return f"{row.get('code')} {row.get('name')}\n{row.get('reason') or ''}".strip()
        return super().data(index, role)

    def code_at(self, row: int) -> str:
        """The code on ``row``."""
        return str(self._rows[row]["code"])

