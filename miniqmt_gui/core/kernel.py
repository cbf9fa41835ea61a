"""The compiled backtest loop: per bar it calls :func:`rules.decide` and applies the fills.

Fill models (``fill_mode``): ``FILL_CLOSE`` fills at the deciding bar's close with no cash or T+1
check; ``FILL_REALISTIC`` fills at the next bar's open plus/minus slippage ticks, with a cash limit
(flow fund + free cash) and T+1 on the sellable quantity (base + lots held overnight). Summary
figures are accumulated inline (slots ``S_*`` in :mod:`layout`) so a sweep needs no per-trade output;
with ``record`` true the trades and the per-bar Alpha/layer curves are written to the given arrays.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from miniqmt_gui.core import layout as L
from miniqmt_gui.core.rules import decide, fee, round_to_tick

# book: per-lot arrays, columns of the float matrix
B_PRICE, B_SHARES, B_COST, B_LAYER, B_DAY = 0, 1, 2, 3, 4
# scalar state slots
X_CASH, X_ANCHOR, X_EXIT_BAR, X_NLOTS, X_CYCLE_CASH, X_CYCLE_MAX, X_SOLD_TODAY, X_START_SHARES = range(8)
X_BASE_SHARES, X_TOTAL_SHARES, X_NREC, X_DEPLOYED = 8, 9, 10, 11
N_STATE = 12


@njit(cache=True)
def _record(rec_f: np.ndarray, rec_i: np.ndarray, x: np.ndarray, bar: int, side: int, layer: float,
            shares: float, price: float, fee_paid: float, pnl: float, reason: int) -> None:
    j = int(x[X_NREC])
    if j < rec_i.shape[0]:
        rec_i[j, 0] = bar
        rec_i[j, 1] = side
        rec_i[j, 2] = int(layer)
        rec_i[j, 3] = reason
        rec_f[j, 0] = shares
        rec_f[j, 1] = price
        rec_f[j, 2] = fee_paid
        rec_f[j, 3] = pnl
        x[X_NREC] = j + 1


@njit(cache=True)
def _apply_sells(book: np.ndarray, mask: np.ndarray, price: float, bar: int, t1: bool, forced: bool,
                 x: np.ndarray, s: np.ndarray, prm: np.ndarray, record: bool,
                 rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Sell the masked lots at ``price`` (each lot is one trade) and compact the book."""
    n = int(x[X_NLOTS])
    keep = 0
    for k in range(n):
        shares = book[k, B_SHARES]
        allowed = not t1 or x[X_SOLD_TODAY] + shares <= x[X_START_SHARES]
        if mask[k] and not allowed:
            s[L.S_BLOCKED_T1] += 1
        if mask[k] and allowed:
            value = shares * price
            f = fee(value, prm)
            x[X_CASH] += value - f
            x[X_SOLD_TODAY] += shares
            x[X_TOTAL_SHARES] -= shares
            x[X_DEPLOYED] -= shares * book[k, B_PRICE]
            pnl = value - f - book[k, B_COST]
            s[L.S_TRADES] += 1
            s[L.S_SELLS] += 1
            s[L.S_FEES] += f
            if pnl > 0:
                s[L.S_WINS] += 1
            if record:
                reason = L.R_FLOAT_STOP if forced else L.R_TAKE_PROFIT
                _record(rec_f, rec_i, x, bar, -1, book[k, B_LAYER], shares, price, f, pnl, reason)
        else:
            book[keep, :] = book[k, :]
            keep += 1
    x[X_NLOTS] = keep
    if keep == 0 and n > 0:
        _close_cycle(price, bar, forced, book.shape[0], x, s)


@njit(cache=True)
def _close_cycle(price: float, bar: int, forced: bool, n_layers: int, x: np.ndarray, s: np.ndarray) -> None:
    """Full exit: new anchor, cool-down clock starts, cycle statistics."""
    x[X_ANCHOR] = price
    x[X_EXIT_BAR] = bar
    s[L.S_CYCLES] += 1
    if forced:
        s[L.S_FORCED] += 1
    if x[X_CYCLE_MAX] >= n_layers:
        s[L.S_EXHAUST_CYCLES] += 1
        if x[X_CASH] - x[X_CYCLE_CASH] < 0:
            s[L.S_LOSING_CYCLES] += 1


