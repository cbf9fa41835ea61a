"""Parameter sweep: run a grid of parameter sets on all cores and rank them.

``run_sweep(bars, base, {"atr_factor": ["0.3", "0.38"], "step_floor": ["0.001", "0.0012"]})`` returns a
DataFrame with one row per combination (the swept values first, then the metrics), sorted by
``score`` = ``flow_annualized_util`` % + 0.3 × ``max_drawdown`` % (higher is better). Indicators are
computed once per distinct set of indicator windows; the compiled loop releases the GIL, so slices of
the points run on one thread per core (small slices handed out as threads free up: points differ in
cost).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.metrics import derive
from miniqmt_gui.backtest.run import fill_code, warm_up
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import PreparedBars, prepare
from miniqmt_gui.strategy.params import MAX_LAYERS, ParamError, StrategyParams

Progress = Callable[[int, int], None]


def parse_sweep(specs: Iterable[str]) -> dict[str, list[str]]:
    """Parse ``key=v1,v2,...`` items into ``{key: [values]}``."""
    grid: dict[str, list[str]] = {}
    for spec in specs:
        key, sep, values = spec.partition("=")
        items = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not key.strip() or not items:
            raise ParamError(f"bad --sweep item {spec!r}; use key=v1,v2,...")
        grid[key.strip()] = items
    return grid


def expand(base: StrategyParams, grid: Mapping[str, Sequence[object]]) -> list[StrategyParams]:
    """All combinations of ``grid`` applied to ``base`` (validated)."""
    return base.combinations(grid)


def _matrices(points: Sequence[StrategyParams]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    prms = np.stack([p.to_vector() for p in points])
    caps = np.zeros((len(points), MAX_LAYERS))
    n_layers = np.zeros(len(points), dtype=np.int64)
    for k, p in enumerate(points):
        c = p.layer_capitals()
        caps[k, : c.size] = c
        n_layers[k] = c.size
    return prms, caps, n_layers


def run_points(pb: PreparedBars, points: Sequence[StrategyParams], fill: str = "close",
               threads: int | None = None) -> np.ndarray:
    """Summary rows for parameter sets sharing the same prepared bars (one thread per core)."""
    return np.concatenate([rows for _, rows in iter_points(pb, points, fill, threads)])


def iter_points(pb: PreparedBars, points: Sequence[StrategyParams], fill: str = "close",
                threads: int | None = None) -> Iterator[tuple[slice, np.ndarray]]:
    """``(slice of points, their summary rows)`` in order, as the threads finish them.

    Small slices are handed out as threads free up (points differ in cost) and no thread waits for
    another until the last slice: the caller reads rows while the rest are computed.
    """
    run = compiled.kernels().run_points
    prms, caps, n_layers = _matrices(points)
    mode = fill_code(fill)
    arrays = (pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day)
    workers = max(1, min(threads or os.cpu_count() or 1, len(points)))
    if workers == 1:
        yield slice(0, len(points)), np.asarray(run(*arrays, prms, caps, n_layers, mode))
        return
    size = max(1, min(16, len(points) // (4 * workers)))
    slices = [slice(k, min(k + size, len(points))) for k in range(0, len(points), size)]
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(lambda sl: run(*arrays, prms[sl], caps[sl], n_layers[sl], mode), slices)
        yield from zip(slices, parts, strict=True)


def run_sweep(bars: pd.DataFrame, base: StrategyParams, grid: Mapping[str, Sequence[object]],
              fill: str = "close", progress: Progress | None = None) -> pd.DataFrame:
    """Run the grid and return the ranked table (best ``score`` first); ``elapsed_s`` in ``attrs``."""
    points = expand(base, grid)
    warm_up_grid()
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, p in enumerate(points):
        groups.setdefault(p.indicator_key(), []).append(k)
    columns: dict[str, list[Any]] = {key: [getattr(p, key) for p in points] for key in grid}
    done, elapsed = 0, 0.0
    for members in groups.values():
        pb = prepare(bars, points[members[0]])
        days = pb.calendar_days()
        group = [points[k] for k in members]
        t0 = time.perf_counter()
        for sl, summary in iter_points(pb, group, fill):
            part = members[sl]
            # each point's own capitals: a grid may sweep them (derive broadcasts arrays like scalars)
            flow: Any = np.array([points[k].flow_capital for k in part])
            base_cap: Any = np.array([points[k].base_capital for k in part])
            metrics = derive(summary, float(pb.close[0]), float(pb.close[-1]), len(pb), days, flow, base_cap)
            for name, values in metrics.items():
                column = columns.setdefault(name, [None] * len(points))
                for j, value in zip(part, np.broadcast_to(np.asarray(values), (len(part),)).tolist(),
                                    strict=True):
                    column[j] = value
            done += len(part)
            if progress:
                progress(done, len(points))
        elapsed += time.perf_counter() - t0
    table = pd.DataFrame(columns).sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    table.index = table.index + 1
    table.index.name = "rank"
    table.attrs["elapsed_s"] = elapsed
    return table


def warm_up_grid() -> float:
    """Load (or, without the prebuilt module, compile) the sweep loop once; returns the seconds it took."""
    start = time.perf_counter()
    warm_up()
    compiled.kernels()
    return time.perf_counter() - start
