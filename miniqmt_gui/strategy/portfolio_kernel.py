"""The compiled portfolio loop: several codes on one clock, one shared cash pool (``close`` fill model).

Input: the codes' prepared bars concatenated (code ``c`` owns rows ``start[c]:stop[c]``) and the event
order ``ev_row`` (every row once, sorted by time and, at equal times, by portfolio order) with each
event's clock slot ``ev_slot``. A code with no bar at a time has no event then: it does not evaluate.

Per event, for that code only:

1. its day bookkeeping, as the single-code loop does on its own bars;
2. one evaluation with :func:`rules.decide` — the composition of the scalar rule functions that the
   live engine calls too;
3. the sells (always allowed), then the buy if :func:`pool.pool_verdict` allows it (compiled here).
   A refused buy is not made (the anchor stays, so the grid tries again on a later bar) and is counted
   per code, once per decision (the same layer at the same anchor) and reason;
4. fills at the bar's close through the single-code kernel's own fill helpers on this code's slices of
   the state, so with a pool that never refuses, every code's trades and figures are the single-code
   ``close`` backtest's, bit for bit (a test checks this on the 2015–16 file).

After the last event of a clock slot the pool figures are taken: combined Alpha (each code marked at its
last close), deployed capital, free cash, the combined Alpha-equity drawdown.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.kernel import (
    B_PRICE,
    B_SHARES,
    N_STATE,
    X_ANCHOR,
    X_BASE_SHARES,
    X_CASH,
    X_DEPLOYED,
    X_EXIT_BAR,
    X_NLOTS,
    X_NREC,
    X_SOLD_TODAY,
    X_START_SHARES,
    X_TOTAL_SHARES,
    _apply_buy,
    _apply_sells,
    _day_end,
)
from miniqmt_gui.strategy.pool import POOL_OK, POOL_RESERVE, pool_verdict
from miniqmt_gui.strategy.rules import decide, fee, params_from_vector
from miniqmt_gui.strategy.slots import RuleParams

#: the pool rule of :mod:`pool`, compiled here (the live side calls the same source as plain Python)
pool_verdict_compiled = njit(cache=True)(pool_verdict)

# per-code running values the single-code loop keeps as locals, and the refused buy being counted
Y_DAY, Y_DAY_EQ0, Y_LAST_EQ, Y_USED, Y_ALPHA0, Y_PEAK, Y_MAX_DD, Y_UTIL, Y_LAST_CLOSE = range(9)
Y_BLK_LAYER, Y_BLK_ANCHOR, Y_BLK_REASON, Y_BLK_REC = 9, 10, 11, 12
N_Y = 13
# per-code pool figures
P_RESERVE_BLOCKED, P_CASH_BLOCKED, P_BLOCKED_BARS, P_POOL_UTIL_SUM = range(4)
N_POOL = 4
# columns of the refused-buy list (integers; the floats are shares, price, free cash)
BI_CODE, BI_BAR, BI_LAYER, BI_REASON, BI_BARS = range(5)
# portfolio figures
C_MAX_DD, C_UTIL_SUM, C_MIN_FREE, C_MAX_DEPLOYED, C_SLOTS, C_N_BLOCKED_REC = range(6)
N_COMBINED = 6
# pool curve columns (per clock slot)
K_ALPHA, K_DEPLOYED, K_FREE = range(3)


@njit(cache=True)
def _start_code(c: int, first_close: float, x: np.ndarray, y: np.ndarray, rp: RuleParams) -> None:
    """A code's state before its first bar (as the single-code loop sets it up)."""
    x[c, X_ANCHOR] = first_close
    x[c, X_EXIT_BAR] = -1
    x[c, X_BASE_SHARES] = math.floor(rp.base_capital / first_close / rp.lot) * rp.lot
    y[c, Y_DAY] = -1
    y[c, Y_DAY_EQ0] = rp.flow_capital + rp.base_capital


@njit(cache=True)
def _new_day(c: int, day: int, x: np.ndarray, y: np.ndarray, s: np.ndarray) -> None:
    """Close the code's previous day (daily return, utilisation) when its bars reach a new one."""
    if y[c, Y_DAY] == day:
        return
    if y[c, Y_DAY] >= 0:
        _day_end(y[c, Y_LAST_EQ], y[c, Y_DAY_EQ0], y[c, Y_USED] != 0, s[c])
        y[c, Y_DAY_EQ0] = y[c, Y_LAST_EQ]
    y[c, Y_DAY] = day
    y[c, Y_USED] = 0
    x[c, X_SOLD_TODAY] = 0.0
    x[c, X_START_SHARES] = x[c, X_BASE_SHARES] + x[c, X_TOTAL_SHARES]


