"""Reading ``order_signal.json`` and getting rid of it safely, whatever an enemy put there.

* Anything but a plain file under that name — a FIFO, a directory, a device, a (dangling) link —
  is never opened (a FIFO would block the reader forever); it is moved aside like a bad file.
* A file that fails to parse or validate is not judged at once: a writer copying it over the share,
  or writing it in place in several chunks, may still be busy. :class:`SettleWatch` rejects it only
  once the same bytes (same size, same modification time) have been seen for ``settle_s``.
* A rejected file is moved into ``order_signal_rejected/`` under a timestamped name, only if it is
  still the one that was judged, so nothing is lost and nothing newer is taken by mistake. When it
  cannot be moved (permissions), it is answered once and then ignored while it stays unchanged.
* A processed signal is consumed only if the file still holds that signal: the app may already have
  written the next one.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import itertools
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from windows_bridge.contract.atomic_io import NotRegularFileError, read_bytes, remove_file
from windows_bridge.contract.files import REJECTED_DIR
from windows_bridge.contract.messages import (
    MAX_FILE_BYTES,
    SIGNAL_ID_RE,
    OrderSignal,
    ProtocolError,
    decode,
)

log = logging.getLogger(__name__)

#: a bad file must stay unchanged this long before it is rejected (a writer may still be busy)
SETTLE_S = 1.0
_MOVE_RETRY_DELAYS_S = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4)
_ID_IN_TEXT = re.compile(r'"signal_id"\s*:\s*"([^"\\]{1,80})"')

Identity = tuple[int, int, int, int]


@dataclass(frozen=True)
class IncomingSignal:
    """One read of the signal file: the bytes, and the signal or the reason it is unusable."""

    raw: bytes
    signal: OrderSignal | None = None
    error: str = ""
    #: ``(st_mode, st_ino, st_mtime_ns, st_size)`` of the entry when it was read
    identity: Identity = (0, 0, 0, 0)
    #: not a plain file (or not readable at all): never opened, moved aside as it is
    not_a_file: bool = False

    @property
    def fingerprint(self) -> tuple[Identity, str]:
        """What must stay the same for the file to count as settled."""
        return self.identity, hashlib.sha256(self.raw).hexdigest()


def _parse(raw: bytes, identity: Identity) -> IncomingSignal:
    if not raw.strip():
        return IncomingSignal(raw=raw, error="empty file", identity=identity)
    try:
        return IncomingSignal(raw=raw, signal=decode(raw, OrderSignal), identity=identity)
    except ProtocolError as exc:
        return IncomingSignal(raw=raw, error=str(exc), identity=identity)


def _identity(st: os.stat_result) -> Identity:
    return st.st_mode, st.st_ino, st.st_mtime_ns, st.st_size


def read_signal_file(path: Path) -> IncomingSignal | None:
    """Read the signal file without ever blocking; ``None`` when there is none."""
    try:
        identity = _identity(os.lstat(path))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return IncomingSignal(raw=b"", error=f"cannot look at the file: {exc}", not_a_file=True)
    try:
        raw = read_bytes(path)
    except NotRegularFileError as exc:
        return IncomingSignal(raw=b"", error=exc.strerror or str(exc), identity=identity, not_a_file=True)
    except OSError as exc:  # e.g. a sharing violation that never ended, permissions
        return IncomingSignal(
            raw=b"", error=f"cannot read the file: {exc}", identity=identity, not_a_file=True
        )
    if raw is None:
        return None
    return _parse(raw, identity)


class SettleWatch:
    """Decides when a bad signal file has stopped changing long enough to be rejected."""

    def __init__(self, settle_s: float = SETTLE_S, monotonic: Callable[[], float] = time.monotonic) -> None:
        """``settle_s`` = 0 rejects at first sight (tests)."""
        self.settle_s = settle_s
        self._monotonic = monotonic
        self._seen: tuple[tuple[Identity, str], float] | None = None
        self._answered: set[tuple[Identity, str]] = set()

    def settled(self, incoming: IncomingSignal) -> bool:
        """True when this exact file has been seen unchanged for ``settle_s``."""
        now = self._monotonic()
        fingerprint = incoming.fingerprint
        if self._seen is None or self._seen[0] != fingerprint:
            self._seen = (fingerprint, now)
            if self.settle_s > 0:
                log.info(
                    "信号文件无效，等待写入完成 signal file invalid (%s); waiting until it is stable",
                    incoming.error,
                )
        return now - self._seen[1] >= self.settle_s

    def answered(self, incoming: IncomingSignal) -> bool:
        """True when this exact entry was already answered and could not be moved away."""
        return incoming.fingerprint in self._answered

    def mark_answered(self, incoming: IncomingSignal) -> None:
        """Remember an entry that was answered but could not be moved away (answer it only once)."""
        self._answered.add(incoming.fingerprint)

    def clear(self) -> None:
        """No bad file any more."""
        self._seen = None


def _decodings(raw: bytes) -> list[str]:
    """The texts ``raw`` may be: UTF-8 (with or without BOM), UTF-16/32 when a BOM says so."""
    texts = []
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            texts.append(raw.decode(codec, "replace"))
            break
    texts.append(raw.decode("utf-8-sig", "replace"))
    return texts


def extract_signal_id(raw: bytes) -> str:
    """The ``signal_id`` of an unusable file when one can be read (``""`` otherwise).

    Tried: the JSON (also as UTF-16/32 with a BOM), then the ``"signal_id": "…"`` text in a torn or
    otherwise broken file. Only a well-formed id is returned, so a result never carries a
    malformed, padded or hostile id.
    """
    for text in _decodings(raw[:MAX_FILE_BYTES]):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        candidates = [data.get("signal_id")] if isinstance(data, dict) else []
        candidates += _ID_IN_TEXT.findall(text[:65536])
        for sid in candidates:
            if isinstance(sid, str) and SIGNAL_ID_RE.match(sid):
                return sid
    return ""


def _replace_with_retry(src: Path, dst: Path) -> None:
    for delay in (*_MOVE_RETRY_DELAYS_S, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if delay is None:
                raise
            time.sleep(delay)


def _still_the_same(path: Path, incoming: IncomingSignal) -> bool:
    """The entry at ``path`` is still the one that was judged (same identity; same bytes for a file)."""
    try:
        if _identity(os.lstat(path)) != incoming.identity:
            return False
        return incoming.not_a_file or read_bytes(path) == incoming.raw
    except OSError:
        return False


def quarantine(path: Path, incoming: IncomingSignal, now: datetime) -> Path | None:
    """Move the judged entry to ``order_signal_rejected/``; its new path, or ``None`` when it changed.

    Raises ``OSError`` when it is still there but cannot be moved (the caller answers it once).
    """
    folder = path.parent / REJECTED_DIR
    folder.mkdir(exist_ok=True)
    stem = f"order_signal_{now.strftime('%Y%m%d_%H%M%S_%f')}"
    target = folder / f"{stem}.json"
    for n in itertools.count(1):
        if not os.path.lexists(target):
            break
        target = folder / f"{stem}_{n}.json"
    if not _still_the_same(path, incoming):
        log.warning("信号文件已被替换，不移动 %s changed meanwhile; left in place", path.name)
        return None
    try:
        _replace_with_retry(path, target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise
    return target


def consume(path: Path, raw: bytes | None, signal_id: str, digest: str) -> bool:
    """Remove the signal file if it still holds this signal (same bytes, or same id and payload)."""
    try:
        current = read_bytes(path)
    except OSError:
        return False  # replaced by something that is not a file: the next poll deals with it
    if current is None:
        return False
    same = raw is not None and current == raw
    if not same:
        parsed = _parse(current, (0, 0, 0, 0)).signal
        same = parsed is not None and parsed.signal_id == signal_id and parsed.digest() == digest
    if not same:
        log.info("信号文件已是新信号，保留 %s holds a newer signal; not removed", path.name)
        return False
    return remove_file(path)
