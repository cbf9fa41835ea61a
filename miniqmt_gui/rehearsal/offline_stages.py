"""The original launch plan's offline stages 1–5, automated as a pass/fail checklist.

Each stage works in its own sub-folder of a work folder and never touches the real shared folder:

1. backtest self-check on a synthetic sample (metrics printed);
2. a quote that must trigger a first-layer BUY → a valid ``order_signal.json`` (fields, id, lots);
3. the real executor in simulate mode, in-process: consume, record (done marker, executed list),
   idempotency (the same signal again places nothing new), the engine applies the result;
4. partial-fill alignment for a buy and a sell;
5. recovery: a crash after "state before signal" re-emits the same id, the executor does not
   execute it twice, and a trustworthy zero broker position clears the lots.

:func:`run_stages` returns the checklist; ``miniqmt offline-test`` prints it and the test suite
asserts on it.
"""

from __future__ import annotations

import contextlib
import math
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.rehearsal.checklist import Checklist
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import (
    DONE_DIR,
    EXECUTED_FILE,
    QUOTE_FILE,
    RESULT_FILE,
    SIGNAL_FILE,
    STATE_FILE,
    done_marker_name,
)
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import (
    SIGNAL_ID_RE,
    AssetInfo,
    Bar,
    BrokerPosition,
    DashboardState,
    ExecutedSignals,
    OrderResult,
    OrderSignal,
    ResultStatus,
    SharedQuote,
)
from windows_bridge.contract.prices import TICK, is_on_tick, round_to_tick

if TYPE_CHECKING:
    from windows_bridge.executor.service import OrderExecutor

CODE = "159201.SZ"
#: a Monday morning inside the continuous session: every stage runs on this fixed clock
T_START = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)
SIGNAL_FIELDS = ("signal_id", "code", "direction", "price", "shares", "timestamp", "reason", "layer",
                 "schema_version")


class StageClock:
    """A wall clock and a monotonic clock that move only when told."""

    def __init__(self, start: datetime = T_START) -> None:
        """Start at ``start``."""
        self.now, self.mono = start, 0.0

    def wall(self) -> datetime:
        """Current wall time."""
        return self.now

    def monotonic(self) -> float:
        """Current monotonic time."""
        return self.mono

    def advance(self, seconds: float) -> None:
        """Move both clocks."""
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


# ----------------------------------------------------------------------------- synthetic data


def synthetic_bars(n: int, end: datetime, start_price: float = 1.2, seed: int = 7) -> list[Bar]:
    """``n`` deterministic random-walk 1-minute bars ending at ``end`` (prices on the 0.001 tick)."""
    rng = random.Random(seed)
    price, bars = start_price, []
    first = end.replace(second=0, microsecond=0) - timedelta(minutes=n - 1)
    for k in range(n):
        open_ = round_to_tick(price)
        close = round_to_tick(max(open_ * (1 + rng.gauss(0.0, 0.0012)), TICK))
        high = round_to_tick(max(open_, close) + TICK * rng.randint(0, 2))
        low = round_to_tick(min(open_, close) - TICK * rng.randint(0, 2))
        bars.append(Bar(time=first + timedelta(minutes=k), open=open_, high=high, low=low, close=close,
                        volume=float(rng.randint(1000, 50000) * 100)))
        price = close
    return bars


def make_quote(seq: int, price: float, when: datetime, bars: list[Bar], volume: int = 0) -> SharedQuote:
    """A valid bridge quote with a (trustworthy) broker position of ``volume`` shares."""
    value = round(volume * price, 2)
    return SharedQuote(
        code=CODE, time=when, price=round_to_tick(price), pre_close=bars[0].open, history=bars,
        position=BrokerPosition(volume=volume, can_use_volume=volume, market_value=value),
        asset=AssetInfo(cash=1_000_000.0, total_asset=1_000_000.0 + value, market_value=value),
        positions_status="ok", seq=seq, heartbeat=when,
    )


# ----------------------------------------------------------------------------- a stage's rig


