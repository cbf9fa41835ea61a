"""Backtest charts: price with trade markers, Alpha/Beta/total equity, Alpha drawdown.

All three plots share the bar-index x axis (linked), draw large series with pyqtgraph's
peak downsampling and clip-to-view, and reuse their items between runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from miniqmt_gui.ui.plot_items import IndexTimeAxis, trade_markers


def equity_curves(payload: dict[str, Any]) -> dict[str, np.ndarray]:
    """Alpha, Beta, total (CNY) and the Alpha-curve drawdown (fraction ≤ 0) per bar."""
    close = payload["close"]
    alpha = payload["alpha"]
    base = payload["base_capital"]
    beta = (close - close[0]) * base / close[0] if len(close) else close
    equity = base + payload["flow_capital"] + alpha - (alpha[0] if len(alpha) else 0.0)
    peak = np.maximum.accumulate(equity) if len(equity) else equity
    drawdown = equity / peak - 1.0 if len(equity) else equity
    return {"alpha": alpha, "beta": beta, "total": alpha + beta, "drawdown": drawdown}


def _plot(layout: pg.GraphicsLayoutWidget, row: int, title: str) -> pg.PlotItem:
    axis = IndexTimeAxis(intraday=False)
    plot = layout.addPlot(row=row, col=0, axisItems={"bottom": axis})
    plot.setTitle(title, size="9pt")
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    return plot


class BacktestCharts(pg.GraphicsLayoutWidget):
    """The three linked backtest plots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the plots and their (empty) items once."""
        super().__init__(parent)
        self.setBackground("w")
        self.price_plot = _plot(self, 0, self.tr("价格与成交"))
        self.equity_plot = _plot(self, 1, self.tr("收益 (元)：Alpha / Beta / 合计"))
        self.dd_plot = _plot(self, 2, self.tr("Alpha 回撤"))
        for plot in (self.equity_plot, self.dd_plot):
            plot.setXLink(self.price_plot)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        self.ci.layout.setRowStretchFactor(2, 1)
        self.price_curve = self.price_plot.plot(pen=pg.mkPen("#34495e", width=1))
        self.buys, self.sells = trade_markers()
        self.price_plot.addItem(self.buys)
        self.price_plot.addItem(self.sells)
        self.equity_plot.addLegend(offset=(10, 5))
        self.alpha_curve = self.equity_plot.plot(pen=pg.mkPen("#e76f51", width=1.5), name="Alpha")
        self.beta_curve = self.equity_plot.plot(pen=pg.mkPen("#4a90d9", width=1.2), name="Beta")
        self.total_curve = self.equity_plot.plot(pen=pg.mkPen("#2b2d42", width=1.5), name=self.tr("合计"))
        fill = pg.mkBrush(214, 40, 40, 60)
        self.dd_curve = self.dd_plot.plot(pen=pg.mkPen("#d62828"), fillLevel=0.0, brush=fill)

    def show_result(self, payload: dict[str, Any]) -> None:
        """Draw one backtest result (replaces the previous one)."""
        x = np.arange(len(payload["close"]), dtype=np.float64)
        for plot in (self.price_plot, self.equity_plot, self.dd_plot):
            plot.getAxis("bottom").set_times(payload["time_s"])
        self.price_curve.setData(x, payload["close"])
        curves = equity_curves(payload)
        self.alpha_curve.setData(x, curves["alpha"])
        self.beta_curve.setData(x, curves["beta"])
        self.total_curve.setData(x, curves["total"])
        self.dd_curve.setData(x, curves["drawdown"] * 100.0)
        trades = payload["trades"]
        bars = np.asarray(trades["bar"], dtype=np.float64)
        prices = np.asarray(trades["price"], dtype=np.float64)
        is_buy = np.array([s == "BUY" for s in trades["side"]], dtype=bool)
        self.buys.setData(bars[is_buy], prices[is_buy])
        self.sells.setData(bars[~is_buy], prices[~is_buy])
        self.price_plot.enableAutoRange()
        self.equity_plot.enableAutoRange()
        self.dd_plot.enableAutoRange()

    def clear_result(self) -> None:
        """Empty all plots (before a new run)."""
        for item in (self.price_curve, self.alpha_curve, self.beta_curve, self.total_curve, self.dd_curve,
                     self.buys, self.sells):
            item.setData([], [])