@njit(cache=True)
def _mark(c: int, j: int, p: float, x: np.ndarray, y: np.ndarray, rp: RuleParams) -> float:
    """The code's Alpha, equity, drawdown and utilisation at the end of its bar ``j``; returns Alpha."""
    alpha = x[c, X_CASH] + x[c, X_TOTAL_SHARES] * p
    if j == 0:
        y[c, Y_ALPHA0] = alpha
    eq = rp.flow_capital + rp.base_capital + alpha - y[c, Y_ALPHA0]
    y[c, Y_PEAK] = max(y[c, Y_PEAK], eq)
    y[c, Y_MAX_DD] = min(y[c, Y_MAX_DD], eq / y[c, Y_PEAK] - 1)
    y[c, Y_LAST_EQ] = eq
    y[c, Y_LAST_CLOSE] = p
    if x[c, X_NLOTS] > 0:
        y[c, Y_USED] = 1
        y[c, Y_UTIL] += x[c, X_DEPLOYED]
    return alpha


@njit(cache=True)
def _free_cash(pool_capital: float, x: np.ndarray) -> float:
    """The pool's capital plus every code's net cash flow."""
    free = pool_capital
    for k in range(x.shape[0]):
        free += x[k, X_CASH]
    return free


@njit(cache=True)
def _block(c: int, j: int, layer: int, shares: float, price: float, free: float, verdict: int,
           x: np.ndarray, y: np.ndarray, pst: np.ndarray, comb: np.ndarray, record: bool,
           blk_f: np.ndarray, blk_i: np.ndarray) -> None:
    """Count a buy the pool refused: once per decision and reason, however many bars it stays refused
    (the bars are counted too). A decision is a layer at an anchor: every buy moves the anchor below
    itself and a full exit moves it above, so a trade always starts a new decision."""
    pst[c, P_BLOCKED_BARS] += 1
    if y[c, Y_BLK_LAYER] == layer and y[c, Y_BLK_ANCHOR] == x[c, X_ANCHOR] and y[c, Y_BLK_REASON] == verdict:
        if y[c, Y_BLK_REC] >= 0:
            blk_i[int(y[c, Y_BLK_REC]), BI_BARS] += 1
        return
    y[c, Y_BLK_LAYER] = layer
    y[c, Y_BLK_ANCHOR] = x[c, X_ANCHOR]
    y[c, Y_BLK_REASON] = verdict
    y[c, Y_BLK_REC] = -1
    if verdict == POOL_RESERVE:
        pst[c, P_RESERVE_BLOCKED] += 1
    else:
        pst[c, P_CASH_BLOCKED] += 1
    k = int(comb[C_N_BLOCKED_REC])
    if record and k < blk_i.shape[0]:
        blk_i[k, BI_CODE] = c
        blk_i[k, BI_BAR] = j
        blk_i[k, BI_LAYER] = layer
        blk_i[k, BI_REASON] = verdict
        blk_i[k, BI_BARS] = 1
        blk_f[k, 0] = shares
        blk_f[k, 1] = price
        blk_f[k, 2] = free
        comb[C_N_BLOCKED_REC] = k + 1
        y[c, Y_BLK_REC] = k


@njit(cache=True)
def _slot_end(slot: int, pool_capital: float, equity_base: float, x: np.ndarray, y: np.ndarray,
              pst: np.ndarray, comb: np.ndarray, state: np.ndarray, record: bool, curve: np.ndarray) -> None:
    """Pool figures after every code that has a bar at this time has been evaluated."""
    alpha = 0.0
    deployed = 0.0
    for k in range(x.shape[0]):
        alpha += x[k, X_CASH] + x[k, X_TOTAL_SHARES] * y[k, Y_LAST_CLOSE]
        deployed += x[k, X_DEPLOYED]
        pst[k, P_POOL_UTIL_SUM] += x[k, X_DEPLOYED]
    free = _free_cash(pool_capital, x)
    if slot == 0:
        state[0] = alpha
    eq = equity_base + alpha - state[0]
    state[1] = max(state[1], eq)
    comb[C_MAX_DD] = min(comb[C_MAX_DD], eq / state[1] - 1)
    comb[C_UTIL_SUM] += deployed
    comb[C_MIN_FREE] = min(comb[C_MIN_FREE], free)
    comb[C_MAX_DEPLOYED] = max(comb[C_MAX_DEPLOYED], deployed)
    comb[C_SLOTS] += 1
    if record:
        curve[slot, K_ALPHA] = alpha
        curve[slot, K_DEPLOYED] = deployed
        curve[slot, K_FREE] = free


