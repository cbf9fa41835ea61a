"""GUI-thread side of the live engine: owns the worker thread and forwards commands to it.

Commands travel as queued signals to :class:`EngineWorker` slots, results come back as queued
signals; nothing here blocks except :meth:`shutdown` (window closing), which waits for the
worker's current step to end and the thread to finish.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.ui.engine_factory import default_engine_factory
from miniqmt_gui.ui.engine_worker import EngineFactory, EngineWorker
from miniqmt_gui.ui.live_model import LiveView
from windows_bridge.contract.market_hours import now_shanghai

SHUTDOWN_WAIT_MS = 5000


class LiveController(QObject):
    """Start/stop the worker thread and talk to the engine through it."""

    viewChanged = Signal(object)
    eventReceived = Signal(object)
    failed = Signal(str)
    modeChanged = Signal(bool)
    fileWritten = Signal(str, str)
    sharedChecked = Signal(object)
    _check = Signal(str)
    _command = Signal(str)
    _manual = Signal(str, object)
    _write = Signal(str, str)
    _journal = Signal(str)
    _params = Signal(object)
    _rebuild = Signal(object, bool)
    _shutdown = Signal()

    def __init__(self, settings: EngineSettings, params: Any, factory: EngineFactory | None = None,
                 clock: Callable[[], datetime] = now_shanghai, parent: QObject | None = None) -> None:
        """Create the worker thread (not started: call :meth:`start`)."""
        super().__init__(parent)
        self.settings = settings
        #: the strategy parameters this code's engine was given last (the parameters dialog starts there)
        self.params = params
        self.view: LiveView | None = None
        self._thread = QThread()
        self._thread.setObjectName("miniqmt-engine")
        self._worker = EngineWorker(factory or default_engine_factory, settings, params, clock)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.begin)
        self._command.connect(self._worker.command)
        self._manual.connect(self._worker.manual)
        self._params.connect(self._worker.set_params)
        self._rebuild.connect(self._worker.rebuild)
        self._shutdown.connect(self._worker.shutdown)
        self._write.connect(self._worker.write_text)
        self._journal.connect(self._worker.export_journal)
        self._worker.fileWritten.connect(self.fileWritten)
        self._check.connect(self._worker.check_shared)
        self._worker.sharedChecked.connect(self.sharedChecked)
        # direct: the GUI thread is blocked in wait() during shutdown, and QThread.quit is thread-safe
        self._worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._worker.viewReady.connect(self._on_view)
        self._worker.engineEvent.connect(self.eventReceived)
        self._worker.failed.connect(self.failed)
        self._worker.modeChanged.connect(self.modeChanged)

    def start(self) -> None:
        """Start the worker thread (it builds the engine and begins polling)."""
        self._thread.start()

    def _on_view(self, view: LiveView) -> None:
        self.view = view
        self.viewChanged.emit(view)

    @property
    def state(self) -> TradingState | None:
        """The engine's trading state as of the last view (``None`` before the first)."""
        return self.view.snapshot.status.state if self.view is not None else None

    def command(self, name: str) -> None:
        """Queue ``start``/``stop``/``sell_only``/``halt``/``resume`` (or ``resume_stopped`` /
        ``resume_sell_only``: STOP removed, back to that state) for the engine."""
        self._command.emit(name)

    def manual(self, name: str, arg: object = None) -> None:
        """Queue a manual intervention (``sell`` layer, ``cancel`` signal id, ``edit`` lots, ``adopt``)."""
        self._manual.emit(name, arg)

    def set_params(self, params: Any) -> None:
        """Queue new strategy parameters."""
        self.params = params
        self._params.emit(params)

    def write_text(self, path: str, content: str) -> None:
        """Write a file on the worker thread (``fileWritten`` reports the outcome)."""
        self._write.emit(path, content)

    def check_shared(self, path: str) -> None:
        """Check a shared folder on the worker thread (``sharedChecked`` answers)."""
        self._check.emit(path)

    def export_journal(self, path: str) -> None:
        """Export the decision journal as CSV on the worker thread."""
        self._journal.emit(path)

    def set_paper(self, paper: bool) -> bool:
        """Switch simulate (paper) mode; refused (False) unless the engine is stopped."""
        if self.state not in (None, TradingState.STOPPED):
            return False
        if paper != self.settings.paper:
            self.settings = self.settings.model_copy(update={"paper": paper})
            self._rebuild.emit(self.settings, False)
        return True

    def reconfigure(self, settings: EngineSettings, reset_paper: bool = False) -> bool:
        """Use new engine settings (shared folder, thresholds); refused unless stopped.

        ``reset_paper`` starts the simulated account afresh from the settings' base and cash (the old
        paper account, book and journal are kept aside in the work folder).
        """
        if self.state not in (None, TradingState.STOPPED):
            return False
        self.settings = settings
        self._rebuild.emit(settings, reset_paper)
        return True

    def shutdown(self) -> None:
        """Stop the worker and wait for its thread to end (called when the window closes)."""
        if self._thread.isRunning():
            self._shutdown.emit()
            if not self._thread.wait(SHUTDOWN_WAIT_MS):
                self._thread.quit()
                self._thread.wait(SHUTDOWN_WAIT_MS)
