"""LiveEngine: the desktop side's trading loop (Qt-free; the GUI drives it from a worker thread).

One :meth:`LiveEngine.step` is one poll cycle, without sleeping:

1. apply queued commands (start / stop / sell-only / halt / resume / set_params);
2. notice the ``STOP`` file (kill switch): before every decision on a new quote, on every step while
   a command or a signal is outstanding, and at least every second in between (``IDLE_REFRESH_S``);
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
from typing import Literal

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.broker_sync import BrokerSync, SyncReport, SyncVerdict
from miniqmt_gui.live.commands import (
    AdoptBrokerLots,
    CancelPending,
    CommandQueue,
    EditLots,
    Resume,
    SellLayer,
    SetParams,
    SetState,
)
from miniqmt_gui.live.decider import Decider, Intent
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
    ReconcileEvent,
    ResultEvent,
    SignalEvent,
    StatusEvent,
    TradingState,
)
from miniqmt_gui.live.link_watch import LinkWatch, MarketClock
from miniqmt_gui.live.manual import manual_refusal
from miniqmt_gui.live.messages import text
from miniqmt_gui.live.ownership import AppOwnership
from miniqmt_gui.live.pending_watch import PendingAction, PendingWatch
from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.live.quarantine import REJECTED_DIR, Quarantine
from miniqmt_gui.live.quote_reader import QuoteReader
from miniqmt_gui.live.rebuild import adopt_broker_lots, load_book
from miniqmt_gui.live.recovery import RecoveryAction, recovery_action
from miniqmt_gui.live.result_check import refusal
from miniqmt_gui.live.routes import OrderRoute, SharedFolderRoute
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.live.staleness import StalenessTracker
from miniqmt_gui.live.state_store import save_state
from miniqmt_gui.live.status import Conditions, allows, compute_status
from miniqmt_gui.strategy.indicators import IndicatorSnapshot
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.atomic_io import read_message, remove_file, write_bytes_atomic
from windows_bridge.contract.calendar import next_session_start
from windows_bridge.contract.files import STOP_FILE, kill_switch
from windows_bridge.contract.market_hours import in_continuous_session, now_shanghai
from windows_bridge.contract.messages import (
    BookLot,
    DashboardState,
    OrderResult,
    OrderSignal,
    SharedQuote,
    make_signal_id,
)
from windows_bridge.contract.owner_lock import Ownership
from windows_bridge.contract.pacing import QuotePacer
from windows_bridge.contract.prices import LOT, round_to_tick

log = logging.getLogger(__name__)

#: names of the persistence steps a test can inject a crash at (``checkpoint`` argument)
CHECKPOINTS = ("before_state", "after_state", "after_signal", "applying_result")


#: between quotes, with nothing pending, the STOP scan and the status (ages, staleness, link) are
#: refreshed this often; a new quote, a command, an event or an outstanding signal refreshes them at once
IDLE_REFRESH_S = 1.0


def random_token() -> str:
    """8 lowercase hex digits for a new signal id."""
    return secrets.token_hex(4)


def _no_checkpoint(name: str) -> None:
    """Production: checkpoints do nothing."""


class NotOwnerError(RuntimeError):
    """This engine lost the shared folder's owner lock: it writes nothing any more."""


