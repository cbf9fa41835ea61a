"""Cheap polling of ``shared_quote.json``: re-read and re-validate only when the file changed."""

from __future__ import annotations

from pathlib import Path

from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.file_watch import FileWatch
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.messages import SharedQuote


class QuoteReader:
    """Keeps the last valid quote; :meth:`poll` stats the file and parses it only when it changed."""

    def __init__(self, shared_dir: Path) -> None:
        """Read ``shared_quote.json`` in ``shared_dir``."""
        self.path = shared_dir / QUOTE_FILE
        # re-read an unchanged-looking quote after 5 s (coarse-time shares); quotes come every 3 s
        self._watch = FileWatch(self.path, refresh_s=5.0)
        self.quote: SharedQuote | None = None
        self.error = ""

    def poll(self) -> SharedQuote | None:
        """The latest valid quote (possibly the same object as last time), or ``None``."""
        if not self._watch.changed():
            if not self._watch.exists():
                self.quote, self.error = None, ""
            return self.quote
        read = read_message(self.path, SharedQuote)
        if read.value is None:
            # half-written or invalid: keep the last good quote, retry on the next change
            self.error = read.error
            return self.quote
        self._watch.accept()
        self.quote, self.error = read.value, ""
        return self.quote
