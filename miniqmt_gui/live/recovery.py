"""What to do with a signal that was pending when the engine (re)started (SPEC §4).

The book was persisted with the pending signal *before* the signal file was written, so after a
crash exactly one of these holds:

* its result is there → apply it (the normal path does that);
* the signal file still holds it, or the executor has a record of it (done marker,
  ``executed_signals.json``) → wait for the result;
* neither → the signal never reached the executor: write the *same* signal again (same id, same
  payload), never a new decision.
"""

from __future__ import annotations

from enum import StrEnum

from miniqmt_gui.live.routes import OrderRoute
from windows_bridge.contract.messages import OrderSignal


class RecoveryAction(StrEnum):
    """The engine's move for a pending signal found at start."""

    APPLY_RESULT = "apply_result"
    WAIT = "wait"
    REEMIT = "reemit"


def recovery_action(route: OrderRoute, signal: OrderSignal) -> RecoveryAction:
    """Classify a pending signal found at start (see the module docstring)."""
    result = route.poll_result()
    if result is not None and result.signal_id == signal.signal_id:
        return RecoveryAction.APPLY_RESULT
    if route.signal_waiting(signal.signal_id) or route.executor_knows(signal.signal_id):
        return RecoveryAction.WAIT
    return RecoveryAction.REEMIT
