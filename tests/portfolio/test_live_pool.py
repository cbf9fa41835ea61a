"""The live pool's free cash over a sell's life: its lots are freed by the result, not by the signal.

Seen in the journals of the two-code process chain (tests/chain/test_portfolio_processes.py): the book
drops a sell's lots when the signal is written; had the pool counted that cash as free, another code
could spend it and a cancelled or partly filled sell — whose lots come back — would take the pool below zero.
"""

from __future__ import annotations

from datetime import datetime

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.strategy.pool import Pool
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import (
    DashboardState,
    OrderResult,
    OrderSignal,
    ResultStatus,
    make_signal_id,
)

A, B = "159201.SZ", "512890.SH"
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI)


def _sig(code: str, direction: str, layer: int, shares: int, price: float, n: int) -> OrderSignal:
    return OrderSignal(signal_id=make_signal_id(direction, code, layer, f"{n:08x}"), code=code,
                       direction=direction, price=price, shares=shares, timestamp=T0, layer=layer)


def _res(sig: OrderSignal, status: ResultStatus, filled: int) -> OrderResult:
    return OrderResult(signal_id=sig.signal_id, status=status, requested_shares=sig.shares,
                       filled_shares=filled, avg_price=sig.price if filled else 0.0, timestamp=T0)


class Books:
    """Mutable books the pool reads through its callbacks, as the engines' ``self._book``."""

    def __init__(self, pool: LivePool) -> None:
        self.state = {A: bk.empty_book(A), B: bk.empty_book(B)}
        for code in self.state:
            pool.register(code, lambda code=code: self.state[code])

    def buy(self, code: str, layer: int, shares: int, price: float, n: int) -> None:
        sig = _sig(code, "BUY", layer, shares, price, n)
        pending = bk.begin_buy(self.state[code], sig, T0)
        self.state[code] = bk.apply_result(pending, _res(sig, ResultStatus.FILLED, shares), T0).state

    def begin_sell(self, code: str, layer: int, shares: int, price: float, n: int) -> OrderSignal:
        sig = _sig(code, "SELL", layer, shares, price, n)
        self.state[code] = bk.begin_sell(self.state[code], sig, (layer,), T0)
        return sig

    def result(self, code: str, sig: OrderSignal, status: ResultStatus, filled: int) -> DashboardState:
        self.state[code] = bk.apply_result(self.state[code], _res(sig, status, filled), T0).state
        return self.state[code]


def test_a_pending_sell_frees_nothing_until_its_result() -> None:
    pool = LivePool(Pool(capital=30_000.0))
    books = Books(pool)
    books.buy(A, 1, 20_000, 1.0, 1)
    held = pool.free_cash()
    assert held == 10_000.0
    sig = books.begin_sell(A, 1, 20_000, 1.01, 2)
    assert books.state[A].positions == []  # the book dropped the lot with the signal
    assert pool.free_cash() == held  # … the pool does not count it free yet
    # B may not spend the cash of A's unsold lot
    assert pool.check(B, 15_000.0, first_layer=True, broker_cash=1e6).reason == "pool_cash"
    books.result(A, sig, ResultStatus.CANCELLED, 0)  # the sell is cancelled: the lot is back
    assert books.state[A].hold_layers == 1 and pool.free_cash() == held >= 0


def test_a_filled_sell_frees_its_lot_and_a_partial_one_only_the_sold_part() -> None:
    pool = LivePool(Pool(capital=30_000.0))
    books = Books(pool)
    books.buy(A, 1, 20_000, 1.0, 1)
    sig = books.begin_sell(A, 1, 20_000, 1.01, 2)
    books.result(A, sig, ResultStatus.PARTIALLY_FILLED, 5_000)
    assert pool.free_cash() == 30_000.0 - books.state[A].positions[0].cost > 10_000.0
    left = books.state[A].positions[0].shares
    sig = books.begin_sell(A, 1, left, 1.01, 3)
    books.result(A, sig, ResultStatus.FILLED, left)
    assert pool.free_cash() == 30_000.0
    assert pool.check(B, 15_000.0, first_layer=True, broker_cash=1e6).allowed


def test_a_pending_buy_counts_its_lot_at_once() -> None:
    pool = LivePool(Pool(capital=30_000.0))
    books = Books(pool)
    sig = _sig(A, "BUY", 1, 20_000, 1.0, 1)
    books.state[A] = bk.begin_buy(books.state[A], sig, T0)
    assert pool.free_cash() == 10_000.0
    books.result(A, sig, ResultStatus.REJECTED, 0)
    assert pool.free_cash() == 30_000.0