@njit(cache=True)
def run_portfolio(close: np.ndarray, atr: np.ndarray, atr_avg: np.ndarray,
                  slope: np.ndarray, rsi: np.ndarray, seconds: np.ndarray, day: np.ndarray,
                  code_of_row: np.ndarray, start: np.ndarray, ev_row: np.ndarray, ev_slot: np.ndarray,
                  prms: np.ndarray, caps: np.ndarray, n_layers: np.ndarray, pool_capital: float,
                  reserve: float, equity_base: float, record: bool, rec_f: np.ndarray, rec_i: np.ndarray,
                  alpha_out: np.ndarray, layers_out: np.ndarray, blk_f: np.ndarray, blk_i: np.ndarray,
                  curve: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the portfolio; returns ``(summary per code (S_* slots), pool figures per code (P_*),
    portfolio figures (C_*))``; with ``record`` also the trades, curves and refused buys."""
    n_codes = start.size
    s = np.zeros((n_codes, L.N_SUMMARY))
    pst = np.zeros((n_codes, N_POOL))
    comb = np.zeros(N_COMBINED)
    comb[C_MIN_FREE] = pool_capital
    x = np.zeros((n_codes, N_STATE))
    y = np.zeros((n_codes, N_Y))
    book = np.zeros((n_codes, 4, caps.shape[1]))
    mask = np.zeros(caps.shape[1], dtype=np.bool_)
    state = np.zeros(2)  # combined Alpha at the first slot, running equity peak
    for c in range(n_codes):
        _start_code(c, close[start[c]], x, y, params_from_vector(prms[c]))
    n_events = ev_row.size
    for e in range(n_events):
        i = ev_row[e]
        c = code_of_row[i]
        j = i - start[c]
        rp = params_from_vector(prms[c])
        _new_day(c, day[i], x, y, s)
        p = close[i]
        n_lots = int(x[c, X_NLOTS])
        since = j - int(x[c, X_EXIT_BAR]) if x[c, X_EXIT_BAR] >= 0 else -1
        n_sell, buy, forced = decide(p, atr[i], atr_avg[i], slope[i], rsi[i], seconds[i], x[c, X_ANCHOR],
                                     since, book[c, B_PRICE, :n_lots], book[c, B_SHARES, :n_lots],
                                     caps[c, :n_layers[c]], rp, mask)
        if n_sell > 0:
            _apply_sells(book[c], mask, p, j, False, forced, x[c], s[c], rp, record, rec_f[c], rec_i[c])
        if buy > 0:
            cost = buy * p + fee(buy * p, rp)
            free = _free_cash(pool_capital, x)
            remaining = int(x[c, X_NLOTS])
            verdict = pool_verdict_compiled(free, cost, remaining == 0, reserve)
            if verdict == POOL_OK:
                _apply_buy(book[c], buy, p, j, x[c], s[c], rp, record, rec_f[c], rec_i[c])
            else:
                _block(c, j, remaining + 1, buy, p, free, verdict, x, y, pst, comb, record, blk_f, blk_i)
        alpha = _mark(c, j, p, x, y, rp)
        if record:
            alpha_out[i] = alpha
            layers_out[i] = int(x[c, X_NLOTS])
        if e + 1 == n_events or ev_slot[e + 1] != ev_slot[e]:
            _slot_end(ev_slot[e], pool_capital, equity_base, x, y, pst, comb, state, record, curve)
    for c in range(n_codes):
        _day_end(y[c, Y_LAST_EQ], y[c, Y_DAY_EQ0], y[c, Y_USED] != 0, s[c])
        s[c, L.S_MAX_DD] = y[c, Y_MAX_DD]
        s[c, L.S_UTIL_SUM] = y[c, Y_UTIL]
        s[c, L.S_ALPHA] = x[c, X_CASH] + x[c, X_TOTAL_SHARES] * y[c, Y_LAST_CLOSE]
        s[c, L.S_OPEN_LOTS] = x[c, X_NLOTS]
        s[c, L.S_N_TRADES_REC] = x[c, X_NREC]
    return s, pst, comb
