"""The engine's one decision path: the strategy's rules for one fresh price, on the book as stored.

:class:`GridDecider` turns the bridge's completed 1-minute bars into an
:class:`~miniqmt_gui.strategy.indicators.IndicatorSnapshot` and answers one evaluation by calling
:func:`miniqmt_gui.strategy.rules.decide` — the very function the backtest kernel is made of — on the
lots of the stored :class:`~windows_bridge.contract.messages.DashboardState` (no converted copy).

Differences from the backtest, by design (``tests/acceptance`` counts them): one evaluation returns at
most ONE :class:`Intent`. When lots qualify for take-profit the SELL goes out first, all of them as one
signal named after the highest layer sold; a buy the backtest would make on the same bar is decided
again on the next quote, after the sale's result is in. Cool-downs count completed bars: a full exit
sets ``bars_since_exit = 0`` and the engine adds one per completed bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from miniqmt_gui.strategy import rules
from miniqmt_gui.strategy.indicators import IndicatorSnapshot, indicators_from_arrays
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.market_hours import SHANGHAI, as_shanghai
from windows_bridge.contract.messages import Bar, BookLot, DashboardState
from windows_bridge.contract.prices import round_to_tick

Direction = Literal["BUY", "SELL"]


@dataclass(frozen=True)
class Intent:
    """One decision: BUY one layer, or SELL the listed lots as one signal.

    ``layer`` is the bought layer, or for a SELL the highest layer sold (it goes into the signal id);
    ``shares`` is the order size (a SELL's is the sum of its lots); ``price`` the limit price on the tick.
    """

    direction: Direction
    layer: int
    shares: int
    price: float
    sell_layers: tuple[int, ...] = ()
    rule: str = ""


class Decider(Protocol):
    """The strategy as the engine uses it (:class:`GridDecider`; tests may script one)."""

    def snapshot(self, bars: Sequence[Bar]) -> IndicatorSnapshot:
        """Indicators on the last of ``bars`` (completed 1-minute bars, oldest first)."""
        ...

    def decide(
        self, book: DashboardState, price: float, snapshot: IndicatorSnapshot, now: datetime
    ) -> Intent | None:
        """One evaluation at ``price``: the intent, or ``None`` when nothing is to be done."""
        ...

    def with_params(self, params: StrategyParams) -> Decider:
        """The same decider with other strategy parameters."""
        ...


def bars_frame(bars: Sequence[Bar]) -> pd.DataFrame:
    """The bridge's bars as the strategy's frame: time index (Asia/Shanghai), open/high/low/close/volume."""
    index = pd.DatetimeIndex([as_shanghai(b.time) for b in bars], name="time")
    return pd.DataFrame(
        {
            "open": [b.open for b in bars], "high": [b.high for b in bars], "low": [b.low for b in bars],
            "close": [b.close for b in bars], "volume": [b.volume for b in bars],
        },
        index=index, dtype=np.float64,
    )


def seconds_of_day(now: datetime) -> int:
    """Seconds since midnight in Asia/Shanghai (naive times are taken as Shanghai time)."""
    local = now.astimezone(SHANGHAI) if now.tzinfo is not None else now
    return local.hour * 3600 + local.minute * 60 + local.second


def free_layer(lots: Sequence[BookLot]) -> int:
    """The layer a buy fills: ``len(lots) + 1`` as in the backtest, or the lowest free one if that is held."""
    held = {lot.layer for lot in lots}
    if len(lots) + 1 not in held:
        return len(lots) + 1
    return min(k for k in range(1, len(lots) + 2) if k not in held)


class GridDecider:
    """The grid's rules bound to one parameter set, packed once (the engine evaluates every quote)."""

    def __init__(self, params: StrategyParams | None = None) -> None:
        """Use ``params`` (the default preset when ``None``)."""
        self.params = params or StrategyParams()
        self._rp = self.params.rule_params()
        self._caps = np.ascontiguousarray(self.params.layer_capitals(), dtype=np.float64)

    def with_params(self, params: StrategyParams) -> GridDecider:
        """A decider with other parameters."""
        return GridDecider(params)

    def snapshot(self, bars: Sequence[Bar]) -> IndicatorSnapshot:
        """Indicators of the last completed bar."""
        if not bars:
            return IndicatorSnapshot.empty()
        high = np.array([b.high for b in bars], dtype=np.float64)
        low = np.array([b.low for b in bars], dtype=np.float64)
        close = np.array([b.close for b in bars], dtype=np.float64)
        return indicators_from_arrays(high, low, close, as_shanghai(bars[-1].time), self.params)

    def decide(
        self, book: DashboardState, price: float, snapshot: IndicatorSnapshot, now: datetime
    ) -> Intent | None:
        """Apply the rules to one fresh ``price``: a SELL, a BUY or ``None``.

        ``None`` while the indicators are not ready or the price/anchor is not positive.
        """
        if not snapshot.ready or not price > 0 or not book.last_buy_price > 0:
            return None
        lots = sorted(book.positions, key=lambda lot: lot.layer)[: self.params.max_layers]
        lot_price = np.array([lot.buy_price for lot in lots], dtype=np.float64)
        lot_shares = np.array([lot.shares for lot in lots], dtype=np.float64)
        mask = np.zeros(len(lots), dtype=np.bool_)
        n_sell, shares, forced = rules.decide(
            float(price), snapshot.atr, snapshot.atr_avg, snapshot.slope, snapshot.rsi, seconds_of_day(now),
            float(book.last_buy_price), int(book.bars_since_exit), lot_price, lot_shares, self._caps,
            self._rp, mask,
        )
        limit = round_to_tick(float(price), self.params.tick)
        if n_sell > 0:
            sold = [lot for lot, m in zip(lots, mask, strict=True) if m]
            layers = tuple(lot.layer for lot in sold)
            rule = "float_loss_stop" if forced else "take_profit"
            return Intent("SELL", max(layers), sum(lot.shares for lot in sold), limit, layers, rule)
        if shares > 0:
            return Intent("BUY", free_layer(lots), int(shares), limit, (), "grid_buy")
        return None


def make_core_decider(params: StrategyParams | None = None) -> GridDecider:
    """The strategy behind the engine's :class:`Decider` seam."""
    return GridDecider(params)
