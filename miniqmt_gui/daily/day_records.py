"""The app's side of a day: the signals it sent and the results it applied, from the decision journal.

The engine journals every signal (with its limit price) and every applied result (status, fill,
order id, fees) — see :mod:`miniqmt_gui.live.engine`. A signal re-emitted after a crash is the same
signal, so it appears once here. Results are matched to signals by id, whatever day they arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from miniqmt_gui.live.decision_journal import read_entries
from windows_bridge.contract.market_hours import SHANGHAI


@dataclass(frozen=True)
class SentSignal:
    """A signal the app wrote."""

    signal_id: str
    direction: str
    layer: int
    shares: int
    price: float
    time: datetime
    rule: str = ""


@dataclass(frozen=True)
class AppliedResult:
    """A result the app applied to its book."""

    signal_id: str
    status: str
    filled_shares: int
    avg_price: float
    order_id: int | None
    fees: float
    time: datetime


@dataclass(frozen=True)
class BookAtClose:
    """The layer book as the journal last recorded it that day."""

    hold_layers: int = 0
    lot_shares: int = 0


@dataclass(frozen=True)
class DayRecords:
    """Everything the journal says about one day."""

    day: date
    signals: tuple[SentSignal, ...]
    results: dict[str, AppliedResult]
    book: BookAtClose | None


def _time(entry: dict[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(entry.get("time")))
    except ValueError:
        return None
    return moment.astimezone(SHANGHAI) if moment.tzinfo is not None else None


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _signal(entry: dict[str, Any], when: datetime) -> SentSignal:
    price = entry.get("limit_price")
    return SentSignal(
        signal_id=str(entry["signal_id"]), direction=str(entry.get("direction", "")),
        layer=_int(entry.get("layer")), shares=_int(entry.get("shares")),
        # older journals have no limit price: the quote price the decision was made at
        price=_float(price if price is not None else entry.get("price")), time=when,
        rule=str(entry.get("rule") or ""),
    )


def _result(entry: dict[str, Any], when: datetime) -> AppliedResult:
    order_id = entry.get("order_id")
    return AppliedResult(
        signal_id=str(entry["signal_id"]), status=str(entry.get("status", "")),
        filled_shares=_int(entry.get("filled_shares")), avg_price=_float(entry.get("avg_price")),
        order_id=_int(order_id) if order_id is not None else None, fees=_float(entry.get("fees")), time=when,
    )


def read_day(journal: Path, day: date) -> DayRecords:
    """The signals of ``day``, their results (from any day) and the book after the last entry to ``day``."""
    signals: dict[str, SentSignal] = {}
    results: dict[str, AppliedResult] = {}
    book: BookAtClose | None = None
    for entry in read_entries(journal):
        when = _time(entry)
        if when is None or (entry.get("event") in ("signal", "result") and not entry.get("signal_id")):
            continue
        event = entry.get("event")
        if event == "signal" and when.date() == day and entry["signal_id"] not in signals:
            signals[str(entry["signal_id"])] = _signal(entry, when)
        elif event == "result":
            results[str(entry["signal_id"])] = _result(entry, when)
        if when.date() <= day:  # the book carries over from earlier days when nothing happened today
            book = BookAtClose(_int(entry.get("hold_layers")), _int(entry.get("lot_shares")))
    mine = {sid: r for sid, r in results.items() if sid in signals}
    ordered = tuple(sorted(signals.values(), key=lambda s: s.time))
    return DayRecords(day=day, signals=ordered, results=mine, book=book)
