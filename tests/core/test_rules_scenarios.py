"""Scenario tests: hand-made bar series (indicator values chosen) for every rule of SPEC §5."""

from __future__ import annotations

import math

import pytest

from miniqmt_gui.strategy.params import StrategyParams

from .helpers import run, sides

CAP = 200_000 / 9


def shares(price: float, size: float = 1.0) -> int:
    return math.floor(CAP * size / price / 100) * 100


@pytest.mark.parametrize(
    ("price", "slope", "bought"),
    [
        (0.9989, 0.0, False),  # flat: step 0.0012 -> trigger at 0.9988
        (0.9987, 0.0, True),
        (0.9986, 1e-5, False),  # up: step 0.0012 * 1.2 = 0.00144 -> 0.99856
        (0.9985, 1e-5, True),
        (0.9987, -1e-5, True),  # down: step x1.0
        (0.9989, -1e-5, False),
    ],
)
def test_buy_trigger_and_trend_step(price: float, slope: float, bought: bool) -> None:
    r = run([1.0, price], slope=slope)
    assert (r.metrics["buys"] == 1) is bought


@pytest.mark.parametrize(
    ("slope", "size"), [(0.0, 1.0), (1e-5, 0.7), (-1e-5, 1.2)],
)
def test_trend_size_factor_and_lot_rounding(slope: float, size: float) -> None:
    r = run([1.0, 0.99], slope=slope)
    assert sides(r) == [(1, "BUY", shares(0.99, size))]
    assert sides(r)[0][2] % 100 == 0


def test_atr_step_dominates_floor() -> None:
    # atr / p * 0.38 = 0.005 / 1 * 0.38 = 0.0019 > 0.0012
    assert run([1.0, 0.9985], atr=0.005, atr_avg=0.005).metrics["buys"] == 0
    assert run([1.0, 0.998], atr=0.005, atr_avg=0.005).metrics["buys"] == 1


@pytest.mark.parametrize(("atr", "atr_avg", "bought"), [(0.001, 0.0004, False), (0.001, 0.0005, True)])
def test_atr_breaker_including_tie(atr: float, atr_avg: float, bought: bool) -> None:
    # breaker is ATR > 2 x average: at exactly 2x the layer is still bought
    assert (run([1.0, 0.99], atr=atr, atr_avg=atr_avg).metrics["buys"] == 1) is bought


def test_layer_bonus_step() -> None:
    # second layer needs step 0.0012 + 1 x 0.0001 below the new anchor 0.99
    near = 0.99 * (1 - 0.0012)
    far = 0.99 * (1 - 0.0013) - 1e-9
    assert run([1.0, 0.99, near]).metrics["buys"] == 1
    assert run([1.0, 0.99, far]).metrics["buys"] == 2


@pytest.mark.parametrize(
    ("slope", "tp"), [(0.0, 1.0), (1e-5, 1.33), (-1e-5, 0.83)],
)
def test_take_profit_per_trend(slope: float, tp: float) -> None:
    target = 0.99 * (1 + 0.005 * tp * 1.4)
    assert run([1.0, 0.99, target - 1e-6], slope=slope).metrics["sells"] == 0
    assert run([1.0, 0.99, target + 1e-6], slope=slope).metrics["sells"] == 1


def test_sell_first_then_buy_on_same_bar_uses_pre_sell_layers() -> None:
    # lots at 0.99 and 0.98; bar 3 at 0.9869 sells lot 2 (target 0.98686) and, with step computed on the
    # pre-sell 2 layers (0.0014) from anchor 0.98, is no buy; the lot at 0.99 stays
    r = run([1.0, 0.99, 0.98, 0.9869])
    assert [s[1] for s in sides(r)] == ["BUY", "BUY", "SELL"]
    assert r.metrics["open_lots"] == 1


def _exit_then_drop(rsi: float, wait: int) -> list[float]:
    return [1.0, 0.99, 1.0] + [1.0] * wait + [0.98]


@pytest.mark.parametrize(
    ("rsi", "wait", "bought_again"),
    [
        (50.0, 13, False),  # bar 2 exit; re-entry bar 16 = 14 bars later < 15
        (50.0, 14, True),  # 15 bars later
        (30.0, 3, False),  # RSI < 35: 4 bars < 5
        (30.0, 4, True),
        (35.0, 4, False),  # RSI exactly 35 is not oversold: 15 bars apply
    ],
)
def test_cooldown_branches(rsi: float, wait: int, bought_again: bool) -> None:
    r = run(_exit_then_drop(rsi, wait), rsi=rsi)
    assert r.metrics["buys"] == (2 if bought_again else 1)


def test_cooldown_blocks_only_first_layer() -> None:
    # after a partial sale (one lot left) no cool-down applies
    r = run([1.0, 0.99, 0.98, 0.9869, 0.97])
    assert r.metrics["buys"] == 3


