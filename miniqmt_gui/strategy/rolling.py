"""The indicators of SPEC §5 as compiled loops that reproduce pandas bit for bit.

pandas is the reference (the original plan computed the indicators with it), but importing it costs
more than a whole backtest, so these loops follow pandas' own algorithms step for step:

- ``Series.rolling(w).mean()``: one running sum with Kahan compensation (one compensation term for
  additions, one for removals), the count of non-NaN values, the count of negative values (a mean of
  all-positive values is never below 0 and vice versa), and a run of identical values returns that
  value itself; a window with fewer than ``w`` values is NaN; ±inf counts as NaN.
- ``Series.ewm(span=s, adjust=False).mean()``: ``alpha = 1 / (1 + (s - 1) / 2)``; the old weight
  decays by ``1 - alpha`` on every row after the first value (a missing value lets it decay further)
  and is reset to 1 after each value; a value equal to the running mean leaves the mean untouched; at
  ``com == 1`` (span 3, the preset's) the new value's weight is ``1 - old weight``, as pandas does.
- ``Series.clip(lower=0)`` keeps ``-0.0`` and NaN; ``diff``/``shift`` are plain differences.

``tests/core/test_rolling_exact.py`` compares every output bit with pandas on market data, synthetic
bars and adversarial series (ties, constants, NaN gaps, signed zeros). Do not replace these with
cumsum-based means: decisions sit on float ties.
"""

from __future__ import annotations

import math

import numpy as np

from miniqmt_gui.strategy.jit import njit
from miniqmt_gui.strategy.slots import (
    I_ATR,
    I_ATR_AVG,
    I_MA,
    I_RSI,
    I_SLOPE,
    N_INDICATORS,
    PART_ALL,
    PART_RANGE,
    PART_TREND,
)


@njit(cache=True, nogil=True)
def _is_value(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))  # pandas' rolling/ewm treat ±inf as missing


@njit(cache=True, nogil=True)
def rolling_mean(values: np.ndarray, window: int) -> np.ndarray:
    """``pd.Series(values).rolling(window).mean()``, bit for bit."""
    n = values.size
    out = np.empty(n)
    nobs, neg_ct, same = 0, 0, 0
    sum_x, comp_add, comp_rem, prev = 0.0, 0.0, 0.0, np.nan
    for i in range(n):
        if i >= window:  # remove the value that leaves the window, then add the new one
            old = values[i - window]
            if _is_value(old):
                nobs -= 1
                y = -old - comp_rem
                t = sum_x + y
                comp_rem = t - sum_x - y
                sum_x = t
                if math.copysign(1.0, old) < 0:
                    neg_ct -= 1
        val = values[i]
        if _is_value(val):
            nobs += 1
            y = val - comp_add
            t = sum_x + y
            comp_add = t - sum_x - y
            sum_x = t
            if math.copysign(1.0, val) < 0:
                neg_ct += 1
            same = same + 1 if val == prev else 1
            prev = val
        if nobs >= window and nobs > 0:
            result = sum_x / nobs
            if same >= nobs:
                result = prev
            elif (neg_ct == 0 and result < 0) or (neg_ct == nobs and result > 0):
                result = 0.0
            out[i] = result
        else:
            out[i] = np.nan
    return out


@njit(cache=True, nogil=True)
def ewm_mean(values: np.ndarray, span: float) -> np.ndarray:
    """``pd.Series(values).ewm(span=span, adjust=False).mean()``, bit for bit."""
    n = values.size
    out = np.empty(n)
    if n == 0:
        return out
    com = (span - 1.0) / 2.0
    alpha = 1.0 / (1.0 + com)
    old_wt_factor = 1.0 - alpha
    new_wt = alpha
    weighted = values[0] if _is_value(values[0]) else np.nan
    out[0] = weighted
    old_wt = 1.0
    for i in range(1, n):
        cur = values[i]
        seen = _is_value(cur)
        if weighted == weighted:
            old_wt *= old_wt_factor
            if com == 1.0:
                new_wt = 1.0 - old_wt  # pandas' rule for irregular steps, which it applies at com == 1
            if seen:
                if weighted != cur:
                    weighted = old_wt * weighted + new_wt * cur
                    weighted /= old_wt + new_wt
                old_wt = 1.0
        elif seen:
            weighted = cur
        out[i] = weighted
    return out


