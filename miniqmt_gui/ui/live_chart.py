"""Live chart: today's 1-minute candles (or a line) with volume on a fixed 09:30–15:00 axis.

The x axis is the trading day itself (lunch compressed, :func:`~miniqmt_gui.ui.plot_items.session_x`),
so the morning never squeezes into the left edge and a bar sits where its time is. Level lines (each
held lot's buy price and take-profit target, the next buy trigger, the last price) span the chart;
their labels sit in a margin right of 15:00, pushed apart so that they never overlap each other or
the candles. Fill markers sit at the bar where the fill happened (the first bar at or after the signal
whose range reaches the fill price), only for today and only for the mode (paper / live) on show.

Items are created once and reused; :meth:`LiveChart.set_view` only remembers the newest frame and a
single-shot timer redraws at most every ``REDRAW_MS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QWidget

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.plot_items import (
    DOWN_COLOR,
    SESSION_MINUTES,
    UP_COLOR,
    CandleItem,
    SessionAxis,
    VolumeAxis,
    hline,
    session_x,
    trade_markers,
)
from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import Bar

REDRAW_MS = 200
MAX_LAYERS = 9
#: session minutes right of 15:00 kept free for the level labels
LABEL_MARGIN = 56
LABEL_X = SESSION_MINUTES + 2
LABEL_GAP_PX = 16.0
LABEL_FONT_PX = 11
BUY_COLOR, TARGET_COLOR, NEXT_COLOR, LAST_COLOR = "#e07a1f", UP_COLOR, "#1d70b8", "#7b2cbf"


@dataclass(frozen=True)
class Fill:
    """A fill to mark: the market time its signal was decided at, the fill price, side and mode."""

    time: datetime
    price: float
    side: str
    paper: bool = False
    #: the code it belongs to (several codes: the chart marks the fills of the code on show)
    code: str = ""


def todays_bars(history: list[Bar]) -> list[Bar]:
    """The bars of the last bar's trading day."""
    if not history:
        return []
    day = as_shanghai(history[-1].time).date()
    return [b for b in history if as_shanghai(b.time).date() == day]


def fill_x(fill: Fill, bars: list[Bar], xs: np.ndarray) -> float | None:
    """Where a fill happened: the first bar at/after its signal whose range reaches the price.

    ``None`` when the fill is not of the bars' day (yesterday's markers never pile up on today's open).
    """
    if not bars or as_shanghai(fill.time).date() != as_shanghai(bars[-1].time).date():
        return None
    start = next((i for i, b in enumerate(bars) if b.time >= fill.time), len(bars) - 1)
    for i in range(start, len(bars)):
        b = bars[i]
        if (fill.side == "BUY" and b.low <= fill.price + 1e-9) or (fill.side == "SELL"
                                                                   and b.high >= fill.price - 1e-9):
            return float(xs[i])
    return float(xs[start])


def spread_labels(ys_px: list[float], gap: float, top: float, bottom: float) -> list[float]:
    """Pixel rows for labels wanted at ``ys_px`` (any order): at least ``gap`` apart, inside [top, bottom].

    Labels keep their order; each is moved as little as the ones above it require.
    """
    order = sorted(range(len(ys_px)), key=lambda i: ys_px[i])
    placed = [0.0] * len(ys_px)
    last = -math.inf
    for i in order:
        y = max(ys_px[i], last + gap, top)
        placed[i] = y
        last = y
    overflow = (last - bottom) if order else 0.0
    if overflow > 0:  # too low: shift the whole stack up, but never above ``top``
        for i in order:
            placed[i] = max(top, placed[i] - overflow)
    return placed


