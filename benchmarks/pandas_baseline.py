"""BENCHMARK BASELINE ONLY — not the product.

A plain pandas row-by-row implementation of the default rules (the style of the original plan's
backtester: one ``DataFrame.iloc`` row per bar), used to measure the speed-up of the compiled core and
as an independent oracle for its trade list. Close fill, default parameters only.
"""

from __future__ import annotations

import math

import pandas as pd


def baseline_backtest(frame: pd.DataFrame) -> tuple[int, float, list[tuple[int, str]]]:
    """Run on a frame with close, atr, atr_avg, slope, rsi (warm-up dropped); (trades, alpha, list)."""
    anchor = float(frame["close"].iloc[0])
    lots: list[tuple[float, float]] = []
    cash, exit_bar, trades = 0.0, -1, []
    for i in range(len(frame)):
        row = frame.iloc[i]
        p = row["close"]
        hold = len(lots)
        step = max(0.0012, row["atr"] / p * 0.38)
        step_f, tp_f, size_f = (1.2, 1.33, 0.7) if row["slope"] > 0 else (
            (1.0, 0.83, 1.2) if row["slope"] < 0 else (1.0, 1.0, 1.0))
        step *= step_f
        step += hold * 0.0001
        trigger = p <= anchor * (1 - step)
        breaker = row["atr"] > 2.0 * row["atr_avg"]
        keep = []
        for price, shares in lots:
            if p >= price * (1 + 0.005 * tp_f * 1.4):
                value = shares * p
                cash += value - value * 0.0001
                trades.append((i, "SELL"))
            else:
                keep.append((price, shares))
        if lots and not keep:
            anchor, exit_bar = p, i
        lots = keep
        if len(lots) < 9 and trigger and not breaker:
            cooling = not lots and exit_bar >= 0 and i - exit_bar < (5 if row["rsi"] < 35 else 15)
            if not cooling:
                shares = math.floor(200000 / 9 * size_f / p / 100) * 100
                value = shares * p
                cash -= value + value * 0.0001
                lots.append((p, shares))
                anchor = p
                trades.append((i, "BUY"))
    alpha = cash + sum(s for _, s in lots) * float(frame["close"].iloc[-1])
    return len(trades), alpha, trades