def test_exit_sets_anchor_to_exit_price() -> None:
    # after the exit at 1.0 the anchor is 1.0: 0.9989 is no trigger, 0.9987 is
    r = run([1.0, 0.99, 1.0] + [1.0] * 20 + [0.9989, 0.9987])
    assert [s[0] for s in sides(r) if s[1] == "BUY"] == [1, 24]


def test_nine_layers_max_and_exhaust_count() -> None:
    prices = [1.0] + [0.99 ** k for k in range(1, 13)]
    r = run(prices)
    assert r.metrics["buys"] == 9
    assert r.metrics["exhaust_count"] == 1


def test_fees_and_alpha_identity() -> None:
    r = run([1.0, 0.99, 0.9970])
    buy, sell = r.trades.iloc[0], r.trades.iloc[1]
    assert buy["fee"] == pytest.approx(buy["value"] * 0.0001)
    assert sell["fee"] == pytest.approx(sell["value"] * 0.0001)
    assert r.metrics["alpha_cny"] == pytest.approx(sell["value"] - sell["fee"] - buy["value"] - buy["fee"])
    assert r.metrics["fees_cny"] == pytest.approx(buy["fee"] + sell["fee"])


def test_min_commission() -> None:
    p = StrategyParams(min_commission=5.0)
    r = run([1.0, 0.99], params=p)
    assert r.trades["fee"].iloc[0] == 5.0


def test_float_loss_stop() -> None:
    p = StrategyParams(float_loss_stop=True, float_loss_limit=1000.0)
    r = run([1.0, 0.99, 0.985, 0.94, 0.90], params=p)
    assert r.metrics["forced_stops"] == 1
    assert r.trades["reason"].iloc[-1] == "float_loss_stop"
    assert r.metrics["open_lots"] == 0


@pytest.mark.parametrize(
    ("minute", "bought"),
    [("09:44", False), ("09:45", True), ("14:44", True), ("14:45", False), ("10:30", True)],
)
def test_time_filter_edges(minute: str, bought: bool) -> None:
    p = StrategyParams(time_filter=True)
    r = run([1.0, 0.99], params=p, minutes=["09:31", minute] if minute < "14" else ["14:00", minute])
    assert (r.metrics["buys"] == 1) is bought


def test_time_filter_off_by_default() -> None:
    assert run([1.0, 0.99], minutes=["09:31", "09:40"]).metrics["buys"] == 1


def test_realistic_fills_next_open_with_slippage() -> None:
    r = run([1.0, 0.99, 0.995, 1.01, 1.01], opens=[1.0, 1.0, 0.995, 0.99, 1.012], fill="realistic")
    t = r.trades
    assert t["side"].tolist() == ["BUY", "SELL"]
    assert t["price"].tolist() == pytest.approx([0.996, 1.011])  # open +/- one 0.001 tick
    assert t["bar"].tolist() == [2, 4]


def test_realistic_t1_blocks_same_day_sale_without_base() -> None:
    p = StrategyParams(base_capital=1.0)  # no base shares: same-day lots cannot be sold
    closes = [1.0, 0.99, 1.01, 1.01, 1.01]
    r = run(closes, opens=[1.0, 1.0, 0.99, 1.01, 1.01], fill="realistic", params=p, days=[1, 1, 1, 1, 2])
    assert r.trades["side"].tolist() == ["BUY", "SELL"]
    assert r.trades["bar"].tolist() == [2, 4]  # sold on the next day
    assert r.metrics["t1_blocked_sells"] >= 1


def test_realistic_base_position_allows_same_day_sale() -> None:
    r = run([1.0, 0.99, 1.01, 1.01], opens=[1.0, 1.0, 0.99, 1.01], fill="realistic")
    assert r.trades["bar"].tolist() == [2, 3]


def test_realistic_cash_limit() -> None:
    p = StrategyParams(flow_capital=30_000.0, layer_weights=(1.0, 1.0))  # 15,000 a layer
    r = run([1.0, 0.5, 0.5, 0.3, 0.3, 0.3], opens=[1.0, 1.0, 0.5, 0.5, 0.3, 0.3], fill="realistic",
            params=p, slope=-1e-5)
    bought = r.trades[r.trades["side"] == "BUY"]
    assert (bought["value"] + bought["fee"]).sum() <= 30_000.0
    assert r.metrics["cash_limited_buys"] >= 1


def test_close_model_has_no_cash_limit() -> None:
    p = StrategyParams(flow_capital=30_000.0, layer_weights=(1.0, 1.0))
    r = run([1.0, 0.5, 0.5, 0.3], params=p, slope=-1e-5)
    bought = r.trades[r.trades["side"] == "BUY"]
    assert bought["value"].sum() > 30_000.0
