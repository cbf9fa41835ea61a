"""The shared capital pool of a live portfolio: every engine asks it before it writes a BUY.

One :class:`LivePool` is shared by the engines of all codes (each on its own thread in the app, or
stepped in turn headless). It knows every engine's book, so the pool's free cash is

    free = capital − Σ (cost of every held lot, the pending buy's optimistic lot included,
                        and the lots of a pending sell until its result frees them)

and a buy is judged by the strategy's one rule, :func:`miniqmt_gui.strategy.pool.pool_verdict`, on
``min(free, broker cash)`` — the broker's available cash less the BUY signals of other codes that are
written but not answered yet (the executor places one at a time, the quote's cash lags them). The
reserve blocks only a new *first* layer; further layers need just the cash; sells never ask.

The check and the emission happen under the pool's lock (:meth:`LivePool.guard`), and the emitting
engine commits its new book (with the pending buy) before the lock is released, so two codes deciding
in the same instant cannot both spend the same cash.

Choice (written down in docs/portfolio.md): live free cash does not add back realised grid profit —
the pool is the capital the trader put in, the broker's cash check covers the rest. The backtest's pool
does count realised profit; with a pool large enough to never bind, both trade the same.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from miniqmt_gui.strategy.pool import POOL_CASH, POOL_OK, POOL_REASONS, Pool, pool_verdict
from windows_bridge.contract.messages import DashboardState

#: reason when the broker's cash is not known (unknown is never "enough")
CASH_UNKNOWN = "broker_cash_unknown"


@dataclass(frozen=True)
class PoolDecision:
    """The pool's answer to one buy: ``reason`` is ``""`` when it may go out."""

    reason: str
    cost: float
    pool_free: float
    broker_cash: float | None
    reserve: float
    first_layer: bool

    @property
    def allowed(self) -> bool:
        """True when the buy may be written."""
        return not self.reason


class LivePool:
    """See the module docstring. Thread-safe."""

    def __init__(self, pool: Pool) -> None:
        """``pool``: the capital and reserve (validated by :class:`Pool`)."""
        self.pool = pool
        self._lock = threading.RLock()
        self._books: dict[str, Callable[[], DashboardState]] = {}

    def register(self, code: str, book_of: Callable[[], DashboardState]) -> None:
        """Count ``code``'s book (read through ``book_of`` whenever the pool is asked)."""
        with self._lock:
            self._books[code] = book_of

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Hold the pool while a buy is judged and its book committed (one code at a time)."""
        with self._lock:
            yield

    def committed(self) -> float:
        """Cash tied up in lots (held, and the optimistic lot of every pending buy), CNY.

        A pending sell's lots still count: the book drops them when the signal is written, but the cash
        is free only once they are sold — a cancelled or partly filled sell brings them back, and cash
        another code had spent in the meantime would take the pool below zero.
        """
        with self._lock:
            return sum(tied_up(book()) for book in self._books.values())

    def free_cash(self) -> float:
        """The pool's free cash: capital less what the lots hold (never below zero in use)."""
        return self.pool.capital - self.committed()

    def pending_buys_of_others(self, code: str) -> float:
        """Value of the BUY signals of other codes still waiting for their result."""
        with self._lock:
            total = 0.0
            for other, book_of in self._books.items():
                signal = book_of().pending_signal
                if other != code and signal is not None and signal.direction == "BUY":
                    total += signal.shares * signal.price
            return total

    def check(self, code: str, cost: float, first_layer: bool, broker_cash: float | None) -> PoolDecision:
        """Judge a buy of ``code`` costing ``cost`` (value + fee); call it inside :meth:`guard`."""
        with self._lock:
            free = self.free_cash()
            if broker_cash is None:
                return PoolDecision(CASH_UNKNOWN, cost, free, None, self.pool.reserve, first_layer)
            cash = broker_cash - self.pending_buys_of_others(code)
            verdict = pool_verdict(min(free, cash), cost, first_layer, self.pool.reserve)
            if verdict == POOL_CASH and free >= cost and cash < cost:
                reason = "broker_cash"
            else:
                reason = "" if verdict == POOL_OK else POOL_REASONS[verdict]
            return PoolDecision(reason, cost, free, cash, self.pool.reserve, first_layer)


def tied_up(book: DashboardState) -> float:
    """What ``book`` ties up in the pool: the cost of its lots; while a signal is pending, the larger of
    after and before it (a pending buy's lot counts at once, a pending sell's lots until its result)."""
    held = sum(lot.cost for lot in book.positions)
    if book.pending_signal is None or book.rollback is None:
        return held
    return max(held, sum(lot.cost for lot in book.rollback.positions))
