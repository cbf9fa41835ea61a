"""The compiled backtest loop: per bar it applies the rules of :mod:`rules` and fills the orders.

Fill models (``fill_mode``): ``FILL_CLOSE`` fills at the deciding bar's close with no cash or T+1
check; ``FILL_REALISTIC`` fills at the next bar's open ± slippage ticks, with a cash limit (flow fund
+ free cash) and T+1 on the sellable quantity (base + lots held overnight − sold today). Summary
figures accumulate inline (slots ``S_*`` in :mod:`layout`), so a sweep needs no per-trade output;
with ``record`` the trades and the per-bar Alpha and layer count are written to the given arrays.

The per-bar composition in :func:`run_bars` mirrors :func:`rules.decide` step for step; it is
written out here only so the hot loop passes no arrays to helper functions (numba would reference
count them on every bar). Trades are rare, so the fill helpers take arrays.
"""

from __future__ import annotations

import math

import numpy as np

from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.jit import njit
from miniqmt_gui.strategy.rules import (
    buy_shares,
    fee,
    float_stop,
    lot_sells,
    params_from_vector,
    pre_sell,
    round_to_tick,
)
from miniqmt_gui.strategy.slots import RuleParams

# lot book rows
B_PRICE, B_SHARES, B_COST, B_LAYER = 0, 1, 2, 3
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
def _close_cycle(price: float, bar: int, forced: bool, x: np.ndarray, s: np.ndarray, rp: RuleParams) -> None:
    """Full exit: new anchor, the cool-down clock starts, cycle statistics."""
    x[X_ANCHOR] = price
    x[X_EXIT_BAR] = bar
    s[L.S_CYCLES] += 1
    if forced:
        s[L.S_FORCED] += 1
    if x[X_CYCLE_MAX] >= rp.max_layers:
        s[L.S_EXHAUST_CYCLES] += 1
        if x[X_CASH] - x[X_CYCLE_CASH] < 0:
            s[L.S_LOSING_CYCLES] += 1