class LiveChart(pg.GraphicsLayoutWidget):
    """Price and volume plots for the live view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create all items once."""
        super().__init__(parent)
        self.setBackground("w")
        self.axis = SessionAxis()
        self.price_plot = self.addPlot(row=0, col=0, axisItems={"bottom": self.axis})
        self.volume_axis = SessionAxis()
        self.volume_plot = self.addPlot(row=1, col=0, axisItems={"bottom": self.volume_axis,
                                                                  "left": VolumeAxis()})
        self.price_plot.getAxis("bottom").setStyle(showValues=False)  # the volume plot's axis shows times
        for plot in (self.price_plot, self.volume_plot):
            plot.getAxis("left").setWidth(58)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        self.volume_plot.setXLink(self.price_plot)
        self.volume_plot.setMaximumHeight(90)
        self.price_plot.setXRange(-1, SESSION_MINUTES + LABEL_MARGIN, padding=0)
        self.candles = CandleItem()
        self.line = self.price_plot.plot(pen=pg.mkPen("#34495e", width=1.5), antialias=True)
        self.price_plot.addItem(self.candles)
        self.volume_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brushes=[])
        self.volume_plot.addItem(self.volume_bars)
        dash = Qt.PenStyle.DashLine
        self.buy_lines = [hline(BUY_COLOR, Qt.PenStyle.SolidLine) for _ in range(MAX_LAYERS)]
        self.target_lines = [hline(TARGET_COLOR, dash) for _ in range(MAX_LAYERS)]
        self.next_buy_line = hline(NEXT_COLOR, dash, 1.5)
        self.last_line = hline(LAST_COLOR, Qt.PenStyle.DotLine)
        self.lines = [*self.buy_lines, *self.target_lines, self.next_buy_line, self.last_line]
        self.labels: dict[int, pg.TextItem] = {}
        for line in self.lines:
            self.price_plot.addItem(line, ignoreBounds=True)
            label = pg.TextItem("", color=line.pen.color(), anchor=(0, 1.0))  # sits just above its line
            font = label.textItem.font()
            font.setPixelSize(LABEL_FONT_PX)
            label.setFont(font)
            label.textItem.document().setDocumentMargin(1)  # the rect is the text: rows can be tight
            label.setVisible(False)
            self.price_plot.addItem(label, ignoreBounds=True)
            self.labels[id(line)] = label
        self.label_texts: dict[int, str] = {}
        self.fill_buys, self.fill_sells = trade_markers()
        self.price_plot.addItem(self.fill_buys)
        self.price_plot.addItem(self.fill_sells)
        self._build_crosshair()
        self._pending: LiveView | None = None
        self._fills: list[Fill] = []
        self._bars: list[Bar] = []
        self._xs = np.zeros(0)
        self._bars_key: tuple[object, ...] = ()
        self._frame_key: tuple[object, ...] | None = None  # what the last redraw drew
        self._use_candles = True
        self._paper = False
        self._code = ""
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self.price_plot.vb.sigResized.connect(self._place_labels)
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

    @property
    def has_bars(self) -> bool:
        """True once today's bars are drawn (otherwise the live tab shows its empty state)."""
        return bool(self._bars)

    def set_candles(self, candles: bool) -> None:
        """Candles (True) or a close line (False)."""
        self._use_candles = candles
        self._bars_key = ()
        self._schedule()

    def add_fill(self, fill: Fill) -> None:
        """Mark a fill (buy or sell) at the bar where it happened."""
        self._fills.append(fill)
        self._schedule()

    def set_code(self, code: str) -> None:
        """Show the fills of ``code`` only (its bars arrive with its next view)."""
        self._code = code
        self._schedule()

    def set_paper(self, paper: bool) -> None:
        """Show the fills of paper mode or of live mode (never both on one chart)."""
        self._paper = paper
        self._schedule()

    def set_view(self, view: LiveView) -> None:
        """Remember the newest frame; the chart redraws at most every ``REDRAW_MS``."""
        self._pending = view
        self._schedule()

    def stop(self) -> None:
        """Stop the redraw timer for good (window closing): a frame or event still queued starts nothing."""
        self._stopped = True
        self._timer.stop()

    def _schedule(self) -> None:
        if not self._stopped and not self._timer.isActive():
            self._timer.start()

    def _frame(self, view: LiveView) -> tuple[object, ...]:
        """Everything a redraw draws: equal frames draw the same picture (an idle market's periodic
        views repaint nothing, which is most of the app's idle CPU)."""
        quote = view.snapshot.quote
        last = quote.history[-1] if quote is not None and quote.history else None
        bars = (len(quote.history), last) if quote is not None else None
        nb = view.levels.next_buy
        hide_nb = view.snapshot.status.state in (TradingState.SELL_ONLY, TradingState.HALTED)
        return (bars, quote.price if quote is not None else None, view.levels.lots,
                None if nb != nb else nb, hide_nb, len(self._fills), self._paper, self._code,
                self._use_candles)

    # ------------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        view = self._pending
        if view is None:
            return
        frame = self._frame(view)
        if frame == self._frame_key:
            return
        self._frame_key = frame
        self.redraws += 1
        quote = view.snapshot.quote
        if quote is not None:
            self._draw_bars(todays_bars(list(quote.history)))
            self._set_line(self.last_line, quote.price, self.tr("最新 ") + f"{quote.price:.3f}")
        self._draw_levels(view)
        self._draw_fills()
        self._place_labels()

    def _draw_bars(self, bars: list[Bar]) -> None:
        key = (len(bars), bars[-1].time if bars else None, bars[-1].close if bars else None,
               self._use_candles)
        if key == self._bars_key:
            return
        self._bars_key, self._bars = key, bars
        self._xs = np.array([session_x(b.time) for b in bars], dtype=float)
        ohlc = np.array([[b.open, b.high, b.low, b.close] for b in bars], dtype=float).reshape(-1, 4)
        if self._use_candles:
            self.candles.set_bars(ohlc, self._xs)
            self.line.setData([], [])
        else:
            self.candles.set_bars(np.zeros((0, 4)))
            self.line.setData(self._xs, ohlc[:, 3])
        brushes = [pg.mkBrush(UP_COLOR if c >= o else DOWN_COLOR) for o, _, _, c in ohlc]
        self.volume_bars.setOpts(x=self._xs, height=[b.volume for b in bars], width=0.7, brushes=brushes)
        self.price_plot.setXRange(-1, SESSION_MINUTES + LABEL_MARGIN, padding=0)

    def _set_line(self, line: pg.InfiniteLine, value: float, text: str) -> None:
        if value != value or value <= 0:
            line.setVisible(False)
            self.label_texts.pop(id(line), None)
            return
        line.setPos(value)
        line.setVisible(True)
        self.label_texts[id(line)] = text

    def _hide(self, line: pg.InfiniteLine) -> None:
        line.setVisible(False)
        self.label_texts.pop(id(line), None)

    def _draw_levels(self, view: LiveView) -> None:
        lots = view.levels.lots
        for i in range(MAX_LAYERS):
            if i < len(lots):
                lot = lots[i]
                # one label per lot (at its target): the buy line is the orange line of the same layer
                self._set_line(self.buy_lines[i], lot.buy_price, "")
                self._set_line(self.target_lines[i], lot.target,
                               f"L{lot.layer} " + self.tr("止盈 ") + f"{lot.target:.3f}")
            else:
                self._hide(self.buy_lines[i])
                self._hide(self.target_lines[i])
        nb = view.levels.next_buy
        if view.snapshot.status.state in (TradingState.SELL_ONLY, TradingState.HALTED):
            self._hide(self.next_buy_line)  # no buy can happen: no next-buy line
        else:
            self._set_line(self.next_buy_line, nb, self.tr("下一买点 ") + (f"{nb:.3f}" if nb == nb else ""))
        self._fit_levels()

    def _fit_levels(self) -> None:
        if not self._bars:
            return
        values = [b.low for b in self._bars] + [b.high for b in self._bars]
        values += [line.value() for line in self.lines if line.isVisible()]
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.06, 0.002)
        self.price_plot.setYRange(lo - pad, hi + pad, padding=0)

    def _place_labels(self) -> None:
        """Labels right of 15:00, at their line's height, pushed apart so they never overlap.

        When the plot is too short for all of them, the last price and the next buy keep theirs, then
        the lowest layers' targets; the others' lines stay without a label (never one label over another).
        """
        vb = self.price_plot.vb
        rect = vb.sceneBoundingRect()
        ordered = [self.last_line, self.next_buy_line, *self.target_lines]
        candidates = [line for line in ordered if line.isVisible() and self.label_texts.get(id(line))]
        for line in candidates:
            self.labels[id(line)].setText(self.label_texts[id(line)])
        heights = [self.labels[id(line)].textItem.boundingRect().height() for line in candidates]  # pixels
        gap = max([LABEL_GAP_PX, *[h + 1 for h in heights]])  # a row is at least one label high
        room = max(int(rect.height() // gap), 0)
        shown = candidates[:room]
        for line in self.lines:
            if line not in shown:
                self.labels[id(line)].setVisible(False)
        if not shown:
            return
        wanted = [vb.mapViewToScene(QPointF(LABEL_X, float(line.value()))).y() for line in shown]
        rows = spread_labels(wanted, gap, rect.top() + gap, rect.bottom())
        for line, row in zip(shown, rows, strict=True):
            label = self.labels[id(line)]
            label.setPos(LABEL_X, vb.mapSceneToView(QPointF(rect.left(), row)).y())
            label.setVisible(True)

    def _draw_fills(self) -> None:
        buys: tuple[list[float], list[float]] = ([], [])
        sells: tuple[list[float], list[float]] = ([], [])
        for fill in self._fills:
            if fill.paper != self._paper or (fill.code and self._code and fill.code != self._code):
                continue
            x = fill_x(fill, self._bars, self._xs)
            if x is not None:
                target = buys if fill.side == "BUY" else sells
                target[0].append(x)
                target[1].append(fill.price)
        self.fill_buys.setData(*buys)
        self.fill_sells.setData(*sells)

    def fills_day(self) -> date | None:
        """The day of the bars on show (``None`` before the first bar)."""
        return as_shanghai(self._bars[-1].time).date() if self._bars else None

    # ------------------------------------------------------------------ crosshair

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.price_plot.vb
        inside = self.price_plot.sceneBoundingRect().contains(pos) and bool(self._bars)
        for item in (self.cross_v, self.cross_h, self.cross_text):
            item.setVisible(inside)
        if not inside:
            return
        point = vb.mapSceneToView(pos)
        i = int(np.argmin(np.abs(self._xs - point.x())))
        bar = self._bars[i]
        self.cross_v.setPos(self._xs[i])
        self.cross_h.setPos(point.y())
        self.cross_text.setText(self.crosshair_text(bar, point.y()))
        (x_range, y_range) = vb.viewRange()
        self.cross_text.setPos(x_range[0], y_range[1])

    def crosshair_text(self, bar: Bar, y: float) -> str:
        """Text of the crosshair box for ``bar`` with the cursor at price ``y``."""
        t = as_shanghai(bar.time).strftime("%Y-%m-%d %H:%M")
        change = (bar.close / bar.open - 1) * 100 if bar.open else math.nan
        return (f"{t}  " + self.tr("开") + f" {bar.open:.3f}  " + self.tr("高") + f" {bar.high:.3f}  "
                + self.tr("低") + f" {bar.low:.3f}  " + self.tr("收") + f" {bar.close:.3f} ({change:+.2f}%)  "
                + self.tr("量") + f" {bar.volume:,.0f}" + self.tr(" 股") + "  |  " + self.tr("光标")
                + f" {y:.3f}")
