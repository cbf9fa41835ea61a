"""A time limit on every synchronous xtquant call.

xtquant's synchronous calls wait for an answer from the QMT terminal with no timeout of their own:
a terminal that hangs (logging in again, stuck on a dialog, a dead pipe) would block the process
forever. :class:`CallWatchdog` runs each call on a worker thread and waits at most ``limit_s``; a
call that does not come back raises :class:`CallTimeout` and its worker is abandoned (a daemon
thread, so it cannot keep the process alive) — the caller treats the session as lost. After
``max_abandoned`` abandoned calls the xtquant client of this process cannot be trusted any more:
:attr:`CallWatchdog.exhausted` says so and the process should exit so its supervisor restarts it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_LIMIT_S = 15.0
DEFAULT_MAX_ABANDONED = 2


class CallTimeout(RuntimeError):
    """A synchronous xtquant call did not return within its limit."""


class _Worker:
    """One daemon thread running submitted calls in order."""

    def __init__(self, name: str) -> None:
        self.jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the waiting caller, which re-raises it
                future.set_exception(exc)

    def stop(self) -> None:
        self.jobs.put(None)


class CallWatchdog:
    """Runs calls on a worker thread with a time limit; see the module docstring."""

    def __init__(
        self, name: str, limit_s: float = DEFAULT_LIMIT_S, max_abandoned: int = DEFAULT_MAX_ABANDONED
    ) -> None:
        """``name`` names the worker threads (``<name>-1``, ``<name>-2`` after an abandoned call …)."""
        self.name = name
        self.limit_s = limit_s
        self.max_abandoned = max(1, max_abandoned)
        self.abandoned = 0
        self._lock = threading.Lock()
        self._worker: _Worker | None = None

    @property
    def exhausted(self) -> bool:
        """True once ``max_abandoned`` calls hung: this process's xtquant client is not usable."""
        return self.abandoned >= self.max_abandoned

    def call(self, what: str, fn: Callable[[], T], limit_s: float | None = None) -> T:
        """``fn()`` on the worker; its result or exception, or :class:`CallTimeout` after the limit."""
        limit = self.limit_s if limit_s is None else limit_s
        future: Future[T] = Future()
        with self._lock:
            if self._worker is None:
                self._worker = _Worker(f"{self.name}-{self.abandoned + 1}")
            worker = self._worker
            worker.jobs.put((fn, future))
        try:
            return future.result(timeout=limit)
        except TimeoutError:
            self._abandon(worker)
            raise CallTimeout(f"{what} did not answer within {limit:g} s") from None

    def _abandon(self, worker: _Worker) -> None:
        with self._lock:
            if self._worker is worker:
                self._worker = None
                self.abandoned += 1
        worker.stop()  # ends the thread if the hung call ever returns
        log.error(
            "xtquant 调用超时，放弃该线程 a synchronous xtquant call hung: worker %s abandoned (%d/%d)",
            worker.thread.name,
            self.abandoned,
            self.max_abandoned,
        )

    def close(self) -> None:
        """Stop the current worker (calls already queued still run)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()
