"""Replay 1-minute bars through the real live engine and compare its trades with the backtest's.

The engine runs unchanged (:class:`~miniqmt_gui.live.engine.LiveEngine` with the real
:class:`~miniqmt_gui.live.decider.GridDecider`), reading a real ``shared_quote.json`` per bar, on a
simulated clock (the bar's end time; one minute of monotonic time per bar) and with instant fills at the
signal price (:class:`InstantFillRoute`: the backtest's ``close`` model — fee = rate × value, no cash or
T+1 check). Every decision therefore meets the same prices as the backtest's.

Indicators come from one of two sources:

* ``prepared`` — the backtest's own arrays (computed once over the whole series): isolates the decision
  path, so the trades must be identical except where the backtest sells and buys on one bar (live
  emits one intent per evaluation; the buy is decided again on the next bar);
* ``window`` — what live really does: the decider computes them from the last ``window`` bars the quote
  carries. Rolling means and the EMA then start from a shorter history, which can move a value in its
  last digits; :func:`compare` names every trade that differs so that effect is counted, not hidden.
"""

from __future__ import annotations

import bisect
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from miniqmt_gui.backtest.run import BacktestResult, run_prepared
from miniqmt_gui.live.decider import GridDecider
from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.events import EngineEvent, SignalEvent
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.indicators import IndicatorSnapshot, PreparedBars, prepare
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.fees import commission
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.messages import (
    AssetInfo,
    Bar,
    BrokerPosition,
    OrderResult,
    OrderSignal,
    ResultStatus,
    SharedQuote,
)

CODE = "159201.SZ"
#: shares held outside the grid, so the broker check sees base + lots and every sell is "sellable"
BASE_SHARES = 1_000_000
#: bars carried by each quote in ``prepared`` mode (the cool-down clock counts completed bar times)
PREPARED_HISTORY = 3


@dataclass(frozen=True)
class Trade:
    """One fill as both sides list it: a bought layer, or one sold lot."""

    bar: int
    side: str
    layer: int
    shares: int
    price: float
    reason: str


@dataclass
class Comparison:
    """Backtest trades vs the live engine's, and why they differ where they do."""

    backtest: list[Trade]
    live: list[Trade]
    #: backtest bars that both sold and bought (live would buy one evaluation later)
    same_bar_sell_and_buy: list[int] = field(default_factory=list)
    #: live SELL signals that sold several lots at once: (bar, signal id, layers, shares)
    multi_lot_sells: list[tuple[int, str, tuple[int, ...], int]] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        """True when both lists are the same, trade for trade."""
        return self.backtest == self.live


class InstantFillRoute:
    """An :class:`~miniqmt_gui.live.routes.OrderRoute` that fills every signal at once at its price."""

    def __init__(self, commission_rate: float, base_shares: int = BASE_SHARES) -> None:
        """Fill with ``commission_rate`` × value as the fee (the backtest's ``close`` model)."""
        self.rate = commission_rate
        self.position = base_shares
        self.orders = 0
        self._result: OrderResult | None = None

    def send(self, signal: OrderSignal) -> None:
        """Fill the whole order at the signal price."""
        self.orders += 1
        value = signal.shares * signal.price
        self.position += signal.shares if signal.direction == "BUY" else -signal.shares
        self._result = OrderResult(
            signal_id=signal.signal_id, status=ResultStatus.FILLED, order_id=self.orders, code=signal.code,
            direction=signal.direction, requested_shares=signal.shares, filled_shares=signal.shares,
            avg_price=signal.price, fees=commission(value, self.rate), timestamp=signal.timestamp,
        )

    def poll_result(self) -> OrderResult | None:
        """The last fill."""
        return self._result

    def signal_waiting(self, signal_id: str) -> bool:
        """Never: a signal is filled when it is sent."""
        return False

    def executor_knows(self, signal_id: str) -> bool:
        """Never asked: nothing is pending at a restart in a replay."""
        return False

    def on_quote(self, quote: SharedQuote) -> SharedQuote:
        """The quote with the replay account's position (base + what the grid holds)."""
        position = BrokerPosition(volume=self.position, can_use_volume=self.position,
                                  market_value=round(self.position * quote.price, 2))
        return quote.model_copy(update={"position": position, "positions_status": "ok",
                                        "asset": AssetInfo(cash=1e9, market_value=position.market_value)})

    def close(self) -> None:
        """Nothing to release."""

    def request_cancel(self, signal_id: str) -> None:
        """Every signal fills at once: nothing is ever working to cancel."""


