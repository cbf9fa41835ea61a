"""Live chart: today's 1-minute candles (or a line) with volume, level lines, fills and a crosshair.

Items are created once and reused: candles are redrawn only when the bars change, the level lines
(each held lot's buy price and take-profit target, the next buy trigger, the anchor, the last
price) are moved and shown/hidden. Updates are coalesced: :meth:`set_view` only remembers the
newest frame and a single-shot timer redraws at most every ``REDRAW_MS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QWidget

from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.plot_items import (
    DOWN_COLOR,
    UP_COLOR,
    CandleItem,
    IndexTimeAxis,
    VolumeAxis,
    hline,
    trade_markers,
)
from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import Bar

REDRAW_MS = 200
MAX_LAYERS = 9


@dataclass(frozen=True)
class Fill:
    """A fill to mark on the chart."""

    time: datetime
    price: float
    side: str


def todays_bars(history: list[Bar]) -> list[Bar]:
    """The bars of the last bar's trading day (all bars when that leaves fewer than 2)."""
    if not history:
        return []
    day = as_shanghai(history[-1].time).date()
    today = [b for b in history if as_shanghai(b.time).date() == day]
    return today if len(today) >= 2 else list(history)


def _labelled(color: str, style: Qt.PenStyle, width: float = 1.0, position: float = 0.04,
              ) -> pg.InfiniteLine:
    """A horizontal level line with a small label at ``position`` (0 = left end, 1 = right end)."""
    line = hline(color, style, width)
    anchor = (0, 1) if position < 0.5 else (1, 1)
    line.label = pg.InfLineLabel(line, text="", position=position, anchors=[anchor, anchor], color=color)
    return line


