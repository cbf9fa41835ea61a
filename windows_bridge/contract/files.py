"""Every file and folder name in the shared folder (SPEC §3), in one place.

Both sides and every tool (self-check, demo, docs) take the names from here; nothing else spells them.
"""

from __future__ import annotations

import os
from pathlib import Path

from windows_bridge.contract.messages import SIGNAL_ID_RE, ProtocolError

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
