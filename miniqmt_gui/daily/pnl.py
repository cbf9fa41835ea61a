"""The day's P&L split the way the strategy thinks: Alpha (the grid's trading) and Beta (the base position).

Marked to market from the previous close ``P`` to today's close ``C``:

- **Alpha** = cash from the grid's sells − cash for its buys − fees + lots held at the close × ``C``
  − lots held at the start × ``P`` (lots at the start = at the close − bought + sold today). Slippage
  is already inside it (fills are at the real prices); the report shows it separately as the part of
  Alpha that execution cost.
- **Beta** = base shares × (``C`` − ``P``); base shares = the broker's position at the close minus the
  grid's lots (or the configured base when the broker's position is unknown).

Trades no signal explains are not the strategy's and stay out of both; they are alarms instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from miniqmt_gui.daily.reconcile import Reconciliation


@dataclass(frozen=True)
class DayPnl:
    """Alpha and Beta of one day (``None`` parts could not be computed, with ``why``)."""

    alpha: float | None
    beta: float | None
    close: float
    pre_close: float
    lot_shares_open: int
    lot_shares_close: int
    base_shares: int | None
    why: str = ""


def day_pnl(
    rec: Reconciliation,
    close: float,
    pre_close: float,
    lot_shares_close: int | None,
    broker_shares: int | None,
    configured_base: int | None,
) -> DayPnl:
    """Compute :class:`DayPnl` (see the module doc)."""
    t = rec.totals
    lots_close = lot_shares_close if lot_shares_close is not None else 0
    lots_open = max(0, lots_close - t.bought_shares + t.sold_shares)
    base = broker_shares - lots_close if broker_shares is not None else configured_base
    if close <= 0 or pre_close <= 0:
        return DayPnl(
            None, None, close, pre_close, lots_open, lots_close, base, "no close price in the export"
        )
    if lot_shares_close is None:
        return DayPnl(None, None, close, pre_close, lots_open, lots_close, base, "no journal entry that day")
    alpha = t.sold_value - t.bought_value - t.fees + lots_close * close - lots_open * pre_close
    beta = None if base is None or base < 0 else round(base * (close - pre_close), 2)
    why = "" if beta is not None else "base position unknown"
    return DayPnl(round(alpha, 2), beta, close, pre_close, lots_open, lots_close, base, why)
