"""Index layout of the packed parameter vector and the backtest summary vector.

The compiled rule functions receive parameters as one ``float64`` array (fast to pass, easy to
stack into a sweep matrix). These integer constants name the slots; numba treats them as
compile-time constants. Only :mod:`miniqmt_gui.core.params` writes the vector.
"""

from __future__ import annotations

# --- parameter vector slots -------------------------------------------------------------
P_ATR_FACTOR = 0
P_STEP_FLOOR = 1
P_LAYER_BONUS = 2
P_UP_STEP = 3
P_UP_TP = 4
P_UP_SIZE = 5
P_DOWN_STEP = 6
P_DOWN_TP = 7
P_DOWN_SIZE = 8
P_TAKE_PROFIT = 9
P_TP_MULT = 10
P_BREAKER_MULT = 11
P_COOLDOWN = 12
P_COOLDOWN_OVERSOLD = 13
P_OVERSOLD_RSI = 14
P_FLOAT_STOP_ON = 15
P_FLOAT_STOP_CNY = 16
P_TIME_FILTER_ON = 17
P_NO_FIRST_FROM = 18
P_NO_FIRST_UNTIL = 19
P_NO_BUY_AFTER = 20
P_LOT = 21
P_TICK = 22
P_COMMISSION = 23
P_MIN_COMMISSION = 24
P_SLIPPAGE_TICKS = 25
P_FREE_CASH = 26
P_FLOW_CAPITAL = 27
P_BASE_CAPITAL = 28
N_PARAMS = 29

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

# --- fill models ------------------------------------------------------------------------
FILL_CLOSE = 0
FILL_REALISTIC = 1

# --- trade reasons ----------------------------------------------------------------------
R_GRID_BUY = 0
R_TAKE_PROFIT = 1
R_FLOAT_STOP = 2
