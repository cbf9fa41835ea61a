"""Cheap change detection for polled shared files: read and parse only when the file changed.

Every shared file is replaced atomically (``os.replace``), so a new version always has a new
(mtime, size, inode) signature; one ``stat`` call tells whether there is anything to read. Pollers
that used to read and validate a file on every cycle stat it instead, which is what lets them poll
often enough for a fast live path while an idle process stays near zero CPU (SPEC §6).

    watch = FileWatch(shared / RESULT_FILE)
    if watch.changed():             # one stat
        read = read_message(watch.path, OrderResult)
        if read.ok:
            watch.accept()          # remember this version; a bad read is retried next time

A version is remembered only after the caller accepted it, so a file that failed validation (a
half-written copy on a share that does not rename atomically, a hostile file) is read again as
soon as it changes. Some shares report coarse modification times and no inode numbers, where two
versions of equal size written within one tick would look alike; so an accepted version also counts
as changed again after ``refresh_s`` (1 s): a missed change is seen within a second, never lost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

#: (st_mtime_ns, st_size, st_ino) of one version of a file
Signature = tuple[int, int, int]


def signature(path: Path) -> Signature | None:
    """The file's stat signature, or ``None`` when it does not exist (or cannot be stat'ed)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class FileWatch:
    """Tells whether ``path`` differs from the version last accepted (one ``stat`` per question)."""

    def __init__(self, path: Path, refresh_s: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """Watch ``path``; nothing is accepted yet, so an existing file counts as changed."""
        self.path = path
        self.refresh_s = refresh_s
        self._monotonic = monotonic
        self._accepted: Signature | None = None
        self._accepted_at = 0.0
        self._seen: Signature | None = None

    def changed(self) -> bool:
        """True when the file exists and is not the accepted version (or that is ``refresh_s`` old).

        A missing file forgets the accepted version.
        """
        self._seen = signature(self.path)
        if self._seen is None:
            self._accepted = None
            return False
        return self._seen != self._accepted or self._monotonic() - self._accepted_at >= self.refresh_s

    def exists(self) -> bool:
        """Whether the file existed at the last :meth:`changed` call."""
        return self._seen is not None

    @property
    def accepted(self) -> Signature | None:
        """The version last accepted as read (``None``: none, or the file went away since)."""
        return self._accepted

    def accept(self) -> None:
        """Remember the version seen by the last :meth:`changed` call as read."""
        self._accepted = self._seen
        self._accepted_at = self._monotonic()

    def forget(self) -> None:
        """Make the next :meth:`changed` report the current file again."""
        self._accepted = None
