"""Small pyqtgraph building blocks shared by the live and the backtest charts.

x is the bar *index* (no gaps for nights, lunch or weekends, as traders read intraday charts);
:class:`IndexTimeAxis` labels it with the bars' Shanghai times.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPicture

from windows_bridge.contract.market_hours import SHANGHAI

UP_COLOR = "#d62828"  # A-share convention: red rises
DOWN_COLOR = "#2a9d8f"  # green falls


def shanghai_time(epoch_s: float) -> datetime:
    """Epoch seconds as a Shanghai datetime."""
    return datetime.fromtimestamp(float(epoch_s), SHANGHAI)


class IndexTimeAxis(pg.AxisItem):
    """Bottom axis for index-based x: labels show each bar's Shanghai time."""

    def __init__(self, intraday: bool = True, **kwargs: Any) -> None:
        """``intraday`` shows HH:MM, otherwise dates."""
        super().__init__(orientation="bottom", **kwargs)
        self._times = np.zeros(0, dtype=np.int64)
        self._intraday = intraday

    def set_times(self, epoch_s: np.ndarray) -> None:
        """Epoch seconds of the bars (index i → time i)."""
        self._times = np.asarray(epoch_s, dtype=np.int64)

    def label_for(self, x: float) -> str:
        """The time text for x (empty outside the data)."""
        i = round(x)
        if not 0 <= i < len(self._times):
            return ""
        moment = shanghai_time(self._times[i])
        return moment.strftime("%H:%M") if self._intraday else moment.strftime("%Y-%m-%d")

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        """pyqtgraph hook: one label per tick value; a label equal to its left neighbour's is left out.

        Zoomed in, pyqtgraph puts ticks between bars; each rounds to a bar, and without this the axis
        read "09:31:31:32".
        """
        out, previous = [], None
        for v in values:
            text = self.label_for(v) if abs(v - round(v)) < 1e-6 else ""
            out.append("" if text == previous else text)
            previous = text or previous
        return out


#: the continuous-auction day on a fixed axis: 09:30 → 0, 11:30 and 13:00 → 120 (lunch compressed),
#: 15:00 → 240
SESSION_MINUTES = 240
SESSION_TICKS = ((0, "09:30"), (30, "10:00"), (60, "10:30"), (90, "11:00"), (120, "11:30/13:00"),
                 (150, "13:30"), (180, "14:00"), (210, "14:30"), (240, "15:00"))


def session_x(moment: datetime) -> float:
    """Minutes of trading since 09:30 (lunch removed): the x of a 1-minute bar ending at ``moment``.

    Before 09:30 → 0 (the call auction's bar sits at the open), after 15:00 → 240.
    """
    local = moment.astimezone(SHANGHAI)
    minutes = local.hour * 60 + local.minute + local.second / 60
    morning = minutes - (9 * 60 + 30)
    if morning <= 120:
        return max(morning, 0.0)
    if minutes < 13 * 60:
        return 120.0
    return min(120.0 + minutes - 13 * 60, float(SESSION_MINUTES))


def session_label(x: float) -> str:
    """HH:MM of session minute ``x`` (the inverse of :func:`session_x` on whole minutes)."""
    m = round(x)
    total = 9 * 60 + 30 + m if m <= 120 else 13 * 60 + (m - 120)
    return f"{total // 60:02d}:{total % 60:02d}"


class SessionAxis(pg.AxisItem):
    """Bottom axis for the fixed 09:30–15:00 day: half-hour ticks, 11:30/13:00 at the lunch seam."""

    def __init__(self, **kwargs: Any) -> None:
        """A bottom axis."""
        super().__init__(orientation="bottom", **kwargs)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        """pyqtgraph hook: half hours (majors), every 5 or 15 minutes (minors) when zoomed in."""
        chosen = SESSION_TICKS if size >= 420 else SESSION_TICKS[::4]  # a small plot: 09:30, 11:30, 15:00
        majors = [float(x) for x, _ in chosen if minVal <= x <= maxVal]
        span = max(maxVal - minVal, 1.0)
        step = 5 if span <= 60 else 15
        minors = [float(x) for x in range(0, SESSION_MINUTES + 1, step)
                  if minVal <= x <= maxVal and x not in majors] if size >= 420 else []
        return [(30.0, majors), (float(step), minors)]

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        """pyqtgraph hook: the names of the session ticks, HH:MM for minor ones."""
        names = dict(SESSION_TICKS)
        small = len(values) <= 3 and spacing >= 30
        return [("11:30" if small and round(v) == 120 else names.get(round(v), session_label(v)))
                if spacing < 30 or round(v) in names else "" for v in values]


