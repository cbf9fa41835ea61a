"""THE implementation of the grid's trading rules (SPEC §5), as numba-compiled functions.

The rules are small scalar functions. :func:`decide` composes them for one evaluation; the live
side (the engine's :mod:`miniqmt_gui.live.decider`)
calls it from Python for one fresh price. The backtest loop (:mod:`miniqmt_gui.strategy.kernel`) calls
the very same scalar functions in the same order (it keeps its lot book in its own arrays, so it
writes the composition out; a test replays bars through both paths and compares the trades).
Parameters travel as :class:`RuleParams`, a tuple of floats (a value type for numba: no reference
counting in the hot loop).

Functions compile lazily on first call (``cache=True`` keeps the machine code on disk), so importing
this module compiles nothing.

One evaluation at price ``p`` with ``hold_layers`` lots:

1. ``step = max(step_floor, atr / p * atr_factor) * trend_step + hold_layers * layer_step_bonus``;
   buy trigger ``p <= anchor * (1 - step)`` and ATR breaker ``atr > breaker_mult * atr_avg`` use the
   holdings *before* this evaluation's sells (:func:`pre_sell`).
2. Optional float-loss stop: every lot sells when the floating P&L <= -limit (:func:`float_stop`).
3. Sells: each lot with ``p >= buy_price * (1 + take_profit * trend_tp * take_profit_mult)``
   (:func:`lot_sells`). Selling the last lot sets the anchor to ``p`` and starts the cool-down.
4. At most one buy (:func:`buy_shares`): fewer than ``max_layers`` lots after the sells, trigger, no
   breaker, not cooling (cool-down blocks only a first layer), time filter;
   ``shares = floor(layer_capital * trend_size / p / lot) * lot``.
"""

from __future__ import annotations

import math

import numpy as np

from miniqmt_gui.strategy.jit import njit
from miniqmt_gui.strategy.slots import RuleParams

N_RULE_PARAMS = len(RuleParams._fields)


@njit(cache=True)
def params_from_vector(v: np.ndarray) -> RuleParams:
    """Build :class:`RuleParams` from a vector in field order (used by the sweep kernel)."""
    return RuleParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                      v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24],
                      v[25], v[26], v[27], v[28], v[29])


@njit(cache=True)
def trend_factors(slope: float, rp: RuleParams) -> tuple[float, float, float]:
    """Return ``(step, take-profit, size)`` factors for the MA slope (1, 1, 1 when flat)."""
    if slope > 0:
        return rp.up_step, rp.up_tp, rp.up_size
    if slope < 0:
        return rp.down_step, rp.down_tp, rp.down_size
    return 1.0, 1.0, 1.0


@njit(cache=True)
def grid_step(atr: float, price: float, step_factor: float, hold_layers: int, rp: RuleParams) -> float:
    """Adaptive step as a fraction of the anchor, with trend factor and layer bonus."""
    step = max(rp.step_floor, atr / price * rp.atr_factor)
    step *= step_factor
    step += hold_layers * rp.layer_bonus
    return step


@njit(cache=True)
def buy_triggered(price: float, anchor: float, step: float) -> bool:
    """Buy trigger: the price fell at least ``step`` below the anchor (last buy price)."""
    return price <= anchor * (1 - step)


@njit(cache=True)
def breaker_on(atr: float, atr_avg: float, rp: RuleParams) -> bool:
    """ATR breaker: no new layer while ATR is above ``breaker_mult`` times its average."""
    return atr > rp.breaker_mult * atr_avg


@njit(cache=True)
def take_profit_multiple(tp_factor: float, rp: RuleParams) -> float:
    """``1 + take_profit * tp_factor * take_profit_mult``: a lot sells at ``buy_price`` times this."""
    return 1 + rp.take_profit * tp_factor * rp.tp_mult


@njit(cache=True)
def pre_sell(price: float, atr: float, atr_avg: float, slope: float, anchor: float, hold_layers: int,
             rp: RuleParams) -> tuple[bool, float, float]:
    """Step 1 with the pre-sell holdings: ``(buy allowed by trigger and breaker, tp multiple, size)``."""
    step_f, tp_f, size_f = trend_factors(slope, rp)
    step = grid_step(atr, price, step_f, hold_layers, rp)
    ok = buy_triggered(price, anchor, step) and not breaker_on(atr, atr_avg, rp)
    return ok, take_profit_multiple(tp_f, rp), size_f


