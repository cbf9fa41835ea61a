"""One owner per shared folder: the executor's locks, fencing check and heartbeat.

* A **local lock**: ``executor.lock`` in the state folder, held with an OS file lock for the
  process's life, so two executors never share one journal and account on one machine.
* The **owner lock**: ``executor.lock`` in the shared folder names the owner — pid, host and a
  random ``token`` drawn at start — and carries a ``beat`` counter the owner raises every
  :data:`HEARTBEAT_INTERVAL_S` from its own thread (:class:`Heartbeat`), also while an order is
  being tracked for minutes. A second executor (another VM, a forgotten process, a restart racing
  the old one) takes the lock over only when its owner is **provably gone**: a dead pid on the same
  host, or a lock whose content has not changed for :data:`OWNER_GONE_AFTER_S` as measured on the
  newcomer's own monotonic clock (so clocks that disagree between machines cannot fake it). The lock
  is created exclusively (``link``/``O_EXCL``: of two racing newcomers one wins), and after
  creating it the newcomer waits one beat and checks it still holds it before doing anything.
* The **fencing check** (:meth:`OwnerLock.check`, called right before every order): the lock file
  must still carry this executor's token. An executor that finds another token — in the check or
  in a heartbeat — stops placing (:class:`NotOwnerError`) and the process exits non-zero. A lock
  deleted by a wiped or re-synced share is recreated by the owner's next beat.
* ``executor_heartbeat.json``: the same record plus ``state`` and ``alarm``, so the app can show
  "executor alive", "no new orders: journal damaged" and similar.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from windows_bridge.contract.atomic_io import read_bytes, remove_file, write_message
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE as HEARTBEAT_FILE
from windows_bridge.contract.files import EXECUTOR_LOCK_FILE as LOCK_FILE
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import ProtocolError, decode, encode

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_S = 3.0
#: an owner lock whose content did not change for this long (on the newcomer's clock) is abandoned
OWNER_GONE_AFTER_S = 30.0

#: kept for the app and older docs: the age after which a heartbeat counts as stale
SHARED_LOCK_STALE_S = OWNER_GONE_AFTER_S


class InstanceLockError(RuntimeError):
    """Another executor already runs for this folder/account; the message says which."""


class NotOwnerError(RuntimeError):
    """This executor no longer owns the shared folder: it must stop placing and exit."""


class FenceUnavailable(RuntimeError):
    """Ownership cannot be confirmed right now (share unreachable, lock missing): do not place yet."""


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
    #: the owner's identity, random per process start (pid and host can repeat)
    token: str = ""
    #: raised by every beat: a newcomer sees a live owner by this changing
    beat: int = 0
    #: ``running``, ``waiting`` (for QMT, for an open intent) or ``halted`` (no new orders)
    state: str = "running"
    #: why the executor needs a human ("" when all is well)
    alarm: str = ""


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
    """Best effort: is a process with ``pid`` running on this host? (True when unsure)"""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    """``OpenProcess`` + ``GetExitCodeProcess`` (``os.kill(pid, 0)`` would terminate it on Windows)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009 (Windows only)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(getattr(ctypes, "get_last_error")() == 5)  # noqa: B009 (access denied: it exists)
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` only if it does not exist; False when someone else has it.

    The bytes go to a temp file first and are hard-linked into place (atomic, fails if the name
    exists), so nobody ever reads a half-written lock; where links are not supported, ``O_EXCL``.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError:  # the file system has no hard links (some network shares)
            return _create_excl(path, data)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _create_excl(path: Path, data: bytes) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return True


class OwnerLock:
    """The shared-folder owner lock with its fencing check; see the module docstring."""

    def __init__(
        self,
        shared_dir: Path,
        *,
        simulate: bool,
        clock: Callable[[], datetime] = now_shanghai,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        interval_s: float = HEARTBEAT_INTERVAL_S,
        gone_after_s: float = OWNER_GONE_AFTER_S,
    ) -> None:
        """Describe this executor (pid, host, a fresh token); nothing is written yet."""
        self.lock_path = shared_dir / LOCK_FILE
        self.heartbeat_path = shared_dir / HEARTBEAT_FILE
        self.clock, self.monotonic, self.sleep = clock, monotonic, sleep
        self.interval_s, self.gone_after_s = interval_s, gone_after_s
        now = clock()
        self._me = ExecutorPresence(
            pid=os.getpid(),
            host=socket.gethostname(),
            time=now,
            simulate=simulate,
            started=now,
            token=secrets.token_hex(8),
        )
        self._lock = threading.Lock()
        self.owned = False

    @property
    def token(self) -> str:
        """This executor's owner token."""
        return self._me.token

    # ------------------------------------------------------------------ reading

    def _read(self) -> tuple[bytes | None, ExecutorPresence | None]:
        """The lock's bytes (None: no lock) and its parsed content (None: not a valid lock)."""
        raw = read_bytes(self.lock_path)
        if raw is None:
            return None, None
        try:
            return raw, decode(raw, ExecutorPresence)
        except ProtocolError:
            return raw, None

    def _mine(self, current: ExecutorPresence | None) -> bool:
        return current is not None and current.token == self._me.token

    # ------------------------------------------------------------------ taking it

    def acquire(self) -> None:
        """Become the owner, or raise :class:`InstanceLockError` naming the live owner."""
        raw, current = self._read()
        dead_here = raw is not None and self._dead_on_this_host(current)
        if raw is not None:
            self._wait_until_gone(raw, current, dead_here=dead_here)
        if not create_exclusive(self.lock_path, encode(self._stamp())):
            raise InstanceLockError(
                f"另一个执行器刚刚取得共享目录 another executor took {self.lock_path.parent} just now"
            )
        if not dead_here:  # an owner we could not rule out may be mid-beat (read → our create → its write)
            self.sleep(self.interval_s)
        _, after = self._read()
        if not self._mine(after):
            holder = _describe(after)
            raise InstanceLockError(f"共享目录已有执行器 executor {holder} owns {self.lock_path.parent}")
        self.owned = True
        log.info("取得共享目录执行权 owner of %s (token %s)", self.lock_path.parent, self.token)

    def _dead_on_this_host(self, current: ExecutorPresence | None) -> bool:
        return current is not None and current.host == self._me.host and not _pid_alive(current.pid)

    def _wait_until_gone(self, raw: bytes, current: ExecutorPresence | None, *, dead_here: bool) -> None:
        """Return once the lock's owner is provably gone (the lock then moved aside); else raise."""
        if dead_here:
            assert current is not None
            log.warning("接管已退出进程的锁 owner pid %s on this host is gone: taking over", current.pid)
            self._move_aside(raw)
            return
        log.info(
            "共享目录有执行器锁，观察 %.0f s 判断其是否存活 watching the owner lock (%s) for up to %.0f s",
            self.gone_after_s,
            _describe(current),
            self.gone_after_s,
        )
        deadline = self.monotonic() + self.gone_after_s
        while self.monotonic() < deadline:
            self.sleep(min(self.interval_s, max(0.0, deadline - self.monotonic())))
            again, now = self._read()
            if again is None:
                return  # released meanwhile
            if again != raw:
                raise InstanceLockError(
                    f"共享目录已有执行器在运行 another executor ({_describe(now)}) is alive and owns "
                    f"{self.lock_path.parent}; stop it first"
                )
        log.warning(
            "执行器锁 %.0f s 未变化，接管 the owner lock did not change for %.0f s: its owner is gone (%s)",
            self.gone_after_s,
            self.gone_after_s,
            _describe(current),
        )
        self._move_aside(raw)

    def _move_aside(self, raw: bytes) -> None:
        """Rename the dead owner's lock (only one newcomer can: the name is gone afterwards)."""
        if read_bytes(self.lock_path) != raw:
            raise InstanceLockError(f"the owner lock in {self.lock_path.parent} changed while taking it over")
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.lock_path, self.lock_path.with_name(f"{LOCK_FILE}.stale-{uuid.uuid4().hex[:8]}"))

    # ------------------------------------------------------------------ keeping it

    def _stamp(self, **status: Any) -> ExecutorPresence:
        update: dict[str, Any] = {"time": self.clock(), "beat": self._me.beat + 1}
        update |= {k: v for k, v in status.items() if v is not None}
        self._me = self._me.model_copy(update=update)
        return self._me

    def beat(self, **status: Any) -> None:
        """Refresh the lock (compare-and-set by token) and the heartbeat file.

        ``status`` may carry ``last_signal_id``, ``last_status``, ``state`` and ``alarm``. Raises
        :class:`NotOwnerError` when another executor's token is in the lock; ``OSError`` while the
        share is unreachable (the caller retries).
        """
        with self._lock:
            _, current = self._read()
            me = self._stamp(**status)
            if current is None and not self.lock_path.exists():
                if not create_exclusive(self.lock_path, encode(me)):
                    _, current = self._read()
                    self._lost_to(current)
                log.warning("执行器锁被删除，已重建 the owner lock was deleted (share wiped?): recreated")
            elif current is not None and not self._mine(current):
                self._lost_to(current)
            else:  # ours, or unreadable garbage in its place: assert ours again
                write_message(self.lock_path, me, fsync=False)
            write_message(self.heartbeat_path, me, fsync=False)

    def _lost_to(self, current: ExecutorPresence | None) -> None:
        self.owned = False
        raise NotOwnerError(
            f"执行权已被另一个执行器取得 no longer the owner of {self.lock_path.parent}: "
            f"the lock now names {_describe(current)}"
        )

    def check(self) -> None:
        """The fencing check before every order: the lock must still carry this executor's token.

        :class:`NotOwnerError` when another executor's token is there; :class:`FenceUnavailable`
        when it cannot be read or is missing or garbled (the next beat rewrites it; wait).
        """
        try:
            raw, current = self._read()
        except OSError as exc:
            raise FenceUnavailable(f"cannot read the owner lock ({exc}); not placing yet") from exc
        if current is None:
            what = "missing" if raw is None else "unreadable"
            raise FenceUnavailable(f"the owner lock is {what}; not placing until the heartbeat rewrites it")
        if not self._mine(current):
            self._lost_to(current)

    def release(self) -> None:
        """Remove the shared lock if it is still ours (the heartbeat file stays, with its last state)."""
        with contextlib.suppress(OSError):
            _, current = self._read()
            if self._mine(current):
                remove_file(self.lock_path)
        self.owned = False


def _describe(presence: ExecutorPresence | None) -> str:
    if presence is None:
        return "unreadable lock"
    return f"pid {presence.pid} on {presence.host}, beat {presence.beat}"


class Heartbeat:
    """Beats the owner lock every interval from its own thread, so tracking an order never starves it.

    ``status()`` supplies ``last_signal_id``/``last_status``/``state``/``alarm``. When the lock turns
    out to belong to someone else, :attr:`lost` is set and ``on_lost(reason)`` is called (the process
    then stops placing and exits non-zero). A share that is gone for a while only logs.
    """

    def __init__(
        self,
        lock: OwnerLock,
        status: Callable[[], dict[str, Any]],
        on_lost: Callable[[str], None],
        interval_s: float = HEARTBEAT_INTERVAL_S,
    ) -> None:
        """Prepare; :meth:`start` starts the thread."""
        self.lock, self.status, self.on_lost, self.interval_s = lock, status, on_lost, interval_s
        self.lost = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="executor-heartbeat", daemon=True)
        self._share_down = False

    def start(self) -> Heartbeat:
        """Start beating."""
        self._thread.start()
        return self

    def beat_now(self) -> None:
        """One beat (also used by the thread); never raises for an unreachable share."""
        try:
            self.lock.beat(**self.status())
        except NotOwnerError as exc:
            if not self.lost:
                self.lost = str(exc)
                log.error("!!! %s — 停止下单并退出 stopping: no more orders from this executor", exc)
                self.on_lost(str(exc))
            return
        except OSError as exc:
            if not self._share_down:
                log.warning("无法写心跳（共享文件夹不可用？） cannot write heartbeat/lock, retrying: %s", exc)
                self._share_down = True
            return
        if self._share_down:
            log.info("心跳恢复 heartbeat written again")
            self._share_down = False

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s) and not self.lost:
            self.beat_now()

    def stop(self) -> None:
        """Stop the thread (waits for a beat in progress)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10.0)


class NoFence:
    """The fencing check of an executor that owns its folder by construction (paper mode, tests)."""

    def check(self) -> None:
        """Always passes."""


__all__ = [
    "HEARTBEAT_FILE",
    "HEARTBEAT_INTERVAL_S",
    "LOCK_FILE",
    "ExecutorPresence",
    "FenceUnavailable",
    "Heartbeat",
    "InstanceLockError",
    "LocalLock",
    "NoFence",
    "NotOwnerError",
    "OwnerLock",
]
