"""Live API: evaluate one fresh price against the indicators of completed 1-minute bars.

Pure functions over immutable values; the live engine owns persistence, signals and orders::

    state = GridState.start(first_price)               # anchor = first price, no lots
    ind = indicators_from_bars(completed_bars)          # miniqmt_gui.core.indicators
    intent = evaluate_live(state, price, ind, now, params)
    # -> None, or Intent(side="BUY"|"SELL", layer, shares, price, lots, reason)
    state = apply_fill(state, intent, filled_shares, avg_price, now, params)
    state = on_bar_closed(state)                        # once per completed 1-minute bar

:func:`evaluate_live` calls :func:`miniqmt_gui.core.rules.decide`, the same compiled rules the
backtest loop runs. Differences from the backtest, by design: one evaluation returns at most ONE
intent — if lots qualify for take-profit it is a SELL of all of them as one signal (its ``layer`` is the
highest layer among them); otherwise possibly a BUY. A buy that the backtest would make on the same
bar as a sell happens live on the next evaluation after the sell is applied. Cool-downs count
completed bars: a full exit sets ``bars_since_exit = 0`` and :func:`on_bar_closed` adds one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from miniqmt_gui.core.indicators import IndicatorSnapshot, indicators_from_bars
from miniqmt_gui.core.params import StrategyParams

SHANGHAI = ZoneInfo("Asia/Shanghai")
Side = Literal["BUY", "SELL"]

__all__ = [
    "GridState", "IndicatorSnapshot", "Intent", "Lot", "apply_fill", "evaluate_live",
    "indicators_from_bars", "on_bar_closed", "seconds_of_day",
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


def evaluate_live(state: GridState, price: float, ind: IndicatorSnapshot, now: datetime,
                  params: StrategyParams) -> Intent | None:
    """Apply the rules to one fresh ``price``; returns a SELL, a BUY or None.

    Returns None while the indicators are not ready or the price/anchor is not positive.
    """
    from miniqmt_gui.core.rules import decide, round_to_tick

    if not ind.ready or not price > 0 or not state.anchor > 0:
        return None
    lots = state.lots[: params.max_layers]
    lot_price = np.array([lot.buy_price for lot in lots], dtype=np.float64)
    lot_shares = np.array([lot.shares for lot in lots], dtype=np.float64)
    mask = np.zeros(len(lots), dtype=np.bool_)
    n_sell, shares, forced = decide(
        float(price), ind.atr, ind.atr_avg, ind.slope, ind.rsi, seconds_of_day(now), state.anchor,
        state.bars_since_exit, lot_price, lot_shares, params.layer_capitals(), params.rule_params(), mask,
    )
    limit = round_to_tick(float(price), params.tick)
    if n_sell > 0:
        sold = tuple(lot for lot, m in zip(lots, mask, strict=True) if m)
        reason = "float_loss_stop" if forced else "take_profit"
        return Intent("SELL", max(lot.layer for lot in sold), sum(lot.shares for lot in sold), limit,
                      sold, reason)
    if shares > 0:
        return Intent("BUY", len(lots) + 1, int(shares), limit, (), "grid_buy")
    return None


def on_bar_closed(state: GridState) -> GridState:
    """Advance the cool-down clock by one completed 1-minute bar."""
    if state.bars_since_exit < 0:
        return state
    return replace(state, bars_since_exit=state.bars_since_exit + 1)


def apply_fill(state: GridState, intent: Intent, filled_shares: int, avg_price: float,
               now: datetime | None = None, params: StrategyParams | None = None) -> GridState:
    """Apply a (possibly partial) fill of ``intent`` to the layer book.

    BUY: the layer holds what filled (cost includes commission), the anchor becomes the fill price.
    SELL: shares leave the intent's lots in order; the unsold rest stays in its lot. Selling the last
    lot sets the anchor to the fill price and starts the cool-down (``bars_since_exit = 0``).
    """
    p = params or StrategyParams()
    if filled_shares <= 0:
        return state
    if intent.side == "BUY":
        value = filled_shares * avg_price
        commission = max(value * p.commission_rate, p.min_commission)
        lot = Lot(intent.layer, int(filled_shares), float(avg_price), value + commission, now)
        return replace(state, lots=(*state.lots, lot), anchor=float(avg_price))
    return _apply_sell(state, intent, int(filled_shares), float(avg_price))


def _apply_sell(state: GridState, intent: Intent, filled: int, avg_price: float) -> GridState:
    left = filled
    reduced: dict[int, int] = {}
    for lot in intent.lots:
        take = min(lot.shares, left)
        reduced[lot.layer] = lot.shares - take
        left -= take
    lots: list[Lot] = []
    for lot in state.lots:
        rest = reduced.get(lot.layer, lot.shares)
        if rest > 0:
            ratio = rest / lot.shares
            lots.append(replace(lot, shares=rest, cost=lot.cost * ratio))
    if not lots:
        return GridState(lots=(), anchor=avg_price, bars_since_exit=0)
    return replace(state, lots=tuple(lots))
