"""One trading app per shared folder: the engine's side of the ``app.lock`` owner lock.

A second instance (another Mac, a second window, a headless run beside the GUI) may watch — read quotes
and the book, show the status — but never trades: it writes no signal and no state. It takes over only
when the owner is provably gone (:mod:`windows_bridge.contract.owner_lock`), and then reloads the book
the owner left. Paper mode locks its own work folder (the paper book lives there).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from windows_bridge.contract.owner_lock import BEAT_INTERVAL_S, OwnerLock, Ownership


class AppOwnership:
    """Beats the lock at most every :data:`BEAT_INTERVAL_S`; answers "may I write?" at any time."""

    def __init__(self, path: Path | None, *, clock: Callable[[], datetime],
                 monotonic: Callable[[], float] = time.monotonic, takeover_s: float = 30.0) -> None:
        """``path`` ``None`` = no lock (rehearsals that restart engines inside one process)."""
        self._lock = OwnerLock(path, "app", clock=clock, monotonic=monotonic, takeover_s=takeover_s) \
            if path is not None else None
        self._mono = monotonic
        self._next_beat = -1e18

    @property
    def enabled(self) -> bool:
        """False when no lock is used."""
        return self._lock is not None

    def beat(self) -> tuple[Ownership, bool]:
        """Refresh the lock when due; returns the state and whether we just became the owner."""
        if self._lock is None:
            return Ownership.OWNER, False
        if self._mono() < self._next_beat and self._lock.state is not Ownership.CLAIMED:
            return self._lock.state, False
        before = self._lock.state
        try:
            state = self._lock.beat()
        except OSError:
            return self._lock.state, False  # the share is away: try again next step, keep the state
        self._next_beat = self._mono() + (0.0 if state is Ownership.CLAIMED else BEAT_INTERVAL_S)
        return state, before is not Ownership.OWNER and state is Ownership.OWNER

    def may_write(self) -> bool:
        """The fencing check before a state commit or a signal: re-reads the lock."""
        if self._lock is None:
            return True
        try:
            return self._lock.still_owner()
        except OSError:
            return False

    @property
    def state(self) -> Ownership:
        """Where we stand now."""
        return Ownership.OWNER if self._lock is None else self._lock.state

    def holder(self) -> str:
        """Who owns the folder when we do not."""
        return "" if self._lock is None else self._lock.describe_other()

    def release(self) -> None:
        """Give the lock up (clean exit)."""
        if self._lock is not None:
            self._lock.release()
