"""Rule parameter tuple, summary-vector slots, fill-model and trade-reason codes (no numba here).

The compiled loop returns its figures in one ``float64`` vector; these integer constants name the
slots (numba treats them as compile-time constants).
"""

from __future__ import annotations

from typing import NamedTuple

# --- backtest summary slots -------------------------------------------------------------
S_TRADES = 0
S_BUYS = 1
S_SELLS = 2
S_ALPHA = 3
S_FEES = 4
S_MAX_DD = 5
S_EXHAUST = 6
S_EXHAUST_CYCLES = 7
S_LOSING_CYCLES = 8
S_CYCLES = 9
S_DAYS_UTIL = 10
S_DAYS = 11
S_WINS = 12
S_UTIL_SUM = 13
S_RET_N = 14
S_RET_SUM = 15
S_RET_SQ = 16
S_FORCED = 17
S_OPEN_LOTS = 18
S_N_TRADES_REC = 19
S_BLOCKED_T1 = 20
S_BLOCKED_CASH = 21
N_SUMMARY = 22

# --- rows of the indicator matrix (rolling.indicator_matrix) ----------------------------
I_ATR = 0
I_ATR_AVG = 1
I_MA = 2
I_SLOPE = 3
I_RSI = 4
N_INDICATORS = 5
#: which rows ``rolling.indicator_rows`` fills: all, ATR/ATR_AVG/RSI, MA/SLOPE (no row in common)
PART_ALL, PART_RANGE, PART_TREND = 0, 1, 2

# --- bar-text reader (bar_bytes.parse_bar_text): status slots and time kinds ------------
ST_OK = 0
ST_TIME_KIND = 1
ST_BAD_ROW = 2
TIME_TEXT = 1  # local wall-clock seconds since 1970
TIME_NUMBER = 2  # the whole number as written

# --- fill models ------------------------------------------------------------------------
FILL_CLOSE = 0
FILL_REALISTIC = 1

# --- trade reasons ----------------------------------------------------------------------
R_GRID_BUY = 0
R_TAKE_PROFIT = 1
R_FLOAT_STOP = 2


class RuleParams(NamedTuple):
    """Numeric parameters of the rules (see :meth:`StrategyParams.rule_params`)."""

    atr_factor: float
    step_floor: float
    layer_bonus: float
    up_step: float
    up_tp: float
    up_size: float
    down_step: float
    down_tp: float
    down_size: float
    take_profit: float
    tp_mult: float
    breaker_mult: float
    cooldown: float
    cooldown_oversold: float
    oversold_rsi: float
    float_stop_on: float
    float_stop_cny: float
    time_filter_on: float
    no_first_from: float
    no_first_until: float
    no_buy_after: float
    lot: float
    tick: float
    commission: float
    min_commission: float
    slippage_ticks: float
    free_cash: float
    flow_capital: float
    base_capital: float
    max_layers: float
