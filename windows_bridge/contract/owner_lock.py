"""Owner locks in the shared folder: exactly one process of a role owns the folder at a time.

The lock file holds the owner's identity (a random ``owner`` id, host, pid, role, start time) and a
heartbeat counter ``beat`` that the owner increments every few seconds. Another process never trusts
a remote wall clock (the Mac's and the VM's clocks may differ by minutes): it watches the counter on
its *own* monotonic clock, and takes the lock over only when the owner is provably gone:

* the counter has not moved for ``takeover_s`` while we watched, or
* the owner is on this host and its pid is no longer alive.

Claiming is two-phase, because two processes may write the file at the same moment: a claim is
written, and ownership is confirmed only when a later read (the next beat) still shows our id.
Before every placement the owner calls :meth:`OwnerLock.still_owner`, which re-reads the file — the
*fencing* check: a process that was frozen while another took over finds out before it acts.
A lock file that disappears (a wiped or re-synced share) is simply rewritten by its owner.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from windows_bridge.contract.atomic_io import read_message, remove_file, write_message

#: how often the owner should call :meth:`OwnerLock.beat` (each beat is a write: 6 within TAKEOVER_S)
BEAT_INTERVAL_S = 5.0
#: how long a counter may stand still before its owner counts as gone
TAKEOVER_S = 30.0


class LockRecord(BaseModel):
    """The content of a lock file."""

    model_config = ConfigDict(extra="allow", frozen=True)

    owner: str = Field(min_length=8, max_length=64)
    role: str = Field(max_length=40)
    host: str = Field(max_length=255)
    pid: int = Field(ge=0)
    started: AwareDatetime
    time: AwareDatetime
    beat: int = Field(ge=0)


class Ownership(StrEnum):
    """Where this process stands."""

    OWNER = "owner"  # confirmed: may act
    CLAIMED = "claimed"  # written, waiting for the next read to confirm
    WATCHING = "watching"  # someone else owns the folder
    LOST = "lost"  # we owned it and someone else took over: stop acting


def pid_alive(pid: int) -> bool:
    """Best effort: is a process with ``pid`` running on this host? (``True`` when unsure.)"""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # no cheap, safe probe: the heartbeat counter decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@dataclass
class _Watch:
    """What we saw of another owner: its id and counter, and since when (our monotonic clock)."""

    owner: str
    beat: int
    since: float


class OwnerLock:
    """One process's view of a role's lock file (call :meth:`beat` every couple of seconds)."""

    def __init__(
        self,
        path: Path,
        role: str,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        takeover_s: float = TAKEOVER_S,
        alive: Callable[[int], bool] = pid_alive,
    ) -> None:
        """Describe this process; nothing is written until :meth:`beat`."""
        self.path, self.role = path, role
        self.takeover_s = takeover_s
        self._clock, self._mono, self._alive = clock, monotonic, alive
        self.me = LockRecord(owner=secrets.token_hex(8), role=role, host=socket.gethostname(),
                             pid=os.getpid(), started=clock(), time=clock(), beat=0)
        self.state = Ownership.WATCHING
        self.other: LockRecord | None = None
        self._watch: _Watch | None = None

    # ------------------------------------------------------------------ reading

    def _read(self) -> tuple[LockRecord | None, bool]:
        """The current record and whether the file exists (an unreadable file counts as present)."""
        read = read_message(self.path, LockRecord)
        return read.value, not read.missing

    def _gone(self, other: LockRecord) -> bool:
        """Is the other owner provably gone?"""
        if other.host == self.me.host and not self._alive(other.pid):
            return True
        now = self._mono()
        watch = self._watch
        if watch is None or watch.owner != other.owner or watch.beat != other.beat:
            self._watch = _Watch(other.owner, other.beat, now)
            return False
        return now - watch.since >= self.takeover_s

    # ------------------------------------------------------------------ the cycle

    def beat(self) -> Ownership:
        """One cycle: confirm, refresh, watch or claim; returns where we stand."""
        current, present = self._read()
        if self.state in (Ownership.OWNER, Ownership.CLAIMED):
            if current is not None and current.owner != self.me.owner:
                self.state, self.other = Ownership.LOST, current
                return self.state
            if self.state is Ownership.CLAIMED and current is not None:
                self.state = Ownership.OWNER
            self._write()
            return self.state
        if self.state is Ownership.LOST:
            return self.state
        if current is None and present:
            return self._watch_unreadable()
        if current is None or current.owner == self.me.owner or self._gone(current):
            self.other = current
            self.state = Ownership.CLAIMED
            self._write()
            return self.state
        self.other = current
        return self.state

    def _watch_unreadable(self) -> Ownership:
        """A lock file we cannot parse is somebody's: wait ``takeover_s`` before claiming."""
        now = self._mono()
        if self._watch is None or self._watch.owner != "?":
            self._watch = _Watch("?", -1, now)
        if now - self._watch.since >= self.takeover_s:
            self.state = Ownership.CLAIMED
            self._write()
        return self.state

    def _write(self) -> None:
        self.me = self.me.model_copy(update={"time": self._clock(), "beat": self.me.beat + 1})
        write_message(self.path, self.me, fsync=False)

    # ------------------------------------------------------------------ fencing and release

    def still_owner(self) -> bool:
        """Fencing check before acting: re-read the file; True only for the confirmed owner."""
        if self.state is not Ownership.OWNER:
            return False
        current, present = self._read()
        if current is not None and current.owner != self.me.owner:
            self.state, self.other = Ownership.LOST, current
            return False
        if current is None and not present:
            self._write()  # wiped share: the owner puts its lock back
        return True

    def release(self) -> None:
        """Remove the lock if it is still ours (a clean exit lets the next process start at once)."""
        current, _ = self._read()
        if current is not None and current.owner == self.me.owner:
            with contextlib.suppress(OSError):
                remove_file(self.path)
        self.state = Ownership.WATCHING

    def describe_other(self) -> str:
        """Who holds the lock, for a window title or a log line."""
        o = self.other
        if o is None:
            return ""
        return f"{o.role} pid {o.pid} on {o.host} (since {o.started:%Y-%m-%d %H:%M})"
