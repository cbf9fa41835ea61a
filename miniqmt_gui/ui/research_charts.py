"""Robustness charts of a sweep: a score heatmap with hover values, a sensitivity curve, the neighbourhood.

The heatmap is a pyqtgraph ``ImageItem`` (cell ``(i, j)`` covers ``[i, i+1) × [j, j+1)``) with a colour
bar; moving the mouse over it shows the parameter values and the score of the cell under the pointer.
The numbers come from :mod:`miniqmt_gui.backtest.robustness`, the same as in the HTML report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QWidget

from miniqmt_gui.backtest.robustness import Heatmap, heatmap, neighbourhood, sensitivity

COLOR_MAP = "viridis"  # neutral: red/green carry opposite meanings for A-share and western readers


def _label(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _ticks(values: Sequence[Any], most: int = 12) -> list[list[tuple[float, str]]]:
    step = max(1, math.ceil(len(values) / most))
    return [[(i + 0.5, _label(v)) for i, v in enumerate(values) if i % step == 0]]


class RobustnessCharts(pg.GraphicsLayoutWidget):
    """Heatmap (top), sensitivity of the x parameter and the winner's neighbourhood (bottom)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the plots and their items once."""
        super().__init__(parent)
        self.setBackground("w")
        self.hover_label = self.addLabel("", row=0, col=0, colspan=2, justify="left")
        self.heat_plot = self.addPlot(row=1, col=0, colspan=2)
        self.heat_plot.setMenuEnabled(False)
        self.heat_plot.hideButtons()
        self.image = pg.ImageItem()
        self.heat_plot.addItem(self.image)
        cmap = pg.colormap.get(COLOR_MAP)
        self.image.setColorMap(cmap)
        self.color_bar = pg.ColorBarItem(colorMap=cmap, interactive=False, width=14)
        self.color_bar.setImageItem(self.image, insert_in=self.heat_plot)
        self.best_marker = pg.ScatterPlotItem(symbol="star", size=18, brush=pg.mkBrush("w"),
                                              pen=pg.mkPen("k"))
        self.heat_plot.addItem(self.best_marker)
        self.sens_plot = self.addPlot(row=2, col=0)
        self.sens_plot.addLegend(offset=(5, 5))
        self.sens_at_best = self.sens_plot.plot(pen=pg.mkPen("#d62828", width=2), symbol="o", symbolSize=5,
                                                name=self.tr("其余参数取最优"))
        self.sens_median = self.sens_plot.plot(pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine),
                                               name=self.tr("其余组合中位数"))
        self.sens_best = self.sens_plot.plot(pen=pg.mkPen("#2a9d8f", width=1, style=Qt.PenStyle.DotLine),
                                             name=self.tr("其余组合最优"))
        self.nb_plot = self.addPlot(row=2, col=1)
        self.nb_points = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(74, 144, 217, 150), pen=None)
        self.nb_plot.addItem(self.nb_points)
        self.nb_median = self.nb_plot.plot(pen=pg.mkPen("#e76f51", width=2), symbol="o", symbolSize=6)
        self.nb_best = pg.InfiniteLine(angle=0, pen=pg.mkPen("k", style=Qt.PenStyle.DashLine))
        self.nb_plot.addItem(self.nb_best)
        self.nb_plot.setLabel("bottom", self.tr("距最优点的网格步数"))
        self.ci.layout.setRowStretchFactor(1, 3)
        self.ci.layout.setRowStretchFactor(2, 2)
        self.heatmap: Heatmap | None = None
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def show_table(self, table: pd.DataFrame, keys: Sequence[str], score: str, x: str, y: str | None) -> None:
        """Draw the views of ``table`` for parameters ``x`` (and ``y``; ``None`` with one swept parameter)."""
        self._show_sensitivity(table, keys, x, score)
        self._show_neighbourhood(table, keys, score)
        if y is None:
            self.heatmap = None
            self.image.clear()
            self.best_marker.setData([], [])
            self.hover_label.setText(self.tr("只扫描了一个参数：没有热力图"))
            return
        hm = heatmap(table, keys, x, y, score)
        self.heatmap = hm
        finite = hm.z[np.isfinite(hm.z)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1e-9
        self.image.setImage(hm.z.T, autoLevels=False, levels=(lo, hi))
        self.image.setRect(QRectF(0, 0, len(hm.x_values), len(hm.y_values)))
        self.color_bar.setLevels((lo, hi))
        best_x, best_y = hm.best
        if best_x >= 0:
            self.best_marker.setData([best_x + 0.5], [best_y + 0.5])
        else:
            self.best_marker.setData([], [])
        self.heat_plot.getAxis("bottom").setTicks(_ticks(hm.x_values))
        self.heat_plot.getAxis("left").setTicks(_ticks(hm.y_values))
        self.heat_plot.setLabel("bottom", x)
        self.heat_plot.setLabel("left", y)
        fixed = ", ".join(f"{k}={_label(v)}" for k, v in hm.fixed.items())
        self.heat_plot.setTitle(f"{score}" + (f"  ({fixed})" if fixed else ""), size="9pt")
        self.heat_plot.autoRange(padding=0)
        self.hover_label.setText(self.tr("将鼠标移到热力图上查看数值"))

    def cell_text(self, x: float, y: float) -> str:
        """Text for the heatmap cell under view coordinates ``(x, y)``; empty outside it."""
        hm = self.heatmap
        if hm is None or x < 0 or y < 0:
            return ""
        i, j = int(x), int(y)
        if i >= len(hm.x_values) or j >= len(hm.y_values):
            return ""
        value = hm.z[j, i]
        shown = f"{value:.4f}" if np.isfinite(value) else "—"
        return f"{hm.x} = {_label(hm.x_values[i])}   {hm.y} = {_label(hm.y_values[j])}   {hm.score} = {shown}"

    def _mouse_moved(self, pos: QPointF) -> None:
        if self.heatmap is None or not self.heat_plot.sceneBoundingRect().contains(pos):
            return
        point = self.heat_plot.vb.mapSceneToView(pos)
        text = self.cell_text(point.x(), point.y())
        if text:
            self.hover_label.setText(text)

    def _show_sensitivity(self, table: pd.DataFrame, keys: Sequence[str], param: str, score: str) -> None:
        curve = sensitivity(table, keys, param, score)
        x = np.arange(len(curve), dtype=np.float64) + 0.5
        self.sens_at_best.setData(x, curve["at_best"].to_numpy(dtype=np.float64))
        self.sens_median.setData(x, curve["median"].to_numpy(dtype=np.float64))
        self.sens_best.setData(x, curve["best"].to_numpy(dtype=np.float64))
        self.sens_plot.getAxis("bottom").setTicks(_ticks(list(curve.index), most=6))
        self.sens_plot.setTitle(self.tr("敏感度：") + param, size="9pt")
        self.sens_plot.enableAutoRange()

    def _show_neighbourhood(self, table: pd.DataFrame, keys: Sequence[str], score: str) -> None:
        nb = neighbourhood(table, keys, score)
        jitter = np.random.default_rng(0).uniform(-0.15, 0.15, len(nb.points))
        self.nb_points.setData(nb.points["distance"].to_numpy(dtype=np.float64) + jitter,
                               nb.points["score"].to_numpy(dtype=np.float64))
        self.nb_median.setData(nb.rings.index.to_numpy(dtype=np.float64),
                               nb.rings["median"].to_numpy(dtype=np.float64))
        self.nb_best.setValue(nb.best_score)
        self.nb_plot.getAxis("bottom").setTicks([[(float(d), str(d)) for d in nb.rings.index]])
        kept = nb.retained(1)
        title = self.tr("最优点邻域")
        if math.isfinite(kept):
            title += self.tr("：相邻一步中位数保留 %1%").replace("%1", f"{kept * 100:.0f}")
        self.nb_plot.setTitle(title, size="9pt")
        self.nb_plot.enableAutoRange()

    def clear_result(self) -> None:
        """Empty every plot (before a new sweep)."""
        self.heatmap = None
        self.image.clear()
        for item in (self.best_marker, self.nb_points):
            item.setData([], [])
        for curve in (self.sens_at_best, self.sens_median, self.sens_best, self.nb_median):
            curve.setData([], [])
        self.hover_label.setText("")
