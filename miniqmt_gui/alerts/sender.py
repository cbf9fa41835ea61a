"""Send alerts through apprise on a background thread, rate-limited, never blocking the caller.

:meth:`PushSender.push` only puts the alert on a bounded queue (the oldest is dropped when it is
full) and returns; one daemon thread sends. A kind that already sent within its ``min_gap_s`` is
held back, and at most ``per_minute`` messages leave in any minute; what was held back is counted
and mentioned in the next message that goes out, so nothing disappears silently. A failing
service (no network, wrong token) is logged and counted, never raised.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from miniqmt_gui.alerts.rules import Alert

log = logging.getLogger(__name__)

#: per-kind minimum gap between two messages (seconds); kinds not listed have none
DEFAULT_GAPS = {"stale": 600.0, "executor_down": 600.0, "bridge_down": 600.0, "halted": 60.0}
QUEUE_SIZE = 200
Done = Callable[[bool, str], None]


@dataclass
class SendStats:
    """What the sender did (for the settings dialog and tests)."""

    sent: int = 0
    failed: int = 0
    held_back: int = 0
    dropped: int = 0
    last_error: str = ""
    history: deque[tuple[float, str]] = field(default_factory=lambda: deque(maxlen=50))


def _deliver(urls: Sequence[str], alert: Alert, timeout_s: float) -> tuple[bool, str]:
    """Send one alert to every URL with apprise; (all delivered, problem)."""
    import apprise

    bundle = apprise.Apprise()
    bad = [url for url in urls if not bundle.add(url)]
    if not len(bundle):
        return False, "no valid notification URL"
    kind = apprise.NotifyType.FAILURE if alert.critical else apprise.NotifyType.INFO
    ok = bool(bundle.notify(body=alert.body or alert.title, title=alert.title, notify_type=kind,
                            timeout=timeout_s))
    problem = "" if ok else "a service did not accept the message"
    if bad:
        problem = (problem + "; " if problem else "") + f"{len(bad)} URL(s) not understood"
    return ok and not bad, problem


class PushSender:
    """A background sender; see the module doc."""

    def __init__(self, urls: Sequence[str] = (), *, enabled_kinds: Sequence[str] | None = None,
                 per_minute: int = 10, gaps: dict[str, float] | None = None, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic,
                 deliver: Callable[[Sequence[str], Alert, float], tuple[bool, str]] = _deliver) -> None:
        """Nothing is sent until :meth:`start`; ``deliver`` is apprise (replaceable for a dry run)."""
        self.urls = list(urls)
        self.enabled_kinds = set(enabled_kinds) if enabled_kinds is not None else None
        self.per_minute, self.timeout_s = per_minute, timeout_s
        self.gaps = dict(DEFAULT_GAPS if gaps is None else gaps)
        self.stats = SendStats()
        self._clock, self._deliver = clock, deliver
        self._queue: queue.Queue[tuple[Alert, Done | None] | None] = queue.Queue(QUEUE_SIZE)
        self._last_by_kind: dict[str, float] = {}
        self._recent: deque[float] = deque()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ caller side (never blocks)

    def push(self, alert: Alert, done: Callable[[bool, str], None] | None = None) -> bool:
        """Queue ``alert``; False when it was not queued (kind switched off, no URL)."""
        if not self.urls or (self.enabled_kinds is not None and alert.kind not in self.enabled_kinds
                             and alert.kind != "test"):
            return False
        item = (alert, done)
        while True:
            try:
                self._queue.put_nowait(item)
                return True
            except queue.Full:
                try:
                    self._queue.get_nowait()  # drop the oldest, keep the newest
                    self.stats.dropped += 1
                except queue.Empty:
                    pass

    def send_test(self, done: Callable[[bool, str], None], lang: str = "zh") -> bool:
        """A test message; ``done(ok, problem)`` is called from the sender thread."""
        title = "miniqmt 测试消息" if lang == "zh" else "miniqmt test message"
        body = "推送设置正确。" if lang == "zh" else "Push notifications work."
        if not self.urls:
            done(False, "no notification URL configured")
            return False
        return self.push(Alert("test", title, body), done)

    # ------------------------------------------------------------------ sender thread

    def start(self) -> None:
        """Start the sender thread (idempotent)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="miniqmt-push", daemon=True)
                self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Ask the thread to end after the message it is sending; waits at most ``timeout_s``."""
        thread = self._thread
        if thread is None:
            return
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        thread.join(timeout_s)

    def drain(self) -> None:
        """Send everything queued now, on the calling thread (tests and a headless shutdown)."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self._handle(*item)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self._handle(*item)
            except Exception:  # the sender thread must survive anything a service throws
                log.exception("push notification failed")

    def allowed(self, alert: Alert) -> bool:
        """Rate limits: the kind's gap and the per-minute budget (tests call it directly)."""
        now = self._clock()
        while self._recent and now - self._recent[0] >= 60.0:
            self._recent.popleft()
        gap = self.gaps.get(alert.kind, 0.0)
        last = self._last_by_kind.get(alert.kind)
        if alert.kind != "test" and last is not None and now - last < gap:
            return False
        if alert.kind != "test" and len(self._recent) >= self.per_minute:
            return False
        self._last_by_kind[alert.kind] = now
        self._recent.append(now)
        return True

    def _handle(self, alert: Alert, done: Callable[[bool, str], None] | None) -> None:
        if not self.allowed(alert):
            self.stats.held_back += 1
            return
        if self.stats.held_back:
            held, self.stats.held_back = self.stats.held_back, 0
            alert = Alert(alert.kind, alert.title, f"{alert.body}\n(+{held} 条消息因限流未发送 / held back)",
                          alert.critical)
        try:
            ok, problem = self._deliver(self.urls, alert, self.timeout_s)
        except Exception as exc:  # a service plugin blowing up is a failed delivery, not a dead thread
            ok, problem = False, f"{type(exc).__name__}: {exc}"
        self.stats.history.append((self._clock(), alert.title))
        if ok:
            self.stats.sent += 1
        else:
            self.stats.failed += 1
            self.stats.last_error = problem
            log.warning("push notification not delivered: %s", problem)
        if done is not None:
            done(ok, problem)
