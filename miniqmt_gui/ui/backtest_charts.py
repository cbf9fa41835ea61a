"""Backtest charts: price with trade markers, Alpha/Beta/total equity, Alpha drawdown (%).

All three plots share the bar-index x axis (linked) and reuse their items between runs. The
curves arrive already decimated by the child process (min/max per bucket), so painting two years
of minutes costs the GUI thread no more than a few thousand points per curve.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from miniqmt_gui.ui.plot_items import IndexTimeAxis, trade_markers

AXIS_WIDTH = 64


def _curve(plot: pg.PlotItem, color: str, width: float = 1.2, **kwargs: Any) -> pg.PlotDataItem:
    """A curve without antialiasing (several thousand points repaint in a few ms)."""
    return plot.plot(pen=pg.mkPen(color, width=width), antialias=False, **kwargs)


def _plot(layout: pg.GraphicsLayoutWidget, row: int, title: str) -> pg.PlotItem:
    axis = IndexTimeAxis(intraday=False)
    plot = layout.addPlot(row=row, col=0, axisItems={"bottom": axis})
    plot.setTitle(title, size="9pt")
    plot.getAxis("left").setWidth(AXIS_WIDTH)  # a fixed width: new data never re-lays-out the plots
    return plot


class BacktestCharts(pg.GraphicsLayoutWidget):
    """The three linked backtest plots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the plots and their (empty) items once."""
        super().__init__(parent)
        self.setBackground("w")
        self.price_plot = _plot(self, 0, self.tr("价格与成交"))
        self.equity_plot = _plot(self, 1, self.tr("收益 (元)：Alpha / Beta / 合计"))
        self.dd_plot = _plot(self, 2, self.tr("Alpha 回撤 (%)"))
        for plot in (self.equity_plot, self.dd_plot):
            plot.setXLink(self.price_plot)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        self.ci.layout.setRowStretchFactor(2, 1)
        self.price_curve = _curve(self.price_plot, "#34495e", 1.0)
        self.buys, self.sells = trade_markers()
        self.price_plot.addItem(self.buys)
        self.price_plot.addItem(self.sells)
        self.equity_plot.addLegend(offset=(10, 2), colCount=3)
        self.alpha_curve = _curve(self.equity_plot, "#e76f51", 1.5, name="Alpha")
        self.beta_curve = _curve(self.equity_plot, "#4a90d9", 1.2, name="Beta")
        self.total_curve = _curve(self.equity_plot, "#2b2d42", 1.5, name=self.tr("合计"))
        fill = pg.mkBrush(214, 40, 40, 60)
        self.dd_curve = _curve(self.dd_plot, "#d62828", 1.0, fillLevel=0.0, brush=fill)

    def show_result(self, payload: dict[str, Any]) -> None:
        """Draw one backtest result (replaces the previous one)."""
        for plot in (self.price_plot, self.equity_plot, self.dd_plot):
            plot.getAxis("bottom").set_times(payload["time_s"])
        curves = payload["curves"]
        self.price_curve.setData(*curves["close"])
        self.alpha_curve.setData(*curves["alpha"])
        self.beta_curve.setData(*curves["beta"])
        self.total_curve.setData(*curves["total"])
        self.dd_curve.setData(*curves["drawdown"])
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
