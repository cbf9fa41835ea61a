"""Backtest runner: prepares indicators with pandas, runs the compiled loop, returns a result.

Usage::

    from miniqmt_gui.backtest.run import run_backtest
    result = run_backtest(bars, StrategyParams(), fill="close")
    result.metrics["alpha_cny"], result.trades, result.alpha_curve

Fill models: ``close`` (the original plan's model: fill at the deciding bar's close, fee = rate ×
value, no cash or T+1 check) and ``realistic`` (next bar's open ± slippage ticks on the 0.001 tick,
commission with minimum, cash limit = flow fund + free cash, T+1 via the sellable quantity). The
rules themselves live only in :mod:`miniqmt_gui.strategy.rules`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.metrics import calendar_days, derive, to_scalars
from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.indicators import PreparedBars, prepare
from miniqmt_gui.strategy.params import StrategyParams

FILL_MODELS = {"close": L.FILL_CLOSE, "realistic": L.FILL_REALISTIC}
REASONS = {L.R_GRID_BUY: "grid_buy", L.R_TAKE_PROFIT: "take_profit", L.R_FLOAT_STOP: "float_loss_stop"}


@dataclass
class BacktestResult:
    """Everything one backtest produced."""

    params: StrategyParams
    fill: str
    bars: PreparedBars
    summary: np.ndarray
    metrics: dict[str, Any]
    trades: pd.DataFrame
    alpha_curve: pd.Series
    layers: pd.Series
    elapsed_s: float
    extra: dict[str, Any] = field(default_factory=dict)


_compile_seconds: list[float] = []


def warm_up() -> float:
    """Compile (or load from the cache) the backtest loop once; returns the seconds it took.

    Called before timing so JIT compile time never counts as simulation time.
    """
    if not _compile_seconds:
        from miniqmt_gui.strategy.kernel import run_bars

        start = time.perf_counter()
        z, zi = np.zeros(3), np.zeros(3, dtype=np.int64)
        p = StrategyParams()
        for mode in FILL_MODELS.values():
            run_bars(z + 1, z + 1, z, z, z, z, zi, zi, p.to_vector(), p.layer_capitals(), mode, True,
                     np.zeros((8, 4)), np.zeros((8, 4), dtype=np.int64), z.copy(), zi.copy())
        _compile_seconds.append(time.perf_counter() - start)
    return _compile_seconds[0]


def fill_code(fill: str) -> int:
    """Numeric code of a fill model name (``close`` or ``realistic``)."""
    try:
        return FILL_MODELS[fill]
    except KeyError:
        raise ValueError(f"unknown fill model {fill!r}; use close or realistic") from None


def simulate(pb: PreparedBars, params: StrategyParams, fill: str = "close", record: bool = True,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run the compiled loop on prepared bars; returns summary, trade arrays and the curves."""
    from miniqmt_gui.strategy.kernel import run_bars

    n = len(pb)
    cap = 2 * n + 2 if record else 0
    rec_f = np.zeros((cap, 4))
    rec_i = np.zeros((cap, 4), dtype=np.int64)
    alpha = np.zeros(n if record else 0)
    layers = np.zeros(n if record else 0, dtype=np.int64)
    summary = run_bars(pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day,
                       params.to_vector(), params.layer_capitals(), fill_code(fill), record,
                       rec_f, rec_i, alpha, layers)
    k = int(summary[L.S_N_TRADES_REC])
    return summary, rec_f[:k], rec_i[:k], alpha, layers


def trades_frame(pb: PreparedBars, rec_f: np.ndarray, rec_i: np.ndarray) -> pd.DataFrame:
    """Trade list as a DataFrame (time, side, layer, shares, price, value, fee, pnl, reason)."""
    bars = rec_i[:, 0]
    shares = rec_f[:, 0]
    price = rec_f[:, 1]
    return pd.DataFrame({
        "time": pb.index[bars] if len(bars) else pd.DatetimeIndex([], tz=pb.index.tz),
        "bar": bars,
        "side": np.where(rec_i[:, 1] > 0, "BUY", "SELL"),
        "layer": rec_i[:, 2],
        "shares": shares.astype(np.int64),
        "price": price,
        "value": shares * price,
        "fee": rec_f[:, 2],
        "pnl": np.where(rec_i[:, 1] > 0, np.nan, rec_f[:, 3]),
        "reason": [REASONS[int(r)] for r in rec_i[:, 3]],
    })


def metrics_for(pb: PreparedBars, params: StrategyParams, summary: np.ndarray) -> dict[str, Any]:
    """Scalar metrics of one run."""
    if len(pb) == 0:
        raise ValueError("no bars left after the indicator warm-up")
    days = calendar_days(pb.index[0], pb.index[-1])
    m = derive(summary, float(pb.close[0]), float(pb.close[-1]), len(pb), days,
               params.flow_capital, params.base_capital)
    return to_scalars(m)


def run_prepared(pb: PreparedBars, params: StrategyParams, fill: str = "close") -> BacktestResult:
    """Backtest on already prepared bars (indicators computed, warm-up dropped)."""
    if len(pb) == 0:
        raise ValueError("no bars left after the indicator warm-up")
    warm_up()
    start = time.perf_counter()
    summary, rec_f, rec_i, alpha, layers = simulate(pb, params, fill)
    elapsed = time.perf_counter() - start
    metrics = metrics_for(pb, params, summary)
    metrics["bars"] = len(pb)
    metrics["elapsed_s"] = elapsed
    return BacktestResult(
        params=params, fill=fill, bars=pb, summary=summary, metrics=metrics,
        trades=trades_frame(pb, rec_f, rec_i), alpha_curve=pd.Series(alpha, index=pb.index, name="alpha"),
        layers=pd.Series(layers, index=pb.index, name="layers"), elapsed_s=elapsed,
    )


def run_backtest(bars: pd.DataFrame, params: StrategyParams | None = None, fill: str = "close",
                 ) -> BacktestResult:
    """Compute indicators on ``bars`` (OHLC, DatetimeIndex) and backtest them."""
    p = params or StrategyParams()
    fill_code(fill)
    return run_prepared(prepare(bars, p), p, fill)
