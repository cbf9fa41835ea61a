"""The live chart: fills where they happened, no pile-up at a new day, labels that never overlap, a
fixed 09:30–15:00 axis (lunch compressed) whose labels never read "09:31:31:32"."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import numpy as np

from miniqmt_gui.ui.live_chart import LABEL_X, Fill, fill_x, spread_labels
from miniqmt_gui.ui.plot_items import IndexTimeAxis, SessionAxis, session_x
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import Bar

DAY = datetime(2025, 3, 5, tzinfo=SHANGHAI)


def _bars(start: datetime, closes: list[float]) -> list[Bar]:
    return [Bar(time=start + timedelta(minutes=i), open=c, high=c + 0.001, low=c - 0.001, close=c)
            for i, c in enumerate(closes)]


def test_session_axis_puts_lunch_in_one_place():
    at = lambda h, m: session_x(DAY.replace(hour=h, minute=m))  # noqa: E731
    assert at(9, 30) == 0 and at(10, 0) == 30 and at(11, 30) == 120
    assert at(12, 15) == 120 and at(13, 0) == 120 and at(13, 1) == 121 and at(15, 0) == 240
    assert at(9, 25) == 0 and at(15, 30) == 240


def test_session_axis_labels_are_unique(qapp):
    axis = SessionAxis()
    for lo, hi, size in ((0, 240, 900), (0, 30, 900), (100, 140, 900), (0, 240, 200)):
        ticks = axis.tickValues(lo, hi, size)
        for spacing, values in ticks:
            labels = [t for t in axis.tickStrings(values, 1.0, spacing) if t]
            assert len(labels) == len(set(labels)), (lo, hi, labels)
    majors = axis.tickValues(0, 240, 900)[0][1]
    assert axis.tickStrings(majors, 1.0, 30.0)[4] == "11:30/13:00"


def test_index_axis_never_repeats_a_label_between_bars(qapp):
    axis = IndexTimeAxis()
    start = DAY.replace(hour=9, minute=31)
    axis.set_times(np.array([int((start + timedelta(minutes=i)).timestamp()) for i in range(5)]))
    labels = axis.tickStrings([0.0, 0.5, 1.0, 1.5, 2.0], 1.0, 0.5)
    shown = [t for t in labels if t]
    assert shown == ["09:31", "09:32", "09:33"]  # never "09:31:31:32"


def test_a_fill_sits_where_the_price_was_reached_not_where_the_result_arrived():
    bars = _bars(DAY.replace(hour=10), [1.000, 0.999, 0.998, 0.990, 0.985, 0.991])
    xs = np.array([session_x(b.time) for b in bars])
    decided = bars[1].time  # the signal went out at 10:01 with a limit of 0.990
    assert fill_x(Fill(decided, 0.990, "BUY"), bars, xs) == xs[3]  # first bar that traded at 0.990
    assert fill_x(Fill(decided, 1.000, "SELL"), bars, xs) == xs[1]
    yesterday = Fill(decided - timedelta(days=1), 0.99, "BUY")
    assert fill_x(yesterday, bars, xs) is None  # no pile-up on today's first bar


def test_labels_are_spread_apart_and_kept_inside():
    rows = spread_labels([100.0, 101.0, 102.0, 300.0], gap=16, top=10, bottom=400)
    ordered = sorted(rows)
    assert all(b - a >= 16 for a, b in itertools.pairwise(ordered))
    assert rows[3] == 300.0
    squeezed = spread_labels([395.0, 396.0, 397.0], gap=16, top=10, bottom=400)
    assert max(squeezed) <= 400 and min(squeezed) >= 10


def test_level_labels_on_the_chart_never_overlap_each_other_or_the_candles(make_window, qtbot, feed):
    window = make_window(paper=True, base_shares=200_000)
    window.resize(1280, 800)
    window.controls.action("start").trigger()
    feed.write()
    qtbot.waitUntil(lambda: window.controller.view.snapshot.book.last_buy_price > 0, timeout=10_000)
    anchor = window.controller.view.snapshot.book.last_buy_price
    feed.start(interval_s=0.12)
    for k in range(1, 4):  # three layers bought close together: their targets are close together
        feed.price = round(anchor * (1 - 0.015 * k), 3)
        qtbot.waitUntil(lambda k=k: window.controller.view.snapshot.book.hold_layers >= k, timeout=15_000)
    chart = window.live.chart
    qtbot.waitUntil(lambda: sum(label.isVisible() for label in chart.labels.values()) >= 4, timeout=5000)
    shown = [label for label in chart.labels.values() if label.isVisible()]
    rects = [label.mapRectToScene(label.boundingRect()) for label in shown]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), "two level labels overlap"
    last_candle = max(session_x(b.time) for b in feed.bars)
    assert all(label.pos().x() >= LABEL_X > last_candle for label in shown)