@dataclass
class Rig:
    """One stage's folder, clock and engine, with helpers to feed quotes and results."""

    folder: Path
    clock: StageClock
    engine: LiveEngine
    bars: list[Bar]
    seq: int = 0

    @classmethod
    def create(cls, folder: Path, clock: StageClock | None = None,
               checkpoint: Callable[[str], None] | None = None) -> Rig:
        """A rig in ``folder`` (shared folder = ``folder``, work folder = ``folder/work``)."""
        folder.mkdir(parents=True, exist_ok=True)
        clock = clock or StageClock()
        # a private rehearsal folder with no base position; restarts happen inside this process
        settings = EngineSettings(shared_dir=folder, work_dir=folder / "work", base_shares=0,
                                  owner_lock=False)
        engine = build_engine(settings, clock=clock.wall, monotonic=clock.monotonic, checkpoint=checkpoint)
        engine.start()
        return cls(folder, clock, engine, synthetic_bars(120, clock.now - timedelta(minutes=1)))

    def restart(self, checkpoint: Callable[[str], None] | None = None) -> None:
        """A fresh engine on the same folder (what a process restart does)."""
        settings = self.engine.settings
        self.engine = build_engine(settings, clock=self.clock.wall, monotonic=self.clock.monotonic,
                                   checkpoint=checkpoint)
        self.engine.start()

    def quote(self, price: float, volume: int = 0) -> None:
        """Write the next quote and run one engine step."""
        self.seq += 1
        self.clock.advance(3)
        quote = make_quote(self.seq, price, self.clock.now, self.bars, volume)
        write_message(self.folder / QUOTE_FILE, quote)
        self.engine.step()

    def signal(self) -> OrderSignal | None:
        """The signal file's content, if valid."""
        return read_message(self.folder / SIGNAL_FILE, OrderSignal).value

    def result(self, signal: OrderSignal, status: ResultStatus, filled: int, price: float) -> None:
        """Write a result for ``signal`` (as the executor would) and run one step."""
        write_message(self.folder / RESULT_FILE, OrderResult(
            signal_id=signal.signal_id, status=status, code=signal.code, direction=signal.direction,
            requested_shares=signal.shares, filled_shares=filled, avg_price=price if filled else 0.0,
            timestamp=self.clock.now))
        self.engine.step()

    def first_buy(self) -> OrderSignal | None:
        """Anchor on the last close, then a quote 3 % lower: the first-layer BUY."""
        anchor = self.bars[-1].close
        self.quote(anchor)
        self.quote(round_to_tick(anchor * 0.97))
        return self.signal()


# ----------------------------------------------------------------------------- stages


def stage1_backtest(work: Path, out: Checklist, say: Callable[[str], None]) -> None:
    """Stage 1: the strategy core's backtester on a synthetic sample; metrics printed."""
    import pandas as pd

    from miniqmt_gui.backtest.run import run_backtest
    from miniqmt_gui.live.decider import bars_frame

    bars = synthetic_bars(3000, T_START, seed=11)
    frame = bars_frame(bars)
    frame.index = pd.DatetimeIndex(frame.index).tz_localize(None)
    first = run_backtest(frame, fill="close")
    again = run_backtest(frame, fill="close")
    m = first.metrics
    say("    " + ", ".join(f"{k}={m[k]}" for k in list(m)[:8]))
    out.check(1, "backtest runs on the sample and reports metrics", bool(m) and "trades" in m)
    out.check(1, "metrics are finite", all(math.isfinite(float(v)) for v in m.values()
                                            if isinstance(v, int | float)))
    out.check(1, "the sample produces trades", int(m.get("trades", 0)) > 0, f"trades={m.get('trades')}")
    keys = ("trades", "alpha_cny", "beta_cny", "max_drawdown")
    same = all(first.metrics.get(k) == again.metrics.get(k) for k in keys)
    out.check(1, "backtest is deterministic", same and first.trades.equals(again.trades))


