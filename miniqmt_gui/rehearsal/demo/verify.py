"""The chain's promises, checked on the files a run left: exactly once, nothing lost, book = broker.

* **duplicates** — broker orders per ``order_remark`` (one remark per ``signal_id``) above one;
* **lost** — a signal the engine emitted (or holds pending) that the executor never answered, or an
  answer the engine never applied (its ``applied_results`` and decision journal both lack it);
* **match** — the app's lots equal the broker's position minus the base position;
* **stray** — a broker order no emitted signal asked for (a forged or hostile signal file placed one).

Several codes (the two-ETF demo): :func:`verify_code` checks one code on its own files (its decision
journal and book, its broker orders and position, the executor outcomes of its signals).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from miniqmt_gui.rehearsal.demo.layout import DemoLayout
from miniqmt_gui.rehearsal.demo.ledger_watch import BrokerRecord
from miniqmt_gui.rehearsal.demo.summary import CODE, book_state, executor_outcomes, read_jsonl
from windows_bridge.contract.files import CodeFiles


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
    stray: list[str] = field(default_factory=list)

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
        return not self.duplicates and self.lost == 0 and self.match and not self.stray


def _primary(code: str | None) -> bool:
    return code is None or code == CODE


def engine_ids(layout: DemoLayout, code: str | None = None) -> tuple[set[str], set[str]]:
    """(ids the engine emitted, ids whose result it applied) from the journal and the book (``code``:
    another code's engine, on its own journal and book)."""
    emitted: set[str] = set()
    applied: set[str] = set()
    journal = layout.decisions if _primary(code) else layout.decisions_for(str(code), False)
    for entry in read_jsonl(journal):
        sid = str(entry.get("signal_id") or "")
        if entry.get("event") in ("signal", "signal_reemitted") and sid:
            emitted.add(sid)
        elif entry.get("event") == "result" and sid:
            applied.add(sid)
    book = book_state(layout, code)
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


def _remarks_of(layout: DemoLayout, ids: set[str]) -> set[str]:
    """The broker remarks the executor journaled for the signals ``ids``."""
    return {str(e.get("remark")) for e in read_jsonl(layout.journal)
            if e.get("type") == "intent" and e.get("signal_id") in ids}


def verify_code(layout: DemoLayout, record: BrokerRecord, code: str, base: int) -> Verdict:
    """The promises for one code of a portfolio, on that code's files only (call once all stopped)."""
    emitted, applied = engine_ids(layout, code)
    outcomes = {sid for sid, result in executor_outcomes(layout).items()
                if sid and result.get("code") == code}
    emitted |= outcomes & applied
    orders = [o for o in record.orders.values() if o.code == code]
    book = book_state(layout, code)
    pos = record.last.positions.get(code) if record.last else None
    asked = _remarks_of(layout, emitted)
    return Verdict(
        signals=len(emitted), outcomes=len(outcomes), orders=len(orders),
        duplicates={r: n for r, n in Counter(o.remark for o in orders).items() if n > 1},
        unanswered=sorted(emitted - outcomes), unapplied=sorted(outcomes - applied),
        book_lots=sum(lot.shares for lot in book.positions) if book else None,
        broker_grid=pos.volume - base if pos is not None else None,
        stray=sorted(o.remark for o in orders if o.remark not in asked),
    )


def code_files(code: str) -> CodeFiles:
    """The shared-folder files of ``code`` in the demo (the first code keeps the v1.0.0 names)."""
    return CodeFiles(code, primary=_primary(code))
