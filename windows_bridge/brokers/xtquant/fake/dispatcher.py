"""The fake's callback thread: one worker per trader, as xtquant's ``ThreadPoolExecutor(max_workers=1)``.

In real xtquant every push (``on_stock_order``, ``on_stock_trade`` …) *and* every response to a
synchronous request runs on the same single worker thread. A synchronous call made from inside a
callback therefore waits for a response that can only be delivered by the thread that is
waiting: QMT hangs forever. The fake detects that situation and raises :class:`CallbackDeadlock`
instead of hanging, so the mistake shows up in tests.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class CallbackDeadlock(RuntimeError):
    """A synchronous xttrader call was made from the callback thread (a deadlock in real QMT)."""


class CallbackDispatcher:
    """A single thread running submitted callbacks in order."""

    def __init__(self, name: str = "xtquant-callback") -> None:
        self._name = name
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition()
        self._busy = 0
        self.errors: list[BaseException] = []

    def start(self) -> None:
        """Start the worker thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    @property
    def thread_ident(self) -> int | None:
        """The worker's thread id (``None`` before :meth:`start`)."""
        return None if self._thread is None else self._thread.ident

    def on_dispatcher_thread(self) -> bool:
        """True when the caller runs on this dispatcher's worker thread."""
        return self._thread is not None and threading.get_ident() == self._thread.ident

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue ``fn(*args)`` for the worker thread."""
        with self._idle:
            self._busy += 1
        self._queue.put((fn, args))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, args = item
            try:
                fn(*args)
            except Exception as exc:  # xtquant swallows callback exceptions; the fake logs them
                self.errors.append(exc)
                log.exception("exception in xtquant callback %s", getattr(fn, "__name__", fn))
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every submitted callback ran; False on timeout (test helper)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def stop(self) -> None:
        """Let queued callbacks finish, then end the thread."""
        if self._thread is None:
            return
        self._queue.put(None)
        if not self.on_dispatcher_thread():
            self._thread.join(timeout=5.0)