@njit(cache=True)
def _apply_sells(book: np.ndarray, mask: np.ndarray, price: float, bar: int, t1: bool, forced: bool,
                 x: np.ndarray, s: np.ndarray, rp: RuleParams, record: bool,
                 rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Sell the masked lots at ``price`` (each lot is one trade) and compact the book."""
    n = int(x[X_NLOTS])
    keep = 0
    for k in range(n):
        shares = book[B_SHARES, k]
        allowed = not t1 or x[X_SOLD_TODAY] + shares <= x[X_START_SHARES]
        if mask[k] and not allowed:
            s[L.S_BLOCKED_T1] += 1
        if mask[k] and allowed:
            value = shares * price
            f = fee(value, rp)
            x[X_CASH] += value - f
            x[X_SOLD_TODAY] += shares
            x[X_TOTAL_SHARES] -= shares
            x[X_DEPLOYED] -= shares * book[B_PRICE, k]
            pnl = value - f - book[B_COST, k]
            s[L.S_TRADES] += 1
            s[L.S_SELLS] += 1
            s[L.S_FEES] += f
            s[L.S_WINS] += pnl > 0
            if record:
                reason = L.R_FLOAT_STOP if forced else L.R_TAKE_PROFIT
                _record(rec_f, rec_i, x, bar, -1, book[B_LAYER, k], shares, price, f, pnl, reason)
        else:
            book[:, keep] = book[:, k]
            keep += 1
    x[X_NLOTS] = keep
    if keep == 0 and n > 0:
        _close_cycle(price, bar, forced, x, s, rp)


@njit(cache=True)
def _affordable(shares: float, price: float, x: np.ndarray, s: np.ndarray, rp: RuleParams) -> float:
    """Realistic model: reduce ``shares`` (whole lots) to what flow fund + free cash can pay."""
    available = rp.flow_capital + rp.free_cash + x[X_CASH]
    wanted = shares
    shares = min(shares, math.floor(max(available, 0.0) / price / rp.lot) * rp.lot)
    while shares > 0 and shares * price + fee(shares * price, rp) > available:
        shares -= rp.lot
    if shares < wanted:
        s[L.S_BLOCKED_CASH] += 1
    return shares


@njit(cache=True)
def _apply_buy(book: np.ndarray, shares: float, price: float, bar: int, x: np.ndarray, s: np.ndarray,
               rp: RuleParams, record: bool, rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Buy one layer of ``shares`` at ``price``; the anchor becomes ``price``."""
    if shares <= 0:
        return
    n = int(x[X_NLOTS])
    if n == 0:
        x[X_CYCLE_CASH] = x[X_CASH]
        x[X_CYCLE_MAX] = 0
    value = shares * price
    f = fee(value, rp)
    x[X_CASH] -= value + f
    x[X_TOTAL_SHARES] += shares
    x[X_DEPLOYED] += value
    book[B_PRICE, n] = price
    book[B_SHARES, n] = shares
    book[B_COST, n] = value + f
    book[B_LAYER, n] = n + 1
    x[X_NLOTS] = n + 1
    x[X_ANCHOR] = price
    x[X_CYCLE_MAX] = max(x[X_CYCLE_MAX], n + 1)
    s[L.S_TRADES] += 1
    s[L.S_BUYS] += 1
    s[L.S_FEES] += f
    if n + 1 == rp.max_layers:
        s[L.S_EXHAUST] += 1
    if record:
        _record(rec_f, rec_i, x, bar, 1, n + 1, shares, price, f, 0.0, L.R_GRID_BUY)


@njit(cache=True)
def _fill_next_open(px_open: float, bar: int, mask: np.ndarray, n_sell: int, buy: float, forced: bool,
                    book: np.ndarray, x: np.ndarray, s: np.ndarray, rp: RuleParams, record: bool,
                    rec_f: np.ndarray, rec_i: np.ndarray) -> None:
    """Realistic model: fill the previous bar's decision at this bar's open with slippage."""
    slip = rp.slippage_ticks * rp.tick
    if n_sell > 0:
        px = max(round_to_tick(px_open - slip, rp.tick), rp.tick)
        _apply_sells(book, mask, px, bar, True, forced, x, s, rp, record, rec_f, rec_i)
    if buy > 0:
        px = round_to_tick(px_open + slip, rp.tick)
        shares = _affordable(buy, px, x, s, rp)
        _apply_buy(book, shares, px, bar, x, s, rp, record, rec_f, rec_i)


@njit(cache=True)
def _floating_pnl(price: float, book: np.ndarray, n_lots: int) -> float:
    total = 0.0
    for k in range(n_lots):
        total += book[B_SHARES, k] * (price - book[B_PRICE, k])
    return total


@njit(cache=True)
def _sync_prices(book: np.ndarray, lp: np.ndarray, x: np.ndarray) -> float:
    """Copy the lots' buy prices into ``lp``; returns the lowest (inf without lots)."""
    low = np.inf
    for k in range(int(x[X_NLOTS])):
        lp[k] = book[B_PRICE, k]
        low = min(low, lp[k])
    return low


@njit(cache=True)
def _day_end(eq: float, eq_prev: float, used: bool, s: np.ndarray) -> None:
    """Close a day: daily return of the Alpha equity, utilisation day count."""
    s[L.S_DAYS] += 1
    s[L.S_DAYS_UTIL] += used
    r = eq / eq_prev - 1
    s[L.S_RET_N] += 1
    s[L.S_RET_SUM] += r
    s[L.S_RET_SQ] += r * r


@njit(cache=True, nogil=True)
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
    rp = params_from_vector(prm)
    n_layers = caps.size
    book = np.zeros((4, n_layers))
    lp = np.zeros(n_layers)
    mask = np.zeros(n_layers, dtype=np.bool_)
    x = np.zeros(N_STATE)
    x[X_ANCHOR] = close[0]
    x[X_EXIT_BAR] = -1
    x[X_BASE_SHARES] = math.floor(rp.base_capital / close[0] / rp.lot) * rp.lot
    realistic = fill_mode == L.FILL_REALISTIC
    start_eq = rp.flow_capital + rp.base_capital
    pend_sell, pend_buy, pend_forced = 0, 0.0, False
    alpha0 = peak = max_dd = util_sum = last_eq = 0.0
    day_eq0 = start_eq
    cur_day = -1
    used_today = False
    min_lp = np.inf
    for i in range(n):
        if day[i] != cur_day:
            if cur_day >= 0:
                _day_end(last_eq, day_eq0, used_today, s)
                day_eq0 = last_eq
            cur_day = day[i]
            used_today = False
            x[X_SOLD_TODAY] = 0.0
            x[X_START_SHARES] = x[X_BASE_SHARES] + x[X_TOTAL_SHARES]
        if pend_sell > 0 or pend_buy > 0:
            _fill_next_open(open_[i], i, mask, pend_sell, pend_buy, pend_forced, book, x, s, rp,
                            record, rec_f, rec_i)
            min_lp = _sync_prices(book, lp, x)
            pend_sell, pend_buy, pend_forced = 0, 0.0, False
        # --- one evaluation: same steps as rules.decide ---
        p = close[i]
        n_lots = int(x[X_NLOTS])
        buy_ok, tp_mult, size_f = pre_sell(p, atr[i], atr_avg[i], slope[i], x[X_ANCHOR], n_lots, rp)
        forced = False
        if rp.float_stop_on != 0.0:
            forced = float_stop(_floating_pnl(p, book, n_lots), n_lots, rp)
        n_sell = 0
        # exact shortcut: if the cheapest lot does not sell, none does (x -> x * c is monotone)
        if forced or (n_lots > 0 and lot_sells(p, min_lp, tp_mult)):
            for k in range(n_lots):
                sell = forced or lot_sells(p, lp[k], tp_mult)
                mask[k] = sell
                n_sell += sell
        remaining = n_lots - n_sell
        buy = 0.0
        if not forced and remaining < n_layers:
            since = i - int(x[X_EXIT_BAR]) if x[X_EXIT_BAR] >= 0 else -1
            if remaining == 0 and n_sell > 0:
                since = 0
            buy = buy_shares(p, buy_ok, size_f, remaining, since, rsi[i], seconds[i], caps[remaining], rp)
        # --- fills ---
        if realistic:
            if i + 1 < n:
                pend_sell, pend_buy, pend_forced = n_sell, buy, forced
        elif n_sell > 0 or buy > 0:
            if n_sell > 0:
                _apply_sells(book, mask, p, i, False, forced, x, s, rp, record, rec_f, rec_i)
            _apply_buy(book, buy, p, i, x, s, rp, record, rec_f, rec_i)
            min_lp = _sync_prices(book, lp, x)
        # --- curves and statistics ---
        alpha = x[X_CASH] + x[X_TOTAL_SHARES] * p
        if i == 0:
            alpha0 = alpha
        eq = start_eq + alpha - alpha0
        peak = max(peak, eq)
        max_dd = min(max_dd, eq / peak - 1)
        last_eq = eq
        nl = int(x[X_NLOTS])
        if nl > 0:
            used_today = True
            util_sum += x[X_DEPLOYED]
        if record:
            alpha_out[i] = alpha
            layers_out[i] = nl
    _day_end(last_eq, day_eq0, used_today, s)
    s[L.S_MAX_DD] = max_dd
    s[L.S_UTIL_SUM] = util_sum
    s[L.S_ALPHA] = x[X_CASH] + x[X_TOTAL_SHARES] * close[n - 1]
    s[L.S_OPEN_LOTS] = x[X_NLOTS]
    s[L.S_N_TRADES_REC] = x[X_NREC]
    return s


@njit(cache=True, nogil=True)
def run_points(open_: np.ndarray, close: np.ndarray, atr: np.ndarray, atr_avg: np.ndarray,
               slope: np.ndarray, rsi: np.ndarray, seconds: np.ndarray, day: np.ndarray,
               prms: np.ndarray, caps: np.ndarray, n_layers: np.ndarray, fill_mode: int) -> np.ndarray:
    """Run every parameter row of ``prms`` (summary rows); row k uses ``caps[k, :n_layers[k]]``.

    It releases the GIL, so the sweep runs slices of the rows on several threads at once.
    """
    m = prms.shape[0]
    out = np.zeros((m, L.N_SUMMARY))
    rec_f = np.zeros((0, 4))
    rec_i = np.zeros((0, 4), dtype=np.int64)
    no_f, no_i = np.zeros(0), np.zeros(0, dtype=np.int64)
    for k in range(m):
        out[k, :] = run_bars(open_, close, atr, atr_avg, slope, rsi, seconds, day, prms[k],
                             caps[k, :n_layers[k]], fill_mode, False, rec_f, rec_i, no_f, no_i)
    return out
