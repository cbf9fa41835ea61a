"""The parameter sweep behind the robustness view, as it runs in a child process (no Qt here).

The view sends a :class:`SweepRequest` (the backtest choices plus value ranges); the child loads the
bars, runs the local sweep (``sweep.run_sweep``, all cores) reporting progress, ranks it by the chosen
score and sends the table back as plain arrays. The protocol is the backtest job's
(:func:`miniqmt_gui.ui.backtest_job.serve`), so the same runner starts, follows and cancels it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from miniqmt_gui.backtest.ranges import ParamRange, values_of
from miniqmt_gui.ui.backtest_job import BacktestRequest, build_params, load_bars, serve

#: most points the view runs (10,000 take about 20 s on two busy cores; more belongs on the command line)
MAX_POINTS = 20_000


@dataclass(frozen=True)
class SweepRequest:
    """What to sweep: the backtest choices, the ranges and the score that ranks the points."""

    base: BacktestRequest
    ranges: tuple[ParamRange, ...] = field(default_factory=tuple)
    score: str = "score"


def grid_of(ranges: tuple[ParamRange, ...]) -> dict[str, list[str]]:
    """The sweep grid; refuses repeated parameters and grids over :data:`MAX_POINTS`."""
    grid: dict[str, list[str]] = {}
    for r in ranges:
        if r.name in grid:
            raise ValueError(f"{r.name} appears twice")
        grid[r.name] = values_of(r)
    total = 1
    for values in grid.values():
        total *= len(values)
    if not grid or total > MAX_POINTS:
        raise ValueError(f"the grid needs 1..{MAX_POINTS:,} points, has {total:,}")
    return grid


def execute(request: SweepRequest, progress: Any) -> dict[str, Any]:
    """Run the sweep, calling ``progress(percent, stage)``; the payload holds the table as arrays."""
    from miniqmt_gui.backtest.robustness import rank
    from miniqmt_gui.backtest.sweep import run_sweep

    grid = grid_of(request.ranges)
    progress(2, "loading")
    bars, label = load_bars(request.base.csv_path)
    params = build_params(request.base)
    progress(8, "sweeping")
    table = run_sweep(bars, params, grid, request.base.fill,
                      lambda done, total: progress(8 + 90 * done // max(total, 1), "sweeping"))
    table = rank(table, request.score)
    progress(100, "done")
    return {"label": label, "score": request.score, "keys": list(grid), "points": len(table),
            "elapsed_s": float(table.attrs.get("elapsed_s", 0.0)),
            "columns": {str(c): table[c].to_numpy() for c in table.columns}}


def run_job(conn: Any, request: SweepRequest) -> None:
    """Child-process entry (see :func:`miniqmt_gui.ui.backtest_job.run_job`)."""
    serve(conn, lambda progress: execute(request, progress))
