"""The live engine on its own thread: a worker ``QObject`` that calls ``engine.run_step()`` on a timer.

The worker lives in a ``QThread`` (see :class:`LiveController`). Everything that touches files
— building the engine (it loads the book), stepping, reading the executor heartbeat, halting
(writes ``STOP``) — happens here. Engine listener callbacks run inside ``step()`` on this thread;
they only collect events, which are re-emitted after the step as Qt signals and reach the GUI
through queued connections. Views are emitted at most every ``VIEW_MIN_INTERVAL_S`` and, when nothing
happens, every ``VIEW_MAX_INTERVAL_S`` (ages keep moving; each redraw costs CPU, so not every second).
A new quote that differs from the last one only in its clock fields (``seq``, ``time``, ``heartbeat``:
a quiet market) is not a change to draw at once; the next periodic view shows its time.
The step timer follows :meth:`LiveEngine.poll_interval`: fast only around quotes and while a signal is
outstanding.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.events import EngineEvent, LogEvent, QuoteEvent, TradingState
from miniqmt_gui.live.paper import set_paper_account_aside
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.live_model import Health, build_view, check_shared_dir, compute_health, warm_up
from windows_bridge.contract.market_hours import now_shanghai

log = logging.getLogger(__name__)

#: ``factory(settings, params)`` → engine (a portfolio's factories take ``pool=`` as well)
EngineFactory = Callable[..., LiveEngine]
VIEW_MIN_INTERVAL_S = 0.2
VIEW_MAX_INTERVAL_S = 5.0
HEALTH_INTERVAL_S = 1.0
COMMANDS = ("start", "stop", "sell_only", "halt", "resume")
#: remove STOP but return to another state than running (a portfolio's codes each to their own)
RESUME_TO = {"resume_stopped": TradingState.STOPPED, "resume_sell_only": TradingState.SELL_ONLY}
#: quote fields that move on every quote without changing what the window draws
QUOTE_CLOCK_FIELDS = frozenset({"seq", "time", "heartbeat"})


def _interval_ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class EngineWorker(QObject):
    """Owns the engine; all slots run on the worker thread."""

    viewReady = Signal(object)
    engineEvent = Signal(object)
    failed = Signal(str)
    modeChanged = Signal(bool)
    fileWritten = Signal(str, str)  # path, error ("" = written)
    sharedChecked = Signal(object)  # SharedCheck
    finished = Signal()

    def __init__(self, factory: EngineFactory, settings: EngineSettings, params: StrategyParams,
                 clock: Callable[[], datetime] = now_shanghai) -> None:
        """Remember how to build the engine; :meth:`begin` builds it on the worker thread."""
        super().__init__()
        self._factory, self._settings, self._params, self._clock = factory, settings, params, clock
        self._engine: LiveEngine | None = None
        self._unlisten: Callable[[], None] | None = None
        self._events: list[EngineEvent] = []
        self._timer: QTimer | None = None
        self._dirty = True
        self._last_view = 0.0
        self._health = Health()
        self._last_health = -1e9
        self._quote_drawn: dict[str, object] | None = None  # the last quote's fields, clock fields left out

    @Slot()
    def begin(self) -> None:
        """Build the engine and start stepping (first slot run in the thread)."""
        self._timer = QTimer(self)
        # a coarse timer may fire 5 % early: 50 ms before a quote is due, which stretches the fast window
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(_interval_ms(self._settings.poll_interval_s))
        self._timer.timeout.connect(self._tick)
        try:
            took = warm_up(self._params, self._clock())
            log.info("compiled rules loaded in %.0f ms", took * 1000)
        except Exception:  # the engine reports real problems itself on its first step
            log.exception("warm-up failed")
        self._build()
        self._timer.start()

    def _build(self) -> None:
        try:
            engine = self._factory(self._settings, self._params)
        except Exception as exc:
            log.exception("cannot build the live engine")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self._engine = engine
        self._unlisten = engine.add_listener(self._events.append)
        self._dirty = True
        self.modeChanged.emit(self._settings.paper)

    def _drop_engine(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
        if self._engine is not None:
            self._engine.close()
        self._unlisten, self._engine = None, None

    @Slot(str)
    def command(self, name: str) -> None:
        """Run an engine command (``start``/``stop``/``sell_only``/``halt``/``resume``), then step."""
        if self._engine is None or name not in (*COMMANDS, *RESUME_TO):
            return
        if name in RESUME_TO:
            self._engine.resume(RESUME_TO[name])
        else:
            getattr(self._engine, name)()
        self._tick()

    @Slot(str, object)
    def manual(self, name: str, arg: object) -> None:
        """A manual intervention: ``sell`` (layer), ``cancel`` (signal id), ``edit`` (lots), ``adopt``."""
        engine = self._engine
        if engine is None:
            return
        if name == "sell" and isinstance(arg, int):
            engine.sell_layer(arg)
        elif name == "cancel" and isinstance(arg, str):
            engine.cancel_pending(arg)
        elif name == "edit" and isinstance(arg, tuple):
            engine.edit_lots(arg, "edited in the app")
        elif name == "adopt":
            engine.adopt_broker_lots()
        self._tick()

    @Slot(object)
    def set_params(self, params: StrategyParams) -> None:
        """Use other strategy parameters from the next evaluation."""
        self._params = params
        if self._engine is not None:
            self._engine.set_params(params)
            self._tick()

    @Slot(object, bool)
    def rebuild(self, settings: EngineSettings, reset_paper: bool = False) -> None:
        """Replace the engine with one built from ``settings`` (only while it is stopped).

        ``reset_paper``: the simulated account, paper book and paper journal are moved aside first, so
        the new paper account starts from the settings' base position and cash.
        """
        engine = self._engine
        if engine is not None and engine.status.state is not TradingState.STOPPED:
            self.failed.emit("running")
            self.modeChanged.emit(self._settings.paper)
            return
        self._drop_engine()
        self._settings = settings
        if reset_paper:
            try:
                kept = set_paper_account_aside(settings, self._clock())
                self.engineEvent.emit(LogEvent(logging.INFO, f"paper account reset; old one kept in {kept}",
                                               self._clock()))
            except OSError as exc:
                self.failed.emit(f"paper account reset failed: {exc}")
        self._build()
        self._tick()

    @Slot(str, str)
    def write_text(self, path: str, content: str) -> None:
        """Write ``content`` to ``path`` (CSV with a BOM so Excel shows Chinese); reports the outcome."""
        target = Path(path)
        encoding = "utf-8-sig" if target.suffix.lower() == ".csv" else "utf-8"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding=encoding)
        except OSError as exc:
            self.fileWritten.emit(path, str(exc))
            return
        self.fileWritten.emit(path, "")

    @Slot(str)
    def check_shared(self, path: str) -> None:
        """Check a candidate shared folder (reachable, writable, heartbeats)."""
        self.sharedChecked.emit(check_shared_dir(Path(path), self._clock()))

    @Slot(str)
    def export_journal(self, path: str) -> None:
        """Export the engine's decision journal as CSV to ``path``."""
        if self._engine is None:
            self.fileWritten.emit(path, "no engine")
            return
        try:
            self._engine.export_journal_csv(Path(path))
        except OSError as exc:
            self.fileWritten.emit(path, str(exc))
            return
        self.fileWritten.emit(path, "")

    @Slot()
    def shutdown(self) -> None:
        """Stop the timer and release the engine; emits ``finished``."""
        if self._timer is not None:
            self._timer.stop()
        self._drop_engine()
        self.finished.emit()

    def _tick(self) -> None:
        engine = self._engine
        if engine is None or self._timer is None or not self._timer.isActive():
            return
        engine.run_step()  # the engine's one failure policy (logged, shown, recovery on the next step)
        self._flush_events()
        self._maybe_emit_view(engine)
        interval = _interval_ms(engine.poll_interval())  # fast only while a signal is outstanding
        if self._timer.interval() != interval:
            self._timer.setInterval(interval)

    def _flush_events(self) -> None:
        events, self._events[:] = list(self._events), []
        for event in events:
            if not isinstance(event, QuoteEvent):  # the window reads quotes from views, not events
                self.engineEvent.emit(event)
        changed = [not self._same_quote(event) for event in events]  # every quote is remembered
        self._dirty = self._dirty or any(changed)

    def _same_quote(self, event: EngineEvent) -> bool:
        """True for a quote that changes nothing drawn but its clock fields (remembered for the next)."""
        if not isinstance(event, QuoteEvent):
            return False
        drawn = {k: v for k, v in vars(event.quote).items() if k not in QUOTE_CLOCK_FIELDS}
        same, self._quote_drawn = drawn == self._quote_drawn, drawn
        return same

    def _maybe_emit_view(self, engine: LiveEngine) -> None:
        mono = time.monotonic()
        since = mono - self._last_view
        if not (self._dirty and since >= VIEW_MIN_INTERVAL_S) and since < VIEW_MAX_INTERVAL_S:
            return
        snapshot = engine.snapshot()
        now = self._clock()
        if mono - self._last_health >= HEALTH_INTERVAL_S:
            self._health, self._last_health = compute_health(snapshot, self._settings.shared_dir, now), mono
        try:
            view = build_view(snapshot, self._settings.shared_dir, now, self._health)
        except Exception:
            log.exception("cannot build the live view")
            return
        self._dirty, self._last_view = False, mono
        self.viewReady.emit(view)
