"""Where signals go and results come from: the shared folder (live) or the paper broker.

:class:`OrderRoute` is the engine's narrow view of "the executor". :class:`SharedFolderRoute`
writes ``order_signal.json`` (HMAC-signed when a key is configured) and reads ``order_result.json``;
it also answers the recovery question "does the executor already know this signal?" from the
signal file, the done marker and ``executed_signals.json``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from windows_bridge.contract.atomic_io import read_message, write_bytes_atomic, write_message
from windows_bridge.contract.file_watch import FileWatch
from windows_bridge.contract.files import (
    DONE_DIR,
    EXECUTED_FILE,
    CodeFiles,
    done_marker_name,
)
from windows_bridge.contract.messages import ExecutedSignals, OrderResult, OrderSignal, SharedQuote
from windows_bridge.contract.signing import sign

log = logging.getLogger(__name__)

class OrderRoute(Protocol):
    """The engine's view of the executor."""

    def send(self, signal: OrderSignal) -> None:
        """Hand a signal over (written atomically; may raise ``OSError``)."""
        ...

    def poll_result(self) -> OrderResult | None:
        """The latest valid result, if any (the engine matches its ``signal_id``)."""
        ...

    def signal_waiting(self, signal_id: str) -> bool:
        """True while the handed-over signal has not been consumed yet."""
        ...

    def executor_knows(self, signal_id: str) -> bool:
        """True when the executor has a record of ``signal_id`` (done marker or executed list)."""
        ...

    def on_quote(self, quote: SharedQuote) -> SharedQuote:
        """See a new quote; return the quote whose position the book is synced against."""
        ...

    def close(self) -> None:
        """Release what the route runs (the paper executor's thread); the engine calls it once."""
        ...

    def request_cancel(self, signal_id: str) -> None:
        """Ask the executor to cancel the working order of ``signal_id`` (may raise ``OSError``)."""
        ...


class SharedFolderRoute:
    """Signals and results as files in the shared folder."""

    def __init__(
        self, shared_dir: Path, hmac_key: bytes | None = None, files: CodeFiles | None = None
    ) -> None:
        """Route through ``shared_dir``; sign signals with ``hmac_key`` when given. ``files``: the code's
        signal/result/cancel names (default: the v1.0.0 names, ``order_signal.json`` …)."""
        self.shared_dir = shared_dir
        self.hmac_key = hmac_key
        files = files or CodeFiles("159201.SZ")
        self.signal_file, self.result_file = files.signal, files.result
        self.cancel_file = files.cancel_request
        self._bad_result = ""
        self._result_watch = FileWatch(shared_dir / self.result_file)
        self._result: OrderResult | None = None

    def send(self, signal: OrderSignal) -> None:
        """Write ``order_signal.json`` atomically (signed when a key is configured)."""
        if self.hmac_key is not None:
            signal = sign(signal, self.hmac_key)
        self.shared_dir.mkdir(parents=True, exist_ok=True)
        write_message(self.shared_dir / self.signal_file, signal)

    def poll_result(self) -> OrderResult | None:
        """Read ``order_result.json`` (the engine asks only while a signal is pending).

        A file that fails validation is ignored (never applied) and logged once, with the reason.
        The file is read only when its stat signature changed (the engine polls fast while waiting).
        """
        if not self._result_watch.changed():
            return self._result if self._result_watch.exists() else None
        read = read_message(self.shared_dir / self.result_file, OrderResult)
        bad = "" if read.value is not None or read.missing else read.error
        if bad and bad != self._bad_result:
            log.warning("ignoring invalid %s: %s", self.result_file, bad)
        self._bad_result = bad
        self._result = read.value
        if read.value is not None:
            self._result_watch.accept()
        return read.value

    def signal_waiting(self, signal_id: str) -> bool:
        """True when ``order_signal.json`` still holds ``signal_id``."""
        read = read_message(self.shared_dir / self.signal_file, OrderSignal)
        return read.value is not None and read.value.signal_id == signal_id

    def executor_knows(self, signal_id: str) -> bool:
        """True when a done marker exists or ``executed_signals.json`` lists ``signal_id``."""
        if (self.shared_dir / DONE_DIR / done_marker_name(signal_id)).exists():
            return True
        read = read_message(self.shared_dir / EXECUTED_FILE, ExecutedSignals)
        return read.value is not None and signal_id in read.value.executed

    def on_quote(self, quote: SharedQuote) -> SharedQuote:
        """The bridge's quote already carries the real broker position."""
        return quote

    def request_cancel(self, signal_id: str) -> None:
        """Write ``order_cancel_request.txt`` naming the signal (the executor cancels while tracking it)."""
        write_bytes_atomic(self.shared_dir / self.cancel_file, signal_id.encode("ascii"))

    def close(self) -> None:
        """Nothing to release: the executor is another process."""
