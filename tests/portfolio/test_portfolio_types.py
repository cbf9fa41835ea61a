"""Instruments, presets, the pool settings and the portfolio TOML: values, round trip and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from miniqmt_gui.strategy.params import PRESET_512890, StrategyParams, get_preset
from miniqmt_gui.strategy.pool import POOL_CASH, POOL_OK, POOL_RESERVE, Pool, PoolError, pool_verdict
from miniqmt_gui.strategy.portfolio import (
    INSTRUMENT_PRESETS,
    Instrument,
    Portfolio,
    PortfolioError,
    default_portfolio,
    exchange_of,
    load_portfolio,
    make_instrument,
    parse_portfolio,
    portfolio_to_toml,
)

REPO = Path(__file__).resolve().parents[2]
RULE_FIELDS = [f for f in StrategyParams.model_fields if f not in ("base_capital", "flow_capital")]


def test_shipped_presets() -> None:
    a, b = make_instrument("159201.SZ"), make_instrument("512890.SH")
    assert a.params == StrategyParams() and a.preset == "159201 v1.0.0" and a.name == "华夏国证自由现金流ETF"
    assert b.preset == PRESET_512890 and b.name == "华泰柏瑞红利低波ETF"
    # the documented starting point: every rule number is v1.0.0's (they are relative to the price)
    assert {f: getattr(b.params, f) for f in RULE_FIELDS} == {f: getattr(a.params, f) for f in RULE_FIELDS}
    assert (b.params.base_capital, b.params.flow_capital) == (300_000, 200_000)
    assert (a.exchange, b.exchange) == ("SZ", "SH")
    assert next(iter(INSTRUMENT_PRESETS)) == "159201.SZ"


def test_default_preset_unchanged() -> None:
    assert get_preset("159201 v1.0.0") == StrategyParams()


@pytest.mark.parametrize("code", ["159201", "159201.SS", "15920.SZ", "159201.sz", "", 159201,
                                  "159201.SZ\n", " 159201.SZ", "١٥٩٢٠١.SZ", "1592011.SZ"])
def test_bad_codes(code: object) -> None:
    with pytest.raises(PortfolioError, match="bad code"):
        exchange_of(code)  # type: ignore[arg-type]


def test_pool_rule() -> None:
    assert pool_verdict(50_000, 20_000, True, 20_000) == POOL_OK  # exactly at the reserve is allowed
    assert pool_verdict(50_000, 30_001, True, 20_000) == POOL_RESERVE
    assert pool_verdict(50_000, 30_001, False, 20_000) == POOL_OK  # further layers may use the reserve
    assert pool_verdict(10_000, 10_001, False, 0) == POOL_CASH
    assert pool_verdict(10_000, 10_001, True, 5_000) == POOL_CASH  # no cash: reported as cash, not reserve
    assert Pool(50_000, 20_000).verdict(50_000, 30_001, True) == POOL_RESERVE


@pytest.mark.parametrize(("capital", "reserve", "message"), [
    (0, 0, "capital must be > 0"), (-1, 0, "capital must be > 0"), (100, 100, "reserve"),
    (100, -1, "reserve"), (float("nan"), 0, "finite"), (float("inf"), 0, "finite"), ("100", 0, "finite"),
    (True, 0, "finite"),
])
def test_bad_pools(capital: object, reserve: object, message: str) -> None:
    with pytest.raises(PoolError, match=message):
        Pool(capital, reserve)  # type: ignore[arg-type]


def test_portfolio_checks() -> None:
    a = make_instrument("159201.SZ")
    with pytest.raises(PortfolioError, match="listed twice"):
        Portfolio((a, a), Pool(1))
    with pytest.raises(PortfolioError, match="at least one"):
        Portfolio((), Pool(1))
    with pytest.raises(PortfolioError, match="params must be StrategyParams"):
        Instrument("159201.SZ", {"flow_capital": 1})  # type: ignore[arg-type]
    pf = default_portfolio()
    assert pf.codes == ["159201.SZ", "512890.SH"]
    assert pf.pool == Pool(400_000, 0)
    with pytest.raises(PortfolioError, match="not in the portfolio"):
        pf.instrument("510300.SH")


GOOD = """
[pool]
capital = 300000
reserve = 50000

[[instruments]]
code = "159201.SZ"
data = "a.csv"

