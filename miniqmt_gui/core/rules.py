"""THE implementation of the grid's trading rules (SPEC §5), as numba-compiled functions.

The backtest loop (:mod:`miniqmt_gui.core.backtest`) calls :func:`decide` once per bar and the live
engine (:mod:`miniqmt_gui.core.live`) calls the same :func:`decide` from Python for one fresh price, so
both use the very same code. Parameters arrive packed in a float64 vector
(:meth:`StrategyParams.to_vector`, slots in :mod:`miniqmt_gui.core.layout`).

Functions are compiled lazily on first call (``cache=True`` keeps the machine code on disk), so
importing this module does not compile anything.

Order of one evaluation with price ``p``:

1. ``step = max(step_floor, atr / p * atr_factor) * trend_step + hold_layers * layer_step_bonus``;
   buy trigger ``p <= anchor * (1 - step)`` and ATR breaker ``atr > breaker_mult * atr_avg`` use the
   holdings *before* this evaluation's sells.
2. Optional float-loss stop: sell every lot when the open lots' floating P&L <= -limit.
3. Sells: every lot with ``p >= buy_price * (1 + take_profit * trend_tp * take_profit_mult)``.
4. At most one buy: fewer than ``max_layers`` lots after the sells, trigger, no breaker, not cooling
   (cool-down only blocks a first layer), time filter; ``shares = floor(cap * trend_size / p / lot) * lot``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from miniqmt_gui.core import layout as L


@njit(cache=True)
def trend_factors(slope: float, prm: np.ndarray) -> tuple[float, float, float]:
    """Return ``(step, take-profit, size)`` factors for the MA slope (1, 1, 1 when flat)."""
    if slope > 0:
        return prm[L.P_UP_STEP], prm[L.P_UP_TP], prm[L.P_UP_SIZE]
    if slope < 0:
        return prm[L.P_DOWN_STEP], prm[L.P_DOWN_TP], prm[L.P_DOWN_SIZE]
    return 1.0, 1.0, 1.0


@njit(cache=True)
def grid_step(atr: float, price: float, step_factor: float, hold_layers: int, prm: np.ndarray) -> float:
    """Adaptive step as a fraction of the anchor, including the trend factor and layer bonus."""
    step = max(prm[L.P_STEP_FLOOR], atr / price * prm[L.P_ATR_FACTOR])
    step *= step_factor
    step += hold_layers * prm[L.P_LAYER_BONUS]
    return step


@njit(cache=True)
def buy_triggered(price: float, anchor: float, step: float) -> bool:
    """Buy trigger: the price fell at least ``step`` below the anchor (last buy price)."""
    return price <= anchor * (1 - step)


@njit(cache=True)
def breaker_on(atr: float, atr_avg: float, prm: np.ndarray) -> bool:
    """ATR breaker: no new layer while ATR is above ``breaker_mult`` times its average."""
    return atr > prm[L.P_BREAKER_MULT] * atr_avg


@njit(cache=True)
def take_profit_price(buy_price: float, tp_factor: float, prm: np.ndarray) -> float:
    """Price at or above which a lot bought at ``buy_price`` sells."""
    return buy_price * (1 + prm[L.P_TAKE_PROFIT] * tp_factor * prm[L.P_TP_MULT])


@njit(cache=True)
def is_cooling(bars_since_exit: int, rsi: float, prm: np.ndarray) -> bool:
    """Cool-down after a full exit, in bars; ``bars_since_exit < 0`` means no exit yet."""
    if bars_since_exit < 0:
        return False
    limit = prm[L.P_COOLDOWN_OVERSOLD] if rsi < prm[L.P_OVERSOLD_RSI] else prm[L.P_COOLDOWN]
    return bars_since_exit < limit


@njit(cache=True)
def time_allows_buy(seconds: int, hold_layers: int, prm: np.ndarray) -> bool:
    """Time filter (when on): no first layer in [from, until), no buy at or after ``no_buy_after``."""
    if prm[L.P_TIME_FILTER_ON] == 0.0:
        return True
    if seconds >= prm[L.P_NO_BUY_AFTER]:
        return False
    return not (hold_layers == 0 and prm[L.P_NO_FIRST_FROM] <= seconds < prm[L.P_NO_FIRST_UNTIL])


@njit(cache=True)
def layer_shares(capital: float, size_factor: float, price: float, lot: float) -> float:
    """Shares for one layer: ``floor(capital * size_factor / price / lot) * lot``."""
    return math.floor(capital * size_factor / price / lot) * lot


@njit(cache=True)
def float_pnl(price: float, lot_price: np.ndarray, lot_shares: np.ndarray, n_lots: int) -> float:
    """Floating P&L of the open lots at ``price`` (no fees)."""
    total = 0.0
    for k in range(n_lots):
        total += lot_shares[k] * (price - lot_price[k])
    return total


@njit(cache=True)
def fee(value: float, prm: np.ndarray) -> float:
    """Commission for a trade of ``value`` CNY (rate with an optional minimum)."""
    return max(value * prm[L.P_COMMISSION], prm[L.P_MIN_COMMISSION])


@njit(cache=True)
def round_to_tick(price: float, tick: float) -> float:
    """Nearest price on the tick grid."""
    return round(math.floor(price / tick + 0.5) * tick, 9)


@njit(cache=True)
def decide(
    price: float, atr: float, atr_avg: float, slope: float, rsi: float, seconds: int,
    anchor: float, bars_since_exit: int, lot_price: np.ndarray, lot_shares: np.ndarray,
    n_lots: int, prm: np.ndarray, caps: np.ndarray, sell_mask: np.ndarray,
) -> tuple[int, float, bool]:
    """One evaluation of the rules at ``price``.

    Fills ``sell_mask[:n_lots]`` with the lots to sell and returns ``(n_sell, buy_shares, forced)``;
    ``buy_shares`` is 0 for no buy, ``forced`` is True when the float-loss stop sells every lot.
    ``caps`` holds each layer's capital; a buy is layer ``n_lots - n_sell + 1``.
    """
    step_f, tp_f, size_f = trend_factors(slope, prm)
    step = grid_step(atr, price, step_f, n_lots, prm)
    trigger = buy_triggered(price, anchor, step)
    breaker = breaker_on(atr, atr_avg, prm)
    forced = (prm[L.P_FLOAT_STOP_ON] != 0.0 and n_lots > 0
              and float_pnl(price, lot_price, lot_shares, n_lots) <= -prm[L.P_FLOAT_STOP_CNY])
    n_sell = 0
    for k in range(n_lots):
        sell = forced or price >= take_profit_price(lot_price[k], tp_f, prm)
        sell_mask[k] = sell
        if sell:
            n_sell += 1
    if forced:
        return n_sell, 0.0, True
    remaining = n_lots - n_sell
    if remaining == 0 and n_sell > 0:
        bars_since_exit = 0
    if remaining >= caps.size or not trigger or breaker:
        return n_sell, 0.0, False
    if remaining == 0 and is_cooling(bars_since_exit, rsi, prm):
        return n_sell, 0.0, False
    if not time_allows_buy(seconds, remaining, prm):
        return n_sell, 0.0, False
    return n_sell, layer_shares(caps[remaining], size_f, price, prm[L.P_LOT]), False
