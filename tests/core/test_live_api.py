"""The live API runs the same rules: replaying bars through rules.decide reproduces the backtest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from miniqmt_gui.core.backtest import run_prepared
from miniqmt_gui.core.indicators import IndicatorSnapshot, indicators_from_bars, prepare
from miniqmt_gui.core.live_api import GridState, apply_fill, evaluate_live, on_bar_closed
from miniqmt_gui.core.params import StrategyParams
from miniqmt_gui.core.rules import decide
from miniqmt_gui.core.sample_data import make_sample_bars

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 3, 1, 10, 30, tzinfo=SH)
IND = IndicatorSnapshot(atr=0.0, atr_avg=1.0, slope=0.0, rsi=50.0, close=1.0)


def _replay(params: StrategyParams) -> list[tuple[int, str, float]]:
    """Bar-by-bar replay with rules.decide and a Python lot book (close fill)."""
    pb = prepare(make_sample_bars(days=30), params)
    rp, caps = params.rule_params(), params.layer_capitals()
    lots: list[tuple[float, float]] = []
    anchor, exit_bar, out = pb.close[0], -1, []
    for i in range(len(pb)):
        p = pb.close[i]
        prices = np.array([x[0] for x in lots])
        shares = np.array([x[1] for x in lots])
        mask = np.zeros(len(lots), dtype=np.bool_)
        since = i - exit_bar if exit_bar >= 0 else -1
        n_sell, buy, _ = decide(p, pb.atr[i], pb.atr_avg[i], pb.slope[i], pb.rsi[i], int(pb.seconds[i]),
                                anchor, since, prices, shares, caps, rp, mask)
        out += [(i, "SELL", lot[1]) for lot, m in zip(lots, mask, strict=True) if m]
        if n_sell:
            lots = [lot for lot, m in zip(lots, mask, strict=True) if not m]
            if not lots:
                anchor, exit_bar = p, i
        if buy > 0:
            lots.append((p, buy))
            anchor = p
            out.append((i, "BUY", buy))
    return out


def test_decide_replay_matches_backtest_trades() -> None:
    params = StrategyParams()
    result = run_prepared(prepare(make_sample_bars(days=30), params), params, "close")
    t = result.trades
    cols = (t["bar"].tolist(), t["side"].tolist(), t["shares"].astype(float).tolist())
    expected = list(zip(*cols, strict=True))
    assert _replay(params) == expected
    assert len(expected) > 20


def test_evaluate_live_buy_then_sell_as_one_signal() -> None:
    p = StrategyParams()
    state = GridState.start(1.0)
    intent = evaluate_live(state, 0.99, IND, NOW, p)
    assert intent is not None and intent.side == "BUY" and intent.layer == 1 and intent.shares % 100 == 0
    state = apply_fill(state, intent, intent.shares, 0.99, NOW, p)
    assert state.anchor == 0.99 and state.hold_layers == 1
    intent = evaluate_live(state, 0.98, IND, NOW, p)
    assert intent is not None and intent.layer == 2
    state = apply_fill(state, intent, intent.shares, 0.98, NOW, p)
    sell = evaluate_live(state, 1.0, IND, NOW, p)
    assert sell is not None and sell.side == "SELL" and sell.layer == 2 and len(sell.lots) == 2
    assert sell.shares == state.total_shares
    state = apply_fill(state, sell, sell.shares, 1.0, NOW, p)
    assert state.hold_layers == 0 and state.anchor == 1.0 and state.bars_since_exit == 0


def test_live_cooldown_clock_counts_bars() -> None:
    p = StrategyParams()
    state = GridState(lots=(), anchor=1.0, bars_since_exit=0)
    for _ in range(14):
        state = on_bar_closed(state)
    assert evaluate_live(state, 0.98, IND, NOW, p) is None  # 14 < 15 bars
    state = on_bar_closed(state)
    assert evaluate_live(state, 0.98, IND, NOW, p) is not None


def test_partial_sell_keeps_rest_in_lot() -> None:
    p = StrategyParams()
    state = GridState.start(1.0)
    buy = evaluate_live(state, 0.99, IND, NOW, p)
    assert buy is not None
    state = apply_fill(state, buy, 20000, 0.99, NOW, p)
    sell = evaluate_live(state, 1.0, IND, NOW, p)
    assert sell is not None
    state = apply_fill(state, sell, 5000, 1.0, NOW, p)
    assert state.total_shares == 15000 and state.anchor == 0.99


def test_not_ready_indicators_give_no_intent() -> None:
    bars = make_sample_bars(days=1).iloc[:50]
    ind = indicators_from_bars(bars)
    assert not ind.ready
    assert evaluate_live(GridState.start(1.0), 0.5, ind, NOW, StrategyParams()) is None
    assert indicators_from_bars(make_sample_bars(days=1).iloc[:80]).ready
