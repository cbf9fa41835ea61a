"""LiveEngine: the desktop side's trading loop (Qt-free; the GUI drives it from a worker thread).

One :meth:`LiveEngine.step` is one poll cycle, without sleeping:

1. apply queued commands (start / stop / sell-only / halt / resume / set_params);
2. notice the ``STOP`` file (kill switch);
3. on the first step, recover a signal left pending by a crash (:mod:`.recovery`);
4. while a signal is pending, read its result and apply it exactly once (:mod:`.book`);
5. read ``shared_quote.json``; on a new ``seq``: advance the cool-down clock, sync with the broker
   position (:mod:`.broker_sync`), compute indicators from the bridge's 1-minute bars, and — when
   nothing blocks — ask the strategy core for an intent and emit it.

Emitting follows *state before signal*: the new book with the pending signal is saved atomically,
then the signal file is written. At most one signal is outstanding. :meth:`run_forever` loops
``step()`` every :meth:`LiveEngine.poll_interval` — ``fast_poll_interval_s`` while a signal is outstanding
and around each expected quote, up to ``poll_interval_s`` in between (``contract/pacing.py``) — until a
``threading.Event`` is set. Quote and result files are read only when their stat signature changed.

Commands may be called from any thread; they are queued and applied at the start of the next
step (``halt()`` also writes ``STOP`` at once). Listeners receive immutable events on the engine's
thread (see :mod:`.events`); :meth:`snapshot` is safe to call from any thread.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.broker_sync import BrokerSync, SyncVerdict
from miniqmt_gui.live.commands import CommandQueue, Resume, SetParams, SetState
from miniqmt_gui.live.decision_journal import DecisionJournal, export_csv
from miniqmt_gui.live.events import (
    BookEvent,
    EngineEvent,
    EngineSnapshot,
    EngineStatus,
    Listener,
    ListenerHub,
    LogEvent,
    QuoteEvent,
    ResultEvent,
    SignalEvent,
    StatusEvent,
    TradingState,
)
from miniqmt_gui.live.messages import text
from miniqmt_gui.live.quote_reader import QuoteReader
from miniqmt_gui.live.recovery import RecoveryAction, recovery_action
from miniqmt_gui.live.routes import OrderRoute, SharedFolderRoute
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.live.staleness import StalenessTracker
from miniqmt_gui.live.state_store import load_state, save_state
from miniqmt_gui.live.status import Conditions, allows, compute_status
from miniqmt_gui.live.strategy_port import Decider, Intent, Snapshot
from windows_bridge.contract.atomic_io import remove_file, write_bytes_atomic
from windows_bridge.contract.files import STOP_FILE
from windows_bridge.contract.market_hours import in_continuous_session, now_shanghai
from windows_bridge.contract.messages import (
    DashboardState,
    OrderResult,
    OrderSignal,
    SharedQuote,
    make_signal_id,
)
from windows_bridge.contract.pacing import QuotePacer
from windows_bridge.contract.prices import LOT, round_to_tick

log = logging.getLogger(__name__)

#: names of the persistence steps a test can inject a crash at (``checkpoint`` argument)
CHECKPOINTS = ("before_state", "after_state", "after_signal", "applying_result")


def random_token() -> str:
    """8 lowercase hex digits for a new signal id."""
    return secrets.token_hex(4)


def _no_checkpoint(name: str) -> None:
    """Production: checkpoints do nothing."""


class LiveEngine:
    """The trading loop; see the module docstring."""

    def __init__(
        self,
        settings: EngineSettings,
        decider: Decider,
        *,
        params: Any = None,
        route: OrderRoute | None = None,
        clock: Callable[[], datetime] = now_shanghai,
        monotonic: Callable[[], float] = time.monotonic,
        token: Callable[[], str] = random_token,
        checkpoint: Callable[[str], None] = _no_checkpoint,
    ) -> None:
        """Load the book from ``settings.state_path``; the engine starts *stopped* (call :meth:`start`).

        ``decider`` is the strategy core (:func:`.core_decider.make_core_decider`); ``route`` defaults to
        the shared folder (paper mode: pass :class:`.paper.PaperRoute`). ``clock``/``monotonic``/``token``
        are injectable for tests; ``checkpoint(name)`` is called at each persistence step (crash tests).
        """
        self.settings = settings
        self._decider = decider
        self._params = params
        self._route: OrderRoute = route or SharedFolderRoute(settings.shared_dir, settings.hmac_key)
        self._clock, self._mono, self._token, self._checkpoint = clock, monotonic, token, checkpoint
        self._hub = ListenerHub()
        self._commands = CommandQueue()
        self._reader = QuoteReader(settings.shared_dir)
        # fast just before each expected quote; once it came the engine acts on it at once (follow 0)
        self._pacer = QuotePacer(self._reader.path, fast_s=min(settings.fast_poll_interval_s,
                                                                settings.poll_interval_s),
                                 slow_s=settings.poll_interval_s, follow_s=0.0)
        self._staleness = StalenessTracker(settings.stale_after_s, monotonic=monotonic, wall_clock=clock)
        self._sync = BrokerSync(settings.sync_zero_snapshots, settings.base_shares)
        self._journal = DecisionJournal(settings.journal_path)
        self._state = TradingState.STOPPED
        self._why = "why_not_started"
        self._stop_present = False
        self._needs_recovery = True
        self._seen_seq: int | None = None
        self._silent_until: float | None = None
        self._mismatch = ""
        self._snap: Snapshot | None = None
        self._snap_key: tuple[object, ...] | None = None
        self._last_signal: OrderSignal | None = None
        self._last_result: OrderResult | None = None
        self._ignored_results: set[str] = set()
        self._lock = threading.Lock()
        self._book = self._load_book()
        self._status = self._compute_status()

    # ------------------------------------------------------------------ public: commands

    def start(self) -> None:
        """Trade normally (buys and sells)."""
        self._commands.put(SetState(TradingState.RUNNING, "why_user"))

    def stop(self) -> None:
        """Emit nothing new; results of a pending signal are still applied."""
        self._commands.put(SetState(TradingState.STOPPED, "why_user"))

    def sell_only(self) -> None:
        """Reduce only: sells go out, buys do not."""
        self._commands.put(SetState(TradingState.SELL_ONLY, "why_user"))

    def halt(self) -> None:
        """Kill switch: write ``STOP`` now (the executor stops placing) and emit nothing."""
        try:
            write_bytes_atomic(self.settings.shared_dir / STOP_FILE, b"halted by the desktop app\n")
        except OSError as exc:
            log.error("cannot write STOP: %s", exc)
        self._commands.put(SetState(TradingState.HALTED, "why_user"))

    def resume(self) -> None:
        """Remove ``STOP`` and trade normally again."""
        self._commands.put(Resume())

    def set_params(self, params: Any) -> None:
        """Use other strategy parameters from the next evaluation on (a validated ``StrategyParams``)."""
        self._commands.put(SetParams(params))

    # ------------------------------------------------------------------ public: observing

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every event; returns a function that removes it."""
        return self._hub.add(listener)

    def snapshot(self) -> EngineSnapshot:
        """The current book, status, quote, indicators and last signal/result (any thread)."""
        with self._lock:
            values = dict(self._snap.values) if self._snap is not None else {}
            return EngineSnapshot(
                book=self._book, status=self._status, quote=self._reader.quote, indicators=values,
                last_signal=self._last_signal, last_result=self._last_result, params=self._params,
            )

    @property
    def book(self) -> DashboardState:
        """The layer book as last persisted."""
        return self._book

    @property
    def status(self) -> EngineStatus:
        """The current status."""
        return self._status

    def export_journal_csv(self, csv_path: Path) -> int:
        """Write the decision journal as CSV; returns the number of rows."""
        return export_csv(self.settings.journal_path, csv_path)

    # ------------------------------------------------------------------ public: running

    def step(self) -> None:
        """One poll cycle (never sleeps); see the module docstring for the order of work."""
        self._run_commands()
        self._stop_present = (self.settings.shared_dir / STOP_FILE).exists()
        if self._needs_recovery:
            self._recover()
        self._route.pump()
        if self._book.pending_signal is not None:
            self._check_result()
        quote = self._reader.poll()
        self._staleness.observe(quote.seq if quote else None, quote.time if quote else None)
        if quote is not None and quote.seq != self._seen_seq:
            self._on_new_quote(quote)
        self._refresh_status()

    def poll_interval(self) -> float:
        """Seconds until the next step: fast while a signal is outstanding and around each quote."""
        if self._book.pending_signal is not None:
            return self.settings.fast_poll_interval_s
        return self._pacer.next_wait()

    def run_forever(self, stop_event: threading.Event) -> None:
        """Call :meth:`step` every :meth:`poll_interval` until ``stop_event`` is set; errors are logged."""
        while not stop_event.is_set():
            try:
                self.step()
            except Exception as exc:
                log.exception("engine step failed")
                self._publish(LogEvent(logging.ERROR, f"engine step failed: {exc!r}", self._clock()))
                self._needs_recovery = True
            stop_event.wait(self.poll_interval())

    # ------------------------------------------------------------------ internals: plumbing

    def _publish(self, event: EngineEvent) -> None:
        self._hub.publish(event)

    def _say(self, level: int, key: str, **values: object) -> None:
        message = text(key, self.settings.lang, **values)
        log.log(level, "%s", text(key, "en", **values))
        self._publish(LogEvent(level, message, self._clock()))

    def _load_book(self) -> DashboardState:
        mode: Literal["live", "paper"] = "paper" if self.settings.paper else "live"
        loaded = load_state(self.settings.state_path, self.settings.code, mode, self._clock())
        for note in loaded.notes:
            self._say(logging.WARNING, "state_dropped", what=note)
        if loaded.kept_aside is not None:
            self._say(logging.ERROR, "state_corrupt", name=loaded.kept_aside.name)
        return loaded.state

    def _commit(self, new: DashboardState) -> None:
        """Persist ``new`` atomically, then make it the book (a failed write leaves the old book)."""
        save_state(self.settings.state_path, new)
        with self._lock:
            self._book = new
        self._sync.reset()
        self._publish(BookEvent(new))

    def _entry(self, event: str, quote: SharedQuote | None = None, **fields: object) -> None:
        ind = dict(self._snap.values) if self._snap is not None else {}
        b = self._book
        self._journal.append(
            event, self._clock(), seq=quote.seq if quote else None, price=quote.price if quote else None,
            indicators=ind, hold_layers=b.hold_layers, lot_shares=bk.lot_shares(b),
            anchor=b.last_buy_price, **fields,
        )

    # ------------------------------------------------------------------ internals: commands and status

    def _run_commands(self) -> None:
        for command in self._commands.drain():
            if isinstance(command, SetState):
                self._state, self._why = command.state, command.reason or "why_user"
            elif isinstance(command, Resume):
                remove_file(self.settings.shared_dir / STOP_FILE)
                self._state, self._why = TradingState.RUNNING, "why_user"
            elif isinstance(command, SetParams):
                self._decider = self._decider.with_params(command.params)
                self._params, self._snap_key = command.params, None
                self._entry("params_set", note=repr(command.params))
                self._say(logging.INFO, "params_set")

    def _silent_until_wall(self) -> datetime | None:
        if self._silent_until is None:
            return None
        left = self._silent_until - self._mono()
        if left <= 0:
            self._silent_until = None
            return None
        return self._clock() + timedelta(seconds=left)

    def _compute_status(self) -> EngineStatus:
        quote = self._reader.quote
        state, why = self._state, self._why
        if self._stop_present and state is not TradingState.HALTED:
            state, why = TradingState.HALTED, "why_stop_file"
        snap = self._snap
        warming = None if snap is None or snap.ready else snap.bars
        in_session = not self.settings.session_only or in_continuous_session(self._clock())
        pending = self._book.pending_signal
        cond = Conditions(
            state=state, why_key=why, has_quote=quote is not None, quote_error=self._reader.error,
            stale=self._staleness.is_stale(), quote_age_s=self._staleness.age_s(),
            connected=quote.connected if quote else True, quote_code=quote.code if quote else "",
            want_code=self.settings.code if quote else "", in_session=in_session, warming_bars=warming,
            pending_id=pending.signal_id if pending else "", silent_until=self._silent_until_wall(),
            mismatch=self._mismatch, paper=self.settings.paper,
        )
        return compute_status(cond, self.settings.lang)

    def _refresh_status(self) -> EngineStatus:
        status = self._compute_status()
        changed = (status.state, status.blockers, status.reason) != (
            self._status.state, self._status.blockers, self._status.reason)
        with self._lock:
            self._status = status
        if changed:
            self._publish(StatusEvent(status))
        return status

    # ------------------------------------------------------------------ internals: recovery and results

    def _recover(self) -> None:
        self._needs_recovery = False
        signal = self._book.pending_signal
        if signal is None:
            return
        action = recovery_action(self._route, signal)
        if action is RecoveryAction.REEMIT:
            self._route.send(signal)
            self._last_signal = signal
            self._entry("signal_reemitted", signal_id=signal.signal_id, direction=signal.direction,
                        layer=signal.layer, shares=signal.shares, rule=self._book.pending_rule)
            self._publish(SignalEvent(signal, self._book.pending_rule, reemitted=True))
            self._say(logging.WARNING, "signal_reemitted", signal_id=signal.signal_id)
        elif action is RecoveryAction.WAIT:
            self._say(logging.INFO, "signal_waiting", signal_id=signal.signal_id)

    def _check_result(self) -> None:
        result = self._route.poll_result()
        if result is None or result.signal_id in self._ignored_results:
            return
        applied = bk.apply_result(self._book, result, self._clock())
        if applied.outcome in (bk.Outcome.DUPLICATE, bk.Outcome.UNKNOWN):
            self._ignored_results.add(result.signal_id)
            if applied.outcome is bk.Outcome.UNKNOWN:
                self._say(logging.WARNING, "result_unknown", signal_id=result.signal_id)
            return
        self._checkpoint("applying_result")
        self._commit(applied.state)
        self._last_result = result
        if applied.outcome is bk.Outcome.ROLLED_BACK:
            self._silent_until = self._mono() + self.settings.silent_period_s
            self._say(logging.WARNING, "result_rolled_back", signal_id=result.signal_id,
                      status=result.status.value)
        else:
            self._say(logging.INFO, "result_applied", signal_id=result.signal_id,
                      status=result.status.value, filled=result.filled_shares,
                      requested=result.requested_shares)
        self._entry("result", self._reader.quote, signal_id=result.signal_id, status=result.status.value,
                    filled_shares=result.filled_shares, avg_price=result.avg_price,
                    note=f"{applied.outcome.value}: {result.message}")
        self._publish(ResultEvent(result, applied.outcome.value))

    # ------------------------------------------------------------------ internals: quotes

    def _on_new_quote(self, quote: SharedQuote) -> None:
        self._seen_seq = quote.seq
        self._publish(QuoteEvent(quote))
        if quote.code != self.settings.code:
            return
        view = self._route.on_quote(quote)
        self._advance_clock(quote)
        self._broker_sync(view)
        self._snap = self._snapshot_for(quote)
        self._init_anchor(quote)
        status = self._refresh_status()
        self._maybe_decide(quote, status)

    def _advance_clock(self, quote: SharedQuote) -> None:
        new = bk.advance_clock(self._book, [bar.time for bar in quote.history])
        if new is not self._book:
            self._commit(new)

    def _snapshot_for(self, quote: SharedQuote) -> Snapshot:
        last = quote.history[-1].time if quote.history else None
        key = (last, len(quote.history), quote.history[-1].close if quote.history else None)
        if key != self._snap_key or self._snap is None:
            self._snap, self._snap_key = self._decider.snapshot(quote.history), key
        return self._snap

    def _init_anchor(self, quote: SharedQuote) -> None:
        b, snap = self._book, self._snap
        if snap is None or not snap.ready or b.last_buy_price > 0 or b.positions or b.pending_signal:
            return
        self._commit(b.model_copy(update={"last_buy_price": snap.close, "updated": self._clock()}))
        self._entry("anchor_init", quote, rule="first_anchor")
        self._say(logging.INFO, "anchor_init", price=snap.close)

    def _broker_sync(self, quote: SharedQuote) -> None:
        report = self._sync.check(quote, bk.lot_shares(self._book), self._book.pending_signal is not None)
        if report.verdict is SyncVerdict.CLEAR_LOTS:
            self._commit(bk.clear_lots(self._book, self._clock()))
            self._mismatch = ""
            self._entry("sync_cleared", quote, rule="broker_truth_zero")
            self._say(logging.WARNING, "sync_cleared", count=report.zero_count)
        elif report.verdict in (SyncVerdict.MISMATCH, SyncVerdict.ZERO_PENDING):
            detail = text("sync_mismatch", self.settings.lang, broker=report.broker_shares,
                          book=report.book_shares)
            if detail != self._mismatch:
                self._entry("sync_mismatch", quote, note=text("sync_mismatch", "en",
                            broker=report.broker_shares, book=report.book_shares))
                self._say(logging.WARNING, "sync_mismatch", broker=report.broker_shares,
                          book=report.book_shares)
            self._mismatch = detail
        elif report.verdict is SyncVerdict.AGREE and self._mismatch:
            self._mismatch = ""
            self._say(logging.INFO, "sync_resolved")

    # ------------------------------------------------------------------ internals: deciding and emitting

    def _maybe_decide(self, quote: SharedQuote, status: EngineStatus) -> None:
        snap = self._snap
        if snap is None or not allows(status, "SELL"):
            return
        intent = self._decider.decide(self._book, quote.price, snap, quote.time)
        if intent is None or not allows(status, intent.direction):
            return
        self._emit(intent, quote)

    def _make_signal(self, intent: Intent) -> OrderSignal:
        shares = intent.shares
        if intent.direction == "SELL":
            shares = shares // LOT * LOT  # an odd remainder stays in the book (sold with a later lot)
        sid = make_signal_id(intent.direction, self.settings.code, intent.layer, self._token())
        reason = f"{intent.rule} L{intent.layer}" if intent.rule else f"grid L{intent.layer}"
        return OrderSignal(
            signal_id=sid, code=self.settings.code, direction=intent.direction,
            price=round_to_tick(intent.price), shares=shares, timestamp=self._clock(),
            reason=reason, layer=intent.layer,
        )

    def _emit(self, intent: Intent, quote: SharedQuote) -> None:
        signal = self._make_signal(intent)
        if signal.shares <= 0:
            return
        now = self._clock()
        if intent.direction == "BUY":
            new = bk.begin_buy(self._book, signal, now, intent.rule)
        else:
            new = bk.begin_sell(self._book, signal, intent.sell_layers, now, intent.rule)
        new = new.model_copy(update={"last_quote_seq": quote.seq})
        self._checkpoint("before_state")
        self._commit(new)  # state before signal
        self._checkpoint("after_state")
        self._route.send(signal)
        self._checkpoint("after_signal")
        self._last_signal = signal
        self._entry("signal", quote, rule=intent.rule, signal_id=signal.signal_id,
                    direction=signal.direction, layer=signal.layer, shares=signal.shares)
        self._publish(SignalEvent(signal, intent.rule))
        self._say(logging.INFO, "signal_sent", signal_id=signal.signal_id, direction=signal.direction,
                  shares=signal.shares, price=signal.price)