def stage2_signal(work: Path, out: Checklist, say: Callable[[str], None]) -> None:
    """Stage 2: a quote that must trigger a first-layer BUY writes a valid signal, state first."""
    rig = Rig.create(work / "stage2")
    sig = rig.first_buy()
    if not out.check(2, "a first-layer BUY signal is written", sig is not None,
                     rig.engine.status.headline):
        return
    assert sig is not None
    raw = read_message(rig.folder / SIGNAL_FILE, OrderSignal).raw.decode("utf-8")
    out.check(2, "all plan fields present", all(f'"{name}"' in raw for name in SIGNAL_FIELDS))
    out.check(2, "signal_id format BUY_159201.SZ_L1_<8 hex>",
              SIGNAL_ID_RE.match(sig.signal_id) is not None and sig.signal_id.startswith("BUY_159201.SZ_L1_"),
              sig.signal_id)
    out.check(2, "direction BUY, layer 1", sig.direction == "BUY" and sig.layer == 1)
    out.check(2, "shares a positive multiple of 100", sig.shares > 0 and sig.shares % 100 == 0,
              str(sig.shares))
    out.check(2, "limit price on the 0.001 tick", is_on_tick(sig.price), str(sig.price))
    state = read_message(rig.folder / STATE_FILE, DashboardState).value
    out.check(2, "state saved with the pending signal (state before signal)",
              state is not None and state.pending_signal == sig and state.hold_layers == 1)
    say(f"    {sig.signal_id}: {sig.direction} {sig.shares} @ {sig.price}")


def _executor(folder: Path, clock: StageClock) -> OrderExecutor:
    """The real order executor in simulate mode, in-process, journaling under ``folder/executor``."""
    from windows_bridge.contract.config import Settings
    from windows_bridge.executor.journal import JOURNAL_FILE, Journal
    from windows_bridge.executor.service import OrderExecutor

    state_dir = folder / "executor"
    state_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(shared_dir=folder, state_dir=state_dir, simulate=True, broker="fake")
    return OrderExecutor(settings, None, Journal(state_dir / JOURNAL_FILE), clock=clock.wall,
                         sleep=lambda s: None)


def _recorded(folder: Path, signal_id: str) -> bool:
    executed = read_message(folder / EXECUTED_FILE, ExecutedSignals).value
    marker = (folder / DONE_DIR / done_marker_name(signal_id)).exists()
    return marker and executed is not None and signal_id in executed.executed


def stage3_executor(work: Path, out: Checklist, say: Callable[[str], None]) -> None:
    """Stage 3: the executor's dry run consumes, records and is idempotent; the engine applies."""
    rig = Rig.create(work / "stage3")
    sig = rig.first_buy()
    if not out.check(3, "engine wrote a signal", sig is not None):
        return
    assert sig is not None
    executor = _executor(rig.folder, rig.clock)
    executor.poll_once()
    result = read_message(rig.folder / RESULT_FILE, OrderResult).value
    out.check(3, "executor consumed the signal", not (rig.folder / SIGNAL_FILE).exists())
    out.check(3, "result is SIMULATED for the same id, full size",
              result is not None and result.signal_id == sig.signal_id
              and result.status is ResultStatus.SIMULATED and result.filled_shares == sig.shares,
              result.message if result else "no result")
    out.check(3, "done marker and executed_signals.json record the id", _recorded(rig.folder, sig.signal_id))
    write_message(rig.folder / SIGNAL_FILE, sig)  # the same signal once more
    executor.poll_once()
    again = read_message(rig.folder / RESULT_FILE, OrderResult).value
    journal = executor.journal
    out.check(3, "the same signal again is consumed without a second execution",
              again is not None and again.signal_id == sig.signal_id and len(journal.done_ids()) == 1)
    rig.engine.step()
    book = rig.engine.book
    out.check(3, "engine applied the result once",
              book.pending_signal is None and book.applied_results == [sig.signal_id]
              and book.positions[0].shares == sig.shares)


