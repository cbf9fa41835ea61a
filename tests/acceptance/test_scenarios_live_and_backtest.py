"""Table-driven scenarios (freqtrade's ``BTContainer`` style), each run through BOTH the backtest kernel
and the real live engine: hand-made bars with chosen indicator values, an expected trade list per row.

A trade is ``(bar, side, layer, shares, price, reason)``; a multi-lot SELL is listed per lot (live sends
them as one signal). Prices sit on the 0.001 tick, as the bridge's quotes do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest.run import run_prepared
from miniqmt_gui.rehearsal.live_replay import Trade, backtest_trades, run_live
from miniqmt_gui.strategy.params import StrategyParams
from tests.core.helpers import prepared

CAP = 200_000 / 9


def lot(price: float, size: float = 1.0) -> int:
    """One layer's shares at ``price`` with trend size factor ``size``."""
    return math.floor(CAP * size / price / 100) * 100


@dataclass(frozen=True)
class Row:
    """One scenario: bars (closes + indicator values), parameter changes and the expected trades."""

    name: str
    closes: list[float]
    trades: list[tuple[int, str, int, int, float, str]]
    params: dict[str, Any] = field(default_factory=dict)
    bars: dict[str, Any] = field(default_factory=dict)


EXIT_THEN_FLAT = [1.0, 0.99, 0.997] + [0.99] * 18
ROWS = [
    Row("first layer at the trigger (step floor 0.0012)", [1.0, 0.998],
        [(1, "BUY", 1, lot(0.998), 0.998, "grid_buy")]),
    Row("no buy above the trigger", [1.0, 0.999], []),
    Row("take-profit at buy × 1.007 (flat trend)", [1.0, 0.99, 0.996, 0.997],
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (3, "SELL", 1, lot(0.99), 0.997, "take_profit")]),
    Row("rising trend: step ×1.2, size ×0.7, take-profit ×1.33", [1.0, 0.99, 0.999, 1.0],
        [(1, "BUY", 1, lot(0.99, 0.7), 0.99, "grid_buy"), (3, "SELL", 1, lot(0.99, 0.7), 1.0, "take_profit")],
        bars={"slope": 1e-5}),
    Row("falling trend: size ×1.2, take-profit ×0.83", [1.0, 0.99, 0.995, 0.996],
        [(1, "BUY", 1, lot(0.99, 1.2), 0.99, "grid_buy"),
         (3, "SELL", 1, lot(0.99, 1.2), 0.996, "take_profit")],
        bars={"slope": -1e-5}),
    Row("several lots at target sell on one bar (one live signal)", [1.0, 0.99, 0.98, 0.999],
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (2, "BUY", 2, lot(0.98), 0.98, "grid_buy"),
         (3, "SELL", 1, lot(0.99), 0.999, "take_profit"), (3, "SELL", 2, lot(0.98), 0.999, "take_profit")]),
    Row("only the lots at target sell", [1.0, 0.99, 0.98, 0.987],
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (2, "BUY", 2, lot(0.98), 0.98, "grid_buy"),
         (3, "SELL", 2, lot(0.98), 0.987, "take_profit")]),
    Row("cool-down: a first layer waits 15 bars after a full exit", EXIT_THEN_FLAT,
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (2, "SELL", 1, lot(0.99), 0.997, "take_profit"),
         (17, "BUY", 1, lot(0.99), 0.99, "grid_buy")]),
    Row("cool-down: 5 bars when RSI < 35", EXIT_THEN_FLAT,
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (2, "SELL", 1, lot(0.99), 0.997, "take_profit"),
         (7, "BUY", 1, lot(0.99), 0.99, "grid_buy")],
        bars={"rsi": 30.0}),
    Row("ATR breaker: no new layer while ATR > 2 × its average", [1.0, 0.99], [],
        bars={"atr": 0.003, "atr_avg": 0.001}),
    Row("ATR breaker tie: exactly 2 × still buys", [1.0, 0.99],
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy")], bars={"atr": 0.002, "atr_avg": 0.001}),
    Row("float-loss stop sells every lot, then cools down", [1.0, 0.99, 0.98, 0.97, 0.96],
        [(1, "BUY", 1, lot(0.99), 0.99, "grid_buy"), (2, "SELL", 1, lot(0.99), 0.98, "float_loss_stop")],
        params={"float_loss_stop": True, "float_loss_limit": 200.0}),
    Row("time filter: no first layer before 09:45", [1.0, 0.99, 0.989],
        [(2, "BUY", 1, lot(0.989), 0.989, "grid_buy")],
        params={"time_filter": True}, bars={"minutes": ["09:43", "09:44", "09:45"]}),
    Row("time filter: no buy from 14:45", [1.0, 0.99, 0.98], [],
        params={"time_filter": True}, bars={"minutes": ["14:44", "14:45", "14:46"]}),
    Row("nine layers at most", [1.0, 0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.91, 0.90],
        [(k, "BUY", k, lot(p), p, "grid_buy")
         for k, p in enumerate([0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.91], start=1)]),
]


def _expected(row: Row) -> list[Trade]:
    return [Trade(*t) for t in row.trades]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_backtest(row: Row) -> None:
    params = StrategyParams().updated(row.params)
    result = run_prepared(prepared(row.closes, **row.bars), params, "close")
    assert backtest_trades(result) == _expected(row)


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_live_engine(row: Row, tmp_path: Path) -> None:
    params = StrategyParams().updated(row.params)
    run = run_live(prepared(row.closes, **row.bars), params, tmp_path / "replay")
    assert run.trades == _expected(row)
    sells = [e for _, e in run.signals if e.signal.direction == "SELL"]
    assert all(sum(n for _, n in e.sold_lots) == e.signal.shares for e in sells)


PRICES = st.lists(st.integers(min_value=900, max_value=1100), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None)
@given(PRICES, st.floats(0.0001, 0.02), st.floats(0.0, 0.01), st.floats(0.0, 0.001),
       st.integers(0, 20), st.floats(-1e-4, 1e-4))
def test_no_bar_ever_sells_and_buys(ticks: list[int], take_profit: float, step_floor: float,
                                    layer_bonus: float, cooldown: int, slope: float) -> None:
    """Why live's one-intent-per-evaluation changes no trade: under any valid parameters the close model
    never sells and buys on the same bar (the buy trigger is checked against the anchor before the sells,
    and the anchor never exceeds the lowest held lot's price)."""
    params = StrategyParams(take_profit=take_profit, step_floor=step_floor, layer_step_bonus=layer_bonus,
                            cooldown_bars=cooldown, cooldown_bars_oversold=min(cooldown, 5), atr_factor=0.0)
    result = run_prepared(prepared([t / 1000 for t in ticks], slope=slope), params, "close")
    t = result.trades
    assert not set(t[t.side == "SELL"].bar) & set(t[t.side == "BUY"].bar)
