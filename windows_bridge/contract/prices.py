"""Prices on the tick and shares in board lots.

:func:`round_to_tick` has one compiled twin, ``miniqmt_gui.strategy.rules.round_to_tick`` (the strategy
may import nothing of ours); ``tests/protocol/test_arithmetic_twins.py`` holds them equal on random inputs.
"""

from __future__ import annotations

import math

#: ETF price tick on SZSE/SSE
TICK = 0.001
#: shares per board lot
LOT = 100


def round_to_tick(price: float, tick: float = TICK) -> float:
    """Round a price to the nearest tick (half up), returned as a clean float (9 decimals)."""
    return round(math.floor(price / tick + 0.5) * tick, 9)


def is_on_tick(price: float, tick: float = TICK) -> bool:
    """True when ``price`` sits on the tick grid (within float noise)."""
    return abs(price / tick - round(price / tick)) < 1e-6


def is_lot_multiple(shares: int) -> bool:
    """True for a positive multiple of 100 shares."""
    return shares > 0 and shares % LOT == 0
