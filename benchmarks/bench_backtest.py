"""Benchmark of the backtest core (prints figures; not a test).

    .venv/bin/python benchmarks/bench_backtest.py [--data FILE] [--baseline-bars N]

Prints: JIT compile/cache-load time, bars/s of one run (indicators precomputed, compile excluded),
the time of a 1,000-point parameter sweep on all cores, and the speed ratio against a plain pandas
row-by-row implementation of the same rules (benchmarks/pandas_baseline.py, measured on a slice).
Without the shared 2015–16 file it falls back to two years of synthetic bars.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pandas_baseline import baseline_backtest
from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.run import simulate, warm_up
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import run_points, warm_up_grid
from miniqmt_gui.strategy.indicators import compute_indicators, prepare
from miniqmt_gui.strategy.params import StrategyParams

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_DATA = Path(os.environ.get("MINIQMT_SHARED_DATA", SHARED))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(DEFAULT_DATA / "etf_like_1m_2015-2016.csv.gz"))
    ap.add_argument("--baseline-bars", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if Path(args.data).exists():
        bars, label = load_bars(args.data), args.data
    else:
        bars, label = make_sample_bars(days=488), "synthetic, 488 days"
    params = StrategyParams()
    t0 = time.perf_counter()
    pb = prepare(bars, params)
    t_ind = time.perf_counter() - t0
    print(f"data: {label}: {len(bars):,} bars, {len(pb):,} after warm-up; indicators {t_ind * 1000:.0f} ms")
    print(f"JIT compile or cache load: single run {warm_up():.2f} s, sweep loop {warm_up_grid():.2f} s")

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        summary, *_ = simulate(pb, params, "close", record=True)
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(f"one run (close fill, trades recorded): {best * 1000:.2f} ms = {len(pb) / best:,.0f} bars/s "
          f"(median {np.median(times) * 1000:.2f} ms); trades {int(summary[0])}, Alpha {summary[3]:,.2f}")

    grid = [params.updated({"atr_factor": a, "step_floor": f, "cooldown_bars": c})
            for a in np.linspace(0.20, 0.56, 10) for f in np.linspace(0.0006, 0.0024, 10)
            for c in range(5, 25, 2)]
    t0 = time.perf_counter()
    out = run_points(pb, grid, "close")
    t_sweep = time.perf_counter() - t0
    print(f"sweep: {len(grid)} points (atr_factor x step_floor x cooldown_bars) in {t_sweep:.2f} s "
          f"on {os.cpu_count()} cores ({t_sweep / len(grid) * 1000:.2f} ms/point); "
          f"best Alpha {out[:, 3].max():,.2f}")

    n = min(args.baseline_bars, len(pb))
    frame = compute_indicators(bars, params).dropna().assign(close=lambda f: bars["close"].loc[f.index])
    frame = frame.iloc[:n]
    t0 = time.perf_counter()
    base_trades, base_alpha, _ = baseline_backtest(frame)
    t_base = time.perf_counter() - t0
    sub = prepare(bars.iloc[: n + pb.warmup_rows], params)  # the same first n bars after the warm-up
    sub_summary, *_ = simulate(sub, params, "close")
    base_rate = n / t_base
    print(f"pandas row-by-row baseline on {n:,} bars: {base_rate:,.0f} bars/s; same trades as core: "
          f"{base_trades == int(sub_summary[0]) and abs(base_alpha - sub_summary[3]) < 1e-6}")
    print(f"speed ratio (one run): {len(pb) / best / base_rate:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
