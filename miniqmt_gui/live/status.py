"""Compute the engine's status: the trading state, its reason, and what blocks a new signal.

Blockers come in two kinds: those that stop every signal (halted, stopped, stale, no quote, pending
result, silent period, closed market, warm-up, …) and those that stop only buys (sell-only state,
position mismatch). The first blocker is the headline a window title shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from miniqmt_gui.live.events import EngineStatus, TradingState
from miniqmt_gui.live.messages import Lang, text
from windows_bridge.contract.calendar import format_session_start

STATE_KEYS = {
    TradingState.RUNNING: "state_running",
    TradingState.STOPPED: "state_stopped",
    TradingState.SELL_ONLY: "state_sell_only",
    TradingState.HALTED: "state_halted",
}
#: blockers that leave sells allowed
BUY_ONLY_BLOCKERS = frozenset({"state_sell_only", "mismatch", "unverified", "reconcile", "pending_stuck"})


@dataclass(frozen=True)
class Conditions:
    """Everything the status depends on, gathered by the engine once per step."""

    state: TradingState
    why_key: str
    has_quote: bool
    quote_error: str = ""
    stale: bool = False
    quote_age_s: float = 0.0
    connected: bool = True
    quote_code: str = ""
    want_code: str = ""
    in_session: bool = True
    warming_bars: int | None = None
    pending_id: str = ""
    silent_until: datetime | None = None
    mismatch: str = ""
    paper: bool = False
    #: live trading without a known base position
    base_unknown: bool = False
    #: who owns the folder when this app only watches ("" = we own it)
    owner: str = ""
    #: the book has not yet been seen to agree with the broker since the start
    unverified: bool = False
    #: the book and the broker disagree after the start: waiting for the trader
    reconcile: bool = False
    #: the pending signal is in doubt: held until the broker's position settles it
    in_doubt: bool = False
    #: the pending signal went unanswered through every re-send
    pending_stuck: bool = False
    #: why the current quote file is not trusted ("" = it is)
    quote_refused: str = ""
    #: outside the continuous session: when it next starts (``now`` decides how to write it)
    closed_until: datetime | None = None
    now: datetime | None = None
    #: the bridge has written no new quote for a while, at any hour
    link_down: bool = False
    link_age_s: float = 0.0


def _blocker_list(c: Conditions, lang: Lang) -> list[tuple[str, dict[str, object]]]:
    checks: list[tuple[bool, str, dict[str, object]]] = [
        (bool(c.owner), "not_owner", {"holder": c.owner}),
        (c.state is TradingState.HALTED, "state_halted", {}),
        (c.state is TradingState.STOPPED, "state_stopped", {}),
        (not c.has_quote and bool(c.quote_error), "bad_quote", {"error": c.quote_error}),
        (not c.has_quote and not c.quote_error, "no_quote", {}),
        (c.has_quote and c.stale, "stale", {}),
        (c.has_quote and c.link_down, "link_down", {"seconds": round(c.link_age_s)}),
        (c.has_quote and not c.connected, "disconnected", {}),
        (c.has_quote and c.quote_code != c.want_code, "code_mismatch",
         {"got": c.quote_code, "want": c.want_code}),
        (c.base_unknown, "base_unknown", {}),
        (bool(c.quote_refused), "quote_refused", {"why": c.quote_refused}),
        (c.in_doubt, "in_doubt", {"signal_id": c.pending_id}),
        (bool(c.pending_id) and not c.in_doubt, "pending", {"signal_id": c.pending_id}),
        (c.pending_stuck, "pending_stuck", {"signal_id": c.pending_id}),
        (c.silent_until is not None, "silent", {"until": _hhmmss(c.silent_until)}),
        (not c.in_session, "closed", {"when": _when(c, lang)}),
        (c.warming_bars is not None, "warming_up", {"bars": c.warming_bars}),
        (c.state is TradingState.SELL_ONLY, "state_sell_only", {}),
        (bool(c.mismatch), "mismatch", {"detail": c.mismatch}),
        (c.reconcile, "reconcile", {}),
        (c.unverified and not c.reconcile, "unverified", {}),
    ]
    return [(key, values) for hit, key, values in checks if hit]


def _when(c: Conditions, lang: Lang) -> str:
    if c.closed_until is None or c.now is None:
        return "?"
    return format_session_start(c.closed_until, c.now, lang)


def _hhmmss(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S") if moment is not None else ""


def compute_status(c: Conditions, lang: Lang = "zh") -> EngineStatus:
    """Build the :class:`EngineStatus` for ``c`` in ``lang``."""
    why = text(c.why_key, lang)
    blockers = _blocker_list(c, lang)
    texts = []
    for key, values in blockers:
        if key in STATE_KEYS.values():
            values = {"why": why}
        texts.append(text(key, lang, **values))
    reason = text(STATE_KEYS[c.state], lang, why=why)
    return EngineStatus(
        state=c.state, reason_key=c.why_key, reason=reason, blockers=tuple(k for k, _ in blockers),
        blocker_texts=tuple(texts), headline=texts[0] if texts else reason, stale=c.stale,
        quote_age_s=round(c.quote_age_s, 1), silent_until=c.silent_until, mismatch=c.mismatch,
        paper=c.paper, pending_signal_id=c.pending_id,
        closed_until=None if c.in_session else c.closed_until, link_down=c.link_down,
    )


def allows(status: EngineStatus, direction: str) -> bool:
    """True when a signal in ``direction`` may go out under ``status``."""
    blocking = [b for b in status.blockers if direction == "BUY" or b not in BUY_ONLY_BLOCKERS]
    return not blocking
