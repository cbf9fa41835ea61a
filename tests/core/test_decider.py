"""The live decider runs the same rules on the stored book: replaying bars through rules.decide
reproduces the backtest, and GridDecider answers on a DashboardState as it is persisted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from miniqmt_gui.backtest.run import run_prepared
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.live.decider import GridDecider, free_layer
from miniqmt_gui.strategy.indicators import IndicatorSnapshot, indicators_from_bars, prepare
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.strategy.rules import decide
from windows_bridge.contract.messages import BookLot, DashboardState

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


def _book(anchor: float, lots: tuple[tuple[int, int, float], ...] = (), since: int = -1) -> DashboardState:
    """A stored book: ``lots`` as (layer, shares, buy price)."""
    positions = [BookLot(layer=k, shares=n, buy_price=px, cost=round(n * px, 2), time=NOW)
                 for k, n, px in lots]
    return DashboardState(code="159201.SZ", positions=positions, hold_layers=len(positions),
                          last_buy_price=anchor, bars_since_exit=since)


def test_buy_then_sell_as_one_signal() -> None:
    decider = GridDecider(StrategyParams())
    intent = decider.decide(_book(1.0), 0.99, IND, NOW)
    assert intent is not None and intent.direction == "BUY" and intent.layer == 1 and intent.shares % 100 == 0
    n1 = intent.shares
    intent = decider.decide(_book(0.99, ((1, n1, 0.99),)), 0.98, IND, NOW)
    assert intent is not None and intent.direction == "BUY" and intent.layer == 2
    book = _book(0.98, ((1, n1, 0.99), (2, intent.shares, 0.98)))
    sell = decider.decide(book, 1.0, IND, NOW)
    assert sell is not None and sell.direction == "SELL" and sell.layer == 2 and sell.sell_layers == (1, 2)
    assert sell.shares == n1 + intent.shares and sell.price == 1.0 and sell.rule == "take_profit"


def test_every_qualifying_lot_is_in_the_one_sell() -> None:
    decider = GridDecider(StrategyParams())
    book = _book(0.95, ((1, 20000, 0.99), (2, 20000, 0.97), (3, 20100, 0.95)))
    sell = decider.decide(book, 0.98, IND, NOW)  # 0.97 × 1.007 ≤ 0.98 < 0.99 × 1.007
    assert sell is not None and sell.sell_layers == (2, 3) and sell.shares == 40100 and sell.layer == 3


def test_cooldown_clock_is_the_stored_bars_since_exit() -> None:
    decider = GridDecider(StrategyParams())
    assert decider.decide(_book(1.0, since=14), 0.98, IND, NOW) is None  # 14 < 15 bars
    assert decider.decide(_book(1.0, since=15), 0.98, IND, NOW) is not None
    assert decider.decide(_book(1.0, since=-1), 0.98, IND, NOW) is not None  # no exit yet
    oversold = IndicatorSnapshot(atr=0.0, atr_avg=1.0, slope=0.0, rsi=30.0, close=1.0)
    assert decider.decide(_book(1.0, since=5), 0.98, oversold, NOW) is not None  # 5 bars when RSI < 35
    assert decider.decide(_book(1.0, since=4), 0.98, oversold, NOW) is None


def test_take_profit_uses_the_trend_factor() -> None:
    decider = GridDecider(StrategyParams())
    up = IndicatorSnapshot(atr=0.0, atr_avg=1.0, slope=0.001, rsi=50.0, close=1.0)
    down = IndicatorSnapshot(atr=0.0, atr_avg=1.0, slope=-0.001, rsi=50.0, close=1.0)
    book = _book(1.0, ((1, 10000, 1.0),))
    # flat 1.007, rising 1 + 0.005 × 1.33 × 1.4 = 1.00931, falling 1 + 0.005 × 0.83 × 1.4 = 1.00581
    assert decider.decide(book, 1.006, IND, NOW) is None
    assert decider.decide(book, 1.006, down, NOW) is not None
    assert decider.decide(book, 1.009, up, NOW) is None
    assert decider.decide(book, 1.010, up, NOW) is not None


def test_limit_price_on_tick() -> None:
    intent = GridDecider(StrategyParams()).decide(_book(1.0), 0.98765, IND, NOW)
    assert intent is not None and intent.price == 0.988


def test_buy_fills_the_lowest_free_layer_when_the_next_is_held() -> None:
    held = [BookLot(layer=k, shares=100, buy_price=1.0, cost=100.0, time=NOW) for k in (1, 2)]
    assert free_layer(held) == 3
    gap = [BookLot(layer=k, shares=100, buy_price=1.0, cost=100.0, time=NOW) for k in (1, 3)]
    assert free_layer(gap) == 2


def test_not_ready_indicators_give_no_intent() -> None:
    bars = make_sample_bars(days=1).iloc[:50]
    ind = indicators_from_bars(bars)
    assert not ind.ready and ind.bars == 50
    assert GridDecider(StrategyParams()).decide(_book(1.0), 0.5, ind, NOW) is None
    assert indicators_from_bars(make_sample_bars(days=1).iloc[:80]).ready


def test_live_snapshot_without_pandas_equals_the_frame_path() -> None:
    """The engine's snapshot from the bridge's bars (arrays) is the pandas frame path's, to the bit."""
    from miniqmt_gui.live.decider import bars_frame
    from windows_bridge.contract.messages import Bar

    frame = make_sample_bars(days=2).iloc[:300]
    bars = [Bar(time=t.to_pydatetime(), open=r.open, high=max(r.high, r.open, r.close),
                low=min(r.low, r.open, r.close), close=r.close, volume=r.volume)
            for t, r in zip(frame.index, frame.itertuples(), strict=True)]
    for n in (1, 50, 80, 300):
        live = GridDecider(StrategyParams()).snapshot(bars[:n])
        ref = indicators_from_bars(bars_frame(bars[:n]))
        assert [np.float64(v).tobytes() for v in live.as_dict().values()] == \
            [np.float64(v).tobytes() for v in ref.as_dict().values()]
        assert (live.bar_time, live.bars, live.ready) == (ref.bar_time, ref.bars, ref.ready)