@njit(cache=True)
def _apply_buy(book: np.ndarray, shares: float, price: float, bar: int, day: int, cash_limit: bool,
               x: np.ndarray, s: np.ndarray, prm: np.ndarray, n_layers: int, record: bool,
               rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Buy one layer of ``shares`` at ``price`` (reduced to the available cash when limited)."""
    lot = prm[L.P_LOT]
    if cash_limit:
        available = prm[L.P_FLOW_CAPITAL] + prm[L.P_FREE_CASH] + x[X_CASH]
        wanted = shares
        shares = min(shares, math.floor(max(available, 0.0) / price / lot) * lot)
        while shares > 0 and shares * price + fee(shares * price, prm) > available:
            shares -= lot
        if shares < wanted:
            s[L.S_BLOCKED_CASH] += 1
    if shares <= 0:
        return
    n = int(x[X_NLOTS])
    if n == 0:
        x[X_CYCLE_CASH] = x[X_CASH]
        x[X_CYCLE_MAX] = 0
    value = shares * price
    f = fee(value, prm)
    x[X_CASH] -= value + f
    x[X_TOTAL_SHARES] += shares
    x[X_DEPLOYED] += value
    book[n, B_PRICE] = price
    book[n, B_SHARES] = shares
    book[n, B_COST] = value + f
    book[n, B_LAYER] = n + 1
    book[n, B_DAY] = day
    x[X_NLOTS] = n + 1
    x[X_ANCHOR] = price
    x[X_CYCLE_MAX] = max(x[X_CYCLE_MAX], n + 1)
    s[L.S_TRADES] += 1
    s[L.S_BUYS] += 1
    s[L.S_FEES] += f
    if n + 1 == n_layers:
        s[L.S_EXHAUST] += 1
    if record:
        _record(rec_f, rec_i, x, bar, 1, n + 1, shares, price, f, 0.0, L.R_GRID_BUY)


@njit(cache=True)
def _new_day(x: np.ndarray) -> None:
    """T+1 bookkeeping at the first bar of a day: sellable = base + lots held overnight."""
    x[X_SOLD_TODAY] = 0.0
    x[X_START_SHARES] = x[X_BASE_SHARES] + x[X_TOTAL_SHARES]


@njit(cache=True)
def _fill_pending(i: int, open_: np.ndarray, day: np.ndarray, mask: np.ndarray, n_sell: int,
                  buy_shares: float, forced: bool, book: np.ndarray, x: np.ndarray, s: np.ndarray,
                  prm: np.ndarray, record: bool, rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Realistic model: fill the previous bar's decision at this bar's open with slippage."""
    tick = prm[L.P_TICK]
    slip = prm[L.P_SLIPPAGE_TICKS] * tick
    if n_sell > 0:
        px = max(round_to_tick(open_[i] - slip, tick), tick)
        _apply_sells(book, mask, px, i, True, forced, x, s, prm, record, rec_f, rec_i)
    if buy_shares > 0:
        px = round_to_tick(open_[i] + slip, tick)
        _apply_buy(book, buy_shares, px, i, day[i], True, x, s, prm, book.shape[0], record, rec_f, rec_i)


@njit(cache=True)
def run_bars(open_: np.ndarray, close: np.ndarray, atr: np.ndarray, atr_avg: np.ndarray,
             slope: np.ndarray, rsi: np.ndarray, seconds: np.ndarray, day: np.ndarray,
             prm: np.ndarray, caps: np.ndarray, fill_mode: int, record: bool,
             rec_f: np.ndarray, rec_i: np.ndarray, alpha_out: np.ndarray,
             layers_out: np.ndarray) -> np.ndarray:
    """Run the strategy over prepared bars; returns the summary vector (slots ``S_*``)."""
    n = close.size
    s = np.zeros(L.N_SUMMARY)
    if n == 0:
        return s
    n_layers = caps.size
    book = np.zeros((n_layers, 5))
    mask = np.zeros(n_layers, dtype=np.bool_)
    x = np.zeros(N_STATE)
    x[X_ANCHOR] = close[0]
    x[X_EXIT_BAR] = -1
    lot = prm[L.P_LOT]
    x[X_BASE_SHARES] = math.floor(prm[L.P_BASE_CAPITAL] / close[0] / lot) * lot
    realistic = fill_mode == L.FILL_REALISTIC
    pend_sell, pend_buy, pend_forced = 0, 0.0, False
    alpha0 = 0.0
    peak = 0.0
    day_eq0 = 0.0
    last_eq = 0.0
    cur_day = -1
    used_today = False
    for i in range(n):
        if day[i] != cur_day:
            if cur_day >= 0:
                _day_end(last_eq, day_eq0, used_today, s)
                day_eq0 = last_eq
            cur_day = day[i]
            used_today = False
            _new_day(x)
        if realistic and (pend_sell > 0 or pend_buy > 0):
            _fill_pending(i, open_, day, mask, pend_sell, pend_buy, pend_forced, book, x, s, prm,
                          record, rec_f, rec_i)
            pend_sell, pend_buy, pend_forced = 0, 0.0, False
        p = close[i]
        n_lots = int(x[X_NLOTS])
        since = i - int(x[X_EXIT_BAR]) if x[X_EXIT_BAR] >= 0 else -1
        n_sell, buy, forced = decide(p, atr[i], atr_avg[i], slope[i], rsi[i], seconds[i], x[X_ANCHOR],
                                     since, book[:, B_PRICE], book[:, B_SHARES], n_lots, prm, caps, mask)
        if realistic:
            if i + 1 < n:
                pend_sell, pend_buy, pend_forced = n_sell, buy, forced
        else:
            if n_sell > 0:
                _apply_sells(book, mask, p, i, False, forced, x, s, prm, record, rec_f, rec_i)
            if buy > 0:
                _apply_buy(book, buy, p, i, day[i], False, x, s, prm, n_layers, record, rec_f, rec_i)
        alpha = x[X_CASH] + x[X_TOTAL_SHARES] * p
        if i == 0:
            alpha0 = alpha
            day_eq0 = prm[L.P_FLOW_CAPITAL] + prm[L.P_BASE_CAPITAL]
        eq = prm[L.P_FLOW_CAPITAL] + prm[L.P_BASE_CAPITAL] + alpha - alpha0
        peak = max(peak, eq)
        s[L.S_MAX_DD] = min(s[L.S_MAX_DD], eq / peak - 1)
        last_eq = eq
        nl = int(x[X_NLOTS])
        if nl > 0:
            used_today = True
            s[L.S_UTIL_SUM] += x[X_DEPLOYED]
        if record:
            alpha_out[i] = alpha
            layers_out[i] = nl
    _day_end(last_eq, day_eq0, used_today, s)
    s[L.S_ALPHA] = x[X_CASH] + x[X_TOTAL_SHARES] * close[n - 1]
    s[L.S_OPEN_LOTS] = x[X_NLOTS]
    s[L.S_N_TRADES_REC] = x[X_NREC]
    return s


@njit(cache=True)
def _day_end(eq: float, eq_prev: float, used: bool, s: np.ndarray) -> None:
    """Close a day: daily return of the Alpha equity, utilisation day count."""
    s[L.S_DAYS] += 1
    if used:
        s[L.S_DAYS_UTIL] += 1
    r = eq / eq_prev - 1
    s[L.S_RET_N] += 1
    s[L.S_RET_SUM] += r
    s[L.S_RET_SQ] += r * r


@njit(cache=True, parallel=True)
def run_grid(open_: np.ndarray, close: np.ndarray, atr: np.ndarray, atr_avg: np.ndarray,
             slope: np.ndarray, rsi: np.ndarray, seconds: np.ndarray, day: np.ndarray,
             prms: np.ndarray, caps: np.ndarray, n_layers: np.ndarray, fill_mode: int) -> np.ndarray:
    """Run every parameter row of ``prms`` in parallel; row k uses ``caps[k, :n_layers[k]]``."""
    m = prms.shape[0]
    out = np.zeros((m, L.N_SUMMARY))
    rec_f = np.zeros((0, 4))
    rec_i = np.zeros((0, 4), dtype=np.int64)
    curve = np.zeros(0)
    layers = np.zeros(0, dtype=np.int64)
    for k in prange(m):
        out[k, :] = run_bars(open_, close, atr, atr_avg, slope, rsi, seconds, day, prms[k],
                             caps[k, :n_layers[k]], fill_mode, False, rec_f, rec_i, curve, layers)
    return out
