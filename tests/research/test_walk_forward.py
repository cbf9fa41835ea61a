"""Walk-forward: the choice on each training window, no look-ahead, the chained out-of-sample curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from miniqmt_gui.backtest.chunks import slice_prepared
from miniqmt_gui.backtest.run import run_prepared
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_sweep
from miniqmt_gui.backtest.walk_forward import WalkForwardError, walk_forward
from miniqmt_gui.backtest.windows import WindowError, bar_range, parse_walk_forward
from miniqmt_gui.strategy.indicators import prepare
from miniqmt_gui.strategy.params import StrategyParams

from .support import GRID, GROUPED_GRID, perturbed_from

SPEC = parse_walk_forward("20d:10d")


@pytest.fixture(scope="module")
def bars() -> pd.DataFrame:
    return make_sample_bars()  # 80 weekdays from 2024-01-02


@pytest.fixture(scope="module")
def result(bars):
    return walk_forward(bars, StrategyParams(), GRID, SPEC)


def _scores_by_point(table: pd.DataFrame, score: str = "score") -> dict[tuple[float, float], float]:
    return {(a, f): s for a, f, s in zip(table["atr_factor"], table["step_floor"], table[score], strict=True)}


def test_windows_and_choices(result) -> None:
    assert [w.window.number for w in result.windows] == [1, 2, 3, 4, 5, 6]
    assert result.skipped == []
    for w in result.windows:
        best = int(np.nanargmax(w.train_scores))
        assert w.train["score"] == w.train_scores[best] == np.nanmax(w.train_scores)
        assert w.choice == {"atr_factor": w.params.atr_factor, "step_floor": w.params.step_floor}
    table = result.table()
    assert list(table.index) == [1, 2, 3, 4, 5, 6]
    assert {"atr_factor", "step_floor", "is_score", "oos_score", "oos_alpha_cny"} <= set(table.columns)


def test_first_training_window_is_the_sweep_of_the_bars_before_its_test(bars, result) -> None:
    """Independent route: an ordinary sweep on the file cut at the first test start ranks the same."""
    w = result.windows[0]
    direct = run_sweep(bars[bars.index < w.window.test_start], StrategyParams(), GRID)
    direct_scores = _scores_by_point(direct)
    points = [(a, f) for a in (0.3, 0.38) for f in (0.0008, 0.0012, 0.0016)]
    assert list(w.train_scores) == [direct_scores[p] for p in points]
    assert (w.params.atr_factor, w.params.step_floor) == (direct.iloc[0]["atr_factor"],
                                                         direct.iloc[0]["step_floor"])


def test_no_test_window_data_reaches_its_training_window(bars, result) -> None:
    """Change every price from window k's test start on: windows ≤ k train and choose exactly as before."""
    k = 2
    cut = result.windows[k].window.test_start
    changed = walk_forward(perturbed_from(bars, cut), StrategyParams(), GRID, SPEC)
    for before, after in zip(result.windows[: k + 1], changed.windows[: k + 1], strict=True):
        np.testing.assert_array_equal(before.train_scores, after.train_scores)
        assert before.choice == after.choice and before.train == after.train
    # the perturbation is real: the test window and every later training window see it
    assert result.windows[k].test.metrics != changed.windows[k].test.metrics
    assert not np.array_equal(result.windows[k + 1].train_scores, changed.windows[k + 1].train_scores)


def test_test_window_runs_start_flat_on_the_windows_bars(bars, result) -> None:
    pb = prepare(bars, StrategyParams())
    for w in result.windows:
        a, b = bar_range(pb.index, w.window.test_start, w.window.test_end)
        alone = run_prepared(slice_prepared(pb, a, b), w.params)
        assert w.test.metrics["trades"] == alone.metrics["trades"]
        assert w.test.metrics["alpha_cny"] == alone.metrics["alpha_cny"]
        assert w.test.alpha.index[0] >= w.window.test_start and w.test.alpha.index[-1] < w.window.test_end
        assert w.test.alpha.index[0] == pb.index[a]  # indicators warm from the bars before the window


def test_chained_curve_adds_the_windows(result) -> None:
    ends = np.cumsum([w.test.metrics["alpha_cny"] for w in result.windows])
    last_bars = [w.test.alpha.index[-1] for w in result.windows]
    np.testing.assert_allclose(result.oos_alpha.loc[last_bars].to_numpy(), ends, rtol=0, atol=1e-6)
    assert result.oos_alpha.index.is_monotonic_increasing and result.oos_alpha.index.is_unique
    assert len(result.oos_alpha) == sum(w.test.metrics["bars"] for w in result.windows)
    chained = result.summary["out_of_sample_chained"]
    trades = sum(w.test.metrics["trades"] for w in result.windows)
    days = (result.oos_alpha.index[-1] - result.oos_alpha.index[0]).total_seconds() / 86400
    assert chained["trades_per_month"] == pytest.approx(trades * 365.25 / 12 / days)
    assert list(result.summary.columns) == ["in_sample", "out_of_sample", "out_of_sample_chained",
                                            "base_chained", "base_continuous"]


def test_indicator_windows_in_the_grid(bars) -> None:
    res = walk_forward(bars, StrategyParams(), GROUPED_GRID, SPEC)
    for w in res.windows:
        assert w.params.atr_period in (10, 14)
        assert np.isfinite(w.train_scores).all() and len(w.train_scores) == 6
    # the base parameters' windows (ATR 14) are in no group of this grid: prepared on their own
    other = walk_forward(bars, StrategyParams(), {**GROUPED_GRID, "atr_period": ["10", "12"]}, SPEC)
    assert other.windows[0].base_test.metrics == res.windows[0].base_test.metrics


def test_choice_by_another_score(bars) -> None:
    res = walk_forward(bars, StrategyParams(), GRID, SPEC, score="sharpe")
    for w in res.windows:
        assert w.train["sharpe"] == np.nanmax(w.train_scores)


def test_realistic_fill(bars) -> None:
    res = walk_forward(bars, StrategyParams(), GRID, SPEC, fill="realistic")
    assert res.fill == "realistic" and len(res.windows) == 6


def test_a_month_without_bars_is_skipped_and_said(bars) -> None:
    gap = bars[bars.index.month != 3]
    res = walk_forward(gap, StrategyParams(), GRID, parse_walk_forward("1:1"))
    assert [w.window.number for w in res.windows] == [1]
    assert [n for n, _ in res.skipped] == [2, 3]  # March: nothing to test, then nothing to train on


def test_refusals(bars) -> None:
    with pytest.raises(WalkForwardError, match="unknown score"):
        walk_forward(bars, StrategyParams(), GRID, SPEC, score="fees_cny")
    with pytest.raises(WindowError):
        walk_forward(bars, StrategyParams(), GRID, parse_walk_forward("6:1"))
    with pytest.raises(ValueError, match="fill"):
        walk_forward(bars, StrategyParams(), GRID, SPEC, fill="magic")