class LiveChart(pg.GraphicsLayoutWidget):
    """Price and volume plots for the live view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create all items once."""
        super().__init__(parent)
        self.setBackground("w")
        self.axis = IndexTimeAxis(intraday=True)
        self.price_plot = self.addPlot(row=0, col=0, axisItems={"bottom": self.axis})
        self.volume_axis = IndexTimeAxis(intraday=True)
        self.volume_plot = self.addPlot(row=1, col=0, axisItems={"bottom": self.volume_axis,
                                                                  "left": VolumeAxis()})
        self.price_plot.getAxis("bottom").setStyle(showValues=False)  # the volume plot's axis shows times
        for plot in (self.price_plot, self.volume_plot):
            plot.getAxis("left").setWidth(58)
        self.volume_plot.setXLink(self.price_plot)
        self.volume_plot.setMaximumHeight(110)
        self.candles = CandleItem()
        self.line = self.price_plot.plot(pen=pg.mkPen("#34495e", width=1.5), antialias=True)
        self.price_plot.addItem(self.candles)
        self.volume_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brushes=[])
        self.volume_plot.addItem(self.volume_bars)
        self.buy_lines = [_labelled("#f4a261", Qt.PenStyle.SolidLine) for _ in range(MAX_LAYERS)]
        dash = Qt.PenStyle.DashLine
        self.target_lines = [_labelled(UP_COLOR, dash, position=0.97) for _ in range(MAX_LAYERS)]
        self.next_buy_line = _labelled("#1d70b8", Qt.PenStyle.DashLine, 1.5, position=0.5)
        self.last_line = _labelled("#7b2cbf", Qt.PenStyle.DotLine, position=0.75)
        for line in (*self.buy_lines, *self.target_lines, self.next_buy_line, self.last_line):
            self.price_plot.addItem(line, ignoreBounds=True)
        self.fill_buys, self.fill_sells = trade_markers()
        self.price_plot.addItem(self.fill_buys)
        self.price_plot.addItem(self.fill_sells)
        self._build_crosshair()
        self._pending: LiveView | None = None
        self._fills: list[Fill] = []
        self._bars: list[Bar] = []
        self._bars_key: tuple[object, ...] = ()
        self._use_candles = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self.redraws = 0

    def _build_crosshair(self) -> None:
        pen = pg.mkPen("#888", style=Qt.PenStyle.DotLine)
        self.cross_v = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.cross_h = pg.InfiniteLine(angle=0, movable=False, pen=pen)
        self.cross_text = pg.TextItem("", color="#222", fill=pg.mkBrush(255, 255, 255, 220), anchor=(0, 0))
        for item in (self.cross_v, self.cross_h, self.cross_text):
            item.setVisible(False)
            self.price_plot.addItem(item, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    # ------------------------------------------------------------------ public

    def set_candles(self, candles: bool) -> None:
        """Candles (True) or a close line (False)."""
        self._use_candles = candles
        self._bars_key = ()
        self._schedule()

    def add_fill(self, fill: Fill) -> None:
        """Mark a fill (buy or sell) at its time and price."""
        self._fills.append(fill)
        self._schedule()

    def set_view(self, view: LiveView) -> None:
        """Remember the newest frame; the chart redraws at most every ``REDRAW_MS``."""
        self._pending = view
        self._schedule()

    def stop(self) -> None:
        """Stop the redraw timer (window closing)."""
        self._timer.stop()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    # ------------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        view = self._pending
        if view is None:
            return
        self.redraws += 1
        quote = view.snapshot.quote
        if quote is not None:
            self._draw_bars(todays_bars(list(quote.history)))
            self._set_line(self.last_line, quote.price, self.tr("最新 ") + f"{quote.price:.3f}")
        self._draw_levels(view)
        self._draw_fills()

    def _draw_bars(self, bars: list[Bar]) -> None:
        key = (len(bars), bars[-1].time if bars else None, bars[-1].close if bars else None,
               self._use_candles)
        if key == self._bars_key:
            return
        self._bars_key, self._bars = key, bars
        times = np.array([int(b.time.timestamp()) for b in bars], dtype=np.int64)
        self.axis.set_times(times)
        self.volume_axis.set_times(times)
        ohlc = np.array([[b.open, b.high, b.low, b.close] for b in bars], dtype=float).reshape(-1, 4)
        x = np.arange(len(bars), dtype=float)
        if self._use_candles:
            self.candles.set_bars(ohlc)
            self.line.setData([], [])
        else:
            self.candles.set_bars(np.zeros((0, 4)))
            self.line.setData(x, ohlc[:, 3])
        brushes = [pg.mkBrush(UP_COLOR if c >= o else DOWN_COLOR) for o, _, _, c in ohlc]
        self.volume_bars.setOpts(x=x, height=[b.volume for b in bars], width=0.7, brushes=brushes)
        self.price_plot.setXRange(-1, max(len(bars), 30) + 1, padding=0)

    @staticmethod
    def _set_line(line: pg.InfiniteLine, value: float, text: str) -> None:
        if value != value or value <= 0:
            line.setVisible(False)
            return
        line.setPos(value)
        line.label.setFormat(text)
        line.setVisible(True)

    def _draw_levels(self, view: LiveView) -> None:
        lots = view.levels.lots
        for i in range(MAX_LAYERS):
            if i < len(lots):
                lot = lots[i]
                self._set_line(self.buy_lines[i], lot.buy_price, f"L{lot.layer} " + self.tr("买入 ")
                               + f"{lot.buy_price:.3f}")
                self._set_line(self.target_lines[i], lot.target, f"L{lot.layer} " + self.tr("止盈 ")
                               + f"{lot.target:.3f}")
            else:
                self.buy_lines[i].setVisible(False)
                self.target_lines[i].setVisible(False)
        nb = view.levels.next_buy
        self._set_line(self.next_buy_line, nb, self.tr("下一买点 ") + (f"{nb:.3f}" if nb == nb else ""))
        self._fit_levels(view)

    def _fit_levels(self, view: LiveView) -> None:
        if not self._bars:
            return
        lows = [b.low for b in self._bars]
        highs = [b.high for b in self._bars]
        levels = [lv for lot in view.levels.lots for lv in (lot.buy_price, lot.target)]
        if view.levels.next_buy == view.levels.next_buy:
            levels.append(view.levels.next_buy)
        lo, hi = min([*lows, *levels]), max([*highs, *levels])
        pad = max((hi - lo) * 0.05, 0.002)
        self.price_plot.setYRange(lo - pad, hi + pad, padding=0)

    def _draw_fills(self) -> None:
        if not self._bars:
            return
        times = np.array([b.time.timestamp() for b in self._bars])
        buys: tuple[list[float], list[float]] = ([], [])
        sells: tuple[list[float], list[float]] = ([], [])
        for fill in self._fills:
            i = int(np.searchsorted(times, fill.time.timestamp()))
            if 0 <= i <= len(times):
                target = buys if fill.side == "BUY" else sells
                target[0].append(float(min(i, len(times) - 1)))
                target[1].append(fill.price)
        self.fill_buys.setData(*buys)
        self.fill_sells.setData(*sells)

    # ------------------------------------------------------------------ crosshair

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.price_plot.vb
        inside = self.price_plot.sceneBoundingRect().contains(pos) and bool(self._bars)
        for item in (self.cross_v, self.cross_h, self.cross_text):
            item.setVisible(inside)
        if not inside:
            return
        point = vb.mapSceneToView(pos)
        i = min(max(round(point.x()), 0), len(self._bars) - 1)
        bar = self._bars[i]
        self.cross_v.setPos(i)
        self.cross_h.setPos(point.y())
        self.cross_text.setText(self.crosshair_text(bar, point.y()))
        (x_range, y_range) = vb.viewRange()
        self.cross_text.setPos(x_range[0], y_range[1])

    def crosshair_text(self, bar: Bar, y: float) -> str:
        """Text of the crosshair box for ``bar`` with the cursor at price ``y``."""
        t = as_shanghai(bar.time).strftime("%H:%M")
        change = (bar.close / bar.open - 1) * 100 if bar.open else math.nan
        return (f"{t}  " + self.tr("开") + f" {bar.open:.3f}  " + self.tr("高") + f" {bar.high:.3f}  "
                + self.tr("低") + f" {bar.low:.3f}  " + self.tr("收") + f" {bar.close:.3f} ({change:+.2f}%)  "
                + self.tr("量") + f" {bar.volume:,.0f}  |  " + self.tr("光标") + f" {y:.3f}")
