"""Atomic file writes and tolerant reads for the shared folder.

Writers never leave a half-written file under the final name: the bytes go to a temp file in
the same folder, are flushed and fsync'd, then ``os.replace`` swaps them in (and the folder is
fsync'd where the OS allows). Readers treat a missing, half-written or invalid file as
"not yet" or "reject" — never as data. Windows sharing violations (another process has the file
open, as antivirus and the Parallels share do) surface as ``PermissionError``; both sides retry
those a bounded number of times with backoff.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from windows_bridge.contract.messages import MAX_FILE_BYTES, ProtocolError, decode, encode

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

RETRY_DELAYS_S: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4)
TEMP_SUFFIX = ".tmp"


class SharedFolderError(OSError):
    """The shared folder could not be written or read after the bounded retries."""


def _retrying(action: Callable[[], T], what: str, delays: tuple[float, ...] = RETRY_DELAYS_S) -> T:
    """Run ``action``, retrying ``PermissionError`` (sharing violations) with backoff."""
    for attempt, delay in enumerate((*delays, None)):
        try:
            return action()
        except PermissionError as exc:
            if delay is None:
                raise SharedFolderError(
                    exc.errno or errno.EACCES, f"{what}: still locked after {attempt + 1} tries ({exc})"
                ) from exc
            log.debug("%s: sharing violation, retry in %.2fs", what, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _fsync_dir(folder: Path) -> None:
    """fsync a directory so the rename survives a power cut; not possible on Windows."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network/shared file systems refuse directory fsync; the replace still happened
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (temp → flush → fsync → replace → dir fsync)."""
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        _retrying(lambda: os.replace(tmp, path), f"replace {path.name}")
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if fsync:
        _fsync_dir(folder)


def write_message(path: Path, message: BaseModel, *, fsync: bool = True) -> None:
    """Encode a protocol message and write it atomically."""
    write_bytes_atomic(path, encode(message), fsync=fsync)


class NotRegularFileError(OSError):
    """The name exists but is not a plain file (FIFO, directory, device, link): never opened."""


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a ``st_mode`` describes, in words (``"a regular file"`` for a plain file)."""
    return next((text for test, text in _KINDS if test(mode)), "a regular file")


def _open_regular(path: Path) -> int | None:
    """An fd of ``path`` opened read-only, or ``None`` when it does not exist.

    The name is checked with ``lstat`` first and the open never blocks and never follows a link
    (``O_NONBLOCK``/``O_NOFOLLOW`` where the OS has them): a FIFO named like a message would
    otherwise hang the reader forever. The opened fd is checked again, against a swap in between.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(errno.EINVAL, f"{path.name} is {file_kind(st.st_mode)}, not a file")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a link between lstat and open
            raise NotRegularFileError(errno.EINVAL, f"{path.name} is a symbolic link, not a file") from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFileError(errno.EINVAL, f"{path.name} is {file_kind(mode)}, not a file")
    return fd


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """A file's bytes (at most ``limit`` + 1), or ``None`` when it does not exist.

    Raises :class:`NotRegularFileError` for anything but a plain file (see :func:`_open_regular`).
    """

    def _read() -> bytes | None:
        fd = _open_regular(path)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as fh:
            return fh.read(limit + 1)

    return _retrying(_read, f"read {path.name}")


@dataclass(frozen=True)
class ReadResult(Generic[M]):
    """Outcome of reading a protocol file: ``value`` when valid, else ``missing`` or ``error``."""

    value: M | None = None
    missing: bool = False
    error: str = ""
    raw: bytes = b""

    @property
    def ok(self) -> bool:
        """True when the file existed and validated."""
        return self.value is not None


def read_message(path: Path, model: type[M]) -> ReadResult[M]:
    """Read and validate a protocol file; never raises for bad content or a missing file."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        return ReadResult(error=f"cannot read {path.name}: {exc}")
    if raw is None:
        return ReadResult(missing=True)
    if len(raw) <= MAX_FILE_BYTES and not raw.strip():
        return ReadResult(error="empty file", raw=raw)
    try:
        return ReadResult(value=decode(raw, model), raw=raw)
    except ProtocolError as exc:
        return ReadResult(error=str(exc), raw=raw[:4096])


def remove_file(path: Path) -> bool:
    """Delete ``path`` (retrying sharing violations); True when it was there."""

    def _rm() -> bool:
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return False

    return _retrying(_rm, f"remove {path.name}")


def clean_stale_temps(folder: Path, older_than_s: float = 300.0) -> int:
    """Remove temp files left by a writer that crashed mid-write; returns how many went."""
    removed = 0
    now = time.time()
    try:
        entries = list(folder.glob(f".*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    for entry in entries:
        try:
            if now - entry.stat().st_mtime > older_than_s:
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed
