"""Cheap, sceptical polling of ``shared_quote.json``: parse only on change, trust only real progress.

:meth:`QuoteReader.poll` stats the file and re-reads it only when its (mtime, size, inode) changed. A
new file becomes *the* quote only when it can be trusted:

* it parses and validates (anything else — oversized numbers, NaN, wrong types — is refused with its
  reason and its bytes are kept aside once, see :mod:`.quarantine`);
* its ``time`` and ``heartbeat`` are not in the future beyond ``skew_s`` of the app's clock;
* it moves forward: a higher ``seq`` (with a time not more than ``skew_s`` behind), or — a bridge that
  lost its counter and started again — a lower ``seq`` with a *newer* time. An old copy of the file
  (a re-synced share) or a producer flipping between two files never passes: its seq goes back and its
  time is not newer, so it counts as no progress and quotes go stale.

The last trusted quote stays available; :attr:`QuoteReader.refused` says why the current file is not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from miniqmt_gui.live.quarantine import Quarantine
from windows_bridge.contract.atomic_io import read_bytes
from windows_bridge.contract.file_watch import FileWatch, Signature
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.messages import ProtocolError, SharedQuote, decode

#: how far ahead of the app's clock a quote's time may be (the VM's clock may run a little ahead)
DEFAULT_SKEW_S = 60.0


class QuoteReader:
    """Keeps the last trusted quote; see the module docstring."""

    def __init__(self, shared_dir: Path, *, clock: Callable[[], datetime] | None = None,
                 skew_s: float = DEFAULT_SKEW_S, quarantine: Quarantine | None = None,
                 name: str = QUOTE_FILE) -> None:
        """Read ``name`` (``shared_quote.json`` or a code's own quote file) in ``shared_dir``; ``clock`` is
        the app's wall clock."""
        self.path = shared_dir / name
        self._clock = clock
        self._skew = timedelta(seconds=skew_s)
        self._quarantine = quarantine
        # re-read an unchanged-looking quote after 5 s (coarse-time shares); quotes come every 3 s
        self._watch = FileWatch(self.path, refresh_s=5.0)
        self.quote: SharedQuote | None = None
        #: why the file as it is now cannot be read at all ("" = it can)
        self.error = ""
        #: why the file as it is now is not trusted ("" = it is the quote)
        self.refused = ""

    @property
    def version(self) -> Signature | None:
        """The stat signature of the file version last read, good or bad (``None``: none yet)."""
        return self._watch.accepted

    def poll(self) -> SharedQuote | None:
        """The latest trusted quote (possibly the same object as last time), or ``None``."""
        if not self._watch.changed():
            if not self._watch.exists():
                self.quote, self.error, self.refused = None, "", ""
            return self.quote
        raw = _read(self.path)
        try:
            if raw is None:
                raise ProtocolError("file vanished while reading")
            candidate = decode(raw, SharedQuote)
        except (ProtocolError, OSError) as exc:
            # half-written or invalid: keep the last good quote, read again when the file changes
            self._watch.accept()
            self.error = str(exc)
            if raw is not None and self._quarantine is not None:
                self._quarantine.keep(self.path.name, raw, self.error)
            return self.quote
        self._watch.accept()
        self.error = ""
        self.refused = self._distrust(candidate)
        if not self.refused:
            self.quote = candidate
        return self.quote

    def _distrust(self, q: SharedQuote) -> str:
        """Why ``q`` is not a step forward from the last trusted quote ("" = trust it)."""
        if self._clock is not None:
            limit = self._clock() + self._skew
            if q.time > limit or q.heartbeat > limit:
                return f"quote time {max(q.time, q.heartbeat).isoformat()} is in the future"
        last = self.quote
        if last is None:
            return ""
        if q.seq > last.seq and q.time >= last.time - self._skew:
            return ""
        if q.seq < last.seq and q.time > last.time:
            return ""  # the bridge started counting again, with fresh quotes
        if q.seq == last.seq:
            return "" if q == last else f"seq {q.seq} reused with other content"
        return f"seq {q.seq} after {last.seq} without newer time (an old or alternating file)"


def _read(path: Path) -> bytes | None:
    try:
        return read_bytes(path)
    except OSError:
        return None
