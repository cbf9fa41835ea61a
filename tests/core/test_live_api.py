"""The live API runs the same rules: replaying bars through rules.decide reproduces the backtest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from miniqmt_gui.backtest.run import run_prepared
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.strategy.indicators import IndicatorSnapshot, indicators_from_bars, prepare
from miniqmt_gui.strategy.live_api import GridState, LiveRules, Lot, evaluate_live
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.strategy.rules import decide

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


def _bought(state: GridState, layer: int, shares: int, price: float) -> GridState:
    lot = Lot(layer, shares, price, shares * price, NOW)
    return GridState(lots=(*state.lots, lot), anchor=price, bars_since_exit=state.bars_since_exit)


def test_evaluate_live_buy_then_sell_as_one_signal() -> None:
    rules = LiveRules(StrategyParams())
    state = GridState.start(1.0)
    intent = rules.evaluate(state, 0.99, IND, NOW)
    assert intent is not None and intent.side == "BUY" and intent.layer == 1 and intent.shares % 100 == 0
    state = _bought(state, 1, intent.shares, 0.99)
    intent = rules.evaluate(state, 0.98, IND, NOW)
    assert intent is not None and intent.side == "BUY" and intent.layer == 2
    state = _bought(state, 2, intent.shares, 0.98)
    sell = rules.evaluate(state, 1.0, IND, NOW)
    assert sell is not None and sell.side == "SELL" and sell.layer == 2 and len(sell.lots) == 2
    assert sell.shares == state.total_shares and sell.price == 1.0


def test_only_lots_at_target_sell() -> None:
    rules = LiveRules(StrategyParams())
    state = _bought(_bought(GridState.start(1.0), 1, 20000, 0.99), 2, 20000, 0.97)
    sell = rules.evaluate(state, 0.98, IND, NOW)  # 0.97 × 1.007 ≤ 0.98 < 0.99 × 1.007
    assert sell is not None and [lot.layer for lot in sell.lots] == [2] and sell.shares == 20000


def test_live_cooldown_clock_counts_bars() -> None:
    p = StrategyParams()
    assert evaluate_live(GridState((), 1.0, 14), 0.98, IND, NOW, p) is None  # 14 < 15 bars
    assert evaluate_live(GridState((), 1.0, 15), 0.98, IND, NOW, p) is not None
    assert evaluate_live(GridState((), 1.0, -1), 0.98, IND, NOW, p) is not None  # no exit yet


def test_limit_price_on_tick() -> None:
    intent = evaluate_live(GridState.start(1.0), 0.98765, IND, NOW, StrategyParams())
    assert intent is not None and intent.price == 0.988


def test_not_ready_indicators_give_no_intent() -> None:
    bars = make_sample_bars(days=1).iloc[:50]
    ind = indicators_from_bars(bars)
    assert not ind.ready
    assert evaluate_live(GridState.start(1.0), 0.5, ind, NOW, StrategyParams()) is None
    assert indicators_from_bars(make_sample_bars(days=1).iloc[:80]).ready
