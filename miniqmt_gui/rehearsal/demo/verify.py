"""The chain's promises, checked on the files a run left: exactly once, nothing lost, book = broker.

* **duplicates** — broker orders per ``order_remark`` (one remark per ``signal_id``) above one;
* **lost** — a signal the engine emitted (or holds pending) that the executor never answered, or an
  answer the engine never applied (its ``applied_results`` and decision journal both lack it);
* **match** — the app's lots equal the broker's position minus the base position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from miniqmt_gui.rehearsal.demo.layout import DemoLayout
from miniqmt_gui.rehearsal.demo.ledger_watch import BrokerRecord
from miniqmt_gui.rehearsal.demo.summary import CODE, book_state, executor_outcomes, read_jsonl


@dataclass
class Verdict:
    """What :func:`verify` found."""

    signals: int = 0
    outcomes: int = 0
    orders: int = 0
    duplicates: dict[str, int] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)
    unapplied: list[str] = field(default_factory=list)
    book_lots: int | None = None
    broker_grid: int | None = None

    @property
    def lost(self) -> int:
        """Signals lost on either way."""
        return len(self.unanswered) + len(self.unapplied)

    @property
    def match(self) -> bool:
        """Book equals broker."""
        return self.book_lots is not None and self.book_lots == self.broker_grid

    @property
    def ok(self) -> bool:
        """Every promise kept."""
        return not self.duplicates and self.lost == 0 and self.match


def engine_ids(layout: DemoLayout) -> tuple[set[str], set[str]]:
    """(ids the engine emitted, ids whose result it applied) from the journal and the book."""
    emitted: set[str] = set()
    applied: set[str] = set()
    for entry in read_jsonl(layout.decisions):
        sid = str(entry.get("signal_id") or "")
        if entry.get("event") in ("signal", "signal_reemitted") and sid:
            emitted.add(sid)
        elif entry.get("event") == "result" and sid:
            applied.add(sid)
    book = book_state(layout)
    if book is not None:
        applied.update(book.applied_results)
        if book.pending_signal is not None:
            emitted.add(book.pending_signal.signal_id)
    return emitted, applied


def verify(layout: DemoLayout, record: BrokerRecord, base: int) -> Verdict:
    """Check the promises (call once every process has stopped)."""
    emitted, applied = engine_ids(layout)
    outcomes = executor_outcomes(layout)
    answered = {sid for sid in outcomes if sid}
    emitted |= answered & applied  # a signal applied after a crash before its journal line
    book = book_state(layout)
    pos = record.last.positions.get(CODE) if record.last else None
    return Verdict(
        signals=len(emitted), outcomes=len(answered), orders=len(record.orders),
        duplicates=record.duplicates(),
        unanswered=sorted(emitted - answered),
        unapplied=sorted(answered - applied),
        book_lots=sum(lot.shares for lot in book.positions) if book else None,
        broker_grid=pos.volume - base if pos is not None else None,
    )
