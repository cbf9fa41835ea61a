"""The sweep ranks like the original plan: its metric definitions, checked on a small grid.

The oracle is ``benchmarks/pandas_baseline.py``: the original's backtester rebuilt in pandas, one
``iloc`` row per bar, with the original's ``days_util`` (≥ 1), ``flow_annualized_util`` (Alpha / flow ×
365 / days_util) and ``score``. It shares no code with the product.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from miniqmt_gui.backtest.run import run_backtest
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_sweep
from miniqmt_gui.strategy.params import StrategyParams

BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "pandas_baseline.py"
GRID = {"atr_factor": ["0.1", "0.15", "0.2", "0.3", "0.5", "0.8"], "step_floor": ["0.0002"]}


def _baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pandas_baseline", BASELINE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bars():  # type: ignore[no-untyped-def]
    return make_sample_bars(days=20)


def test_sweep_ranking_equals_the_originals(bars) -> None:  # type: ignore[no-untyped-def]
    original = _baseline()
    table = run_sweep(bars, StrategyParams(), GRID)
    frame = original.original_indicators(bars)
    theirs = []
    for a in GRID["atr_factor"]:
        for f in GRID["step_floor"]:
            m = original.original_metrics(frame, original.baseline_loop(frame, float(a), float(f)))
            theirs.append(((float(a), float(f)), m))
    theirs.sort(key=lambda item: item[1]["score"], reverse=True)
    ours = list(zip(table["atr_factor"], table["step_floor"], strict=True))
    assert ours == [key for key, _ in theirs]
    assert len({round(m["score"], 9) for _, m in theirs}) == len(theirs), "ties would make the order moot"
    for (key, m), (_, row) in zip(theirs, table.iterrows(), strict=True):
        assert (row["trades"], row["days_util"]) == (m["trades"], m["days_util"]), key
        for name in ("alpha_cny", "max_drawdown", "flow_annualized_util", "score"):
            assert row[name] == pytest.approx(m[name], rel=1e-12, abs=1e-9), (key, name)


def test_days_util_is_one_when_no_lot_was_held(bars) -> None:  # type: ignore[no-untyped-def]
    m = run_backtest(bars, StrategyParams(step_floor=0.5)).metrics
    assert (m["trades"], m["days_util"]) == (0, 1)
    assert m["flow_annualized_util"] == m["flow_annualized_in_use"] == 0


def test_in_use_figure_is_the_original_times_trading_over_calendar_days(bars) -> None:  # type: ignore[no-untyped-def]
    result = run_backtest(bars, StrategyParams())
    m = result.metrics
    days = (result.bars.index[-1] - result.bars.index[0]).total_seconds() / 86400
    assert m["days_util"] > 1
    assert m["flow_annualized_in_use"] == pytest.approx(m["flow_annualized_util"] * m["trading_days"] / days)
