"""Benchmark of parameter research: a 10,000-point sweep locally and on a Dask LocalCluster (prints; no test).

    .venv/bin/python benchmarks/bench_research.py [--data FILE] [--points 10000] [--walk-forward 6:1]

Prints, each timed in this run:

- the local sweep stage (``sweep.run_sweep``: indicators + compiled loop on all cores + table) against the
  10 s target for 10,000 points over two years;
- the same grid on a LocalCluster of 2 worker processes (bars scattered once per worker, chunks streamed
  back) as a ratio to the local figure (target ≤ 1.5×), with the cluster's start-up and compile measured
  apart; the rows must be identical;
- 1 worker against 2 workers (scaling);
- a walk-forward (default 6:1) over a 100-point grid, local and on the 2-worker cluster.

Without the shared 2015–16 file it falls back to two years of synthetic bars.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from miniqmt_gui.backtest.chunks import evaluate_sweep
from miniqmt_gui.backtest.cluster import ClusterSession, DaskEvaluator, open_cluster
from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_sweep, warm_up_grid
from miniqmt_gui.backtest.walk_forward import walk_forward
from miniqmt_gui.backtest.windows import parse_walk_forward
from miniqmt_gui.strategy.params import StrategyParams

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_DATA = Path(os.environ.get("MINIQMT_SHARED_DATA", SHARED)) / "etf_like_1m_2015-2016.csv.gz"
TARGET_10K_S = 10.0
T = TypeVar("T")


def grid_of(points: int) -> dict[str, list[str]]:
    """``points`` points (exactly, when it factors so): atr_factor × step_floor × cooldown_bars."""
    cooldowns = 20 if points % 20 == 0 and points >= 400 else 1
    rest = points // cooldowns
    a = max(d for d in range(1, math.isqrt(rest) + 1) if rest % d == 0)
    return {"atr_factor": [f"{v:.5g}" for v in np.linspace(0.2, 0.56, rest // a)],
            "step_floor": [f"{v:.5g}" for v in np.linspace(0.0006, 0.0024, a)],
            "cooldown_bars": [str(v) for v in range(3, 3 + 2 * cooldowns, 2)]}


def timed(label: str, work: Callable[[], T]) -> tuple[T, float]:
    """Run ``work``, print and return its seconds."""
    start = time.perf_counter()
    out = work()
    seconds = time.perf_counter() - start
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label}: {seconds:.2f} s  (load average {load:.1f} on {os.cpu_count()} cores)", flush=True)
    return out, seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--walk-forward", default="6:1")
    args = ap.parse_args()
    if Path(args.data).exists():
        bars, label = load_bars(args.data), Path(args.data).name
    else:
        bars, label = make_sample_bars(days=488), "synthetic, 488 days"
    base = StrategyParams()
    grid = grid_of(args.points)
    n = math.prod(len(v) for v in grid.values())
    print(f"data: {label}, {len(bars):,} bars; grid {n:,} points "
          f"({' x '.join(f'{k} {len(v)}' for k, v in grid.items())}); {os.cpu_count()} cores")
    print(f"JIT compile or cache load of the sweep loop: {warm_up_grid():.2f} s (not counted)")

    local, t_local = timed("local sweep stage (indicators + loop + table, all cores)",
                           lambda: run_sweep(bars, base, grid))
    scaled = t_local * 10_000 / n
    print(f"  = {t_local / n * 1000:.3f} ms/point; 10,000 points ≈ {scaled:.2f} s = "
          f"{scaled / TARGET_10K_S:.2f}× the {TARGET_10K_S:.0f} s target")

    results: dict[int, float] = {}
    for workers in (2, 1):
        session, _ = timed(f"LocalCluster of {workers} worker(s): start, check, load the compiled loop",
                                lambda w=workers: open_cluster("local", workers=w))
        with session:
            table, seconds = timed(f"  sweep on {workers} worker(s)",
                                   lambda s=session: evaluate_sweep(bars, base, grid, DaskEvaluator(s)))
            results[workers] = seconds
            same = table.equals(local) and list(table.columns) == list(local.columns)
            print(f"  rows identical to the local sweep: {same}; {seconds / t_local:.2f}× the local path"
                  + ("  (target ≤ 1.5×)" if workers == 2 else ""))
            if workers == 2:
                walk_forward_pair(bars, base, args.walk_forward, session)
    print(f"scaling 1 → 2 workers: {results[1] / results[2]:.2f}× faster "
          f"(ideal 2.00× on 2 free cores; this machine is shared)")
    return 0


def walk_forward_pair(bars: pd.DataFrame, base: StrategyParams, spec_text: str, session: ClusterSession,
                      ) -> None:
    """The same walk-forward locally and on the cluster."""
    spec = parse_walk_forward(spec_text)
    grid = grid_of(100)
    points = math.prod(len(v) for v in grid.values())
    local, t_local = timed(f"walk-forward {spec.label()}, {points} points, local",
                           lambda: walk_forward(bars, base, grid, spec))
    remote, t_remote = timed("  the same on 2 workers", lambda: walk_forward(bars, base, grid, spec,
                                                                           evaluator=DaskEvaluator(session)))
    print(f"  {len(local.windows)} windows; identical: {local.table().equals(remote.table())}; "
          f"{t_remote / t_local:.2f}× the local path")


if __name__ == "__main__":
    raise SystemExit(main())
