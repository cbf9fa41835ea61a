"""Helpers for the portfolio tests: two codes from one bar file, the single-code comparison, a pool replay."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.portfolio import PortfolioResult
from miniqmt_gui.backtest.run import BacktestResult
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import Instrument, Portfolio, make_instrument

CODES = ("159201.SZ", "512890.SH")
NEVER_BINDS = Pool(1e15)


def derived(bars: pd.DataFrame, rows: int, scale: float, drop_every: int = 0) -> pd.DataFrame:
    """A second code made from ``bars``: the prices ``rows`` bars later on the same timestamps, scaled and
    kept on the 0.001 tick, optionally with every ``drop_every``-th bar missing (gaps in its clock)."""
    values = bars[["open", "high", "low", "close", "volume"]].to_numpy()[rows:]
    columns = ["open", "high", "low", "close", "volume"]
    out = pd.DataFrame(values, columns=columns, index=bars.index[: len(values)])
    for col in ("open", "high", "low", "close"):
        out[col] = (out[col] * scale).round(3)
    if drop_every:
        out = out.iloc[np.arange(len(out)) % drop_every != 1]
    return out


def portfolio(pool: Pool, params: StrategyParams | None = None) -> Portfolio:
    """The two shipped codes (or both on ``params``) sharing ``pool``."""
    if params is None:
        return Portfolio(tuple(make_instrument(code) for code in CODES), pool)
    return Portfolio(tuple(Instrument(code, params) for code in CODES), pool)


def assert_same_as_single(code_result: BacktestResult, single: BacktestResult) -> None:
    """Trades, curves, summary and every single-code figure equal, to the bit."""
    pd.testing.assert_frame_equal(code_result.trades, single.trades, check_exact=True)
    pd.testing.assert_series_equal(code_result.alpha_curve, single.alpha_curve, check_exact=True)
    pd.testing.assert_series_equal(code_result.layers, single.layers, check_exact=True)
    assert np.array_equal(code_result.summary, single.summary)
    figures = {k: v for k, v in single.metrics.items() if k != "elapsed_s"}
    assert {k: code_result.metrics[k] for k in figures} == figures


def replay_pool(result: PortfolioResult) -> list[tuple[pd.Timestamp, str, str, int, float]]:
    """Walk the combined trade list through the pool by hand: ``(time, code, side, layer, free cash
    after)`` for every trade (buys take value + fee, sells give value − fee)."""
    free = result.portfolio.pool.capital
    walk = []
    for row in result.trades().itertuples():
        free += -(row.value + row.fee) if row.side == "BUY" else row.value - row.fee
        walk.append((row.time, row.code, row.side, int(row.layer), free))
    return walk


def layer_cost(shares: int, price: float, rate: float = 0.0001) -> float:
    """Cash a buy takes from the pool."""
    value = shares * price
    return value + value * rate


def isclose(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-6)
