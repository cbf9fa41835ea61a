"""The robustness tab: a sweep in a child process, heatmap with hover values, progress and cancel."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from miniqmt_gui.backtest.ranges import ParamRange, values_of
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_sweep
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.research_job import grid_of

from .test_backtest_view import view as backtest_view  # noqa: F401 - a fixture, used by name


@pytest.fixture
def view(backtest_view):  # noqa: F811 - the imported fixture, requested by name
    """The robustness tab of a shown backtest view (the backtest tests' fixture)."""
    backtest_view.result_tabs.setCurrentWidget(backtest_view.research)
    return backtest_view.research


def _ranges(view, *rows):
    view.ranges_table.setRowCount(0)
    for row in rows:
        view.add_range(*row)


def test_sweep_shows_heatmap_with_hover_values(view, qtbot):
    _ranges(view, ("atr_factor", 0.3, 0.46, 3), ("step_floor", 0.0008, 0.0016, 3))
    progress: list[int] = []
    view.runner.progress.connect(lambda pct, stage: progress.append(pct))
    with qtbot.waitSignal(view.runner.finished, timeout=120_000) as finished:
        view.run_button.click()
        assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    assert finished.args[0]["points"] == 9
    assert "9 组参数" in view.status_label.text() and "内置合成样本" in view.status_label.text()
    assert progress == sorted(progress) and progress[-1] == 100
    hm = view.charts.heatmap
    assert hm is not None and (hm.x, hm.y) == ("atr_factor", "step_floor")
    assert hm.z.shape == (3, 3) and np.isfinite(hm.z).all()
    np.testing.assert_array_equal(view.charts.image.image, hm.z.T)  # what is painted is the score grid
    # the same sweep run directly: the cell under the pointer shows that table's score
    grid = {"atr_factor": ["0.3", "0.38", "0.46"], "step_floor": ["0.0008", "0.0012", "0.0016"]}
    direct = run_sweep(make_sample_bars(), StrategyParams(), grid)
    row = direct[(direct["atr_factor"] == 0.38) & (direct["step_floor"] == 0.0016)].iloc[0]
    scene = view.charts.heat_plot.vb.mapViewToScene(QPointF(1.5, 2.5))
    view.charts.scene().sigMouseMoved.emit(scene)
    text = view.charts.hover_label.text
    assert "atr_factor = 0.38" in text and "step_floor = 0.0016" in text
    assert f"score = {row['score']:.4f}" in text
    best = direct.iloc[0]
    assert view.best_label.text().startswith("最优点")
    assert f"{best['score']:.4f}" in view.best_label.text()
    # switching the axes redraws the slice
    view.x_box.setCurrentText("step_floor")
    view.y_box.setCurrentText("atr_factor")
    view.y_box.activated.emit(0)
    assert (view.charts.heatmap.x, view.charts.heatmap.y) == ("step_floor", "atr_factor")
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=5000)


def test_cancel_stops_the_sweep(view, qtbot):
    _ranges(view, ("atr_factor", 0.2, 0.56, 100), ("step_floor", 0.0006, 0.0024, 100))
    with qtbot.waitSignal(view.runner.cancelled, timeout=30_000):
        view.run_button.click()
        qtbot.waitUntil(lambda: view.progress.value() >= 8, timeout=30_000)
        view.cancel_button.click()
    assert "取消" in view.status_label.text()
    assert view.run_button.isEnabled() and view.charts.heatmap is None
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=5000)


def test_bad_ranges_are_refused_before_starting(view):
    _ranges(view, ("atr_factor", 0.2, 0.3, 2), ("atr_factor", 0.2, 0.3, 2))
    view.run_button.click()
    assert view.status_label.text().startswith("参数范围有误") and not view.runner.is_busy()


def test_range_values():
    assert values_of(ParamRange("cooldown_bars", 5, 25, 5)) == ["5", "10", "15", "20", "25"]
    assert values_of(ParamRange("cooldown_bars", 5, 6, 5)) == ["5", "6"]  # integers, each once
    assert values_of(ParamRange("step_floor", 0.0006, 0.0024, 4)) == ["0.0006", "0.0012", "0.0018", "0.0024"]
    with pytest.raises(ValueError):
        values_of(ParamRange("time_filter", 0, 1, 2))  # not numeric
    with pytest.raises(ValueError, match="points"):
        grid_of((ParamRange("atr_factor", 0.1, 0.5, 200), ParamRange("step_floor", 0.001, 0.002, 200)))
