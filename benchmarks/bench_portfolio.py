"""Benchmark of the portfolio loop (prints figures; not a test).

    .venv/bin/python benchmarks/bench_portfolio.py [--data FILE] [--repeat N]

Two codes: the bar file as it is, and a second code made from it (the prices 30,000 bars later, ×1.25,
every 7th bar missing). Prints, each as the median of ``--repeat`` runs with compile excluded: the
portfolio loop over both codes (pool never binding, and a binding pool), the two single-code loops over
the same prepared bars, their ratio, and nanoseconds per event. Indicators are computed once, outside
the timings. Without the shared 2015–16 file it falls back to two years of synthetic bars.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.portfolio import pack, simulate, warm_up
from miniqmt_gui.backtest.run import simulate as simulate_single
from miniqmt_gui.backtest.run import warm_up as warm_up_single
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.strategy.indicators import prepare
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import default_portfolio

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_DATA = Path(os.environ.get("MINIQMT_SHARED_DATA", SHARED)) / "etf_like_1m_2015-2016.csv.gz"


def second_code(bars: pd.DataFrame) -> pd.DataFrame:
    """The prices 30,000 bars later on the same times, ×1.25 on the tick, every 7th bar missing."""
    cols = ["open", "high", "low", "close", "volume"]
    out = pd.DataFrame(bars[cols].to_numpy()[30_000:], columns=cols, index=bars.index[: len(bars) - 30_000])
    out[cols[:4]] = (out[cols[:4]] * 1.25).round(3)
    return out.iloc[np.arange(len(out)) % 7 != 1]


def median_s(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    a = load_bars(args.data) if Path(args.data).exists() else make_sample_bars(days=480)
    bars = {"159201.SZ": a, "512890.SH": second_code(a)}
    free, tight = default_portfolio(pool=Pool(1e15)), default_portfolio(pool=Pool(300_000, 100_000))
    prepared = {i.code: prepare(bars[i.code], i.params) for i in free.instruments}
    print(f"data: {args.data if Path(args.data).exists() else 'synthetic (480 days)'}")
    print(f"compile/cache load: portfolio {warm_up():.2f} s, single {warm_up_single():.2f} s")
    pk = pack(prepared, free)
    events = pk.rows
    t_free = median_s(lambda: simulate(pk, free), args.repeat)
    t_tight = median_s(lambda: simulate(pack(prepared, tight), tight), args.repeat)
    t_single = sum(median_s(lambda i=i: simulate_single(prepared[i.code], i.params), args.repeat)
                   for i in free.instruments)
    print(f"events (bars of both codes): {events:,}   clock times: {len(pk.clock):,}")
    print(f"portfolio loop, pool never binds: {t_free * 1000:.1f} ms ({t_free / events * 1e9:.0f} ns/event)")
    print(f"portfolio loop, binding pool:     {t_tight * 1000:.1f} ms (incl. packing)")
    per_bar = t_single / events * 1e9
    print(f"two single-code loops:            {t_single * 1000:.1f} ms ({per_bar:.0f} ns/bar)")
    print(f"ratio portfolio / single loops:   {t_free / t_single:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
