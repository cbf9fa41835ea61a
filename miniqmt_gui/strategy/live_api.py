"""Live API: evaluate one fresh price against the indicators of completed 1-minute bars.

Pure functions over immutable values; the live engine (:mod:`miniqmt_gui.live`) owns the
layer book, persistence, signals and orders, and asks this module only "what now?"::

    rules = LiveRules(params)                           # pack the parameters once
    ind = indicators_from_bars(completed_bars)          # miniqmt_gui.strategy.indicators
    intent = rules.evaluate(state, price, ind, now)     # state: GridState(lots, anchor, bars_since_exit)
    # -> None, or Intent(side="BUY"|"SELL", layer, shares, price, lots, reason)

:meth:`LiveRules.evaluate` calls :func:`miniqmt_gui.strategy.rules.decide`, the same compiled rules the
backtest loop runs. Differences from the backtest, by design: one evaluation returns at most ONE
intent — if lots qualify for take-profit it is a SELL of all of them as one signal (its ``layer`` is the
highest layer among them); otherwise possibly a BUY. A buy that the backtest would make on the same
bar as a sell happens live on the next evaluation after the sell is applied. Cool-downs count
completed bars: a full exit sets ``bars_since_exit = 0`` and the engine adds one per completed bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from miniqmt_gui.strategy.indicators import IndicatorSnapshot, indicators_from_bars
from miniqmt_gui.strategy.params import StrategyParams

SHANGHAI = ZoneInfo("Asia/Shanghai")
Side = Literal["BUY", "SELL"]

__all__ = [
    "GridState", "IndicatorSnapshot", "Intent", "LiveRules", "Lot", "evaluate_live",
    "indicators_from_bars", "seconds_of_day",
]


@dataclass(frozen=True)
class Lot:
    """One filled layer."""

    layer: int
    shares: int
    buy_price: float
    cost: float
    time: datetime | None = None


@dataclass(frozen=True)
class GridState:
    """The layer book the rules need: lots, anchor (``last_buy_price``) and the cool-down clock."""

    lots: tuple[Lot, ...] = ()
    anchor: float = 0.0
    bars_since_exit: int = -1  # completed bars since the last full exit; -1 = none yet

    @classmethod
    def start(cls, price: float) -> GridState:
        """Fresh state: no lots, anchor at ``price`` (the backtest uses the first close)."""
        return cls(lots=(), anchor=float(price), bars_since_exit=-1)

    @property
    def hold_layers(self) -> int:
        """Number of lots held."""
        return len(self.lots)

    @property
    def total_shares(self) -> int:
        """Shares held in lots."""
        return sum(lot.shares for lot in self.lots)

    @property
    def total_cost(self) -> float:
        """Sum of the lots' costs."""
        return sum(lot.cost for lot in self.lots)


@dataclass(frozen=True)
class Intent:
    """At most one order intent per evaluation. Prices sit on the tick grid."""

    side: Side
    layer: int
    shares: int
    price: float
    lots: tuple[Lot, ...] = ()
    reason: str = ""


def seconds_of_day(now: datetime) -> int:
    """Seconds since midnight in Asia/Shanghai (naive times are taken as Shanghai time)."""
    local = now.astimezone(SHANGHAI) if now.tzinfo is not None else now
    return local.hour * 3600 + local.minute * 60 + local.second


class LiveRules:
    """The rules bound to one parameter set, packed once (the live engine evaluates every quote)."""

    def __init__(self, params: StrategyParams) -> None:
        """Pack ``params`` for :func:`miniqmt_gui.strategy.rules.decide`."""
        self.params = params
        self._rp = params.rule_params()
        self._caps = np.ascontiguousarray(params.layer_capitals(), dtype=np.float64)

    def evaluate(
        self, state: GridState, price: float, ind: IndicatorSnapshot, now: datetime
    ) -> Intent | None:
        """Apply the rules to one fresh ``price``; returns a SELL, a BUY or None.

        Returns None while the indicators are not ready or the price/anchor is not positive.
        """
        from miniqmt_gui.strategy.rules import decide, round_to_tick

        if not ind.ready or not price > 0 or not state.anchor > 0:
            return None
        lots = state.lots[: self.params.max_layers]
        lot_price = np.array([lot.buy_price for lot in lots], dtype=np.float64)
        lot_shares = np.array([lot.shares for lot in lots], dtype=np.float64)
        mask = np.zeros(len(lots), dtype=np.bool_)
        n_sell, shares, forced = decide(
            float(price), ind.atr, ind.atr_avg, ind.slope, ind.rsi, seconds_of_day(now), state.anchor,
            state.bars_since_exit, lot_price, lot_shares, self._caps, self._rp, mask,
        )
        limit = round_to_tick(float(price), self.params.tick)
        if n_sell > 0:
            sold = tuple(lot for lot, m in zip(lots, mask, strict=True) if m)
            reason = "float_loss_stop" if forced else "take_profit"
            return Intent("SELL", max(lot.layer for lot in sold), sum(lot.shares for lot in sold), limit,
                          sold, reason)
        if shares > 0:
            return Intent("BUY", len(lots) + 1, int(shares), limit, (), "grid_buy")
        return None


def evaluate_live(state: GridState, price: float, ind: IndicatorSnapshot, now: datetime,
                  params: StrategyParams) -> Intent | None:
    """One evaluation with ``params`` (see :meth:`LiveRules.evaluate`; reuse a LiveRules when looping)."""
    return LiveRules(params).evaluate(state, price, ind, now)


