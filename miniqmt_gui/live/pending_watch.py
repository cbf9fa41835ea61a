"""No result forever is not a state: when to send the pending signal again, and when to give up waiting.

The engine persists the pending signal before writing it, and the executor is idempotent on its id, so
writing the *same* signal again is always safe: the executor either answers with the result it already
has, places it once, or refuses it as too old. :class:`PendingWatch` measures (on the app's monotonic
clock) how long the signal has waited; every ``timeout_s`` without a result it asks for a re-send, and
after ``max_resends`` re-sends it reports the signal as stuck (new buys pause and the status says why).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class PendingAction(StrEnum):
    """What the engine should do about the pending signal now."""

    WAIT = "wait"
    RESEND = "resend"
    STUCK = "stuck"


@dataclass
class PendingWatch:
    """Timer for the one pending signal."""

    timeout_s: float
    max_resends: int
    monotonic: Callable[[], float]
    signal_id: str = ""
    since: float = 0.0
    resends: int = 0

    def track(self, signal_id: str) -> None:
        """Start (or keep) timing ``signal_id``; a new id restarts the count."""
        if signal_id != self.signal_id:
            self.signal_id, self.since, self.resends = signal_id, self.monotonic(), 0

    def clear(self) -> None:
        """Nothing is pending any more."""
        self.signal_id, self.resends = "", 0

    def due(self) -> PendingAction:
        """RESEND once per ``timeout_s`` of waiting, STUCK after ``max_resends`` re-sends."""
        if not self.signal_id or self.monotonic() - self.since < self.timeout_s:
            return PendingAction.WAIT
        if self.resends >= self.max_resends:
            return PendingAction.STUCK
        self.resends += 1
        self.since = self.monotonic()
        return PendingAction.RESEND

    @property
    def stuck(self) -> bool:
        """True once every re-send went unanswered."""
        return bool(self.signal_id) and self.resends >= self.max_resends and (
            self.monotonic() - self.since >= self.timeout_s)
