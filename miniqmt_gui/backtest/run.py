"""Backtest runner: indicators, the compiled loop and the metrics, each stage timed.

Usage::

    from miniqmt_gui.backtest.run import run_backtest, run_file
    result = run_backtest(bars, StrategyParams(), fill="close")     # bars: a DataFrame
    result = run_file("bars.csv.gz", StrategyParams())              # parse included, no pandas
    result.metrics["alpha_cny"], result.timings, result.trades, result.alpha_curve

``result.timings`` holds seconds per stage: ``parse`` (read and validate the file; only
:func:`run_file`), ``indicators``, ``loop`` (the compiled per-bar loop), ``metrics``, and ``total`` =
their sum — the stages the original plan's ``run_backtest`` covered, plus the parse. The trade list
and the curves are pandas objects built only when asked for, so a run that only reports figures never
imports pandas.

Fill models: ``close`` (the original plan's model: fill at the deciding bar's close, fee = rate ×
value, no cash or T+1 check) and ``realistic`` (next bar's open ± slippage ticks on the 0.001 tick,
commission with minimum, cash limit = flow fund + free cash, T+1 via the sellable quantity). The
rules themselves live only in :mod:`miniqmt_gui.strategy.rules`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from miniqmt_gui.backtest.metrics import derive, to_scalars
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.indicators import BarArrays, PreparedBars, prepare_arrays
from miniqmt_gui.strategy.params import StrategyParams

if TYPE_CHECKING:
    import pandas as pd

FILL_MODELS = {"close": L.FILL_CLOSE, "realistic": L.FILL_REALISTIC}
REASONS = {L.R_GRID_BUY: "grid_buy", L.R_TAKE_PROFIT: "take_profit", L.R_FLOAT_STOP: "float_loss_stop"}
STAGES = ("parse", "indicators", "loop", "metrics")


@dataclass
class BacktestResult:
    """Everything one backtest produced (trade list and curves built on first access)."""

    params: StrategyParams
    fill: str
    bars: PreparedBars
    summary: np.ndarray
    metrics: dict[str, Any]
    rec_f: np.ndarray
    rec_i: np.ndarray
    alpha: np.ndarray
    layer_counts: np.ndarray
    elapsed_s: float
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def trades(self) -> pd.DataFrame:
        """Trade list (time, bar, side, layer, shares, price, value, fee, pnl, reason)."""
        return trades_frame(self.bars, self.rec_f, self.rec_i)

    @cached_property
    def alpha_curve(self) -> pd.Series:
        """Alpha (CNY) at every bar's end."""
        import pandas as pd

        return pd.Series(self.alpha, index=self.bars.index, name="alpha")

    @cached_property
    def layers(self) -> pd.Series:
        """Lots held at every bar's end."""
        import pandas as pd

        return pd.Series(self.layer_counts, index=self.bars.index, name="layers")


def warm_up() -> float:
    """Load the compiled loops (or compile them when no prebuilt module is there); returns seconds.

    Called before timing so a JIT compile never counts as simulation time.
    """
    start = time.perf_counter()
    k = compiled.kernels()
    if k.backend == "jit":
        z, zi = np.zeros(3), np.zeros(3, dtype=np.int64)
        p = StrategyParams()
        for mode in FILL_MODELS.values():
            k.run_bars(z + 1, z + 1, z, z, z, z, zi, zi, p.to_vector(), p.layer_capitals(), mode, True,
                       np.zeros((8, 4)), np.zeros((8, 4), dtype=np.int64), z.copy(), zi.copy())
    return time.perf_counter() - start


def fill_code(fill: str) -> int:
    """Numeric code of a fill model name (``close`` or ``realistic``)."""
    try:
        return FILL_MODELS[fill]
    except KeyError:
        raise ValueError(f"unknown fill model {fill!r}; use close or realistic") from None


def simulate(pb: PreparedBars, params: StrategyParams, fill: str = "close", record: bool = True,
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run the compiled loop on prepared bars; returns summary, trade arrays and the curves."""
    n = len(pb)
    cap = 2 * n + 2 if record else 0
    rec_f = np.zeros((cap, 4))
    rec_i = np.zeros((cap, 4), dtype=np.int64)
    alpha = np.zeros(n if record else 0)
    layers = np.zeros(n if record else 0, dtype=np.int64)
    summary = compiled.kernels().run_bars(
        pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day, params.to_vector(),
        params.layer_capitals(), fill_code(fill), record, rec_f, rec_i, alpha, layers)
    k = int(summary[L.S_N_TRADES_REC])
    return summary, rec_f[:k], rec_i[:k], alpha, layers


def trades_frame(pb: PreparedBars, rec_f: np.ndarray, rec_i: np.ndarray) -> pd.DataFrame:
    """Trade list as a DataFrame (time, side, layer, shares, price, value, fee, pnl, reason)."""
    import pandas as pd

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
    m = derive(summary, float(pb.close[0]), float(pb.close[-1]), len(pb), pb.calendar_days(),
               params.flow_capital, params.base_capital)
    return to_scalars(m)


def run_prepared(pb: PreparedBars, params: StrategyParams, fill: str = "close",
                 timings: dict[str, float] | None = None) -> BacktestResult:
    """Backtest on already prepared bars (indicators computed, warm-up dropped)."""
    if len(pb) == 0:
        raise ValueError("no bars left after the indicator warm-up")
    warm_up()
    t0 = time.perf_counter()
    summary, rec_f, rec_i, alpha, layers = simulate(pb, params, fill)
    t1 = time.perf_counter()
    metrics = metrics_for(pb, params, summary)
    t2 = time.perf_counter()
    stages = dict(timings or {}) | {"loop": t1 - t0, "metrics": t2 - t1}
    stages["total"] = sum(stages.get(name, 0.0) for name in STAGES)
    metrics["bars"] = len(pb)
    metrics["elapsed_s"] = t1 - t0
    return BacktestResult(params=params, fill=fill, bars=pb, summary=summary, metrics=metrics, rec_f=rec_f,
                          rec_i=rec_i, alpha=alpha, layer_counts=layers, elapsed_s=t1 - t0, timings=stages)


def run_arrays(bars: BarArrays, params: StrategyParams | None = None, fill: str = "close",
               timings: dict[str, float] | None = None) -> BacktestResult:
    """Compute indicators on validated bar arrays and backtest them (stages timed)."""
    p = params or StrategyParams()
    fill_code(fill)
    warm_up()
    t0 = time.perf_counter()
    pb = prepare_arrays(bars, p)
    stages = dict(timings or {}) | {"indicators": time.perf_counter() - t0}
    return run_prepared(pb, p, fill, stages)


def run_backtest(bars: pd.DataFrame, params: StrategyParams | None = None, fill: str = "close",
                 ) -> BacktestResult:
    """Compute indicators on ``bars`` (OHLC, DatetimeIndex) and backtest them."""
    return run_arrays(BarArrays.from_frame(bars), params, fill)


def run_file(path: str | Path, params: StrategyParams | None = None, fill: str = "close") -> BacktestResult:
    """Read a bar file (every layout :mod:`miniqmt_gui.backtest.data` accepts) and backtest it."""
    from miniqmt_gui.backtest.bar_files import load_bar_arrays

    fill_code(fill)
    warm_up()
    t0 = time.perf_counter()
    bars = load_bar_arrays(path)
    return run_arrays(bars, params, fill, {"parse": time.perf_counter() - t0})
