"""Prices on the tick and shares in board lots."""

from __future__ import annotations

import math

TICK = 0.001  # ETF price tick on SZSE/SSE


LOT = 100  # shares per board lot


def round_to_tick(price: float, tick: float = TICK) -> float:
    """Round a price to the nearest tick (half away from zero), returned as a clean float."""
    ticks = math.floor(price / tick + 0.5)
    return round(ticks * tick, 6)


def is_on_tick(price: float, tick: float = TICK) -> bool:
    """True when ``price`` sits on the tick grid (within float noise)."""
    return abs(price / tick - round(price / tick)) < 1e-6


def is_lot_multiple(shares: int) -> bool:
    """True for a positive multiple of 100 shares."""
    return shares > 0 and shares % LOT == 0
