"""Robustness views on a table with a known score surface, and the reports that draw them."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miniqmt_gui.backtest.research_report import write_robustness_report, write_walk_forward_report
from miniqmt_gui.backtest.robustness import heatmap, neighbourhood, pairs, rank, sensitivity, varied
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.walk_forward import walk_forward
from miniqmt_gui.backtest.windows import parse_walk_forward
from miniqmt_gui.strategy.params import StrategyParams

from .support import GRID

A = [0.1, 0.2, 0.3, 0.4, 0.5]
B = [1, 2, 3, 4, 5]
C = [7, 9]
KEYS = ["a", "b", "c"]


def surface(a: float, b: int, c: int) -> float:
    """Peak at a=0.3, b=2, c=9."""
    return 100 - 400 * (a - 0.3) ** 2 - 3 * (b - 2) ** 2 + (5 if c == 9 else 0)


@pytest.fixture
def table() -> pd.DataFrame:
    rows = [{"a": a, "b": b, "c": c, "score": surface(a, b, c), "sharpe": -surface(a, b, c)}
            for a, b, c in itertools.product(A, B, C)]
    return rank(pd.DataFrame(rows))


def test_rank(table: pd.DataFrame) -> None:
    assert table.index[0] == 1 and table.index.name == "rank"
    assert (table.iloc[0]["a"], table.iloc[0]["b"], table.iloc[0]["c"]) == (0.3, 2, 9)
    by_sharpe = rank(table, "sharpe")
    assert by_sharpe["sharpe"].is_monotonic_decreasing and by_sharpe.iloc[0]["b"] == 5
    with pytest.raises(ValueError):
        rank(table, "nope")


def test_heatmap_holds_the_others_at_the_winner(table: pd.DataFrame) -> None:
    hm = heatmap(table, KEYS, "a", "b")
    assert hm.x_values == A and hm.y_values == B and hm.fixed == {"c": 9}
    assert hm.z.shape == (len(B), len(A))
    for (j, i), value in np.ndenumerate(hm.z):
        assert value == surface(A[i], B[j], 9)
    assert hm.best == (2, 1)
    other = heatmap(table, KEYS, "b", "c", at={"a": 0.1})
    assert other.fixed == {"a": 0.1} and other.best == (-1, -1)  # the winner is not on this slice
    assert other.z[1, 0] == surface(0.1, 1, 9)
    with pytest.raises(ValueError):
        heatmap(table, KEYS, "a", "a")


def test_missing_grid_points_are_nan(table: pd.DataFrame) -> None:
    holed = table[~((table["a"] == 0.5) & (table["b"] == 5))]
    hm = heatmap(holed, KEYS, "a", "b")
    assert np.isnan(hm.z[4, 4]) and np.isfinite(hm.z).sum() == 24


def test_neighbourhood_rings(table: pd.DataFrame) -> None:
    nb = neighbourhood(table, KEYS)
    assert nb.best_score == surface(0.3, 2, 9)
    # winner at steps (2, 1, 1): one step = a in 1..3, b in 0..2, c in 0..1 minus itself
    assert nb.ring(1)["count"] == 3 * 3 * 2 - 1
    assert nb.ring(2)["count"] == 5 * 4 * 2 - 18
    ring1 = [surface(a, b, c) for a in (0.2, 0.3, 0.4) for b in (1, 2, 3) for c in C
             if (a, b, c) != (0.3, 2, 9)]
    assert nb.ring(1)["max"] == max(ring1) and nb.ring(1)["min"] == min(ring1)
    assert nb.ring(1)["median"] == pytest.approx(np.median(ring1))
    assert nb.retained(1) == pytest.approx(np.median(ring1) / nb.best_score)
    assert np.isnan(nb.ring(7)["median"])


def test_a_spike_keeps_less_than_a_plateau() -> None:
    values = [0.1, 0.2, 0.3, 0.4, 0.5]
    spike = rank(pd.DataFrame({"a": values, "score": [1, 1, 10, 1, 1]}))
    plateau = rank(pd.DataFrame({"a": values, "score": [8, 9, 10, 9, 8]}))
    assert neighbourhood(spike, ["a"]).retained(1) == pytest.approx(0.1)
    assert neighbourhood(plateau, ["a"]).retained(1) == pytest.approx(0.9)


def test_sensitivity(table: pd.DataFrame) -> None:
    curve = sensitivity(table, KEYS, "a")
    assert list(curve.index) == A
    assert list(curve["at_best"]) == [surface(a, 2, 9) for a in A]
    assert curve.loc[0.1, "best"] == surface(0.1, 2, 9)
    assert curve.loc[0.1, "median"] == np.median([surface(0.1, b, c) for b in B for c in C])


def test_varied_and_pairs(table: pd.DataFrame) -> None:
    single = table.assign(c=9)
    assert varied(single, KEYS) == ["a", "b"]
    assert pairs(["a", "b", "c", "d", "e"]) == [("a", "b"), ("a", "c"), ("a", "d"), ("a", "e"), ("b", "c"),
                                                 ("b", "d")]


def _png_ok(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_robustness_report(table: pd.DataFrame, tmp_path: Path) -> None:
    paths = write_robustness_report(table, KEYS, "score", tmp_path, {"data": "surface"})
    _png_ok(paths["robustness.png"])
    page = paths["robustness.html"].read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "sensitivity to a" in page and "neighbourhood" in page
    line = table[(table["b"] == 2) & (table["c"] == 9)]
    one = write_robustness_report(line, KEYS, "score", tmp_path / "one")
    _png_ok(one["robustness.png"])  # one varied parameter: no heatmap, still curves


def test_walk_forward_report(tmp_path: Path) -> None:
    result = walk_forward(make_sample_bars(), StrategyParams(), GRID, parse_walk_forward("20d:10d"))
    paths = write_walk_forward_report(result, tmp_path, {"data": "synthetic"})
    _png_ok(paths["walk_forward.png"])
    table = pd.read_csv(paths["walk_forward.csv"], index_col="window")
    assert len(table) == 6 and {"is_score", "oos_score", "atr_factor"} <= set(table.columns)
    summary = pd.read_csv(paths["walk_forward_summary.csv"], index_col=0)
    assert list(summary.columns)[:2] == ["in_sample", "out_of_sample"]
    assert "in sample vs out of sample" in paths["walk_forward.html"].read_text(encoding="utf-8")
