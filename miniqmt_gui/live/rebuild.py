"""Rebuilding the layer book when its file is lost, and adopting the broker's position when asked.

The book has three durable homes, tried in this order at start-up (:func:`load_book`):

1. ``dashboard_state.json`` in the shared folder — used when it agrees with the app's own copy;
2. the app's own copy on the Mac's disk (``<work_dir>/book/``), written before the shared file at every
   durable change — used when the shared file is missing, unreadable or differs from it (a wiped,
   re-synced or tampered share), the shared file then kept aside;
3. the decision journal (``decisions.jsonl``), whose signal and result lines carry their full payloads:
   replayed from the start when both files are gone.

Whatever the source, the engine trades no new buy until the broker's position has been seen to agree
with the book (:mod:`.broker_sync`); when it does not, new buys stay paused and the trader is asked to
reconcile: adopt the broker's grid shares as lots (:func:`adopt_broker_lots`), or keep paused.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.decision_journal import read_entries
from miniqmt_gui.live.state_store import Loaded, keep_aside, load_state
from windows_bridge.contract.messages import BookLot, DashboardState, OrderResult, OrderSignal

log = logging.getLogger(__name__)

Mode = Literal["live", "paper"]
#: the parts of the book that matter for trading (the cool-down clock's per-bar progress is not mirrored)
CORE_FIELDS = ("positions", "pending_signal", "rollback", "last_buy_price", "pending_buy_shares",
               "applied_results", "pending_in_doubt")


@dataclass
class BookSource:
    """The loaded book, where it came from and what loading had to say."""

    state: DashboardState
    source: Literal["state", "own copy", "journal", "empty"]
    notes: list[str] = field(default_factory=list)
    kept_aside: Path | None = None


def core(state: DashboardState) -> dict[str, Any]:
    """The trading content of a book (what the shared file and the app's copy must agree on)."""
    data = state.model_dump(mode="json")
    return {k: data[k] for k in CORE_FIELDS}


def load_book(share: Path, own: Path, journal: Path, code: str, mode: Mode, now: datetime) -> BookSource:
    """The book from its three homes (see the module docstring)."""
    shared = load_state(share, code, mode, now)
    mine = load_state(own, code, mode, now)
    notes = shared.notes + [f"own copy: {n}" for n in mine.notes]
    if shared.found and mine.found and core(shared.state) == core(mine.state):
        return BookSource(shared.state, "state", notes, shared.kept_aside)
    if mine.found:
        aside = shared.kept_aside
        if shared.found:
            aside = keep_aside(share, now, "differs")
            notes.append(f"the shared state file differs from the app's own copy; kept as {aside.name}")
        elif shared.kept_aside is None:
            notes.append("the shared state file is missing; using the app's own copy")
        return BookSource(mine.state, "own copy", notes, aside)
    if shared.found:
        return BookSource(shared.state, "state", notes, shared.kept_aside)
    replayed = replay_journal(journal, code, mode, now, notes)
    if replayed is not None:
        return BookSource(replayed, "journal", notes, shared.kept_aside)
    return BookSource(bk.empty_book(code, mode), "empty", notes, shared.kept_aside)


def _signal_entry(book: DashboardState, entry: dict[str, Any], when: datetime) -> DashboardState:
    signal = OrderSignal.model_validate(entry["signal"])
    rule = str(entry.get("rule", ""))
    if signal.direction == "BUY":
        return bk.begin_buy(book, signal, when, rule)
    return bk.begin_sell(book, signal, tuple(int(k) for k in entry["sold_layers"]), when, rule)


def _apply_entry(book: DashboardState, entry: dict[str, Any], when: datetime) -> DashboardState:
    """One journal line's effect on the book (lines without a book effect change nothing)."""
    event = entry.get("event")
    if event == "signal" and "signal" in entry:
        return _signal_entry(book, entry, when)
    if event in ("result", "in_doubt_settled") and "result" in entry:
        return bk.apply_result(book, OrderResult.model_validate(entry["result"]), when).state
    if event == "sync_cleared":
        return bk.clear_lots(book, when)
    if event == "anchor_init" and entry.get("anchor"):
        return book.model_copy(update={"last_buy_price": float(entry["anchor"])})
    if event == "in_doubt":
        return book.model_copy(update={"pending_in_doubt": True})
    if event == "book_adopted" and "positions" in entry:
        lots = [BookLot.model_validate(lot) for lot in entry["positions"]]
        return bk.with_positions(book, lots, last_buy_price=float(entry.get("anchor") or 0.0),
                                 pending_buy_shares=0, bars_since_exit=-1)
    return book


def replay_journal(path: Path, code: str, mode: Mode, now: datetime,
                   notes: list[str]) -> DashboardState | None:
    """The book the journal's lines add up to (``None`` when there is no journal)."""
    if not path.exists():
        return None
    book = bk.empty_book(code, mode)
    lines = 0
    for entry in read_entries(path):
        try:
            when = datetime.fromisoformat(str(entry["time"]))
            book = _apply_entry(book, entry, when)
        except (KeyError, ValueError, ValidationError, bk.BookError) as exc:
            notes.append(f"journal line skipped ({type(exc).__name__}: {exc})"[:200])
            continue
        lines += 1
    notes.append(f"book rebuilt from {lines} journal lines")
    return book.model_copy(update={"updated": now})


def adopt_broker_lots(book: DashboardState, broker_shares: int, base_shares: int, avg_price: float,
                      layer_capital: float, max_layers: int, now: datetime) -> DashboardState:
    """The book holding the broker's grid shares (``broker − base``) as lots at the broker's average price.

    The grid shares are split into as many layers as their value fills (at least one, at most
    ``max_layers``), in whole lots of 100 except the last, which takes the remainder. The anchor is the
    average price; the cool-down clock starts afresh.
    """
    grid = broker_shares - base_shares
    if grid <= 0 or not avg_price > 0:
        return bk.with_positions(book, [], pending_buy_shares=0, updated=now)
    n = max(1, min(max_layers, round(grid * avg_price / layer_capital)))
    each = math.floor(grid / n / 100) * 100
    sizes = [each] * (n - 1) + [grid - each * (n - 1)]
    sizes = [s for s in sizes if s > 0]
    lots = [BookLot(layer=k, shares=s, buy_price=avg_price, cost=round(s * avg_price, 2), time=now,
                    signal_id="adopted")
            for k, s in enumerate(sizes, start=1)]
    return bk.with_positions(book, lots, last_buy_price=avg_price, pending_buy_shares=0, bars_since_exit=-1,
                             updated=now)


__all__ = ["BookSource", "Loaded", "adopt_broker_lots", "load_book", "replay_journal"]
