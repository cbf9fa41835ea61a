"""What the layer table and the chart's levels show, computed from the engine's book (no widgets)."""

from __future__ import annotations

from datetime import datetime

import pytest

from miniqmt_gui.live.events import EngineSnapshot, EngineStatus, TradingState
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.layer_model import LayerState, layer_rows
from miniqmt_gui.ui.live_model import Levels, compute_levels
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import BookLot, BookRollback, DashboardState, OrderSignal, SharedQuote

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)


def _lot(layer: int, shares: int, price: float, signal_id: str = "") -> BookLot:
    return BookLot(layer=layer, shares=shares, buy_price=price, cost=round(shares * price, 2), time=NOW,
                   signal_id=signal_id)


def _signal(direction: str, layer: int, shares: int, price: float) -> OrderSignal:
    return OrderSignal(signal_id=f"{direction}_159201.SZ_L{layer}_0000000{layer}", code="159201.SZ",
                       direction=direction, price=price, shares=shares, timestamp=NOW, layer=layer)


def test_a_pending_buy_is_shown_as_pending_not_held() -> None:
    buy = _signal("BUY", 2, 1000, 0.98)
    lots = [_lot(1, 1000, 0.99), _lot(2, 1000, 0.98, buy.signal_id)]
    book = DashboardState(code="159201.SZ", positions=lots, hold_layers=2, pending_signal=buy,
                          last_buy_price=0.98)
    rows = layer_rows(book, Levels(), 0.98)
    assert [r.state for r in rows[:3]] == [LayerState.HELD, LayerState.BUY_PENDING, LayerState.EMPTY]


def test_lots_of_a_pending_sell_are_shown_as_sell_pending() -> None:
    sell = _signal("SELL", 2, 2000, 1.0)
    before = [_lot(1, 1000, 0.99), _lot(2, 1000, 0.98)]
    book = DashboardState(code="159201.SZ", positions=[], hold_layers=0, pending_signal=sell,
                          rollback=BookRollback(positions=before), last_buy_price=1.0)
    rows = layer_rows(book, Levels(), 1.0)
    assert [r.state for r in rows[:3]] == [LayerState.SELL_PENDING, LayerState.SELL_PENDING, LayerState.EMPTY]


@pytest.mark.parametrize(("slope", "tp_factor"), [(0.0, 1.0), (0.001, 1.33), (-0.001, 0.83)])
def test_take_profit_line_uses_the_trend_factor(slope: float, tp_factor: float) -> None:
    book = DashboardState(code="159201.SZ", positions=[_lot(1, 1000, 1.0)], hold_layers=1, last_buy_price=1.0)
    quote = SharedQuote(code="159201.SZ", time=NOW, price=1.0, seq=1, heartbeat=NOW)
    status = EngineStatus(TradingState.RUNNING, "why_user", "")
    snap = EngineSnapshot(book=book, status=status, quote=quote,
                          indicators={"atr": 0.001, "atr_avg": 0.001, "slope": slope, "rsi": 50.0},
                          params=StrategyParams())
    levels = compute_levels(snap)
    assert levels.lots[0].target == pytest.approx(1.0 * (1 + 0.005 * tp_factor * 1.4), rel=1e-12)
