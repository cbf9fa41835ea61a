"""BENCHMARK REFERENCE AND ORACLE ONLY — not the product.

The original plan's backtester rebuilt in its own style, so that benchmarks compare like with like:
pandas reads the CSV (``read_csv(index_col=0, parse_dates=True)``), pandas computes the indicators, the
loop takes one ``DataFrame.iloc`` row per bar and appends the per-bar Alpha and layer count to lists,
and the metrics come from those lists with the original's definitions. Close fill; the three rule
parameters a small sweep varies (``atr_factor``, ``step_floor``, ``cooldown_bars``) are arguments,
every other rule uses the default preset's value.

It serves twice: as the reference of ``benchmarks/bench_backtest.py`` (stage for stage and as a whole
process) and as an independent oracle (trade list, the original's ``flow_annualized_util`` and
``score``, the sweep ranking in ``tests/core/test_sweep_ranking.py``).

    python benchmarks/pandas_baseline.py --data FILE.csv.gz     # one JSON object, like ``--json``

The original's metric definitions used here:

- ``max_drawdown``: worst fall of 500,000 + Alpha − Alpha at the first bar from its running peak;
- ``days_util``: calendar dates on which a lot was held at some bar's end, at least 1;
- ``flow_annualized_util`` = Alpha / 200,000 × 365 / ``days_util``;
- ``score`` = ``flow_annualized_util`` × 100 + 0.3 × ``max_drawdown`` × 100.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FLOW, BASE, LAYERS, FEE = 200_000.0, 300_000.0, 9, 0.0001


def original_indicators(bars: pd.DataFrame) -> pd.DataFrame:
    """ATR14, ATR average, MA60 slope (EMA 3) and RSI14 with pandas, warm-up rows dropped."""
    df = bars[["open", "high", "low", "close"]].astype(float).copy()
    prev = df["close"].shift(1)
    high_low = df["high"] - df["low"]
    df["tr"] = np.maximum(np.maximum(high_low, (df["high"] - prev).abs()), (df["low"] - prev).abs())
    df["atr"] = df["tr"].rolling(14).mean()
    df["atr_avg"] = df["atr"].rolling(60).mean().shift(1)
    ma = df["close"].rolling(60).mean()
    df["ma"] = ma
    df["slope"] = (ma.diff(5) / ma.shift(5)).ewm(span=3, adjust=False).mean()
    delta = df["close"].diff()
    gain = delta.clip(lower=0).rolling(14).mean()
    loss = (-delta).clip(lower=0).rolling(14).mean()
    rsi = 100 - 100 / (1 + gain / loss)
    df["rsi"] = rsi.mask(rsi.isna() & gain.notna() & loss.notna(), 100.0)
    return df.dropna(subset=["atr", "atr_avg", "ma", "slope", "rsi"])


@dataclass
class BaselineRun:
    """What the original's loop produced."""

    trades: list[tuple[int, str]] = field(default_factory=list)
    alpha: list[float] = field(default_factory=list)
    layers: list[int] = field(default_factory=list)
    final_alpha: float = 0.0


def baseline_loop(frame: pd.DataFrame, atr_factor: float = 0.38, step_floor: float = 0.0012,
                  cooldown_bars: int = 15) -> BaselineRun:
    """The per-bar rules of the default preset, one ``iloc`` row at a time."""
    anchor = float(frame["close"].iloc[0])
    lots: list[tuple[float, float]] = []
    cash, exit_bar = 0.0, -1
    run = BaselineRun()
    for i in range(len(frame)):
        row = frame.iloc[i]
        p = row["close"]
        step = max(step_floor, row["atr"] / p * atr_factor)
        step_f, tp_f, size_f = (1.2, 1.33, 0.7) if row["slope"] > 0 else (
            (1.0, 0.83, 1.2) if row["slope"] < 0 else (1.0, 1.0, 1.0))
        step *= step_f
        step += len(lots) * 0.0001
        trigger = p <= anchor * (1 - step)
        breaker = row["atr"] > 2.0 * row["atr_avg"]
        keep = []
        for price, shares in lots:
            if p >= price * (1 + 0.005 * tp_f * 1.4):
                value = shares * p
                cash += value - value * FEE
                run.trades.append((i, "SELL"))
            else:
                keep.append((price, shares))
        if lots and not keep:
            anchor, exit_bar = p, i
        lots = keep
        if len(lots) < LAYERS and trigger and not breaker:
            cooling = not lots and exit_bar >= 0 and i - exit_bar < (5 if row["rsi"] < 35 else cooldown_bars)
            if not cooling:
                shares = math.floor(FLOW / LAYERS * size_f / p / 100) * 100
                value = shares * p
                cash -= value + value * FEE
                lots.append((p, shares))
                anchor = p
                run.trades.append((i, "BUY"))
        run.alpha.append(cash + sum(s for _, s in lots) * p)
        run.layers.append(len(lots))
    run.final_alpha = run.alpha[-1] if run.alpha else 0.0
    return run


def original_metrics(frame: pd.DataFrame, run: BaselineRun) -> dict[str, float]:
    """The original's figures from the loop's lists (definitions in the module docstring)."""
    alpha = pd.Series(run.alpha, index=frame.index)
    equity = FLOW + BASE + alpha - alpha.iloc[0]
    max_dd = float((equity / equity.cummax() - 1).min())
    held = pd.Series(run.layers, index=frame.index) > 0
    days_util = max(int(held.groupby(frame.index.date).any().sum()), 1)
    first, last = float(frame["close"].iloc[0]), float(frame["close"].iloc[-1])
    util = run.final_alpha / FLOW * 365 / days_util
    return {
        "trades": len(run.trades), "alpha_cny": run.final_alpha, "beta_cny": (last - first) * BASE / first,
        "max_drawdown": max_dd, "days_util": days_util, "flow_annualized_util": util,
        "score": util * 100 + 0.3 * max_dd * 100,
    }


def run_backtest(bars: pd.DataFrame, atr_factor: float = 0.38, step_floor: float = 0.0012,
                 cooldown_bars: int = 15) -> dict[str, float]:
    """The original's ``run_backtest``: indicators → loop → metrics (``timings`` per stage)."""
    t0 = time.perf_counter()
    frame = original_indicators(bars)
    t1 = time.perf_counter()
    run = baseline_loop(frame, atr_factor, step_floor, cooldown_bars)
    t2 = time.perf_counter()
    out: dict[str, object] = dict(original_metrics(frame, run))
    t3 = time.perf_counter()
    out["timings"] = {"indicators": t1 - t0, "loop": t2 - t1, "metrics": t3 - t2, "total": t3 - t0}
    return out  # type: ignore[return-value]


def main() -> int:
    """The original's whole process: read the CSV, run, print one JSON object."""
    ap = argparse.ArgumentParser(description="the original plan's pandas backtester (benchmark reference)")
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    t0 = time.perf_counter()
    bars = pd.read_csv(args.data, index_col=0, parse_dates=True)
    parse = time.perf_counter() - t0
    out = run_backtest(bars)
    timings = out["timings"]
    timings["parse"] = parse  # type: ignore[index]
    timings["total"] += parse  # type: ignore[index]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