class PreparedIndicatorDecider(GridDecider):
    """The real decider, with each bar's indicators taken from the backtest's prepared arrays."""

    def __init__(self, params: StrategyParams, pb: PreparedBars) -> None:
        """Look indicators up in ``pb`` by the bar's end time."""
        super().__init__(params)
        self._pb = pb
        self._times = [t.to_pydatetime() for t in pb.index]

    def with_params(self, params: StrategyParams) -> PreparedIndicatorDecider:
        """Same arrays, other rule parameters (the indicator windows must not change)."""
        return PreparedIndicatorDecider(params, self._pb)

    def snapshot(self, bars: Sequence[Bar]) -> IndicatorSnapshot:
        """The prepared row of the last bar."""
        if not bars:
            return IndicatorSnapshot.empty()
        i = bisect.bisect_left(self._times, bars[-1].time)
        pb = self._pb
        return IndicatorSnapshot(atr=float(pb.atr[i]), atr_avg=float(pb.atr_avg[i]), slope=float(pb.slope[i]),
                                 rsi=float(pb.rsi[i]), close=float(pb.close[i]), bar_time=self._times[i],
                                 bars=i + 1)


class _Clock:
    """The replay's wall clock (the current bar's end time) and monotonic clock (a minute per bar)."""

    def __init__(self, start: datetime) -> None:
        self.now, self.mono = start, 0.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono


class _BarSource:
    """The bars a quote carries, built from arrays (a replay makes one quote per bar)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.times = [t.to_pydatetime() for t in frame.index]
        cols = [frame[c].to_numpy(dtype=float).tolist() for c in ("open", "high", "low", "close", "volume")]
        self.rows = list(zip(*cols, strict=True))

    def window(self, start: int, stop: int) -> list[Bar]:
        return [Bar(time=self.times[k], open=o, high=h, low=lo, close=c, volume=v)
                for k, (o, h, lo, c, v) in enumerate(self.rows[max(start, 0):stop], start=max(start, 0))]


@dataclass
class LiveRun:
    """What one replay through the engine produced."""

    trades: list[Trade]
    signals: list[tuple[int, SignalEvent]]
    engine: LiveEngine


def _live_trades(events: list[EngineEvent], engine_bar: dict[str, int]) -> list[Trade]:
    """Trades from the engine's signals: a BUY is one trade, a SELL one trade per lot it sold."""
    trades = []
    for event in events:
        if not isinstance(event, SignalEvent) or event.reemitted:
            continue
        sig = event.signal
        bar = engine_bar[sig.signal_id]
        if sig.direction == "BUY":
            trades.append(Trade(bar, "BUY", sig.layer, sig.shares, sig.price, event.rule))
        else:
            trades.extend(Trade(bar, "SELL", layer, shares, sig.price, event.rule)
                          for layer, shares in event.sold_lots)
    return trades


