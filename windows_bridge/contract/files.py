"""Every file and folder name in the shared folder (SPEC §3), in one place.

Both sides and every tool (self-check, demo, docs) take the names from here; nothing else spells them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from windows_bridge.contract.messages import CODE_PATTERN, SIGNAL_ID_RE, ProtocolError

#: bridge → app: quote, 1-minute bars, broker position and asset, ``seq`` and heartbeat
QUOTE_FILE = "shared_quote.json"
#: app → executor: the one outstanding signal
SIGNAL_FILE = "order_signal.json"
#: executor → app: the final result of the last signal
RESULT_FILE = "order_result.json"
#: executor: one ``order_signal_{signal_id}.done`` marker per consumed signal
DONE_DIR = "order_signal_done"
#: executor: signal files it could not accept, kept aside with a timestamp
REJECTED_DIR = "order_signal_rejected"
#: executor: ids already handled (a derived view of its local journal)
EXECUTED_FILE = "executed_signals.json"
#: app: the persisted layer book
STATE_FILE = "dashboard_state.json"


#: the kill switch; any spelling :func:`kill_switch` recognises counts (``stop``, ``STOP.txt``, …)
STOP_FILE = "STOP"
#: app → executor: "cancel the working order of this signal" (plain text: the signal id); the rest of the
#: order is cancelled and the result comes back as usual (cancelled / partially filled)
CANCEL_REQUEST_FILE = "order_cancel_request.txt"
#: executor: the owner lock (identity and heartbeat time) that fences placements
EXECUTOR_LOCK_FILE = "executor.lock"
#: executor: liveness for the app and self-check
EXECUTOR_HEARTBEAT_FILE = "executor_heartbeat.json"
#: app: the owner lock of the one trading app instance (others only watch)
APP_LOCK_FILE = "app.lock"


#: the bridge's after-close trades exports, one file a day (see ``trades_export``)
TRADES_DIR = "trades"


#: protocol revision of the file layout: 1 = v1.0.0 (one code), 2 = one set of files per code (issue 16)
FILE_LAYOUT_VERSION = 2
_CODE_RE = re.compile(CODE_PATTERN)


def _per_code(name: str, code: str) -> str:
    """``shared_quote.json`` + ``512890.SH`` → ``shared_quote_512890.SH.json`` (``code`` validated)."""
    if not isinstance(code, str) or _CODE_RE.match(code) is None:
        raise ProtocolError(f"not a code: {code!r}")
    stem, dot, ext = name.rpartition(".")
    return f"{stem}_{code}.{ext}" if dot else f"{name}_{code}"


def quote_file_for(code: str) -> str:
    """The per-code quote file the bridge writes for each configured code: ``shared_quote_{code}.json``."""
    return _per_code(QUOTE_FILE, code)


@dataclass(frozen=True)
class CodeFiles:
    """The shared-folder files of one instrument (protocol layout 2, see docs/protocol.md).

    The *primary* code (the first configured one) keeps the v1.0.0 names, so a v1.0.0 app or
    executor keeps working unchanged; every other code gets its own ``…_{code}`` files. The
    per-code quote file exists for every code (the bridge writes the primary's twice).
    """

    code: str
    primary: bool = True

    def __post_init__(self) -> None:
        _per_code(QUOTE_FILE, self.code)  # validates the code

    def _name(self, legacy: str) -> str:
        return legacy if self.primary else _per_code(legacy, self.code)

    @property
    def quote(self) -> str:
        """What the app reads: ``shared_quote.json`` (primary) or ``shared_quote_{code}.json``."""
        return self._name(QUOTE_FILE)

    @property
    def signal(self) -> str:
        """``order_signal.json`` (primary) or ``order_signal_{code}.json``: at most one signal per code."""
        return self._name(SIGNAL_FILE)

    @property
    def result(self) -> str:
        """``order_result.json`` (primary) or ``order_result_{code}.json``."""
        return self._name(RESULT_FILE)

    @property
    def state(self) -> str:
        """``dashboard_state.json`` (primary) or ``dashboard_state_{code}.json``."""
        return self._name(STATE_FILE)

    @property
    def cancel_request(self) -> str:
        """``order_cancel_request.txt`` (primary) or ``order_cancel_request_{code}.txt``."""
        return self._name(CANCEL_REQUEST_FILE)

    @property
    def app_lock(self) -> str:
        """``app.lock`` (primary) or ``app_{code}.lock``: one trading app per code and folder."""
        return self._name(APP_LOCK_FILE)


def code_files(codes: list[str] | tuple[str, ...], code: str) -> CodeFiles:
    """The files of ``code`` in a portfolio whose configured order is ``codes`` (the first is primary)."""
    return CodeFiles(code, primary=not codes or codes[0] == code)


def done_marker_name(signal_id: str) -> str:
    """File name of the done marker for ``signal_id`` (inside :data:`DONE_DIR`)."""
    if SIGNAL_ID_RE.match(signal_id) is None:
        raise ProtocolError(f"not a signal id: {signal_id!r}")
    return f"order_signal_{signal_id}.done"


def is_kill_switch_name(name: str) -> bool:
    """``STOP`` in any case, with or without extensions (``STOP.txt``, ``stop.TXT.txt``).

    Windows Explorer hides known extensions, so a user who creates "STOP" there gets ``STOP.txt``;
    both must stop the executor. Trailing spaces and dots (which Windows drops) are ignored.
    """
    stem = name.strip().rstrip(". ").split(".", 1)[0].strip()
    return stem.lower() == "stop"


def kill_switch(folder: Path) -> str | None:
    """The name of the kill-switch entry in ``folder``, or ``None`` when there is none.

    Fails closed: any kind of entry counts (file, directory, dangling link, FIFO), and a folder
    that cannot be listed counts too (the answer is then a description of the error).
    """
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if is_kill_switch_name(entry.name):
                    return entry.name
    except OSError as exc:
        return f"(shared folder not listable: {exc.strerror or exc})"
    return None
