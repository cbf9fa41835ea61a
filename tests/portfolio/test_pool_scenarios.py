"""Table-driven pool scenarios on hand-made bars: two codes, chosen prices and minutes, a small pool.

Each row lists the trades ``(code, minute, side, layer, price)`` and the refused buys
``(code, minute, layer, reason, bars refused)`` it must produce. Layers cost about 22,178 CNY here
(22,400 shares at 0.99; 22,600 at 0.98), so a 50,000 CNY pool holds two of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from miniqmt_gui.backtest.portfolio import run_prepared_portfolio
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import Portfolio, make_instrument
from tests.core.helpers import prepared

A, B = "159201.SZ", "512890.SH"


def minutes(n: int, start: int = 0) -> list[str]:
    return [f"10:{m:02d}" for m in range(start, start + n)]


@dataclass(frozen=True)
class Row:
    """Bars per code as (closes, minutes); the pool; what must happen."""

    name: str
    bars: dict[str, tuple[list[float], list[str]]]
    pool: Pool
    trades: list[tuple[str, str, str, int, float]]
    blocked: list[tuple[str, str, int, str, int]] = field(default_factory=list)
    order: tuple[str, ...] = (A, B)


ROWS = [
    Row("the reserve keeps a second grid from starting (counted once while it waits)",
        {A: ([1.0, 0.99], minutes(2)), B: ([1.0, 1.0, 0.99, 0.99, 0.985], minutes(5))},
        Pool(50_000, 20_000),
        [(A, "10:01", "BUY", 1, 0.99)],
        [(B, "10:02", 1, "reserve", 3)]),
    Row("further layers may use the reserve; sells are made below it",
        {A: ([1.0, 0.99, 0.98, 0.987], minutes(4))},
        Pool(50_000, 20_000),
        [(A, "10:01", "BUY", 1, 0.99), (A, "10:02", "BUY", 2, 0.98), (A, "10:03", "SELL", 2, 0.987)]),
    Row("no layer beyond the free cash, reserve or not",
        {A: ([1.0, 0.99, 0.98, 0.98], minutes(4))},
        Pool(40_000, 0),
        [(A, "10:01", "BUY", 1, 0.99)],
        [(A, "10:02", 2, "pool_cash", 2)]),
    Row("a sale in the same minute frees the cash for the next code's first layer",
        {A: ([1.0, 0.99, 0.99, 0.997], minutes(4)), B: ([1.0, 1.0, 0.99, 0.99], minutes(4))},
        Pool(50_000, 20_000),
        [(A, "10:01", "BUY", 1, 0.99), (A, "10:03", "SELL", 1, 0.997), (B, "10:03", "BUY", 1, 0.99)],
        [(B, "10:02", 1, "reserve", 1)]),
    Row("same minute: the first-listed code goes first",
        {A: ([1.0, 0.99], minutes(2)), B: ([1.0, 0.99], minutes(2))},
        Pool(30_000, 0),
        [(A, "10:01", "BUY", 1, 0.99)],
        [(B, "10:01", 1, "pool_cash", 1)]),
    Row("same minute, other order",
        {A: ([1.0, 0.99], minutes(2)), B: ([1.0, 0.99], minutes(2))},
        Pool(30_000, 0),
        [(B, "10:01", "BUY", 1, 0.99)],
        [(A, "10:01", 1, "pool_cash", 1)],
        order=(B, A)),
    Row("a code evaluates only at its own bar times",
        {A: ([1.0] * 6, minutes(6)), B: ([1.0, 0.99], ["10:00", "10:05"])},
        Pool(1e9),
        [(B, "10:05", "BUY", 1, 0.99)]),
    Row("a refused buy leaves the anchor: the grid buys later above the price it was refused at",
        {A: ([1.0, 0.99, 0.99, 0.997], minutes(4)), B: ([1.0, 1.0, 0.99, 0.995], minutes(4))},
        Pool(40_000, 0),
        [(A, "10:01", "BUY", 1, 0.99), (A, "10:03", "SELL", 1, 0.997), (B, "10:03", "BUY", 1, 0.995)],
        [(B, "10:02", 1, "pool_cash", 1)]),
]


def _run(row: Row):
    pf = Portfolio(tuple(make_instrument(code) for code in row.order if code in row.bars), row.pool)
    bars = {code: prepared(closes, minutes=mins) for code, (closes, mins) in row.bars.items()}
    return run_prepared_portfolio(bars, pf)


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_pool_scenario(row: Row) -> None:
    result = _run(row)
    trades = [(t.code, t.time.strftime("%H:%M"), t.side, int(t.layer), t.price)
              for t in result.trades().itertuples()]
    assert trades == row.trades
    blocked = [(b.code, b.time.strftime("%H:%M"), int(b.layer), b.reason, int(b.bars))
               for b in result.blocked.itertuples()]
    assert blocked == row.blocked
    for code, r in result.codes.items():
        mine = [b for b in row.blocked if b[0] == code]
        assert r.metrics["reserve_blocked_buys"] == sum(b[3] == "reserve" for b in mine)
        assert r.metrics["pool_blocked_buys"] == sum(b[3] == "pool_cash" for b in mine)
        assert r.metrics["blocked_bars"] == sum(b[4] for b in mine)
    assert result.combined["min_free_cash_cny"] >= 0
