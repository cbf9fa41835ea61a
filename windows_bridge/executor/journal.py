"""The executor's append-only journal: the source of truth for exactly-once.

One JSON object per line, appended and fsync'd before the call it protects returns:

* ``intent``  — written *before* the broker is called: signal id, payload digest, order remark, time;
* ``placed``  — the broker accepted the call and gave an order id;
* ``outcome`` — the final :class:`OrderResult` published for the signal (also for refusals).

The file lives on the executor's local disk (``Settings.state_dir``), never in the shared
folder, so wiping the share cannot cause a second order. A crash can tear only the last line;
loading drops such a line (and truncates it away so later appends start on a clean line). A
damaged line anywhere else is an error: the executor refuses to guess.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import OrderResult, ResultStatus

log = logging.getLogger(__name__)

JOURNAL_FILE = "executor_journal.jsonl"


class JournalError(RuntimeError):
    """The journal is damaged beyond a torn last line; a human must look at it."""


class SignalState(StrEnum):
    """How far a signal got."""

    NONE = "none"
    INTENT = "intent"  # journaled, broker call may or may not have happened
    PLACED = "placed"  # the broker returned an order id
    DONE = "done"  # a final result was published


@dataclass(frozen=True)
class SignalRecord:
    """Everything the journal knows about one signal id."""

    signal_id: str
    digest: str
    state: SignalState
    remark: str = ""
    intent_time: datetime | None = None
    order_id: int | None = None
    result: OrderResult | None = None
    code: str = ""
    direction: str = ""
    shares: int = 0
    price: float = 0.0


class Journal:
    """Append-only, fsync'd journal of signal intents, placements and outcomes."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the journal at ``path`` and load its records."""
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, SignalRecord] = {}
        self._order: list[str] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        self._load()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        body, sep, torn = raw.rpartition(b"\n")
        if torn.strip():
            log.warning("日志末行不完整，已丢弃 journal: dropping a torn last line (%d bytes)", len(torn))
            self._truncate(len(body) + len(sep))
        lines = body.split(b"\n") if body else []
        for number, line in enumerate(lines, start=1):
            if line.strip():
                self._apply(self._parse(line, number))

    def _truncate(self, size: int) -> None:
        with open(self.path, "r+b") as fh:
            fh.truncate(size)
            fh.flush()
            os.fsync(fh.fileno())

    def _parse(self, line: bytes, number: int) -> dict[str, Any]:
        try:
            entry = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise JournalError(f"{self.path}: line {number} is damaged ({exc}); not guessing") from None
        if not isinstance(entry, dict) or entry.get("type") not in ("intent", "placed", "outcome"):
            raise JournalError(f"{self.path}: line {number} is not a journal record")
        return entry

    def _apply(self, entry: dict[str, Any]) -> None:
        sid = str(entry["signal_id"])
        current = self._records.get(sid)
        kind = entry["type"]
        if kind == "intent":
            self._apply_intent(sid, entry, current)
        elif kind == "placed" and current is not None and current.state is not SignalState.DONE:
            self._records[sid] = replace(current, state=SignalState.PLACED, order_id=int(entry["order_id"]))
        elif kind == "outcome":
            self._apply_outcome(sid, entry, current)

    def _apply_intent(self, sid: str, entry: dict[str, Any], current: SignalRecord | None) -> None:
        if current is not None:
            return  # the first record for an id wins; the executor never re-intends a known id
        self._records[sid] = SignalRecord(
            signal_id=sid,
            digest=str(entry["digest"]),
            state=SignalState.INTENT,
            remark=str(entry["remark"]),
            intent_time=datetime.fromisoformat(entry["time"]),
            code=str(entry.get("code", "")),
            direction=str(entry.get("direction", "")),
            shares=int(entry.get("shares", 0)),
            price=float(entry.get("price", 0.0)),
        )
        self._order.append(sid)

    def _apply_outcome(self, sid: str, entry: dict[str, Any], current: SignalRecord | None) -> None:
        if current is not None and current.state is SignalState.DONE:
            return  # the first published outcome is final
        result = OrderResult.model_validate(entry["result"])
        if current is None:
            current = SignalRecord(signal_id=sid, digest=str(entry["digest"]), state=SignalState.NONE)
            self._order.append(sid)
        self._records[sid] = replace(current, state=SignalState.DONE, result=result)

    # ------------------------------------------------------------------ writing

    def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        with self._lock:
            with open(self.path, "ab") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            self._apply(entry)

    def record_intent(
        self,
        signal_id: str,
        digest: str,
        remark: str,
        time: datetime,
        *,
        code: str = "",
        direction: str = "",
        shares: int = 0,
        price: float = 0.0,
    ) -> None:
        """Journal the intent to place an order (call BEFORE the broker); the order's terms ride along."""
        entry: dict[str, Any] = {"type": "intent", "signal_id": signal_id, "digest": digest, "remark": remark}
        entry |= {"time": time.isoformat(), "code": code, "direction": direction, "shares": shares}
        self._append(entry | {"price": price})

    def record_placed(self, signal_id: str, order_id: int) -> None:
        """Journal the broker's order id for a signal."""
        self._append({"type": "placed", "signal_id": signal_id, "order_id": order_id})

    def record_outcome(self, result: OrderResult, digest: str) -> None:
        """Journal the final result published for ``result.signal_id``."""
        self._append(
            {
                "type": "outcome",
                "signal_id": result.signal_id,
                "digest": digest,
                "result": result.model_dump(mode="json"),
            }
        )

    # ------------------------------------------------------------------ queries

    def get(self, signal_id: str) -> SignalRecord | None:
        """The record for ``signal_id``, or None when the journal has never seen it."""
        return self._records.get(signal_id)

    def state(self, signal_id: str) -> SignalState:
        """How far ``signal_id`` got (``NONE`` when unknown)."""
        rec = self._records.get(signal_id)
        return SignalState.NONE if rec is None else rec.state

    def unresolved(self) -> list[SignalRecord]:
        """Intents without an outcome, oldest first (resolved at start-up from the broker)."""
        return [r for sid in self._order if (r := self._records[sid]).state in _OPEN]

    def done_ids(self) -> list[str]:
        """Signal ids with a published outcome, in the order they were first seen."""
        return [sid for sid in self._order if self._records[sid].state is SignalState.DONE]

    def orders_on(self, day: date) -> int:
        """Signals that reached the broker (or the simulator) on ``day`` (Asia/Shanghai)."""
        count = 0
        for rec in self._records.values():
            if rec.intent_time is not None and as_shanghai(rec.intent_time).date() == day:
                count += 1
            elif rec.result is not None and rec.result.status is ResultStatus.SIMULATED:
                count += as_shanghai(rec.result.timestamp).date() == day
        return count

    def simulated_on(self, day: date) -> list[OrderResult]:
        """Simulated results of ``day`` (simulate mode adjusts the account view with them)."""
        return [
            r.result
            for r in self._records.values()
            if r.result is not None
            and r.result.status is ResultStatus.SIMULATED
            and as_shanghai(r.result.timestamp).date() == day
        ]


_OPEN = (SignalState.INTENT, SignalState.PLACED)