@njit(cache=True, nogil=True)
def _clip_low(x: float) -> float:
    # Series.clip(lower=0): NaN and x >= 0 (including -0.0) stay, the rest becomes 0
    return x if (x != x or x >= 0) else 0.0


@njit(cache=True, nogil=True)
def indicator_matrix(high: np.ndarray, low: np.ndarray, close: np.ndarray, atr_period: int,
                     ma_period: int, slope_lag: int, slope_span: int, atr_avg_period: int,
                     rsi_period: int) -> np.ndarray:
    """Rows ``I_ATR, I_ATR_AVG, I_MA, I_SLOPE, I_RSI`` for every bar (NaN while undefined)."""
    out = np.empty((N_INDICATORS, close.size))
    indicator_rows(high, low, close, atr_period, ma_period, slope_lag, slope_span, atr_avg_period, rsi_period,
                   PART_ALL, out)
    return out


@njit(cache=True, nogil=True)
def indicator_rows(high: np.ndarray, low: np.ndarray, close: np.ndarray, atr_period: int,
                   ma_period: int, slope_lag: int, slope_span: int, atr_avg_period: int,
                   rsi_period: int, part: int, out: np.ndarray) -> int:
    """Fill rows of ``out`` (``N_INDICATORS`` × bars): ``PART_RANGE`` the rows from true range and price
    changes (ATR, ATR_AVG, RSI), ``PART_TREND`` the moving average's (MA, SLOPE), ``PART_ALL`` both.

    The two parts share no row, so two threads can fill one matrix at once. Returns the bars.
    """
    n = close.size
    if n == 0:
        return 0
    if part != PART_TREND:
        _range_rows(high, low, close, atr_period, atr_avg_period, rsi_period, out)
    if part != PART_RANGE:
        _trend_rows(close, ma_period, slope_lag, slope_span, out)
    return n


@njit(cache=True, nogil=True)
def _range_rows(high: np.ndarray, low: np.ndarray, close: np.ndarray, atr_period: int, atr_avg_period: int,
                rsi_period: int, out: np.ndarray) -> None:
    n = close.size
    tr = np.empty(n)
    gains = np.empty(n)
    losses = np.empty(n)
    for i in range(n):
        if i == 0:
            tr[i] = gains[i] = losses[i] = np.nan
            continue
        pc = close[i - 1]
        tr[i] = max(max(high[i] - low[i], abs(high[i] - pc)), abs(low[i] - pc))
        if math.isnan(high[i]) or math.isnan(low[i]) or math.isnan(pc):
            tr[i] = np.nan  # np.maximum propagates NaN
        delta = close[i] - pc
        gains[i] = _clip_low(delta)
        losses[i] = _clip_low(-delta)
    out[I_ATR] = rolling_mean(tr, atr_period)
    avg = rolling_mean(out[I_ATR], atr_avg_period)
    out[I_ATR_AVG, 0] = np.nan
    out[I_ATR_AVG, 1:] = avg[: n - 1]
    g = rolling_mean(gains, rsi_period)
    lo = rolling_mean(losses, rsi_period)
    for i in range(n):
        if math.isnan(g[i]) or math.isnan(lo[i]):
            out[I_RSI, i] = np.nan
        elif lo[i] == 0:
            out[I_RSI, i] = 100.0  # gains/0 = inf -> 100; 0/0 is undefined -> 100 by definition
        else:
            out[I_RSI, i] = 100 - 100 / (1 + g[i] / lo[i])


@njit(cache=True, nogil=True)
def _trend_rows(close: np.ndarray, ma_period: int, slope_lag: int, slope_span: int, out: np.ndarray) -> None:
    n = close.size
    ma = rolling_mean(close, ma_period)
    out[I_MA] = ma
    raw = np.full(n, np.nan)
    for i in range(slope_lag, n):
        base = ma[i - slope_lag]
        if base != 0:
            raw[i] = (ma[i] - base) / base
        elif ma[i] - base == 0 or math.isnan(ma[i] - base):
            raw[i] = np.nan  # 0/0 and NaN/0
        else:
            raw[i] = math.copysign(np.inf, ma[i] - base) * math.copysign(1.0, base)
    out[I_SLOPE] = ewm_mean(raw, float(slope_span))
