"""Properties on random two-code bars: the pool is never negative and first layers keep the reserve;
with a pool that never binds, each code is the single-code run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest.portfolio import run_prepared_portfolio
from miniqmt_gui.backtest.run import run_prepared
from miniqmt_gui.strategy.pool import Pool
from tests.core.helpers import prepared

from .support import CODES, NEVER_BINDS, assert_same_as_single, portfolio, replay_pool

TICKS = st.lists(st.integers(min_value=930, max_value=1030), min_size=2, max_size=40)


@st.composite
def two_codes(draw: st.DrawFn) -> dict:
    """Two codes on one morning: each has bars on its own random subset of the minutes."""
    out = {}
    for code in CODES:
        ticks = draw(TICKS)
        skip = draw(st.integers(min_value=1, max_value=3))
        mins = [f"{10 + (m * skip) // 60}:{(m * skip) % 60:02d}" for m in range(len(ticks))]
        slope = draw(st.sampled_from([0.0, 1e-5, -1e-5]))
        out[code] = prepared([t / 1000 for t in ticks], minutes=mins, slope=slope)
    return out


@settings(max_examples=120, deadline=None)
@given(two_codes(), st.floats(20_000, 120_000), st.floats(0.0, 0.9))
def test_pool_never_negative_and_first_layers_keep_the_reserve(bars, capital, reserve_share) -> None:
    pool = Pool(capital, capital * reserve_share)
    result = run_prepared_portfolio(bars, portfolio(pool))
    walk = replay_pool(result)
    assert all(free >= -1e-6 for *_, free in walk)
    first_layers = [free for _, _, side, layer, free in walk if side == "BUY" and layer == 1]
    assert all(free >= pool.reserve - 1e-6 for free in first_layers)
    assert result.combined["min_free_cash_cny"] >= 0


@settings(max_examples=60, deadline=None)
@given(two_codes())
def test_never_binding_pool_is_each_single_run(bars) -> None:
    pf = portfolio(NEVER_BINDS)
    result = run_prepared_portfolio(bars, pf)
    for code in CODES:
        single = run_prepared(bars[code], pf.instrument(code).params, "close")
        assert_same_as_single(result.codes[code], single)
