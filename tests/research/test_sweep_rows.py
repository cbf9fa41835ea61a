"""Every sweep row is the backtest of its point, also when the grid varies the capitals."""

from __future__ import annotations

import pytest

from miniqmt_gui.backtest.chunks import LocalEvaluator, evaluate_sweep
from miniqmt_gui.backtest.run import run_backtest
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_sweep
from miniqmt_gui.strategy.params import StrategyParams

GRID = {"flow_capital": ["100000", "200000"], "base_capital": ["300000", "500000"], "step_floor": ["0.0012"]}
CHECKED = ("alpha_cny", "beta_cny", "flow_annualized", "flow_annualized_util", "capital_utilisation", "score")


@pytest.mark.parametrize("route", ["local", "chunks"])
def test_rows_equal_single_backtests(route: str) -> None:
    bars = make_sample_bars()
    table = (run_sweep(bars, StrategyParams(), GRID) if route == "local"
             else evaluate_sweep(bars, StrategyParams(), GRID, LocalEvaluator()))
    assert len(table) == 4
    for _, row in table.iterrows():
        capitals = {"flow_capital": row["flow_capital"], "base_capital": row["base_capital"]}
        params = StrategyParams().updated(capitals)
        alone = run_backtest(bars, params).metrics
        for name in CHECKED:
            assert row[name] == pytest.approx(alone[name], rel=1e-12, abs=1e-9), (name, row["flow_capital"])
