"""Keep the bytes of a refused file aside, once per distinct content, with the reason next to them.

The app never moves or deletes files the Windows side writes (the quote, the result); it copies what
it refused into ``<work_dir>/rejected/`` so a human can see what arrived. The same content is kept
once, and at most :data:`MAX_KEPT` files per process, so a hostile loop cannot fill the disk.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from windows_bridge.contract.atomic_io import write_bytes_atomic

log = logging.getLogger(__name__)

MAX_KEPT = 200
REJECTED_DIR = "rejected"


class Quarantine:
    """Copies refused files into ``folder`` (see the module docstring)."""

    def __init__(self, folder: Path, clock: Callable[[], datetime]) -> None:
        """Keep files in ``folder``; ``clock`` stamps their names."""
        self.folder = folder
        self._clock = clock
        self._seen: set[str] = set()

    def keep(self, name: str, raw: bytes, reason: str) -> Path | None:
        """Keep ``raw`` (refused for ``reason``) once; returns the copy's path, or ``None`` if not kept."""
        digest = hashlib.sha256(raw).hexdigest()
        if digest in self._seen or len(self._seen) >= MAX_KEPT:
            return None
        self._seen.add(digest)
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        target = self.folder / f"{stamp}-{digest[:8]}-{name}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, raw, fsync=False)
            write_bytes_atomic(target.with_name(target.name + ".reason.txt"), reason.encode("utf-8"),
                               fsync=False)
        except OSError as exc:
            log.warning("cannot keep the refused %s aside: %s", name, exc)
            return None
        log.warning("refused %s kept as %s: %s", name, target.name, reason)
        return target
