"""The UI thread keeps ticking while a two-year backtest and the live engine run.

The 50 ms target (SPEC §6) is measured and printed by ``benchmarks/ui_stall.py``; a test on a shared CI
machine only keeps a generous sanity bound (a frozen UI, not a busy machine, must fail it).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from miniqmt_gui.live.events import TradingState
from tests.conftest import shared_data_dir

#: sanity bound only: a UI frozen for a whole second is a bug whatever the machine's load
MAX_STALL_MS = 1000.0
SHARED_FILE = "etf_like_1m_2015-2016.csv.gz"


@pytest.fixture
def two_year_csv(tmp_path: Path) -> Path:
    """The shared 2015–2016 file when present, else a generated two-year synthetic series."""
    folder = shared_data_dir()
    if folder is not None and (folder / SHARED_FILE).exists():
        return folder / SHARED_FILE
    from miniqmt_gui.backtest.data import save_bars
    from miniqmt_gui.backtest.sample import make_sample_bars

    path = tmp_path / "two_years.csv"
    save_bars(make_sample_bars(days=490), path)
    return path


class StallMeter:
    """A 5 ms precise timer on the GUI thread; records the longest gap between its ticks.

    Beside each gap it records how much CPU the GUI thread itself used in it (``time.thread_time``):
    on a machine shared by many jobs a long gap with little CPU is the scheduler's, not the app's.
    """

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.last_cpu = 0.0
        self.worst_ms = 0.0
        self.worst_busy_ms = 0.0
        self.ticks = 0
        self.gaps: list[tuple[float, float]] = []
        self.t0 = time.perf_counter()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.last:
            gap = (now - self.last) * 1000 - 5.0
            self.worst_ms = max(self.worst_ms, gap)
            self.worst_busy_ms = max(self.worst_busy_ms, (cpu - self.last_cpu) * 1000)
            if gap > 20:
                self.gaps.append((round(now - self.t0, 3), round(gap, 1)))
        self.last, self.last_cpu = now, cpu
        self.ticks += 1

    def start(self) -> None:
        self.last = 0.0
        self.t0 = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


@pytest.mark.slow
def test_ui_thread_stays_responsive(make_window, qtbot, feed, two_year_csv: Path):
    window = make_window(paper=True)
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: window.controller.state is TradingState.RUNNING, timeout=5000)
    feed.start(interval_s=0.2)
    window.tabs.setCurrentIndex(1)
    view = window.backtest
    view.source_box.setCurrentIndex(1)
    view.csv_edit.setText(str(two_year_csv))
    qtbot.wait(300)
    backtest_meter, live_meter = StallMeter(), StallMeter()
    try:
        backtest_meter.start()  # the trader watches the backtest while the engine runs
        with qtbot.waitSignal(view.runner.finished, timeout=120_000) as finished:
            view.run()
        qtbot.wait(800)  # the result is drawn, the engine keeps evaluating quotes
        backtest_meter.stop()
        window.tabs.setCurrentIndex(0)
        qtbot.wait(300)
        live_meter.start()  # back on the live tab: quotes, chart, layers keep updating
        qtbot.wait(1500)
        live_meter.stop()
    finally:
        backtest_meter.stop()
        live_meter.stop()
        feed.stop()
    assert finished.args[0]["metrics"]["bars"] > 100_000
    assert backtest_meter.ticks > 100 and live_meter.ticks > 100
    for name, meter in (("backtest", backtest_meter), ("live", live_meter)):
        print(f"{name}: longest UI-thread stall {meter.worst_ms:.1f} ms over {meter.ticks} ticks; "
              f"most GUI-thread CPU between two ticks {meter.worst_busy_ms:.1f} ms; "
              f"gaps > 20 ms: {meter.gaps}")
    assert backtest_meter.worst_ms <= MAX_STALL_MS
    assert live_meter.worst_ms <= MAX_STALL_MS