def stage4_partial(work: Path, out: Checklist, say: Callable[[str], None]) -> None:
    """Stage 4: partial fills keep the book aligned with what really filled."""
    rig = Rig.create(work / "stage4")
    buy = rig.first_buy()
    if not out.check(4, "engine wrote a BUY", buy is not None):
        return
    assert buy is not None
    part = buy.shares // 2 // 100 * 100
    rig.result(buy, ResultStatus.PARTIALLY_FILLED, part, buy.price)
    b = rig.engine.book
    out.check(4, "buy partially filled: the lot holds the filled shares",
              b.hold_layers == 1 and b.positions[0].shares == part, f"lot={b.positions[0].shares}")
    out.check(4, "buy partially filled: pending_buy_shares = the rest",
              b.pending_buy_shares == buy.shares - part)
    out.check(4, "total_cost = filled value", abs(b.total_cost - part * buy.price) < 0.01)
    rig.quote(round_to_tick(buy.price * 1.02), volume=part)  # take profit
    sell = rig.signal()
    if not out.check(4, "engine wrote a SELL of the lot", sell is not None and sell.direction == "SELL"
                     and sell.shares == part):
        return
    assert sell is not None
    rig.result(sell, ResultStatus.PARTIALLY_FILLED, 100, sell.price)
    b = rig.engine.book
    out.check(4, "sell partially filled: the unsold part is back in positions",
              b.hold_layers == 1 and b.positions[0].shares == part - 100)
    out.check(4, "hold_layers/total_cost recomputed",
              abs(b.total_cost - (part - 100) * buy.price) < 0.02, f"total_cost={b.total_cost}")


def stage5_recovery(work: Path, out: Checklist, say: Callable[[str], None]) -> None:
    """Stage 5: crash after state-before-signal, executor idempotency, broker position sync."""

    def crash(name: str) -> None:
        if name == "after_state":
            raise RuntimeError("simulated crash after state before signal")

    rig = Rig.create(work / "stage5", checkpoint=crash)
    with contextlib.suppress(RuntimeError):
        rig.first_buy()
    pending = read_message(rig.folder / STATE_FILE, DashboardState).value
    pending_sig = pending.pending_signal if pending else None
    out.check(5, "crash left a pending signal and no signal file",
              pending_sig is not None and not (rig.folder / SIGNAL_FILE).exists())
    rig.restart()
    rig.quote(pending_sig.price if pending_sig else rig.bars[-1].close)
    sig = rig.signal()
    out.check(5, "restart re-emits the SAME signal_id", sig is not None and pending_sig is not None
              and sig.signal_id == pending_sig.signal_id)
    executor = _executor(rig.folder, rig.clock)
    executor.poll_once()
    if sig is not None:
        write_message(rig.folder / SIGNAL_FILE, sig)
        rig.restart()  # crash before the result was applied: the executor has it → wait, no re-emit
        executor.poll_once()
    out.check(5, "executor executes the id once",
              len(executor.journal.done_ids()) == 1)
    rig.engine.step()
    book = rig.engine.book
    out.check(5, "the result is applied once after the restart",
              book.pending_signal is None and book.hold_layers == 1 and len(book.applied_results) == 1)
    for _ in range(3):
        rig.quote(rig.bars[-1].close * 0.995, volume=0)
    out.check(5, "a trustworthy zero broker position clears the lots", rig.engine.book.hold_layers == 0)


STAGES: list[tuple[int, str, Callable[[Path, Checklist, Callable[[str], None]], None]]] = [
    (1, "backtest self-check", stage1_backtest),
    (2, "first-layer BUY signal", stage2_signal),
    (3, "executor dry run", stage3_executor),
    (4, "partial-fill alignment", stage4_partial),
    (5, "recovery", stage5_recovery),
]


def run_stages(work: Path, say: Callable[[str], None] = print) -> Checklist:
    """Run stages 1–5 in ``work``; a stage that raises fails with the error as its item."""
    out = Checklist()
    for number, title, stage in STAGES:
        say(f"[stage {number}] {title}")
        try:
            stage(work, out, say)
        except Exception as exc:
            out.check(number, f"stage {number} ran without error", False, f"{exc!r}")
            say(traceback.format_exc())
        for item in (i for i in out if i.stage == number):
            say("  " + item.line())
    return out