@njit(cache=True)
def lot_sells(price: float, buy_price: float, tp_multiple: float) -> bool:
    """Per-lot take-profit: sell when ``price >= buy_price * tp_multiple``."""
    return price >= buy_price * tp_multiple


@njit(cache=True)
def float_stop(floating_pnl: float, hold_layers: int, rp: RuleParams) -> bool:
    """Float-loss stop (when on): floating P&L of the open lots at or below ``-limit``."""
    return rp.float_stop_on != 0.0 and hold_layers > 0 and floating_pnl <= -rp.float_stop_cny


@njit(cache=True)
def is_cooling(bars_since_exit: int, rsi: float, rp: RuleParams) -> bool:
    """Cool-down after a full exit, in bars; ``bars_since_exit < 0`` means no exit yet."""
    if bars_since_exit < 0:
        return False
    limit = rp.cooldown_oversold if rsi < rp.oversold_rsi else rp.cooldown
    return bars_since_exit < limit


@njit(cache=True)
def time_allows_buy(seconds: int, hold_layers: int, rp: RuleParams) -> bool:
    """Time filter (when on): no first layer in [from, until), no buy at or after ``no_buy_after``."""
    if rp.time_filter_on == 0.0:
        return True
    if seconds >= rp.no_buy_after:
        return False
    return not (hold_layers == 0 and rp.no_first_from <= seconds < rp.no_first_until)


@njit(cache=True)
def layer_shares(capital: float, size_factor: float, price: float, lot: float) -> float:
    """Shares for one layer: ``floor(capital * size_factor / price / lot) * lot``."""
    return math.floor(capital * size_factor / price / lot) * lot


@njit(cache=True)
def buy_shares(price: float, buy_ok: bool, size_factor: float, remaining: int, bars_since_exit: int,
               rsi: float, seconds: int, layer_capital: float, rp: RuleParams) -> float:
    """Step 4: shares to buy for layer ``remaining + 1`` after the sells (0 for no buy).

    ``bars_since_exit`` must already be 0 when this evaluation sold the last lot.
    """
    if remaining >= rp.max_layers or not buy_ok:
        return 0.0
    if remaining == 0 and is_cooling(bars_since_exit, rsi, rp):
        return 0.0
    if not time_allows_buy(seconds, remaining, rp):
        return 0.0
    return layer_shares(layer_capital, size_factor, price, rp.lot)


@njit(cache=True)
def fee(value: float, rp: RuleParams) -> float:
    """Commission for a trade of ``value`` CNY (rate with an optional minimum)."""
    return max(value * rp.commission, rp.min_commission)


@njit(cache=True)
def round_to_tick(price: float, tick: float) -> float:
    """Nearest price on the tick grid."""
    return round(math.floor(price / tick + 0.5) * tick, 9)


@njit(cache=True)
def decide(price: float, atr: float, atr_avg: float, slope: float, rsi: float, seconds: int,
           anchor: float, bars_since_exit: int, lot_price: np.ndarray, lot_shares: np.ndarray,
           caps: np.ndarray, rp: RuleParams, sell_mask: np.ndarray) -> tuple[int, float, bool]:
    """One whole evaluation at ``price`` over the lots ``lot_price``/``lot_shares`` (one per layer).

    Fills ``sell_mask`` with the lots to sell and returns ``(n_sell, buy_shares, forced)``; a buy is
    layer ``len(lot_price) - n_sell + 1`` with capital ``caps[that layer - 1]``; ``forced`` marks the
    float-loss stop (every lot sells, no buy).
    """
    n_lots = lot_price.size
    buy_ok, tp_mult, size_f = pre_sell(price, atr, atr_avg, slope, anchor, n_lots, rp)
    pnl = 0.0
    if rp.float_stop_on != 0.0:
        for k in range(n_lots):
            pnl += lot_shares[k] * (price - lot_price[k])
    forced = float_stop(pnl, n_lots, rp)
    n_sell = 0
    for k in range(n_lots):
        sell_mask[k] = forced or lot_sells(price, lot_price[k], tp_mult)
        n_sell += int(sell_mask[k])
    remaining = n_lots - n_sell
    if forced or remaining >= caps.size:
        return n_sell, 0.0, forced
    since = 0 if remaining == 0 and n_sell > 0 else bars_since_exit
    shares = buy_shares(price, buy_ok, size_f, remaining, since, rsi, seconds, caps[remaining], rp)
    return n_sell, shares, False
