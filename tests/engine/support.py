"""Helpers for the live-engine tests: a fake clock, quote/result writers and a scripted decider."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from miniqmt_gui.live.decider import Intent
from miniqmt_gui.rehearsal.offline_stages import StageClock
from miniqmt_gui.strategy.indicators import IndicatorSnapshot
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.files import QUOTE_FILE, RESULT_FILE
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import (
    AssetInfo,
    Bar,
    BrokerPosition,
    DashboardState,
    OrderResult,
    ResultStatus,
    SharedQuote,
)

CODE = "159201.SZ"
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)  # a Monday, inside the session


class FakeClock(StageClock):
    """Wall and monotonic clocks that only move when told (monotonic starts away from zero)."""

    def __init__(self, start: datetime = T0) -> None:
        super().__init__(start)
        self.mono = 1000.0


def bars_until(end: datetime, n: int = 3, price: float = 1.0) -> list[Bar]:
    """``n`` flat 1-minute bars ending at ``end`` (minute-aligned)."""
    end = end.replace(second=0, microsecond=0)
    return [
        Bar(time=end - timedelta(minutes=n - 1 - k), open=price, high=price, low=price, close=price)
        for k in range(n)
    ]


def make_quote(
    seq: int, price: float, when: datetime, *, bars: list[Bar] | None = None,
    volume: int | None = 0, market_value: float = 0.0, asset_mv: float = 0.0, code: str = CODE,
    connected: bool = True,
) -> SharedQuote:
    """A valid quote; ``volume=None`` means the position query failed."""
    pos = None if volume is None else BrokerPosition(volume=volume, can_use_volume=volume,
                                                     market_value=market_value)
    return SharedQuote(
        code=code, time=when, price=price, history=bars if bars is not None else bars_until(when),
        position=pos, asset=AssetInfo(cash=1e6, market_value=asset_mv),
        positions_status="failed" if volume is None else "ok", seq=seq, heartbeat=when,
        connected=connected,
    )


def write_quote(shared: Path, quote: SharedQuote) -> None:
    write_message(shared / QUOTE_FILE, quote, fsync=False)


def write_result(shared: Path, signal_id: str, status: ResultStatus, requested: int, filled: int,
                 price: float, when: datetime = T0) -> OrderResult:
    result = OrderResult(signal_id=signal_id, status=status, requested_shares=requested,
                         filled_shares=filled, avg_price=price if filled else 0.0, timestamp=when)
    write_message(shared / RESULT_FILE, result, fsync=False)
    return result


@dataclass
class ScriptedDecider:
    """A stand-in for the strategy core: ``rule(book, price)`` returns the intent."""

    rule: Callable[[DashboardState, float], Intent | None] = lambda book, price: None
    ready: bool = True
    calls: list[float] = field(default_factory=list)

    def snapshot(self, bars: Sequence[Bar]) -> IndicatorSnapshot:
        close = bars[-1].close if bars else float("nan")
        ready = self.ready and bool(bars)
        nan = float("nan")
        return IndicatorSnapshot(atr=0.01 if ready else nan, atr_avg=0.01 if ready else nan, slope=0.0,
                                 rsi=50.0, close=close, bar_time=bars[-1].time if bars else None,
                                 bars=len(bars))

    def decide(self, book: DashboardState, price: float, snapshot: IndicatorSnapshot,
               now: datetime) -> Intent | None:
        self.calls.append(price)
        return self.rule(book, price)

    def with_params(self, params: StrategyParams) -> ScriptedDecider:
        return self


def simple_grid(book: DashboardState, price: float) -> Intent | None:
    """Toy rule for bookkeeping tests: buy 1,000 below 0.99×anchor, sell all lots at ≥ 1.01×lowest buy."""
    if book.positions and price >= min(lot.buy_price for lot in book.positions) * 1.01:
        layers = tuple(lot.layer for lot in book.positions if price >= lot.buy_price * 1.01)
        shares = sum(lot.shares for lot in book.positions if lot.layer in layers)
        return Intent("SELL", max(layers), shares, price, layers, "take_profit")
    if book.last_buy_price and price <= book.last_buy_price * 0.99 and book.hold_layers < 9:
        return Intent("BUY", book.hold_layers + 1, 1000, price, (), "grid_buy")
    return None


