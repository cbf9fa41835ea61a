"""Reading ``order_signal.json`` and getting rid of it safely.

A file that fails to parse is read once more after a short delay (a writer copying over the
Parallels share might be mid-way); if it is still bad it is moved into
``order_signal_rejected/`` under a timestamped name, so nothing is lost. A processed signal is
consumed only if the file still holds that signal: the app may already have written the next one.
"""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from windows_bridge.contract.atomic_io import read_bytes, remove_file
from windows_bridge.contract.files import REJECTED_DIR
from windows_bridge.contract.messages import MAX_FILE_BYTES, OrderSignal, ProtocolError, decode

log = logging.getLogger(__name__)

REREAD_DELAY_S = 0.2
_MOVE_RETRY_DELAYS_S = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4)


@dataclass(frozen=True)
class IncomingSignal:
    """One read of the signal file: the bytes, and the signal or the reason it is unusable."""

    raw: bytes
    signal: OrderSignal | None = None
    error: str = ""


def _parse(raw: bytes) -> IncomingSignal:
    if not raw.strip():
        return IncomingSignal(raw=raw, error="empty file")
    try:
        return IncomingSignal(raw=raw, signal=decode(raw, OrderSignal))
    except ProtocolError as exc:
        return IncomingSignal(raw=raw, error=str(exc))


def read_signal_file(
    path: Path, *, reread_delay_s: float = REREAD_DELAY_S, sleep: Callable[[float], None] = time.sleep
) -> IncomingSignal | None:
    """Read the signal file; ``None`` when there is none. A bad file is re-read once after a delay."""
    raw = read_bytes(path)
    if raw is None:
        return None
    first = _parse(raw)
    if first.signal is not None:
        return first
    sleep(reread_delay_s)
    again = read_bytes(path)
    if again is None:
        return None  # the writer (or a human) took it away
    return _parse(again)


def extract_signal_id(raw: bytes) -> str:
    """Best-effort ``signal_id`` from an unusable file (``""`` when there is no sensible one)."""
    try:
        data = json.loads(raw[:MAX_FILE_BYTES].decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ""
    if not isinstance(data, dict):
        return ""
    sid = data.get("signal_id")
    if isinstance(sid, str) and 0 < len(sid) <= 64 and sid.isascii() and sid.isprintable():
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


def quarantine(path: Path, raw: bytes, now: datetime) -> Path | None:
    """Move the bad file to ``order_signal_rejected/`` if it still holds ``raw``; return the new path."""
    folder = path.parent / REJECTED_DIR
    folder.mkdir(exist_ok=True)
    stem = f"order_signal_{now.strftime('%Y%m%d_%H%M%S_%f')}"
    target = folder / f"{stem}.json"
    for n in itertools.count(1):
        if not target.exists():
            break
        target = folder / f"{stem}_{n}.json"
    if read_bytes(path) != raw:
        log.warning("信号文件已被替换，不移动 %s changed meanwhile; left in place", path.name)
        return None
    try:
        _replace_with_retry(path, target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise
        return None
    return target


def consume(path: Path, raw: bytes | None, signal_id: str, digest: str) -> bool:
    """Remove the signal file if it still holds this signal (same bytes, or same id and payload)."""
    current = read_bytes(path)
    if current is None:
        return False
    same = raw is not None and current == raw
    if not same:
        parsed = _parse(current).signal
        same = parsed is not None and parsed.signal_id == signal_id and parsed.digest() == digest
    if not same:
        log.info("信号文件已是新信号，保留 %s holds a newer signal; not removed", path.name)
        return False
    return remove_file(path)
