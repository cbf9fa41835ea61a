"""The shared capital pool: its settings and THE rule that lets a buy draw cash from it.

Several grids (one per code) draw layer cash from one pool. ``free cash`` = the pool's capital plus
every grid's net cash flow (buys take value + fee, sells give back value − fee). The rule, in the issue's
words: *no new first layer when free cash would fall below the reserve; further layers and sells are
always allowed*. Every buy still needs the cash itself (free cash may not go below zero: the pool is real
money), so a buy is refused for one of two reasons:

- ``POOL_CASH``: its cost (value + fee) is more than the free cash;
- ``POOL_RESERVE``: the cash is there, but it is a first layer (the code holds no lot) and its cost would
  take free cash below the reserve.

:func:`pool_verdict` is the one implementation: the portfolio backtest loop compiles this very function
(:mod:`miniqmt_gui.strategy.portfolio_kernel`), and the live engine calls it as plain Python (through
:meth:`Pool.verdict`) before it writes a BUY signal, so backtest and live refuse the same buys. Sells never
ask the pool. This module imports no numba, so describing a portfolio stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

POOL_OK = 0
POOL_RESERVE = 1
POOL_CASH = 2
#: the reason written to the journal / the backtest's list of blocked buys
POOL_REASONS = {POOL_RESERVE: "reserve", POOL_CASH: "pool_cash"}


class PoolError(ValueError):
    """Invalid pool settings; the message is one readable line."""


def pool_verdict(free_cash: float, cost: float, first_layer: bool, reserve: float) -> int:
    """May a buy costing ``cost`` (value + fee) be made? ``POOL_OK`` or the refusal's code."""
    after = free_cash - cost
    if after < 0.0:
        return POOL_CASH
    if first_layer and after < reserve:
        return POOL_RESERVE
    return POOL_OK


@dataclass(frozen=True)
class Pool:
    """One cash pool shared by every grid of a portfolio (CNY).

    ``capital`` is the cash the grids may spend on layers (base positions are held outside it);
    ``reserve`` is the part a new first layer may not touch (``0 <= reserve < capital``).
    """

    capital: float
    reserve: float = 0.0

    def __post_init__(self) -> None:
        for name in ("capital", "reserve"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise PoolError(f"pool {name} must be a finite number, got {value!r}")
        if not self.capital > 0:
            raise PoolError(f"pool capital must be > 0, got {self.capital}")
        if not 0 <= self.reserve < self.capital:
            raise PoolError(f"pool reserve must be >= 0 and below the capital ({self.capital}), "
                            f"got {self.reserve}")
        object.__setattr__(self, "capital", float(self.capital))
        object.__setattr__(self, "reserve", float(self.reserve))

    def free_cash(self, net_cash_flows: float) -> float:
        """Free cash given the sum of every grid's net cash flow (negative while lots are held)."""
        return self.capital + net_cash_flows

    def verdict(self, free_cash: float, cost: float, first_layer: bool) -> int:
        """:func:`pool_verdict` with this pool's reserve."""
        return int(pool_verdict(float(free_cash), float(cost), bool(first_layer), self.reserve))