def run_live(pb: PreparedBars, params: StrategyParams, folder: Path, *, indicators: str = "prepared",
             raw: pd.DataFrame | None = None, window: int = 240) -> LiveRun:
    """Replay the prepared bars' closes through a new live engine in ``folder``."""
    if folder.exists():
        shutil.rmtree(folder)
    shared, work = folder / "shared", folder / "work"
    shared.mkdir(parents=True)
    work.mkdir()
    settings = EngineSettings(shared_dir=shared, work_dir=work, code=CODE, session_only=False,
                              base_shares=BASE_SHARES, stale_after_s=1e9, owner_lock=False)
    clock = _Clock(pb.index[0].to_pydatetime())
    if indicators == "prepared":
        decider: GridDecider = PreparedIndicatorDecider(params, pb)
        frame = pd.DataFrame({"open": pb.open, "high": pb.high, "low": pb.low, "close": pb.close,
                              "volume": 0.0}, index=pb.index)
        source, offset, depth = _BarSource(frame), 0, PREPARED_HISTORY
    elif raw is not None:
        decider, source, offset, depth = GridDecider(params), _BarSource(raw), pb.warmup_rows, window
    else:
        raise ValueError("indicators='window' needs the raw bars")
    route = InstantFillRoute(params.commission_rate)
    tokens = (f"{n:08x}" for n in range(1, 1 << 32))
    engine = LiveEngine(settings, decider, params=params, route=route, clock=clock.wall,
                        monotonic=clock.monotonic, token=lambda: next(tokens))
    events: list[EngineEvent] = []
    engine.add_listener(lambda e: events.append(e) if isinstance(e, SignalEvent) else None)
    engine.start()
    decided_at: dict[str, int] = {}
    for i in range(len(pb)):
        end = offset + i + 1
        bars = source.window(end - depth, end)
        clock.now, clock.mono = bars[-1].time, 60.0 * i
        quote = SharedQuote(code=CODE, time=clock.now, price=bars[-1].close, history=bars, seq=i + 1,
                            heartbeat=clock.now, positions_status="failed")
        write_message(shared / QUOTE_FILE, quote, fsync=False)
        seen = len(events)
        engine.step()
        for event in events[seen:]:
            if isinstance(event, SignalEvent) and not event.reemitted:
                decided_at[event.signal.signal_id] = i
    clock.now += timedelta(minutes=1)
    engine.step()  # apply the last result
    engine.close()
    signals = [(decided_at[e.signal.signal_id], e) for e in events
               if isinstance(e, SignalEvent) and not e.reemitted]
    return LiveRun(_live_trades(events, decided_at), signals, engine)


def backtest_trades(result: BacktestResult) -> list[Trade]:
    """The ``close`` backtest's trades in the same shape."""
    t = result.trades
    cols = (t["bar"], t["side"], t["layer"], t["shares"], t["price"], t["reason"])
    return [Trade(int(b), str(s), int(k), int(n), float(p), str(r))
            for b, s, k, n, p, r in zip(*cols, strict=True)]


def compare(pb: PreparedBars, params: StrategyParams, folder: Path, *, indicators: str = "prepared",
            raw: pd.DataFrame | None = None, window: int = 240) -> Comparison:
    """Backtest (``close``) and live replay of the same bars, with every difference named."""
    expected = backtest_trades(run_prepared(pb, params, "close"))
    run = run_live(pb, params, folder, indicators=indicators, raw=raw, window=window)
    live = run.trades
    sells = {t.bar for t in expected if t.side == "SELL"}
    both = sorted(sells & {t.bar for t in expected if t.side == "BUY"})
    multi = [(bar, e.signal.signal_id, tuple(k for k, _ in e.sold_lots), e.signal.shares)
             for bar, e in run.signals if len(e.sold_lots) > 1]
    out = Comparison(expected, live, both, multi)
    for k in range(max(len(expected), len(live))):
        a = expected[k] if k < len(expected) else None
        b = live[k] if k < len(live) else None
        if a != b:
            out.differences.append(f"trade {k}: backtest {a} / live {b}")
    return out


def prepare_bars(frame: pd.DataFrame, params: StrategyParams) -> PreparedBars:
    """The backtest's prepared bars (indicators, warm-up dropped) of a bar frame."""
    return prepare(frame, params)
