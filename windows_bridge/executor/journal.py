"""The executor's append-only journal: the source of truth for exactly-once.

One JSON object per line, appended and fsync'd before the call it protects returns:

* ``intent``  — written *before* the broker is called: signal id, payload digest, order remark, time,
  the order's terms, the broker position before the order and the highest broker order id listed
  today (the *watermark*, see :mod:`windows_bridge.executor.recovery`);
* ``placed``  — the broker accepted the call and gave an order id;
* ``outcome`` — the final :class:`OrderResult` published for the signal (also for refusals).

Every record ends with ``"crc":"<8 hex>"``, the CRC-32 of the record's bytes without that field,
so a record damaged by a power cut (zeros, a half-written sector) is recognised as damaged rather
than read as something else. Records written before the CRC existed have none and are accepted.

The file lives on the executor's local disk (``Settings.state_dir``), never in the shared
folder, so wiping the share cannot cause a second order. Faults:

* a failed or short append (disk full, I/O error) is cut off again at once — the file is truncated
  back to its last complete record before the error is raised (:class:`JournalWriteError`), and
  before the next append if that truncation failed too — so a broken record never ends up in the
  middle;
* a damaged tail (an incomplete last line, or last records failing their CRC, e.g. NUL-filled
  after a power cut) is cut with a warning; cutting is safe because an intent without a record is
  looked up at the broker by its remark before anything is placed;
* damage anywhere else, or a record of an unknown kind, raises :class:`JournalError`: the executor
  refuses to guess and goes into its "no new orders" state.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import threading
import zlib
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
    """The journal is damaged beyond its tail (or unreadable); a human must look at it."""


class JournalWriteError(OSError):
    """An append failed (disk full, I/O error); the file was cut back to its last complete record."""


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
    #: broker position in ``code`` just before the order (None: not known)
    position_before: int | None = None
    #: highest broker order id listed today just before the order (None: the list was empty)
    watermark: int | None = None


_KINDS = ("intent", "placed", "outcome")
_CRC_SUFFIX = re.compile(rb',"crc":"([0-9a-f]{8})"\}\Z')


def encode_record(entry: dict[str, Any]) -> bytes:
    """One journal line: compact JSON with a trailing ``"crc"`` over the bytes before it."""
    body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return body[:-1] + b',"crc":"%08x"}\n' % crc


class _Damaged(ValueError):
    """A line that is not an intact record (CRC mismatch, not JSON, not UTF-8)."""


def decode_record(line: bytes) -> dict[str, Any]:
    """Parse one line; :class:`_Damaged` when it is not intact, JournalError when it is foreign."""
    check = _CRC_SUFFIX.search(line)
    if check is not None:
        body = line[: check.start()] + b"}"
        if f"{zlib.crc32(body) & 0xFFFFFFFF:08x}".encode() != check.group(1):
            raise _Damaged("CRC mismatch")
    try:
        entry = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Damaged(str(exc)[:80]) from None
    if not isinstance(entry, dict):
        raise _Damaged("not an object")
    if entry.get("type") not in _KINDS or not isinstance(entry.get("signal_id"), str):
        raise JournalError(f"not a journal record: {line[:80]!r}")
    entry.pop("crc", None)
    return entry


class Journal:
    """Append-only, fsync'd, self-checking journal of signal intents, placements and outcomes."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the journal at ``path`` and load its records."""
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, SignalRecord] = {}
        self._order: list[str] = []
        self._size = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._load()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise JournalError(f"{self.path}: cannot read the journal ({exc})") from None
        lines = raw.split(b"\n")
        torn = lines.pop()  # after the last newline: empty, or an append cut short
        entries: list[dict[str, Any]] = []
        damaged: list[tuple[int, str]] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = decode_record(line)
            except _Damaged as exc:
                damaged.append((number, str(exc)))
                continue
            except JournalError as exc:
                raise JournalError(f"{self.path}: line {number}: {exc}") from None
            if damaged:
                first, why = damaged[0]
                raise JournalError(f"{self.path}: line {first} is damaged ({why}) before intact records")
            entries.append(entry)
        good = self._good_size(raw, lines, damaged)
        if good != len(raw):
            log.warning(
                "日志末尾损坏，已截断 journal: cutting a damaged tail (%d bytes from line %s): %s",
                len(raw) - good,
                damaged[0][0] if damaged else len(lines) + 1,
                damaged[0][1] if damaged else f"incomplete last line {torn[:40]!r}",
            )
            self._truncate(good)
        self._size = good
        for entry in entries:
            self._apply(entry)

    @staticmethod
    def _good_size(raw: bytes, lines: list[bytes], damaged: list[tuple[int, str]]) -> int:
        """Bytes up to the end of the last intact line (damaged lines are all at the tail)."""
        keep = len(lines) if not damaged else damaged[0][0] - 1
        return sum(len(line) + 1 for line in lines[:keep]) if keep else 0

    def _truncate(self, size: int) -> None:
        with open(self.path, "r+b") as fh:
            fh.truncate(size)
            fh.flush()
            os.fsync(fh.fileno())

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
            position_before=_optional_int(entry.get("position_before")),
            watermark=_optional_int(entry.get("watermark")),
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
        line = encode_record(entry)
        with self._lock:
            self._cut_back()
            try:
                _append_synced(self.path, line)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    self._cut_back()
                raise JournalWriteError(
                    exc.errno or errno.EIO, f"cannot append to the journal {self.path}: {exc.strerror or exc}"
                ) from exc
            self._size += len(line)
            self._apply(entry)

    def _cut_back(self) -> None:
        """Truncate anything past the last complete record (left by a failed append)."""
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            size = 0
            if self._size:
                raise JournalWriteError(errno.ENOENT, f"the journal {self.path} disappeared") from None
        if size > self._size:
            log.warning("日志截回 journal: cutting %d bytes left by a failed append", size - self._size)
            self._truncate(self._size)

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
        position_before: int | None = None,
        watermark: int | None = None,
    ) -> None:
        """Journal the intent to place an order (call BEFORE the broker); the order's terms ride along."""
        entry: dict[str, Any] = {"type": "intent", "signal_id": signal_id, "digest": digest, "remark": remark}
        entry |= {"time": time.isoformat(), "code": code, "direction": direction, "shares": shares}
        entry |= {"price": price, "position_before": position_before, "watermark": watermark}
        self._append(entry)

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


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _append_synced(path: Path, line: bytes) -> None:
    """Append ``line`` with low-level writes (a short write is retried, a failed one raises) and fsync."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            if written <= 0:
                raise OSError(errno.EIO, "the disk accepted no bytes")
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
