"""Runs a backtest in a child process and reports back as Qt signals on the GUI thread.

The child (:mod:`backtest_job`) sends small messages over a pipe; a 30 ms ``QTimer`` on the GUI
thread polls the pipe without blocking, so no extra thread exists and nothing can leak. Cancel
terminates the child at once (a backtest has no side effects). Finished children are reaped
without blocking the GUI: the timer keeps running until the process has exited.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from miniqmt_gui.ui.backtest_job import run_job

POLL_MS = 30
KILL_AFTER_TICKS = 100  # ~3 s after terminate() a child that still lives is killed


class BacktestRunner(QObject):
    """Start, follow and cancel one backtest at a time."""

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        """An idle runner; :meth:`start` launches a child process."""
        super().__init__(parent)
        self._ctx = mp.get_context("spawn")
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        self._done = True
        self._reap_ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def is_busy(self) -> bool:
        """True while a backtest runs (not counting the reaping of a finished child)."""
        return not self._done

    def start(self, request: Any, target: Callable[[Connection, Any], None] = run_job) -> bool:
        """Launch ``target(conn, request)`` (a backtest by default); False when one is already running."""
        if not self._done:
            return False
        self._discard_finished_child()
        receiver, sender = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=target, args=(sender, request), daemon=True,
                                 name="miniqmt-backtest")
        proc.start()
        sender.close()
        self._proc, self._conn, self._done, self._reap_ticks = proc, receiver, False, 0
        self._timer.start()
        self.busyChanged.emit(True)
        return True

    def _discard_finished_child(self) -> None:
        """A child whose result already arrived but that has not exited yet: end it now."""
        proc = self._proc
        if proc is None:
            return
        if proc.is_alive():
            proc.terminate()
        proc.join(1.0)
        if proc.is_alive():
            proc.kill()
            proc.join(1.0)
        proc.close()
        self._proc = None

    def cancel(self) -> None:
        """Stop the running backtest; emits ``cancelled``."""
        if self._done or self._proc is None:
            return
        self._proc.terminate()
        self._finish()
        self.cancelled.emit()

    def shutdown(self) -> None:
        """Stop everything now (window closing): terminate and join the child, stop the timer."""
        self._timer.stop()
        self._discard_finished_child()
        self._close_conn()
        self._done = True

    def _close_conn(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _finish(self) -> None:
        """The run is over (result, error or cancel); the child is reaped by the timer."""
        self._close_conn()
        if not self._done:
            self._done = True
            self.busyChanged.emit(False)

    def _poll(self) -> None:
        if not self._done:
            self._read_messages()
        if self._done:
            self._reap()

    def _read_messages(self) -> None:
        conn = self._conn
        try:
            while conn is not None and not self._done and conn.poll(0):
                self._handle(conn.recv())
        except (EOFError, OSError):
            self._finish()
            self.failed.emit(self.tr("回测进程意外退出"))

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "progress":
            self.progress.emit(int(message[1]), str(message[2]))
        elif kind == "result":
            self._finish()
            self.finished.emit(message[1])
        elif kind == "error":
            self._finish()
            self.failed.emit(str(message[1]))

    def _reap(self) -> None:
        proc = self._proc
        if proc is None:
            self._timer.stop()
            return
        self._reap_ticks += 1
        if proc.is_alive():
            if self._reap_ticks == KILL_AFTER_TICKS:
                proc.kill()
            return
        proc.join(0)
        proc.close()
        self._proc = None
        self._timer.stop()
