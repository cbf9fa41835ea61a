"""Single-instance locks and the heartbeat of the order executor.

* A **local lock**: ``executor.lock`` in the state folder, held with an OS file lock for the
  process's life (released by the OS even after a crash). Two executors on the same account
  and journal cannot run together.
* A **shared lock**: ``executor.lock`` in the shared folder with pid, host and time, refreshed
  with every heartbeat. A second executor (even on another machine pointing at the same share)
  refuses to start while it is fresh; one left by a dead process on this host, or older than
  :data:`SHARED_LOCK_STALE_S`, is taken over with a warning.
* ``executor_heartbeat.json`` in the shared folder every few seconds, so the app can show
  "executor alive".
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from pydantic import AwareDatetime, BaseModel, ConfigDict

from windows_bridge.contract.atomic_io import read_message, remove_file, write_message
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE as HEARTBEAT_FILE
from windows_bridge.contract.files import EXECUTOR_LOCK_FILE as LOCK_FILE

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_S = 3.0
SHARED_LOCK_STALE_S = 30.0


class InstanceLockError(RuntimeError):
    """Another executor already runs for this folder/account; the message says which."""


class ExecutorPresence(BaseModel):
    """Content of the shared ``executor.lock`` and of ``executor_heartbeat.json``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    pid: int
    host: str
    time: AwareDatetime
    simulate: bool = False
    started: AwareDatetime | None = None
    last_signal_id: str = ""
    last_status: str = ""


def _lock_fd(fh: IO[bytes]) -> bool:
    """Take a non-blocking exclusive OS lock on an open file; False if someone else holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class LocalLock:
    """An OS-level exclusive lock on ``state_dir/executor.lock``."""

    def __init__(self, state_dir: Path) -> None:
        """Prepare the lock (nothing is locked until :meth:`acquire`)."""
        self.path = state_dir / LOCK_FILE
        self._fh: IO[bytes] | None = None

    def acquire(self) -> None:
        """Lock, or raise :class:`InstanceLockError` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")  # noqa: SIM115 (held open for the process's life)
        fh.seek(0)
        if not _lock_fd(fh):
            fh.seek(0)
            holder = fh.read(200).decode("utf-8", "replace").strip()
            fh.close()
            raise InstanceLockError(
                f"另一个执行器正在运行 another order executor already uses {self.path.parent} ({holder}); "
                "stop it first"
            )
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid={os.getpid()} host={socket.gethostname()}\n".encode())
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        """Unlock (closing the file releases the OS lock)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _pid_alive(pid: int) -> bool:
    """Best effort: is a process with ``pid`` running on this host?"""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # no cheap, safe probe: rely on the lock's age instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class SharedPresence:
    """The shared-folder lock and heartbeat of one executor."""

    def __init__(self, shared_dir: Path, *, simulate: bool, now: datetime) -> None:
        """Describe this executor (pid, host, start time); nothing is written yet."""
        self.lock_path = shared_dir / LOCK_FILE
        self.heartbeat_path = shared_dir / HEARTBEAT_FILE
        self._me = ExecutorPresence(
            pid=os.getpid(), host=socket.gethostname(), time=now, simulate=simulate, started=now
        )

    def _is_mine(self, other: ExecutorPresence) -> bool:
        return other.pid == self._me.pid and other.host == self._me.host

    def acquire(self, now: datetime) -> None:
        """Write the shared lock, or raise :class:`InstanceLockError` if a live executor holds it."""
        current = read_message(self.lock_path, ExecutorPresence).value
        if current is not None and not self._is_mine(current):
            age = (now - current.time).total_seconds()
            dead_here = current.host == self._me.host and not _pid_alive(current.pid)
            if age < SHARED_LOCK_STALE_S and not dead_here:
                raise InstanceLockError(
                    f"共享目录已有执行器在运行 another executor (pid {current.pid} on {current.host}, "
                    f"seen {age:.0f}s ago) uses {self.lock_path.parent}; stop it first"
                )
            log.warning(
                "接管遗留的执行器锁 taking over a stale executor.lock (pid %s on %s)",
                current.pid,
                current.host,
            )
        self.beat(now)

    def beat(self, now: datetime, *, last_signal_id: str = "", last_status: str = "") -> None:
        """Refresh the shared lock and write ``executor_heartbeat.json``."""
        update: dict[str, object] = {"time": now}
        if last_signal_id:
            update |= {"last_signal_id": last_signal_id, "last_status": last_status}
        self._me = self._me.model_copy(update=update)
        write_message(self.lock_path, self._me, fsync=False)
        write_message(self.heartbeat_path, self._me, fsync=False)

    def release(self) -> None:
        """Remove the shared lock if it is still ours (the heartbeat file stays, with its last time)."""
        current = read_message(self.lock_path, ExecutorPresence).value
        if current is not None and self._is_mine(current):
            with contextlib.suppress(OSError):
                remove_file(self.lock_path)
