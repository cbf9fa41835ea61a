"""Backtest metrics (names as in the original plan) derived from the compiled loop's summary.

Definitions (SPEC §5):

- ``trades`` = buys + sells, every lot sold counts as one trade.
- ``alpha_cny`` = the flow fund's net cash flow (from 0) + open lots marked at the last close, no fees.
- ``beta_cny`` = (last close − first close) × base capital / first close (first close = first bar
  after the warm-up).
- ``max_drawdown`` = worst fall of (base + flow + Alpha − Alpha at the first bar) from its running
  peak, as a fraction (≤ 0).
- ``flow_annualized`` = Alpha / flow capital × 365 / calendar days of the run.
- ``days_util`` = trading days on which at least one lot was held at a bar's end, and 1 when no lot
  was ever held (the original plan's floor, which keeps the next figure defined).
- ``flow_annualized_util`` = Alpha / flow capital × 365 / ``days_util``: the original plan's
  definition (each trading day in use counts as one day of the year); the sweep ranks by it.
- ``flow_annualized_in_use`` = Alpha / flow capital × 365 / (calendar days × held days / trading days):
  annualised over the share of calendar time the flow fund was in use (0 when no lot was held).
  It equals ``flow_annualized_util`` × ``days_util`` / (calendar days × ``days_util`` / trading days),
  i.e. the original's figure × trading days / calendar days.
- ``capital_utilisation`` = mean over bars of (cost of open lots / flow capital).
- ``sharpe`` = mean / std (ddof 1) of daily Alpha-equity returns × √250.
- ``win_rate`` = share of sold lots with a positive net P&L (after both fees).
- ``score`` (sweep ranking) = flow_annualized_util % + 0.3 × max_drawdown %.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from miniqmt_gui.strategy import slots as L

SHARPE_DAYS = 250.0


#: metrics a sweep or a walk-forward may rank points by (higher is better)
SCORES = ("score", "alpha_cny", "total_cny", "flow_annualized", "flow_annualized_util", "sharpe", "win_rate",
          "max_drawdown")


def calendar_days(first: Any, last: Any) -> float:
    """Calendar days between two timestamps (at least one day), as :meth:`PreparedBars.calendar_days`."""
    return max((last - first).total_seconds() / 86400.0, 1.0)


def derive(summary: np.ndarray, first_close: float, last_close: float, n_bars: int,
           days: float, flow_capital: float, base_capital: float) -> dict[str, Any]:
    """Turn summary rows (``(..., N_SUMMARY)``) into metric arrays/scalars keyed by name."""
    s = np.asarray(summary, dtype=np.float64)
    alpha = s[..., L.S_ALPHA]
    beta = (last_close - first_close) * base_capital / first_close
    ret_n = s[..., L.S_RET_N]
    mean = s[..., L.S_RET_SUM] / np.maximum(ret_n, 1)
    var = (s[..., L.S_RET_SQ] - ret_n * mean * mean) / np.maximum(ret_n - 1, 1)
    std = np.sqrt(np.maximum(var, 0.0))
    held_days = s[..., L.S_DAYS_UTIL]
    days_util = np.maximum(held_days, 1)  # the original's floor: 1 when no lot was ever held
    util_frac = held_days / np.maximum(s[..., L.S_DAYS], 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sharpe = np.where(std > 0, mean / std * np.sqrt(SHARPE_DAYS), 0.0)
        in_use = np.where(util_frac > 0, alpha / flow_capital * 365.0 / (days * util_frac), 0.0)
        win_rate = np.where(s[..., L.S_SELLS] > 0, s[..., L.S_WINS] / s[..., L.S_SELLS], 0.0)
    flow_ann = alpha / flow_capital * 365.0 / days
    out: dict[str, Any] = {
        "trades": s[..., L.S_TRADES].astype(np.int64),
        "buys": s[..., L.S_BUYS].astype(np.int64),
        "sells": s[..., L.S_SELLS].astype(np.int64),
        "alpha_cny": alpha,
        "beta_cny": np.full_like(alpha, beta),
        "total_cny": alpha + beta,
        "max_drawdown": s[..., L.S_MAX_DD],
        "exhaust_count": s[..., L.S_EXHAUST].astype(np.int64),
        "exhaust_cycles": s[..., L.S_EXHAUST_CYCLES].astype(np.int64),
        "losing_cycles": s[..., L.S_LOSING_CYCLES].astype(np.int64),
        "cycles": s[..., L.S_CYCLES].astype(np.int64),
        "forced_stops": s[..., L.S_FORCED].astype(np.int64),
        "open_lots": s[..., L.S_OPEN_LOTS].astype(np.int64),
        "flow_annualized": flow_ann,
        "flow_annualized_util": alpha / flow_capital * 365.0 / days_util,
        "flow_annualized_in_use": in_use,
        "days_util": days_util.astype(np.int64),
        "trading_days": s[..., L.S_DAYS].astype(np.int64),
        "capital_utilisation": s[..., L.S_UTIL_SUM] / max(n_bars, 1) / flow_capital,
        "fees_cny": s[..., L.S_FEES],
        "sharpe": sharpe,
        "win_rate": win_rate,
        "t1_blocked_sells": s[..., L.S_BLOCKED_T1].astype(np.int64),
        "cash_limited_buys": s[..., L.S_BLOCKED_CASH].astype(np.int64),
    }
    out["score"] = out["flow_annualized_util"] * 100 + 0.3 * out["max_drawdown"] * 100
    return out


def to_scalars(metrics: dict[str, Any]) -> dict[str, Any]:
    """Convert 0-d metric arrays to plain Python numbers (JSON-ready)."""
    result: dict[str, Any] = {}
    for key, value in metrics.items():
        arr = np.asarray(value)
        result[key] = int(arr) if np.issubdtype(arr.dtype, np.integer) else float(arr)
    return result
