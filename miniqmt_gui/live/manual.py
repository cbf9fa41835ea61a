"""When a manual intervention (sell one layer, cancel the pending order, edit the lots) may run.

A manual sell is a signal like any other, so it needs what any signal needs — a trusted, fresh quote,
the folder owned, no halt, no signal already outstanding, the session open — but not the strategy's own
switches: it works while the strategy is stopped or in sell-only, during the warm-up or a silent period.
A cancel needs an outstanding signal; an edit needs none. Each refusal is a catalogue key the engine
says in the log and journals.
"""

from __future__ import annotations

from miniqmt_gui.live.commands import CancelPending, EditLots, SellLayer
from miniqmt_gui.live.events import EngineStatus
from windows_bridge.contract.messages import DashboardState

#: blockers that stop a manual sell (the strategy's own switches do not)
SELL_BLOCKERS = frozenset({"not_owner", "state_halted", "bad_quote", "no_quote", "stale", "link_down",
                           "disconnected", "code_mismatch", "quote_refused", "in_doubt", "pending",
                           "pending_stuck", "closed"})
MAX_EDIT_SHARES = 10_000_000


def manual_refusal(book: DashboardState, status: EngineStatus, command: SellLayer | CancelPending | EditLots,
                   may_write: bool) -> str:
    """The catalogue key of why ``command`` cannot run now ("" = it may)."""
    if not may_write:
        return "manual_not_owner"
    if isinstance(command, CancelPending):
        pending = book.pending_signal
        return "" if pending is not None and pending.signal_id == command.signal_id else "manual_no_pending"
    if book.pending_signal is not None:
        return "manual_pending"
    if isinstance(command, SellLayer):
        if not any(lot.layer == command.layer for lot in book.positions):
            return "manual_no_layer"
        return "manual_blocked" if SELL_BLOCKERS.intersection(status.blockers) else ""
    layers = [layer for layer, _, _ in command.lots]
    if len(set(layers)) != len(layers) or any(not 1 <= layer <= 9 for layer in layers):
        return "manual_bad_lots"
    if any(not 0 < shares <= MAX_EDIT_SHARES or not 0 < price < 10_000 for _, shares, price in command.lots):
        return "manual_bad_lots"
    return ""
