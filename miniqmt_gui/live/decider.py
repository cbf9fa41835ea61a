"""The real :class:`~.strategy_port.Decider`: the strategy core's rules, unchanged, for one fresh price.

Indicators come from :func:`miniqmt_gui.strategy.indicators.indicators_from_bars` on the bridge's
completed 1-minute bars; the evaluation is :class:`miniqmt_gui.strategy.live_api.LiveRules`, which calls
:func:`miniqmt_gui.strategy.rules.decide` — the very function the backtester's rules are made of. This
module only translates: the book becomes a ``GridState`` and the answer an
:class:`~.strategy_port.Intent`. Live, one evaluation emits at most one signal: when lots qualify
for a sale the SELL goes first (all qualifying lots in one signal, named after the highest layer
sold); a buy in the same evaluation is decided again on the next quote, after the sale's result is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from miniqmt_gui.live.strategy_port import Intent, Snapshot
from miniqmt_gui.strategy.indicators import IndicatorSnapshot, indicators_from_bars
from miniqmt_gui.strategy.live_api import GridState, LiveRules, Lot
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import Bar, BookLot, DashboardState


def bars_frame(bars: Sequence[Bar]) -> pd.DataFrame:
    """The bridge's bars as the core's frame: time index (Asia/Shanghai), open/high/low/close/volume."""
    index = pd.DatetimeIndex([as_shanghai(b.time) for b in bars], name="time")
    return pd.DataFrame(
        {
            "open": [b.open for b in bars], "high": [b.high for b in bars], "low": [b.low for b in bars],
            "close": [b.close for b in bars], "volume": [b.volume for b in bars],
        },
        index=index, dtype=np.float64,
    )


class CoreDecider:
    """Adapter from the engine's seam to the strategy core (see the module docstring)."""

    def __init__(self, params: StrategyParams | None = None) -> None:
        """Use ``params`` (default preset when ``None``)."""
        self.params = params or StrategyParams()
        self._rules = LiveRules(self.params)

    def with_params(self, params: StrategyParams) -> CoreDecider:
        """A decider with other parameters."""
        return CoreDecider(params)

    def snapshot(self, bars: Sequence[Bar]) -> Snapshot:
        """Indicators of the last completed bar."""
        if not bars:
            return Snapshot(ready=False, close=float("nan"), bar_time=None, bars=0)
        ind = indicators_from_bars(bars_frame(bars), self.params)
        values = {"atr": ind.atr, "atr_avg": ind.atr_avg, "slope": ind.slope, "rsi": ind.rsi,
                  "close": ind.close}
        return Snapshot(ready=ind.ready, close=ind.close, bar_time=bars[-1].time, values=values,
                        core=ind, bars=len(bars))

    def decide(self, book: DashboardState, price: float, snapshot: Snapshot, now: datetime) -> Intent | None:
        """One evaluation of the core's rules at ``price``."""
        ind = snapshot.core
        if not isinstance(ind, IndicatorSnapshot) or not snapshot.ready:
            return None
        lots = sorted(book.positions, key=lambda lot: lot.layer)
        state = GridState(
            lots=tuple(Lot(lot.layer, lot.shares, lot.buy_price, lot.cost, lot.time) for lot in lots),
            anchor=float(book.last_buy_price), bars_since_exit=int(book.bars_since_exit),
        )
        intent = self._rules.evaluate(state, float(price), ind, now)
        if intent is None:
            return None
        if intent.side == "SELL":
            sold = tuple(lot.layer for lot in intent.lots)
            return Intent("SELL", intent.layer, intent.shares, intent.price, sold, intent.reason)
        return Intent("BUY", self._free_layer(lots), intent.shares, intent.price, (), intent.reason)

    @staticmethod
    def _free_layer(lots: Sequence[BookLot]) -> int:
        """The bought layer: ``len(lots) + 1`` as in the core, or the lowest free one if that is held."""
        held = {lot.layer for lot in lots}
        if len(lots) + 1 not in held:
            return len(lots) + 1
        return min(k for k in range(1, 10) if k not in held)


def make_core_decider(params: StrategyParams | None = None) -> CoreDecider:
    """The strategy core behind the engine's :class:`~.strategy_port.Decider` seam."""
    return CoreDecider(params)
