"""Today's P&L for the live tab, from the engine's events and frames (no Qt).

* **realised** — what today's sells made: filled value − fees − what the sold shares cost (the lots'
  cost, pro rata when a sell filled in part);
* **floating** — the open lots at the last price minus their cost (fees of the buys included);
* **Alpha (grid)** = realised + floating; **Beta (base)** = base shares × (last − previous close), the base
  position's move today; **fees** = commissions of today's fills; **total** = Alpha + Beta.

A result without ``fees`` (the executor does not report the broker's commission yet) is charged the
strategy's commission (rate × value, at least the minimum), as the backtest does.
Realised and fees count the results this app applied since the day began (a restart starts them at 0;
the decision journal and the end-of-day report keep the full day). Paper and live are tracked apart.
The intraday curve samples the total once per session minute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from miniqmt_gui.live.events import ResultEvent, SignalEvent
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.plot_items import session_x
from windows_bridge.contract.market_hours import as_shanghai


@dataclass(frozen=True)
class PnlFigures:
    """The numbers of the P&L panel (NaN = unknown)."""

    realised: float = 0.0
    floating: float = math.nan
    alpha: float = math.nan
    beta: float = math.nan
    fees: float = 0.0
    total: float = math.nan


@dataclass
class PnlTracker:
    """One mode's (paper or live) P&L of the day."""

    day: date | None = None
    commission_rate: float = 0.0001
    min_commission: float = 0.0
    realised: float = 0.0
    fees: float = 0.0
    curve: dict[int, float] = field(default_factory=dict)
    _sells: dict[str, tuple[float, int]] = field(default_factory=dict)

    def on_signal(self, event: SignalEvent) -> None:
        """Remember what a SELL's lots cost."""
        if event.signal.direction == "SELL" and event.sold_lots:
            self._sells[event.signal.signal_id] = (event.sold_cost, sum(s for _, s in event.sold_lots))

    def on_result(self, event: ResultEvent) -> None:
        """Count a result's fees and, for a sell, what it realised."""
        r = event.result
        if r.filled_shares <= 0:
            return
        value = r.filled_shares * r.avg_price
        fee = r.fees if r.fees > 0 else max(value * self.commission_rate, self.min_commission)
        self.fees += fee
        sold = self._sells.pop(r.signal_id, None)
        if r.direction == "SELL" and sold is not None and sold[1] > 0:
            cost, shares = sold
            self.realised += value - fee - cost * r.filled_shares / shares

    def figures(self, view: LiveView, base_shares: int | None) -> PnlFigures:
        """The panel's numbers for ``view`` (also rolls the day and samples the curve)."""
        quote = view.snapshot.quote
        if quote is None:
            return PnlFigures(realised=self.realised, fees=self.fees)
        today = as_shanghai(quote.time).date()
        if self.day != today:
            self.day, self.realised, self.fees, self.curve = today, 0.0, 0.0, {}
        lots = view.snapshot.book.positions
        floating = sum(lot.shares * quote.price - lot.cost for lot in lots)
        beta = base_shares * (quote.price - quote.pre_close) if base_shares is not None and \
            quote.pre_close > 0 else math.nan
        alpha = self.realised + floating
        total = alpha + (beta if beta == beta else 0.0)
        self.curve[int(session_x(quote.time))] = total
        return PnlFigures(self.realised, floating, alpha, beta, self.fees, total)
