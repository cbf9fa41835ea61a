"""The app redraws what changed: quotes that move only their clock, unchanged styles and rows (idle CPU)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QWidget

from miniqmt_gui.live.events import LogEvent, QuoteEvent
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.engine_worker import EngineWorker
from miniqmt_gui.ui.layer_model import LayerModel, LayerRow, LayerState
from miniqmt_gui.ui.live_chart import REDRAW_MS, LiveChart
from miniqmt_gui.ui.restyle import set_style
from tests.engine.support import make_quote

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _worker(tmp_path) -> EngineWorker:  # type: ignore[no-untyped-def]
    settings = EngineSettings(shared_dir=tmp_path, work_dir=tmp_path / "work", owner_lock=False)
    return EngineWorker(lambda s, p: None, settings, StrategyParams())  # type: ignore[arg-type,return-value]


def test_a_quote_that_moved_only_its_clock_is_not_redrawn_at_once(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(tmp_path)
    first = make_quote(1, 1.0, T0)
    later = first.model_copy(update={"seq": 2, "time": T0 + timedelta(seconds=3),
                                     "heartbeat": T0 + timedelta(seconds=3)})
    moved = later.model_copy(update={"seq": 3, "volume": 100.0})
    feed = [([QuoteEvent(first)], True), ([QuoteEvent(later)], False), ([QuoteEvent(moved)], True),
            ([QuoteEvent(moved), LogEvent(20, "x", T0)], True)]
    emitted: list[object] = []
    worker.engineEvent.connect(emitted.append)
    for events, dirty in feed:
        worker._dirty = False
        worker._events[:] = events
        worker._flush_events()
        assert worker._dirty is dirty
    assert [type(e) for e in emitted] == [LogEvent]  # the window reads quotes from views: no event each


def test_styles_and_rows_are_set_only_when_they_change(qapp) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    set_style(label, "color: red;")
    set_style(label, "color: red;")
    assert label.styleSheet() == "color: red;"
    model = LayerModel()
    changes: list[int] = []
    model.dataChanged.connect(lambda *_: changes.append(1))
    rows = [LayerRow(i, LayerState.EMPTY) for i in range(1, 10)]
    model.set_rows(list(rows))
    assert changes == []  # the same rows as at the start
    model.set_rows([LayerRow(1, LayerState.BUY_PENDING), *rows[1:]])
    assert changes == [1]


def test_the_same_frame_again_restyles_nothing_and_redraws_no_chart(make_window, qtbot, feed) -> None:  # type: ignore[no-untyped-def]
    """An unchanged frame (an idle market between quotes) re-polishes no widget (a re-polish relaid out and
    repainted the whole window on every quote) and repaints no chart item; a moved price does."""
    window = make_window()
    feed.write(price=1.010)
    qtbot.waitUntil(lambda: window.live.quote_panel.last_label.text() == "1.010", timeout=5000)
    view = window.controller.view
    window.on_view(view)
    restyled: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        widget.setStyleSheet = lambda sheet, w=widget: restyled.append(f"{type(w).__name__}: {sheet}")
    window.on_view(view)
    assert restyled == []
    chart = LiveChart()  # on its own: the window's engine keeps sending frames of its own
    qtbot.addWidget(chart)
    chart.set_view(view)
    qtbot.waitUntil(lambda: chart.redraws == 1, timeout=2000)
    chart.set_view(view)
    qtbot.wait(3 * REDRAW_MS)
    assert chart.redraws == 1
    quote = view.snapshot.quote
    assert quote is not None
    moved = replace(view, snapshot=replace(view.snapshot, quote=quote.model_copy(update={"price": 1.020})))
    chart.set_view(moved)
    qtbot.waitUntil(lambda: chart.redraws == 2, timeout=2000)
    assert chart.last_line.value() == 1.020
