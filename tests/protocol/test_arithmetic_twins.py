"""The contract's tick and fee arithmetic and the compiled kernel's twins give the same numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from miniqmt_gui.strategy import rules
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract import fees, prices

PRICES = st.floats(min_value=0.0005, max_value=5000.0, allow_nan=False, allow_infinity=False)
TICKS = st.sampled_from([0.001, 0.01, 0.005, 0.0001])


@settings(max_examples=500, deadline=None)
@given(PRICES, TICKS)
def test_round_to_tick_twins_agree(price: float, tick: float) -> None:
    assert prices.round_to_tick(price, tick) == rules.round_to_tick(price, tick)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=0.0, max_value=1e7, allow_nan=False), st.floats(min_value=0.0, max_value=0.003),
       st.sampled_from([0.0, 5.0, 0.1]))
def test_fee_twins_agree(value: float, rate: float, minimum: float) -> None:
    rp = StrategyParams(commission_rate=rate, min_commission=minimum).rule_params()
    assert fees.commission(value, rate, minimum) == rules.fee(value, rp)


def test_nearest_tick_and_results_sit_on_the_tick() -> None:
    assert prices.round_to_tick(1.0006) == rules.round_to_tick(1.0006, 0.001) == 1.001
    assert prices.round_to_tick(1.0004) == 1.0
    assert prices.round_to_tick(0.98765) == 0.988
    assert prices.is_on_tick(prices.round_to_tick(123.4567))


def test_broker_charge_is_the_formula_to_the_fen() -> None:
    schedule = fees.FeeSchedule(rate=0.0001, minimum=5.0)
    assert schedule.commission(10_000.0) == 5.0  # the minimum ("免五" off)
    assert schedule.commission(123_456.0) == round(fees.commission(123_456.0, 0.0001, 5.0), 2) == 12.35
    assert schedule.commission(0.0) == 0.0