class VolumeAxis(pg.AxisItem):
    """Left axis for volumes: 12.3万 / 1.2亿 instead of scientific notation."""

    def __init__(self, **kwargs: Any) -> None:
        """A left axis."""
        super().__init__(orientation="left", **kwargs)

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        """pyqtgraph hook."""
        from miniqmt_gui.ui.formatting import big_number

        return [big_number(v) for v in values]


class CandleItem(pg.GraphicsObject):
    """OHLC candles drawn into one cached picture; :meth:`set_bars` replaces the data."""

    def __init__(self) -> None:
        """An empty candle item."""
        super().__init__()
        self._picture = QPicture()
        self._bounds = QRectF()

    def set_bars(self, ohlc: np.ndarray, xs: np.ndarray | None = None) -> None:
        """``ohlc`` of shape (n, 4); x of bar i is ``xs[i]`` (default i)."""
        self._picture = QPicture()
        painter = QPainter(self._picture)
        up_pen, down_pen = pg.mkPen(UP_COLOR), pg.mkPen(DOWN_COLOR)
        up_brush, down_brush = pg.mkBrush(UP_COLOR), pg.mkBrush(DOWN_COLOR)
        arr = np.asarray(ohlc, dtype=float).reshape(-1, 4)
        positions = np.arange(len(arr), dtype=float) if xs is None else np.asarray(xs, dtype=float)
        for i, (o, h, low, c) in zip(positions, arr, strict=True):
            rising = c >= o
            painter.setPen(up_pen if rising else down_pen)
            painter.setBrush(up_brush if rising else down_brush)
            if h - low > 1e-9:  # a zero-length wick is drawn as a full-height bar by some paint engines
                painter.drawLine(QPointF(i, low), QPointF(i, h))
            if abs(c - o) < 1e-9:  # a doji: a flat body is a line (a zero-height rect draws badly)
                painter.drawLine(QPointF(i - 0.35, o), QPointF(i + 0.35, o))
            else:
                painter.drawRect(QRectF(i - 0.35, min(o, c), 0.7, abs(c - o)))
        painter.end()
        if len(ohlc):
            arr = np.asarray(ohlc, dtype=float)
            lo, hi = float(arr[:, 2].min()), float(arr[:, 1].max())
            self._bounds = QRectF(float(positions.min()) - 0.5, lo,
                                  float(positions.max() - positions.min()) + 1.0, hi - lo)
        else:
            self._bounds = QRectF()
        self.prepareGeometryChange()
        self.update()

    def paint(self, painter: QPainter, *args: Any) -> None:
        """Qt hook: replay the cached picture."""
        painter.drawPicture(0, 0, self._picture)

    def boundingRect(self) -> QRectF:
        """Qt hook: the candles' extent."""
        return QRectF(self._bounds)


def hline(color: str, style: Any = None, width: float = 1.0) -> pg.InfiniteLine:
    """A horizontal line item (hidden until positioned)."""
    from PySide6.QtCore import Qt

    pen = pg.mkPen(color, width=width, style=style or Qt.PenStyle.SolidLine)
    line = pg.InfiniteLine(angle=0, movable=False, pen=pen)
    line.setVisible(False)
    return line


def trade_markers() -> tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]:
    """Buy (red up-triangle) and sell (green down-triangle) marker items."""
    buys = pg.ScatterPlotItem(symbol="t1", size=10, brush=pg.mkBrush(UP_COLOR), pen=pg.mkPen("w"))
    sells = pg.ScatterPlotItem(symbol="t", size=10, brush=pg.mkBrush(DOWN_COLOR), pen=pg.mkPen("w"))
    return buys, sells