class LiveEngine:
    """The trading loop; see the module docstring."""

    def __init__(
        self,
        settings: EngineSettings,
        decider: Decider,
        *,
        params: StrategyParams | None = None,
        route: OrderRoute | None = None,
        clock: Callable[[], datetime] = now_shanghai,
        monotonic: Callable[[], float] = time.monotonic,
        token: Callable[[], str] = random_token,
        checkpoint: Callable[[str], None] = _no_checkpoint,
        pool: LivePool | None = None,
    ) -> None:
        """Load the book from ``settings.state_path``; the engine starts *stopped* (call :meth:`start`).

        ``decider`` is the strategy (:class:`.decider.GridDecider`); ``route`` defaults to
        the shared folder (paper mode: :class:`.paper.PaperRoute`, the real executor in-process).
        ``clock``/``monotonic``/``token`` are injectable for tests; ``checkpoint(name)`` is called at
        each persistence step (crash tests). ``pool``: the capital pool shared with the other codes'
        engines of a portfolio (:mod:`.pool_guard`); every BUY asks it first.
        """
        self.settings = settings
        self._decider = decider
        self._params = params
        self._route: OrderRoute = route or SharedFolderRoute(settings.shared_dir, settings.hmac_key,
                                                             settings.files)
        self._clock, self._mono, self._token, self._checkpoint = clock, monotonic, token, checkpoint
        self._hub = ListenerHub()
        self._commands = CommandQueue()
        self._quarantine = Quarantine(settings.work_dir / REJECTED_DIR, clock)
        # a rehearsal replays a market whose clock runs ahead of the wall clock: no "future" check there
        self._reader = QuoteReader(settings.shared_dir, clock=clock if settings.session_only else None,
                                   skew_s=settings.quote_skew_s, quarantine=self._quarantine,
                                   name=settings.files.quote)
        # fast just before each expected quote; once it came the engine acts on it at once (follow 0)
        self._pacer = QuotePacer(self._reader.path, fast_s=min(settings.fast_poll_interval_s,
                                                                settings.poll_interval_s),
                                 slow_s=settings.poll_interval_s, follow_s=0.0)
        # staleness counts market hours: the wall clock's live, the replayed market's under a rehearsal
        self._market_clock = MarketClock(clock, monotonic)
        self._staleness = StalenessTracker(settings.stale_after_s, monotonic=monotonic,
                                           wall_clock=clock if settings.session_only else self._market_clock)
        self._link = LinkWatch(settings.link_timeout_s, monotonic)
        self._link_was_down = False
        self._reads_quotes = False  # the last step got as far as reading the quote file
        #: the quote whose position and asset are the trading account (the paper account in paper mode)
        self._account: SharedQuote | None = None
        self._sync = BrokerSync(settings.sync_zero_snapshots, settings.base_shares)
        lock_dir = settings.work_dir if settings.paper else settings.shared_dir
        lock = lock_dir / settings.files.app_lock if settings.owner_lock else None
        self._owner = AppOwnership(lock, clock=clock,
                                   monotonic=monotonic, takeover_s=settings.owner_takeover_s)
        self._pending = PendingWatch(settings.pending_timeout_s, settings.pending_max_resends, monotonic)
        #: buys wait until the broker's position has been seen to agree with the book (unknown ≠ no)
        self._verified = False
        self._reconcile: ReconcileEvent | None = None
        self._refused = ""
        self._refused_results: set[str] = set()
        self._stuck_said = False
        self._in_doubt_seen = 0
        self._journal = DecisionJournal(settings.journal_path)
        self._state = TradingState.STOPPED
        self._why = "why_not_started"
        self._stop_present = False
        self._next_stop_scan = 0.0
        self._next_status = 0.0
        self._events = 0  # events published so far (a step that published one refreshes the status)
        self._needs_recovery = True
        self._seen_seq: int | None = None
        self._silent_until: float | None = None
        self._mismatch = ""
        self._snap: IndicatorSnapshot | None = None
        self._snap_key: tuple[object, ...] | None = None
        self._last_signal: OrderSignal | None = None
        self._last_result: OrderResult | None = None
        self._ignored_results: set[str] = set()
        self._lock = threading.Lock()
        self._rewrite_share = False
        self._book = self._load_book()
        self._status = self._compute_status()
        self._pool = pool
        self._pool_said = ""
        if pool is not None:
            pool.register(settings.code, lambda: self._book)

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

    def resume(self, state: TradingState = TradingState.RUNNING) -> None:
        """Remove ``STOP`` and trade normally again (``state``: stopped or sell-only instead of running)."""
        self._commands.put(Resume(state))

    def adopt_broker_lots(self) -> None:
        """Reconcile: take the broker's grid shares (position − base) as lots at their average price."""
        self._commands.put(AdoptBrokerLots())

    def set_params(self, params: StrategyParams) -> None:
        """Use other strategy parameters from the next evaluation on (a validated ``StrategyParams``)."""
        self._commands.put(SetParams(params))

    # manual intervention: each goes through the same path as the strategy's own decisions, journaled

    def sell_layer(self, layer: int) -> None:
        """Sell one held layer now at the best bid (a SELL signal like any other; refused with a reason)."""
        self._commands.put(SellLayer(layer))

    def cancel_pending(self, signal_id: str) -> None:
        """Ask the executor to cancel the pending signal's working order (its result comes back as usual)."""
        self._commands.put(CancelPending(signal_id))

    def edit_lots(self, lots: tuple[tuple[int, int, float], ...], note: str = "") -> None:
        """Replace the book's lots by ``(layer, shares, buy_price)`` (only with no signal pending)."""
        self._commands.put(EditLots(lots, note))

    # ------------------------------------------------------------------ public: observing

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every event; returns a function that removes it."""
        return self._hub.add(listener)

    def snapshot(self) -> EngineSnapshot:
        """The current book, status, quote, indicators and last signal/result (any thread)."""
        with self._lock:
            values = self._snap.as_dict() if self._snap is not None else {}
            return EngineSnapshot(
                book=self._book, status=self._status, quote=self._reader.quote, indicators=values,
                last_signal=self._last_signal, last_result=self._last_result, params=self._params,
                account=self._account if self._account is not None else self._reader.quote,
                link_age_s=self._link.age_s(),
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
        """One poll cycle (never sleeps); see the module docstring for the order of work.

        A failure propagates (tests inject crashes this way); hosts call :meth:`run_step`, which applies
        the engine's one failure policy.
        """
        self._reads_quotes = False
        events, inputs = self._events, (self._stop_present, self._reader.error, self._reader.refused)
        busy = self._run_commands() or self._book.pending_signal is not None or self._needs_recovery
        scanned = self._scan_stop(busy)
        if not self._own():
            self._watch()
            return
        if self._rewrite_share:
            self._rewrite_share = False
            self._commit(self._book)
        if self._needs_recovery:
            self._recover()
        if self._book.pending_signal is not None:
            self._check_result()
            self._watch_pending()
        quote = self._poll_quote()
        if quote is not None and quote.seq != self._seen_seq:
            if not scanned:
                self._scan_stop(True)  # every decision sees the kill switch as it is now
            self._on_new_quote(quote)
        if (busy or self._events != events or self._mono() >= self._next_status
                or inputs != (self._stop_present, self._reader.error, self._reader.refused)):
            self._refresh_status()

    def wait_for_ownership(self, timeout_s: float = 5.0, sleep: Callable[[float], None] = time.sleep) -> bool:
        """Beat the owner lock until this engine owns the folder (a claim is confirmed one beat later).

        Returns False when another app owns it (this engine will only watch). Used before a single step.
        """
        deadline = self._mono() + timeout_s
        while True:
            state, _ = self._owner.beat()
            if state is Ownership.OWNER or self._mono() >= deadline:
                return state is Ownership.OWNER
            if state is not Ownership.CLAIMED:
                return False
            sleep(0.2)

    def run_step(self) -> bool:
        """:meth:`step` under the engine's failure policy, the same under the GUI worker and headless.

        A step that fails (a signal file that cannot be written, a share that vanished) is logged and
        shown, and the next step starts with recovery: a pending signal that may not have reached the
        executor is written again under the same id. Returns False when the step failed.
        """
        try:
            self.step()
        except Exception as exc:
            log.exception("engine step failed")
            self._publish(LogEvent(logging.ERROR, text("step_failed", self.settings.lang, error=repr(exc)),
                                   self._clock()))
            self._needs_recovery = True
            return False
        return True

    def close(self) -> None:
        """Release the route and the owner lock. Call once, when done with the engine."""
        self._route.close()
        self._owner.release()

    def poll_interval(self) -> float:
        """Seconds until the next step: fast while a signal is outstanding and around each quote."""
        if self._book.pending_signal is not None:
            return self.settings.fast_poll_interval_s
        # only a step that got to read the quote tells the pacer its read: a step that keeps failing
        # before the read would otherwise see an unread version and retry at the fast pace forever
        return self._pacer.next_wait(self._reader.version if self._reads_quotes else None)

    def run_forever(self, stop_event: threading.Event) -> None:
        """Call :meth:`run_step` every :meth:`poll_interval` until ``stop_event`` is set."""
        while not stop_event.is_set():
            self.run_step()
            stop_event.wait(self.poll_interval())

    # ------------------------------------------------------------------ internals: plumbing

    def _publish(self, event: EngineEvent) -> None:
        self._events += 1
        self._hub.publish(event)

    def _scan_stop(self, now: bool) -> bool:
        """Look for the kill switch (a folder listing) when ``now`` or due; True when it looked.

        Fails closed: STOP.txt, stop, a folder or a link named so all count (contract.files.kill_switch).
        """
        mono = self._mono()
        if not now and mono < self._next_stop_scan:
            return False
        self._stop_present = kill_switch(self.settings.shared_dir) is not None
        self._next_stop_scan = mono + IDLE_REFRESH_S
        return True

    def _say(self, level: int, key: str, **values: object) -> None:
        message = text(key, self.settings.lang, **values)
        log.log(level, "%s", text(key, "en", **values))
        self._publish(LogEvent(level, message, self._clock()))

    def _load_book(self) -> DashboardState:
        mode: Literal["live", "paper"] = "paper" if self.settings.paper else "live"
        s = self.settings
        loaded = load_book(s.state_path, s.own_state_path, s.journal_path, s.code, mode, self._clock())
        for note in loaded.notes:
            self._say(logging.WARNING, "state_dropped", what=note)
        if loaded.kept_aside is not None:
            self._say(logging.ERROR, "state_corrupt", name=loaded.kept_aside.name)
        if loaded.source in ("own copy", "journal"):
            self._say(logging.WARNING, "book_rebuilt", source=loaded.source)
        # the shared file must show the book again once this engine may write (first owned step)
        self._rewrite_share = loaded.source != "state"
        return loaded.state

    def _commit(self, new: DashboardState, *, durable: bool = True) -> None:
        """Persist ``new`` atomically, then make it the book (a failed write leaves the old book).

        A durable change goes first to the app's own copy on the local disk, then to the shared file
        (see :mod:`.rebuild`); the cool-down clock's per-bar progress only to the shared file.
        """
        if not self._owner.may_write():
            raise NotOwnerError("another app owns the shared folder; nothing is written")
        if durable:
            new = new.model_copy(update={"revision": self._book.revision + 1})
            save_state(self.settings.own_state_path, new)
        save_state(self.settings.state_path, new, durable=durable)
        with self._lock:
            self._book = new
        self._sync.reset()
        self._publish(BookEvent(new))

    def _entry(self, event: str, quote: SharedQuote | None = None, **fields: object) -> None:
        """One decision-journal line; in a portfolio it carries the pool's free cash after the book it
        describes (``pool_free``), so the pool's course over a run can be checked from the files."""
        ind = self._snap.as_dict() if self._snap is not None else {}
        b = self._book
        if self._pool is not None and "pool_free" not in fields:
            fields["pool_free"] = round(self._pool.free_cash(), 2)
        self._journal.append(
            event, self._clock(), seq=quote.seq if quote else None, price=quote.price if quote else None,
            indicators=ind, hold_layers=b.hold_layers, lot_shares=bk.lot_shares(b),
            anchor=b.last_buy_price, **fields,
        )

    # ------------------------------------------------------------------ internals: commands and status

    def _run_commands(self) -> bool:
        """Apply the queued commands; True when there were any."""
        commands = self._commands.drain()
        for command in commands:
            if isinstance(command, SetState):
                self._state, self._why = command.state, command.reason or "why_user"
            elif isinstance(command, Resume):
                remove_file(self.settings.shared_dir / STOP_FILE)
                self._state, self._why = command.state, "why_user"
            elif isinstance(command, SetParams):
                self._decider = self._decider.with_params(command.params)
                self._params, self._snap_key = command.params, None
                self._entry("params_set", note=repr(command.params))
                self._say(logging.INFO, "params_set")
            elif isinstance(command, AdoptBrokerLots):
                self._adopt()
            elif isinstance(command, SellLayer | CancelPending | EditLots):
                self._manual(command)
        return bool(commands)

    def _manual(self, command: SellLayer | CancelPending | EditLots) -> None:
        """Run a manual intervention, or say why not (never silently)."""
        why = manual_refusal(self._book, self._status, command, self._owner.may_write())
        if why:
            self._entry("manual_refused", self._reader.quote, note=f"{type(command).__name__}: {why}")
            self._say(logging.WARNING, "manual_refused", why=text(why, self.settings.lang))
            return
        if isinstance(command, SellLayer):
            self._manual_sell(command.layer)
        elif isinstance(command, CancelPending):
            self._route.request_cancel(command.signal_id)
            self._entry("manual_cancel", self._reader.quote, signal_id=command.signal_id)
            self._say(logging.WARNING, "manual_cancel", signal_id=command.signal_id)
        else:
            self._manual_edit(command)

    def _manual_sell(self, layer: int) -> None:
        quote = self._reader.quote
        lot = next(lot for lot in self._book.positions if lot.layer == layer)
        assert quote is not None
        bid = next((p for p in quote.bid_price if p > 0), quote.price)
        intent = Intent("SELL", layer, lot.shares, round_to_tick(bid), sell_layers=(layer,),
                        rule="manual_sell")
        self._say(logging.WARNING, "manual_sell", layer=layer, shares=lot.shares, price=intent.price)
        self._emit(intent, quote)

    def _manual_edit(self, command: EditLots) -> None:
        now = self._clock()
        before = [lot.model_dump(mode="json") for lot in self._book.positions]
        lots = [BookLot(layer=layer, shares=shares, buy_price=price, cost=round(shares * price, 2), time=now,
                        signal_id="manual") for layer, shares, price in command.lots]
        anchor = max((lot.buy_price for lot in lots), default=self._book.last_buy_price)
        new = bk.with_positions(self._book, lots, updated=now,
                                last_buy_price=min((lot.buy_price for lot in lots), default=anchor))
        self._commit(new)
        self._entry("manual_edit", self._reader.quote, note=command.note, before=before,
                    positions=[lot.model_dump(mode="json") for lot in lots])
        self._say(logging.WARNING, "manual_edit", lots=len(lots), shares=bk.lot_shares(new))
        self._verified, self._reconcile, self._mismatch = False, None, ""  # the broker must agree again

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
        now = self._clock()
        in_session = not self.settings.session_only or in_continuous_session(now)
        pending = self._book.pending_signal
        cond = Conditions(
            state=state, why_key=why, has_quote=quote is not None, quote_error=self._reader.error,
            stale=self._staleness.is_stale(), quote_age_s=self._staleness.age_s(),
            link_down=self._link.down(), link_age_s=self._link.age_s(),
            connected=quote.connected if quote else True, quote_code=quote.code if quote else "",
            want_code=self.settings.code if quote else "", in_session=in_session, warming_bars=warming,
            pending_id=pending.signal_id if pending else "", silent_until=self._silent_until_wall(),
            mismatch=self._mismatch, paper=self.settings.paper,
            base_unknown=not self.settings.paper and self.settings.base_shares is None,
            owner=self._owner.holder() if self._owner.state is not Ownership.OWNER else "",
            unverified=not self._verified, reconcile=self._reconcile is not None,
            in_doubt=self._book.pending_in_doubt, pending_stuck=self._pending.stuck,
            quote_refused=self._refused,
            closed_until=None if in_session else next_session_start(now), now=now,
        )
        return compute_status(cond, self.settings.lang)

    def _refresh_status(self) -> EngineStatus:
        self._next_status = self._mono() + IDLE_REFRESH_S
        status = self._compute_status()
        changed = (status.state, status.blockers, status.reason) != (
            self._status.state, self._status.blockers, self._status.reason)
        with self._lock:
            self._status = status
        if changed:
            self._publish(StatusEvent(status))
        return status

    # ------------------------------------------------------------------ internals: one owner

    def _own(self) -> bool:
        """Beat the owner lock; True while this engine may trade. A new owner reloads the book."""
        state, became_owner = self._owner.beat()
        if became_owner and self._owner.enabled:
            with self._lock:
                self._book = self._load_book()
            self._needs_recovery, self._verified, self._seen_seq = True, False, None
            self._say(logging.INFO, "owner_now")
        if state is Ownership.LOST and self._state is not TradingState.STOPPED:
            self._state, self._why = TradingState.STOPPED, "why_not_owner"
            self._say(logging.ERROR, "owner_lost", holder=self._owner.holder())
        return state is Ownership.OWNER

    def _watch(self) -> None:
        """Not the owner: follow quotes and show the owner's book, write nothing."""
        quote = self._poll_quote()
        if quote is not None and quote.seq != self._seen_seq:
            self._seen_seq = quote.seq
            self._publish(QuoteEvent(quote))
        read = read_message(self.settings.state_path, DashboardState)
        if read.value is not None and read.value != self._book:
            with self._lock:
                self._book = read.value
            self._publish(BookEvent(read.value))
        self._refresh_status()

    def _poll_quote(self) -> SharedQuote | None:
        """The latest trusted quote; a newly refused file is said once."""
        quote = self._reader.poll()
        self._reads_quotes = True
        if self._reader.refused != self._refused:
            self._refused = self._reader.refused
            if self._refused:
                self._say(logging.WARNING, "quote_refused", why=self._refused)
        self._market_clock.observe(quote.time if quote else None)
        self._staleness.observe(quote.seq if quote else None, quote.time if quote else None)
        self._link.observe(quote.seq if quote else None)
        down = self._link.down()
        if down != self._link_was_down:
            self._link_was_down = down
            if down:
                self._say(logging.ERROR, "link_down_said", seconds=round(self._link.age_s()))
            else:
                self._say(logging.INFO, "link_back")
        return quote

    # ------------------------------------------------------------------ internals: recovery and results

    def _send(self, signal: OrderSignal) -> None:
        """Write a signal (fenced: a process that lost the owner lock writes nothing)."""
        if not self._owner.may_write():
            raise NotOwnerError("another app owns the shared folder; the signal is not written")
        self._route.send(signal)
        self._pending.track(signal.signal_id)

    def _recover(self) -> None:
        self._needs_recovery = False
        signal = self._book.pending_signal
        if signal is None:
            return
        self._pending.track(signal.signal_id)
        action = recovery_action(self._route, signal)
        if action is RecoveryAction.REEMIT:
            self._resend(signal, "signal_reemitted")
        elif action is RecoveryAction.WAIT:
            self._say(logging.INFO, "signal_waiting", signal_id=signal.signal_id)

    def _resend(self, signal: OrderSignal, key: str) -> None:
        """Write the pending signal again, same id and payload (the executor is idempotent)."""
        self._send(signal)
        self._last_signal = signal
        self._entry("signal_reemitted", signal_id=signal.signal_id, direction=signal.direction,
                    layer=signal.layer, shares=signal.shares, rule=self._book.pending_rule)
        self._publish(SignalEvent(signal, self._book.pending_rule, reemitted=True))
        self._say(logging.WARNING, key, signal_id=signal.signal_id, tries=self._pending.resends)

    def _watch_pending(self) -> None:
        """No result for too long: send the same signal again; after the last try, say it is stuck."""
        signal = self._book.pending_signal
        if signal is None or self._book.pending_in_doubt:
            return
        self._pending.track(signal.signal_id)
        action = self._pending.due()
        if action is PendingAction.RESEND:
            self._resend(signal, "signal_resent")
        elif action is PendingAction.STUCK and not self._stuck_said:
            self._stuck_said = True
            self._say(logging.ERROR, "pending_stuck", signal_id=signal.signal_id, tries=self._pending.resends)

    def _check_result(self) -> None:
        result = self._route.poll_result()
        pending = self._book.pending_signal
        if result is None or pending is None or result.signal_id in self._ignored_results:
            return
        if result.signal_id == pending.signal_id:
            why = refusal(result, pending, key=self.settings.hmac_key, collar=self.settings.risk.price_collar)
            if why:
                self._refuse_result(result, why)
                return
            if self._book.pending_in_doubt:
                return  # already holding; the broker's position settles it
        self._apply(result)

    def _refuse_result(self, result: OrderResult, why: str) -> None:
        """A result that fails a check is never applied; said once per distinct file, then waited out."""
        key = f"{result.signal_id}|{result.model_dump_json()}"
        if key in self._refused_results:
            return
        self._refused_results.add(key)
        self._entry("result_refused", self._reader.quote, signal_id=result.signal_id, note=why)
        self._say(logging.ERROR, "result_refused", signal_id=result.signal_id, why=why)

    def _apply(self, result: OrderResult) -> None:
        applied = bk.apply_result(self._book, result, self._clock())
        if applied.outcome in (bk.Outcome.DUPLICATE, bk.Outcome.UNKNOWN):
            self._ignored_results.add(result.signal_id)
            if applied.outcome is bk.Outcome.UNKNOWN:
                self._say(logging.WARNING, "result_unknown", signal_id=result.signal_id)
            return
        self._checkpoint("applying_result")
        self._commit(applied.state)
        self._last_result = result
        if applied.outcome is bk.Outcome.IN_DOUBT:
            self._entry("in_doubt", self._reader.quote, signal_id=result.signal_id,
                        status=result.status.value, result=result.model_dump(mode="json"),
                        note=result.message)
            self._say(logging.ERROR, "result_in_doubt", signal_id=result.signal_id)
            self._publish(ResultEvent(result, applied.outcome.value))
            return
        self._pending.clear()
        self._stuck_said = False
        if applied.outcome is bk.Outcome.ROLLED_BACK:
            self._silent_until = self._mono() + self.settings.silent_period_s
            self._say(logging.WARNING, "result_rolled_back", signal_id=result.signal_id,
                      status=result.status.value)
        else:
            self._say(logging.INFO, "result_applied", signal_id=result.signal_id,
                      status=result.status.value, filled=result.filled_shares,
                      requested=result.requested_shares)
        event = "in_doubt_settled" if result.reason_code == "in_doubt_settled" else "result"
        self._entry(event, self._reader.quote, signal_id=result.signal_id, status=result.status.value,
                    filled_shares=result.filled_shares, avg_price=result.avg_price,
                    result=result.model_dump(mode="json"), note=f"{applied.outcome.value}: {result.message}",
                    order_id=result.order_id, requested_shares=result.requested_shares, fees=result.fees)
        self._publish(ResultEvent(result, applied.outcome.value))

    # ------------------------------------------------------------------ internals: quotes

    def _on_new_quote(self, quote: SharedQuote) -> None:
        self._seen_seq = quote.seq
        self._publish(QuoteEvent(quote))
        if quote.code != self.settings.code:
            return
        view = self._route.on_quote(quote)
        with self._lock:
            self._account = view
        self._advance_clock(quote)
        self._settle_in_doubt(view)
        self._broker_sync(view)
        self._snap = self._snapshot_for(quote)
        self._init_anchor(quote)
        status = self._refresh_status()
        self._maybe_decide(quote, status)

    def _advance_clock(self, quote: SharedQuote) -> None:
        new = bk.advance_clock(self._book, [bar.time for bar in quote.history])
        if new is not self._book:
            self._commit(new, durable=False)  # recountable from the next quote's bars

    def _snapshot_for(self, quote: SharedQuote) -> IndicatorSnapshot:
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
        self._verify(report, quote)

    def _verify(self, report: SyncReport, quote: SharedQuote) -> None:
        """Buys wait for one agreement with the broker after start; a disagreement asks to reconcile."""
        if report.verdict is SyncVerdict.AGREE:
            if not self._verified:
                self._say(logging.INFO, "book_verified")
            self._verified, self._reconcile = True, None
        elif report.verdict is SyncVerdict.MISMATCH and not self._verified and self._reconcile is None:
            pos = quote.position
            self._reconcile = ReconcileEvent(
                broker_shares=report.broker_shares, book_shares=report.book_shares,
                base_shares=self.settings.base_shares, broker_avg_price=pos.avg_price if pos else 0.0)
            self._say(logging.ERROR, "reconcile_needed", broker=report.broker_shares, book=report.book_shares,
                      base=self.settings.base_shares if self.settings.base_shares is not None else "?")
            self._publish(self._reconcile)

    def _settle_in_doubt(self, quote: SharedQuote) -> None:
        """An in-doubt signal is settled by the broker's position, seen the same several times in a row."""
        base = self.settings.base_shares
        if not self._book.pending_in_doubt or base is None:
            return
        pos = quote.position
        if quote.positions_status != "ok" or pos is None:
            self._in_doubt_seen = 0
            return
        result = bk.settled_result(self._book, pos.volume, base, self._clock())
        self._in_doubt_seen = self._in_doubt_seen + 1 if result is not None else 0
        if result is not None and self._in_doubt_seen >= self.settings.sync_zero_snapshots:
            self._in_doubt_seen = 0
            self._say(logging.WARNING, "in_doubt_settled", signal_id=result.signal_id,
                      filled=result.filled_shares)
            self._book = self._book.model_copy(update={"pending_in_doubt": False})
            self._apply(result)

    def _adopt(self) -> None:
        """Reconcile by adopting the broker's grid shares (the trader chose it)."""
        quote, base = self._reader.quote, self.settings.base_shares
        if quote is None or quote.positions_status != "ok" or quote.position is None or base is None:
            self._say(logging.ERROR, "adopt_impossible")
            return
        if self._book.pending_signal is not None:
            self._say(logging.ERROR, "adopt_pending")
            return
        view = self._route.on_quote(quote)
        pos = view.position
        assert pos is not None
        params = self._params or StrategyParams()
        cap = float(params.layer_capitals().mean())
        new = adopt_broker_lots(self._book, pos.volume, base, pos.avg_price, cap, params.max_layers,
                                self._clock())
        self._commit(new)
        self._entry("book_adopted", quote, positions=[lot.model_dump(mode="json") for lot in new.positions],
                    note=f"broker {pos.volume}, base {base}")
        self._say(logging.WARNING, "book_adopted", lots=len(new.positions), shares=bk.lot_shares(new),
                  price=pos.avg_price)
        self._verified, self._reconcile, self._mismatch = True, None, ""

    # ------------------------------------------------------------------ internals: deciding and emitting

    def _maybe_decide(self, quote: SharedQuote, status: EngineStatus) -> None:
        snap = self._snap
        if snap is None or not allows(status, "SELL"):
            return
        intent = self._decider.decide(self._book, quote.price, snap, quote.time)
        if intent is None or not allows(status, intent.direction):
            return
        if intent.direction == "BUY" and self._pool is not None:
            with self._pool.guard():  # judged and committed under one lock: no two codes spend the same cash
                if self._pool_allows(intent, quote):
                    self._emit(intent, quote)
            return
        self._pool_said = ""
        self._emit(intent, quote)

    def _pool_allows(self, intent: Intent, quote: SharedQuote) -> bool:
        """Ask the shared pool; a refusal is a decision, journaled with its reason (said once per reason)."""
        assert self._pool is not None
        price = round_to_tick(intent.price)
        rate = self._params.commission_rate if self._params is not None else StrategyParams().commission_rate
        cost = intent.shares * price * (1.0 + rate)
        account = self._account or quote
        cash = account.asset.cash if account.asset is not None else None
        first = not self._book.positions
        decision = self._pool.check(self.settings.code, cost, first, cash)
        if decision.allowed:
            self._pool_said = ""
            return True
        key = f"{decision.reason}|L{intent.layer}"
        if key != self._pool_said:
            self._pool_said = key
            self._entry("pool_refused", quote, rule=intent.rule, direction="BUY", layer=intent.layer,
                        shares=intent.shares, limit_price=price, note=decision.reason,
                        cost=round(cost, 2), pool_free=round(decision.pool_free, 2),
                        broker_cash=None if decision.broker_cash is None else round(decision.broker_cash, 2),
                        reserve=decision.reserve, first_layer=first)
            self._say(logging.WARNING, "pool_refused", layer=intent.layer, reason=decision.reason,
                      cost=round(cost, 2), free=round(decision.pool_free, 2), reserve=decision.reserve)
        return False

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
        sold_lots = [lot for lot in self._book.positions if lot.layer in intent.sell_layers]
        sold = tuple((lot.layer, lot.shares) for lot in sold_lots)
        if intent.direction == "BUY":
            new = bk.begin_buy(self._book, signal, now, intent.rule)
        else:
            new = bk.begin_sell(self._book, signal, intent.sell_layers, now, intent.rule)
        new = new.model_copy(update={"last_quote_seq": quote.seq})
        self._checkpoint("before_state")
        self._commit(new)  # state before signal
        self._entry("signal", quote, rule=intent.rule, signal_id=signal.signal_id,
                    direction=signal.direction, layer=signal.layer, shares=signal.shares,
                    limit_price=signal.price, signal=signal.model_dump(mode="json"),
                    sold_layers=list(intent.sell_layers))
        self._checkpoint("after_state")
        self._send(signal)
        self._checkpoint("after_signal")
        self._last_signal = signal
        self._publish(SignalEvent(signal, intent.rule, sold_lots=sold, market_time=quote.time,
                                  sold_cost=round(sum(lot.cost for lot in sold_lots), 2)))
        self._say(logging.INFO, "signal_sent", signal_id=signal.signal_id, direction=signal.direction,
                  shares=signal.shares, price=signal.price)
