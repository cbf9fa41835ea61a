"""Every file and folder name in the shared folder (SPEC §3), in one place."""

from __future__ import annotations

from windows_bridge.contract.messages import SIGNAL_ID_RE, ProtocolError

QUOTE_FILE = "shared_quote.json"


SIGNAL_FILE = "order_signal.json"


RESULT_FILE = "order_result.json"


DONE_DIR = "order_signal_done"


EXECUTED_FILE = "executed_signals.json"


STATE_FILE = "dashboard_state.json"


STOP_FILE = "STOP"


#: the bridge's after-close trades exports, one file a day (see ``trades_export``)
TRADES_DIR = "trades"


def done_marker_name(signal_id: str) -> str:
    """File name of the done marker for ``signal_id`` (inside :data:`DONE_DIR`)."""
    if SIGNAL_ID_RE.match(signal_id) is None:
        raise ProtocolError(f"not a signal id: {signal_id!r}")
    return f"order_signal_{signal_id}.done"
