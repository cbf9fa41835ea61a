"""Is the best point a plateau or a spike? Views of a sweep table (pure pandas; drawing is elsewhere).

- :func:`heatmap`: the score over two swept parameters, every other swept parameter held at the winner's
  value ("others at their best").
- :func:`neighbourhood`: every grid point by its distance from the winner in grid steps (Chebyshev: the
  largest number of steps along any one parameter), with the score of each ring. A plateau keeps its
  score one and two steps away; a spike falls off at once.
- :func:`sensitivity`: one parameter's score curve: others at the winner's values, and the median and
  best over all the other combinations.

The winner is the table's first row after ranking by the chosen score column (:func:`rank`; ties keep the
table's order, which for a sweep table is grid order).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: pairs drawn in a report at most (a 5-parameter grid has 10)
MAX_PAIRS = 6


def rank(table: pd.DataFrame, score: str = "score") -> pd.DataFrame:
    """``table`` sorted by ``score`` (best first, stable), ranks renumbered from 1."""
    if score not in table.columns:
        raise ValueError(f"unknown score column {score!r}")
    out = table.sort_values(score, ascending=False, kind="stable", na_position="last").reset_index(drop=True)
    out.index = out.index + 1
    out.index.name = "rank"
    out.attrs = dict(table.attrs)
    return out


def varied(table: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """The swept parameters that take more than one value."""
    return [k for k in keys if table[k].nunique() > 1]


def axis_values(table: pd.DataFrame, key: str) -> list[Any]:
    """Distinct values of a swept parameter, ascending."""
    return sorted(table[key].unique().tolist())


def winner(table: pd.DataFrame, score: str) -> pd.Series:
    """The best row."""
    return rank(table, score).iloc[0]


@dataclass(frozen=True)
class Heatmap:
    """Score over ``x`` × ``y``; ``z[j, i]`` belongs to ``y_values[j]``, ``x_values[i]`` (NaN: no point)."""

    x: str
    y: str
    x_values: list[Any]
    y_values: list[Any]
    z: np.ndarray
    fixed: dict[str, Any]
    score: str
    best: tuple[int, int]  # (i, j) of the winner in the grid, or (-1, -1) when it is not on this slice


def heatmap(table: pd.DataFrame, keys: Sequence[str], x: str, y: str, score: str = "score",
            at: Mapping[str, Any] | None = None) -> Heatmap:
    """The ``x``/``y`` slice of the table with the other ``keys`` at ``at`` (default: the winner's values)."""
    if x == y or x not in keys or y not in keys:
        raise ValueError(f"heatmap needs two different swept parameters, got {x!r} and {y!r}")
    top = winner(table, score)
    fixed = {k: (at[k] if at and k in at else top[k]) for k in keys if k not in (x, y)}
    rows = table
    for key, value in fixed.items():
        rows = rows[rows[key] == value]
    xs, ys = axis_values(table, x), axis_values(table, y)
    z = np.full((len(ys), len(xs)), np.nan)
    xi = {v: i for i, v in enumerate(xs)}
    yi = {v: j for j, v in enumerate(ys)}
    for vx, vy, s in zip(rows[x], rows[y], rows[score], strict=True):
        z[yi[vy], xi[vx]] = s
    on_slice = all(top[k] == v for k, v in fixed.items())
    best = (xi[top[x]], yi[top[y]]) if on_slice else (-1, -1)
    return Heatmap(x, y, xs, ys, z, fixed, score, best)


def pairs(keys: Sequence[str], limit: int = MAX_PAIRS) -> list[tuple[str, str]]:
    """Parameter pairs for heatmaps, in grid order, at most ``limit``."""
    return list(itertools.combinations(keys, 2))[:limit]


def grid_steps(table: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Each row's position along each swept parameter (0 = smallest value)."""
    return pd.DataFrame({k: table[k].map({v: i for i, v in enumerate(axis_values(table, k))})
                         for k in keys}, index=table.index)


@dataclass(frozen=True)
class Neighbourhood:
    """Scores by distance from the winner: ``points`` (distance, score per grid point), ``rings`` stats."""

    points: pd.DataFrame
    rings: pd.DataFrame
    best_score: float
    score: str

    def ring(self, distance: int = 1) -> dict[str, float]:
        """``count``, ``median``, ``min`` and ``max`` of the scores ``distance`` steps away (NaN: none)."""
        nan = float("nan")
        row = self.rings.to_dict("index").get(distance, {})
        return {k: float(row.get(k, nan)) for k in ("count", "median", "min", "max")}

    def retained(self, distance: int = 1) -> float:
        """Median score at ``distance`` as a share of the winner's (NaN if the winner's score ≤ 0)."""
        if self.best_score <= 0:
            return float("nan")
        return self.ring(distance)["median"] / self.best_score


def neighbourhood(table: pd.DataFrame, keys: Sequence[str], score: str = "score", radius: int = 2,
                  ) -> Neighbourhood:
    """Grid points up to ``radius`` steps from the winner, and each ring's count, median, min and max."""
    ranked = rank(table, score)
    keys = list(keys)
    steps = grid_steps(ranked, keys)
    distance = (steps - steps.iloc[0]).abs().max(axis=1) if keys else pd.Series(0, index=ranked.index)
    points = pd.DataFrame({"distance": distance.astype(int), "score": ranked[score]})
    points = points[points["distance"] <= radius]
    rings = points.groupby("distance")["score"].agg(["count", "median", "min", "max"])
    return Neighbourhood(points, rings, float(ranked[score].iloc[0]), score)


def sensitivity(table: pd.DataFrame, keys: Sequence[str], param: str, score: str = "score") -> pd.DataFrame:
    """Per value of ``param``: score with the others at the winner's values, median and best over others."""
    top = winner(table, score)
    at_best = table
    for key in keys:
        if key != param:
            at_best = at_best[at_best[key] == top[key]]
    grouped = table.groupby(param)[score]
    out = pd.DataFrame({"median": grouped.median(), "best": grouped.max()})
    out["at_best"] = at_best.set_index(param)[score].reindex(out.index)
    out.index.name = param
    return out[["at_best", "median", "best"]]