[[instruments]]
code = "512890.SH"
params = { flow_capital = 150000, time_filter = true }

[[instruments]]
code = "510300.SH"
name = "沪深300ETF"
preset = "9层最优解"
"""


def test_parse_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(GOOD, encoding="utf-8")
    pf = load_portfolio(path)
    assert pf.pool == Pool(300_000, 50_000)
    assert pf.codes == ["159201.SZ", "512890.SH", "510300.SH"]
    assert pf.instruments[0].data == str(tmp_path / "a.csv")
    b = pf.instrument("512890.SH")
    assert b.params == get_preset(PRESET_512890).updated({"flow_capital": 150000, "time_filter": True})
    c = pf.instrument("510300.SH")
    assert (c.name, c.preset, c.params.atr_factor) == ("沪深300ETF", "9层最优解", 0.28)
    assert parse_portfolio(portfolio_to_toml(pf)) == pf


def test_pool_defaults_to_the_flow_capital() -> None:
    pf = parse_portfolio('[[instruments]]\ncode = "159201.SZ"\n[[instruments]]\ncode = "512890.SH"\n'
                         'params = { flow_capital = 100000 }\n')
    assert pf.pool == Pool(300_000, 0)


@pytest.mark.parametrize(("text", "message"), [
    ("", "no \\[\\[instruments\\]\\]"),
    ("[pool]\ncapital = 1\n", "no \\[\\[instruments\\]\\]"),
    ("instruments = 3", "no \\[\\[instruments\\]\\]"),
    ("[[instruments]]\nname = 'x'\n", "instruments\\[1\\]: code is missing"),
    ("[[instruments]]\ncode = '159201.SZ'\nflow_capital = 1\n", "unknown key\\(s\\) flow_capital"),
    ("[[instruments]]\ncode = '159201'\n", "bad code"),
    ("[[instruments]]\ncode = '510300.SH'\n", "instruments\\[1\\]: 510300.SH: no preset ships"),
    ("[[instruments]]\ncode = '159201.SZ'\npreset = 'nope'\n", "unknown preset"),
    ("[[instruments]]\ncode = '159201.SZ'\n[instruments.params]\natr_factor = -1\n",
     "instruments\\[1\\]: 159201.SZ: invalid"),
    ("[[instruments]]\ncode = '159201.SZ'\n[instruments.params]\nnope = 1\n", "unknown parameter"),
    ("[[instruments]]\ncode = '159201.SZ'\nparams = 3\n", "params must be a table"),
    ("[[instruments]]\ncode = '159201.SZ'\nname = 3\n", "name must be text"),
    ("[[instruments]]\ncode = '159201.SZ'\n[[instruments]]\ncode = '159201.SZ'\n", "listed twice"),
    ("[pool]\ncapital = 100\nreserve = 100\n[[instruments]]\ncode = '159201.SZ'\n", "reserve"),
    ("[pool]\ncash = 100\n[[instruments]]\ncode = '159201.SZ'\n", "pool: unknown key"),
    ("pool = 5\n[[instruments]]\ncode = '159201.SZ'\n", "pool: expected a table"),
    ("[strategy]\natr_factor = 1\n", "portfolio: unknown key\\(s\\) strategy"),
    ("[[instruments]\n", "not valid TOML"),
    ("instruments = [1, 2]\n", "instruments\\[1\\]: expected a table"),
    ("[pool]\ncapital = inf\n[[instruments]]\ncode = '159201.SZ'\n", "finite"),
    ("[pool]\ncapital = '300000'\n[[instruments]]\ncode = '159201.SZ'\n", "finite"),
    ("".join(f"[[instruments]]\ncode = '{159201 + k}.SZ'\npreset = '159201 v1.0.0'\n" for k in range(21)),
     "at most 20"),
])
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(PortfolioError, match=message):
        parse_portfolio(text)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match="cannot read portfolio"):
        load_portfolio(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe[[")
    with pytest.raises(PortfolioError, match="cannot read portfolio"):
        load_portfolio(bad)


def test_the_documented_example_parses() -> None:
    pf = load_portfolio(REPO / "docs" / "examples" / "portfolio.toml")
    assert pf.codes == ["159201.SZ", "512890.SH"]
    assert pf.pool.reserve > 0
