"""Backtest speed, like for like against the original plan's pandas backtester (prints figures; not a test).

    .venv/bin/python benchmarks/bench_backtest.py [--data FILE] [--runs 7] [--big-sweep]

Every figure is measured in this run beside its reference and says which stages it times:

1. **Whole process** (SPEC §6: ≤ 0.35 s warm, ≥ 20× the original): ``miniqmt backtest --data F --json``
   against ``python benchmarks/pandas_baseline.py --data F`` (the original's process: pandas
   ``read_csv``, pandas indicators, ``iloc`` loop, metrics). Both time interpreter start, imports,
   parse, indicators, loop, metrics and the JSON line; run alternately, medians of wall and CPU seconds
   and the median of the per-pair ratios.
2. **In process, all stages** (≥ 150×): ``run_file`` = parse → indicators → loop → metrics, warm,
   ``--runs`` times, against the original's ``read_csv`` + ``run_backtest`` (indicators → loop → metrics)
   in this process ``--original-runs`` times; best against best and median against median; also the
   loop alone in ns per bar.
3. **First run after install** (≤ 1.5 s): a new process in a new, empty working directory, nothing
   warmed by this script; beside it what numba's JIT would cost on a first run with an empty cache
   (the compile the prebuilt module saves).
4. **Sweep** (≤ 1 s on 2 cores for 1,000 points, indicators included): ``run_sweep`` over
   atr_factor × step_floor × cooldown_bars, the whole call (grid expansion, indicators, loop on one
   thread per core, metrics, ranked table), ``--sweep-runs`` times, each beside the same points' loop
   on one thread; medians and each run.

Without the shared 2015–16 file it falls back to two years of synthetic bars (written to a temp file).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from benchmarks.pandas_baseline import run_backtest as original_run_backtest
from miniqmt_gui.backtest.run import run_file, simulate, warm_up
from miniqmt_gui.backtest.sweep import run_points, run_sweep
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.params import StrategyParams

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MINIQMT_SHARED_DATA", REPO.parent / "shared" / "data"))
PY = sys.executable


def timed_process(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
                  ) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def whole_process(data: str, runs: int) -> dict[str, object]:
    ours = [PY, "-m", "miniqmt_gui.cli", "backtest", "--data", data, "--json"]
    theirs = [PY, str(REPO / "benchmarks" / "pandas_baseline.py"), "--data", data]
    timed_process(ours)  # warm: the OS file cache, the .pyc files
    timed_process(theirs)
    a, b = [], []
    for _ in range(runs):
        a.append(timed_process(ours))
        b.append(timed_process(theirs))
    same = json.loads(a[0][2])["trades"] == json.loads(b[0][2])["trades"]
    return {
        "stages": "whole process: start, imports, parse, indicators, loop, metrics, JSON",
        "ours_wall_s": statistics.median(x[0] for x in a), "ours_cpu_s": statistics.median(x[1] for x in a),
        "original_wall_s": statistics.median(x[0] for x in b),
        "original_cpu_s": statistics.median(x[1] for x in b),
        "ratio_wall": statistics.median(y[0] / x[0] for x, y in zip(a, b, strict=True)),
        "ratio_cpu": statistics.median(y[1] / x[1] for x, y in zip(a, b, strict=True)),
        "same_trades": same,
    }


def in_process(data: str, runs: int, original_runs: int) -> dict[str, object]:
    import pandas as pd

    warm_up()
    ours = [run_file(data) for _ in range(runs)]
    best = dict(min(ours, key=lambda r: r.timings["total"]).timings)
    result = ours[-1]
    pb, params = result.bars, StrategyParams()
    loop = min(_loop_seconds(pb, params) for _ in range(runs))
    theirs_runs = []
    for _ in range(original_runs):
        t0 = time.perf_counter()
        frame = pd.read_csv(data, index_col=0, parse_dates=True)
        parse = time.perf_counter() - t0
        original = original_run_backtest(frame)
        timings = dict(original["timings"]) | {"parse": parse}  # type: ignore[call-overload]
        timings["total"] += parse
        theirs_runs.append(timings)
    theirs = min(theirs_runs, key=lambda t: t["total"])
    ours_median = statistics.median(r.timings["total"] for r in ours)
    theirs_median = statistics.median(t["total"] for t in theirs_runs)
    return {
        "stages": "parse -> indicators -> loop -> metrics, in one warm process",
        "ours_best_s": best, "original_best_s": theirs,
        "runs": {"ours": runs, "original": original_runs},
        "ratio_best_to_best": theirs["total"] / best["total"],
        "ratio_median_to_median": theirs_median / ours_median,
        "ours_median_total_s": ours_median, "original_median_total_s": theirs_median,
        "ratio_without_parse": (theirs["total"] - theirs["parse"]) / (best["total"] - best["parse"]),
        "loop_ns_per_bar": loop / len(pb) * 1e9, "bars": len(pb),
        "same_result": original["trades"] == result.metrics["trades"]
        and abs(original["alpha_cny"] - result.metrics["alpha_cny"]) < 1e-6,
    }


def _loop_seconds(pb, params) -> float:
    t0 = time.perf_counter()
    simulate(pb, params, "close", record=False)
    return time.perf_counter() - t0


def first_run(data: str, with_jit: bool) -> dict[str, object]:
    cmd = [PY, "-m", "miniqmt_gui.cli", "backtest", "--data", data, "--json"]
    out: dict[str, object] = {"stages": "whole process in a new empty working directory, nothing warmed"}
    with tempfile.TemporaryDirectory(prefix="miniqmt-first-") as cwd:
        wall, cpu, _ = timed_process(cmd, cwd=Path(cwd))
        out |= {"prebuilt_wall_s": wall, "prebuilt_cpu_s": cpu, "backend": compiled.backend()}
        if with_jit:  # what a user would wait without the prebuilt module: numba compiles into an empty cache
            env = os.environ | {"MINIQMT_KERNELS": "jit", "NUMBA_CACHE_DIR": str(Path(cwd) / "numba-cache")}
            wall, cpu, _ = timed_process(cmd, cwd=Path(cwd), env=env)
            out |= {"jit_empty_cache_wall_s": wall, "jit_empty_cache_cpu_s": cpu}
    return out


def sweep(bars_path: str, points: int, runs: int) -> dict[str, object]:
    from miniqmt_gui.backtest.data import load_bars
    from miniqmt_gui.strategy.indicators import prepare

    bars = load_bars(bars_path)
    side = round(points ** (1 / 3))
    grid = {"atr_factor": [f"{v:.4f}" for v in np.linspace(0.20, 0.56, side)],
            "step_floor": [f"{v:.5f}" for v in np.linspace(0.0006, 0.0024, side)],
            "cooldown_bars": [str(v) for v in np.linspace(5, 24, side).astype(int)]}
    run_sweep(bars.iloc[:2000], StrategyParams(), {"atr_factor": ["0.3", "0.4"]})  # threads and code warm
    pb = prepare(bars, StrategyParams())
    pts = StrategyParams().combinations(grid)
    whole, one_thread = [], []
    for _ in range(runs):  # alternately: a busy spell of the machine hits both
        t0 = time.perf_counter()
        table = run_sweep(bars, StrategyParams(), grid)
        whole.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_points(pb, pts, threads=1)
        one_thread.append(time.perf_counter() - t0)
    return {"stages": "whole run_sweep: grid, indicators, loop on all cores, metrics, ranked table",
            "points": len(table), "cores": os.cpu_count(), "runs": runs,
            "whole_median_s": statistics.median(whole), "whole_each_s": [round(w, 3) for w in whole],
            "loop_only_one_thread_median_s": statistics.median(one_thread),
            "best": table.iloc[0][list(grid)].to_dict()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(SHARED / "etf_like_1m_2015-2016.csv.gz"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--original-runs", type=int, default=3, help="in-process runs of the original (5-9 s)")
    ap.add_argument("--sweep-runs", type=int, default=3)
    ap.add_argument("--big-sweep", action="store_true", help="also 10,000 points")
    ap.add_argument("--no-jit", action="store_true", help="skip the empty-cache JIT first run (slow)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if not Path(data).exists():
            from miniqmt_gui.backtest.data import save_bars
            from miniqmt_gui.backtest.sample import make_sample_bars

            data = str(Path(tmp) / "synthetic_2y.csv")
            save_bars(make_sample_bars(days=488), data)
        report = {"data": data, "backend": compiled.backend(),
                  "whole_process": whole_process(data, args.runs),
                  "in_process": in_process(data, args.runs, args.original_runs),
                  "first_run": first_run(data, not args.no_jit),
                  "sweep_1000": sweep(data, 1000, args.sweep_runs)}
        if args.big_sweep:
            report["sweep_10000"] = sweep(data, 10_000, 1)
    print(json.dumps(report, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
