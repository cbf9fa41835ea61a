"""Portfolio backtest on real-sized data: equal to the single-code backtest when the pool never binds,
and a pool that binds (refusals counted per code, never below zero, first layers keep the reserve)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.portfolio import PortfolioResult, run_portfolio_backtest
from miniqmt_gui.backtest.run import run_backtest
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import PortfolioError
from tests.core.helpers import SHARED_FILE, shared_data_dir

from .support import (
    CODES,
    NEVER_BINDS,
    assert_same_as_single,
    derived,
    isclose,
    layer_cost,
    portfolio,
    replay_pool,
)


def _bars_pair(a: pd.DataFrame, rows: int, scale: float) -> dict[str, pd.DataFrame]:
    return {CODES[0]: a, CODES[1]: derived(a, rows, scale, drop_every=7)}


@pytest.fixture(scope="module")
def sample_pair() -> dict[str, pd.DataFrame]:
    pair = _bars_pair(make_sample_bars(), 2000, 1.3)
    a = pair[CODES[0]]
    # gaps of its own: each code has times the other lacks
    pair[CODES[0]] = a.iloc[np.arange(len(a)) % 11 != 5]
    return pair


@pytest.fixture(scope="module")
def shared_pair() -> dict[str, pd.DataFrame]:
    path = shared_data_dir() / SHARED_FILE
    if not path.exists():
        pytest.skip(f"{path} not present")
    return _bars_pair(load_bars(path), 30000, 1.25)


def _check_equal_to_single(bars: dict[str, pd.DataFrame]) -> PortfolioResult:
    pf = portfolio(NEVER_BINDS)
    result = run_portfolio_backtest(bars, pf)
    for code in CODES:
        single = run_backtest(bars[code], pf.instrument(code).params, "close")
        assert single.metrics["trades"] > 50, "the comparison needs a grid that trades"
        assert_same_as_single(result.codes[code], single)
        assert result.codes[code].metrics["reserve_blocked_buys"] == 0
        assert result.codes[code].metrics["pool_blocked_buys"] == 0
    assert len(result.blocked) == 0
    return result


def test_never_binding_pool_reproduces_each_single_code_run_on_the_sample(sample_pair) -> None:
    result = _check_equal_to_single(sample_pair)
    assert len(result.pool_curve) > len(result.codes[CODES[0]].bars)  # the clock is the union of both


@pytest.mark.shared_data
def test_never_binding_pool_reproduces_each_single_code_run_on_the_shared_file(shared_pair) -> None:
    result = _check_equal_to_single(shared_pair)
    m = result.codes[CODES[0]].metrics  # the unchanged 2015-16 file: the published figures
    assert m["trades"] == 375
    assert round(m["alpha_cny"], 2) == 23001.37
    assert round(m["beta_cny"], 2) == -16438.36
    assert round(m["max_drawdown"] * 100, 2) == -7.79


def _check_binding_pool(result: PortfolioResult) -> None:
    pool = result.portfolio.pool
    c = result.combined
    assert c["reserve_blocked_buys"] >= 1 and c["pool_blocked_buys"] >= 1
    # pool never negative: the loop's own figures and a replay of the trade list by hand
    assert c["min_free_cash_cny"] >= 0
    assert result.pool_curve["free_cash"].min() >= 0
    walk = replay_pool(result)
    assert min(free for *_, free in walk) >= -1e-6
    # a first layer never takes free cash below the reserve; further layers may
    first_layers = [free for _, _, side, layer, free in walk if side == "BUY" and layer == 1]
    assert first_layers and min(first_layers) >= pool.reserve - 1e-6
    # the loop's free cash at each time = the replay after that time's last trade
    last_free = {t: free for t, *_, free in walk}
    curve = result.pool_curve["free_cash"]
    assert all(isclose(curve[t], free) for t, free in last_free.items())
    # every refusal had its reason
    for row in result.blocked.itertuples():
        after = row.free_cash - layer_cost(row.shares, row.price)
        if row.reason == "reserve":
            assert row.layer == 1 and 0 <= after < pool.reserve
        else:
            assert after < 0
    # counted per code; the combined figure is their sum
    for code, r in result.codes.items():
        mine = result.blocked[result.blocked.code == code]
        assert r.metrics["reserve_blocked_buys"] == int((mine.reason == "reserve").sum())
        assert r.metrics["pool_blocked_buys"] == int((mine.reason == "pool_cash").sum())
        assert r.metrics["blocked_bars"] == int(mine.bars.sum())
    for key in ("trades", "alpha_cny", "beta_cny", "reserve_blocked_buys", "pool_blocked_buys",
                "blocked_bars"):
        assert c[key] == pytest.approx(sum(r.metrics[key] for r in result.codes.values()), abs=1e-9)
    assert isclose(result.pool_curve["alpha"].iloc[-1], c["alpha_cny"])
    deployed = result.pool_curve["deployed"]
    assert c["pool_utilisation"] == pytest.approx(deployed.mean() / pool.capital, rel=1e-12)
    per_code = sum(r.metrics["pool_utilisation"] for r in result.codes.values())
    assert c["pool_utilisation"] == pytest.approx(per_code)


def test_binding_pool_on_the_sample(sample_pair) -> None:
    pf = portfolio(Pool(220_000, 80_000))
    result = run_portfolio_backtest(sample_pair, pf)
    _check_binding_pool(result)
    singles = sum(run_backtest(b, pf.instrument(code).params).metrics["trades"]
                  for code, b in sample_pair.items())
    assert result.combined["trades"] < singles


@pytest.mark.shared_data
def test_binding_pool_on_the_shared_file(shared_pair) -> None:
    _check_binding_pool(run_portfolio_backtest(shared_pair, portfolio(Pool(300_000, 100_000))))


def test_combined_drawdown_is_the_pool_equity_curve(sample_pair) -> None:
    pf = portfolio(Pool(220_000, 80_000))
    result = run_portfolio_backtest(sample_pair, pf)
    alpha = result.pool_curve["alpha"]
    base = pf.pool.capital + sum(i.params.base_capital for i in pf.instruments)
    equity = base + alpha - alpha.iloc[0]
    worst = float((equity / equity.cummax() - 1).min())
    assert result.combined["max_drawdown"] == pytest.approx(worst, abs=1e-12)
    assert result.combined["max_drawdown"] < 0


def test_trades_table_is_in_time_order_with_codes(sample_pair) -> None:
    result = run_portfolio_backtest(sample_pair, portfolio(Pool(220_000, 80_000)))
    table = result.trades()
    assert list(table.columns[:2]) == ["time", "code"]
    assert table["time"].is_monotonic_increasing
    assert set(table["code"]) == set(CODES)
    assert len(table) == result.combined["trades"]


def test_errors_name_the_code(sample_pair) -> None:
    pf = portfolio(NEVER_BINDS)
    with pytest.raises(PortfolioError, match=r"no bars for 512890\.SH"):
        run_portfolio_backtest({CODES[0]: sample_pair[CODES[0]]}, pf)
    with pytest.raises(PortfolioError, match=r"510300\.SH"):
        run_portfolio_backtest({**sample_pair, "510300.SH": sample_pair[CODES[0]]}, pf)
    with pytest.raises(ValueError, match="close fill model only"):
        run_portfolio_backtest(sample_pair, pf, fill="realistic")
    short = {CODES[0]: sample_pair[CODES[0]], CODES[1]: sample_pair[CODES[1]].iloc[:50]}
    with pytest.raises(ValueError, match=r"512890\.SH: no bars left after the indicator warm-up"):
        run_portfolio_backtest(short, pf)


def test_one_code_portfolio_equals_single(sample_pair) -> None:
    code = CODES[0]
    pf = portfolio(NEVER_BINDS)
    one = type(pf)((pf.instrument(code),), NEVER_BINDS)
    result = run_portfolio_backtest({code: sample_pair[code]}, one)
    assert_same_as_single(result.codes[code], run_backtest(sample_pair[code], one.instrument(code).params))
    assert np.isfinite(result.combined["pool_annualized"])


def test_different_parameters_per_code_equal_single(sample_pair) -> None:
    """Codes with their own layer counts, weights and optional rules (time filter, float-loss stop)."""
    from miniqmt_gui.strategy.portfolio import Portfolio, make_instrument

    pf = Portfolio((
        make_instrument(CODES[0], "159201 stepped", {"time_filter": True}),
        make_instrument(CODES[1], None, {"layer_weights": (1.0, 1.0, 2.0), "float_loss_stop": True,
                                         "float_loss_limit": 3000.0, "atr_factor": 0.3}),
    ), NEVER_BINDS)
    result = run_portfolio_backtest(sample_pair, pf)
    for code in CODES:
        single = run_backtest(sample_pair[code], pf.instrument(code).params)
        assert_same_as_single(result.codes[code], single)
    assert result.codes[CODES[1]].metrics["forced_stops"] > 0
