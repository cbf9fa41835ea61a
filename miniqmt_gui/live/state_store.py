"""Load and save the layer book (``dashboard_state.json``) safely.

Saving is atomic (temp → fsync → replace, :mod:`windows_bridge.contract.atomic_io`). Loading never loses
information silently:

* a missing file is an empty book;
* a file that is not a JSON object, or is for another code, is *kept aside* as
  ``dashboard_state.corrupt-<time>.json`` and the engine starts with an empty book (it is never
  overwritten in place);
* an older or partly bad file is migrated entry by entry: unknown old names are mapped
  (``price`` → ``buy_price``, ``anchor`` → ``last_buy_price``), a lot that still fails validation
  is dropped, and every such change is reported as a log line.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from windows_bridge.contract.atomic_io import read_bytes, write_message
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import (
    BookLot,
    BookRollback,
    DashboardState,
    OrderSignal,
    describe_validation_error,
)

log = logging.getLogger(__name__)

LOT_RENAMES = {"price": "buy_price", "volume": "shares", "buy_time": "time", "id": "signal_id"}
TOP_RENAMES = {"anchor": "last_buy_price", "anchor_price": "last_buy_price", "lots": "positions"}
DERIVED = ("hold_layers", "total_cost")


@dataclass
class Loaded:
    """A loaded book plus the log lines that describe what loading had to change."""

    state: DashboardState
    notes: list[str] = field(default_factory=list)
    kept_aside: Path | None = None
    #: a usable file was there (False: missing, or unusable and kept aside)
    found: bool = False


def save_state(path: Path, state: DashboardState, *, durable: bool = True) -> None:
    """Write the book atomically; ``durable`` fsyncs it (a signal may follow right after).

    Only the cool-down clock's per-bar progress is written without fsync: losing it in a power cut is
    harmless, because the next quote's bar history counts the same bars again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    write_message(path, state, fsync=durable)


def keep_aside(path: Path, now: datetime, tag: str = "corrupt") -> Path:
    """Rename ``path`` to ``<stem>.<tag>-<time>.json`` beside it (never overwritten); returns the new path."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{tag}-{stamp}.json")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{tag}-{stamp}-{n}.json")
        n += 1
    path.replace(target)
    return target


def _migrate_lot(raw: Any, index: int, now: datetime, notes: list[str]) -> BookLot | None:
    if not isinstance(raw, dict):
        notes.append(f"positions[{index}]: not an object, dropped")
        return None
    lot = {LOT_RENAMES.get(k, k): v for k, v in raw.items()}
    lot.setdefault("layer", index + 1)
    lot.setdefault("time", now.isoformat())
    if "cost" not in lot and isinstance(lot.get("shares"), int | float) and isinstance(
        lot.get("buy_price"), int | float
    ):
        lot["cost"] = round(lot["shares"] * lot["buy_price"], 2)
    try:
        return BookLot.model_validate(lot)
    except ValidationError as exc:
        notes.append(f"positions[{index}]: {describe_validation_error(exc)}, dropped")
        return None


def _migrate_lots(raw: Any, now: datetime, notes: list[str]) -> list[BookLot]:
    if not isinstance(raw, list):
        if raw is not None:
            notes.append("positions: not a list, dropped")
        return []
    lots: list[BookLot] = []
    for index, item in enumerate(raw):
        lot = _migrate_lot(item, index, now, notes)
        if lot is None:
            continue
        if any(held.layer == lot.layer for held in lots):
            notes.append(f"positions[{index}]: layer {lot.layer} appears twice, dropped")
            continue
        lots.append(lot)
    return lots[:9]


def _optional(data: dict[str, Any], key: str, model: type[Any], notes: list[str]) -> Any:
    raw = data.pop(key, None)
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        notes.append(f"{key}: {describe_validation_error(exc)}, dropped")
        return None


def _migrate(data: dict[str, Any], code: str, now: datetime, notes: list[str]) -> DashboardState:
    data = {TOP_RENAMES.get(k, k): v for k, v in data.items()}
    for name in DERIVED:
        data.pop(name, None)
    lots = _migrate_lots(data.pop("positions", []), now, notes)
    pending = _optional(data, "pending_signal", OrderSignal, notes)
    rollback = _optional(data, "rollback", BookRollback, notes)
    if pending is None and rollback is not None:
        notes.append("rollback without a pending signal, dropped")
        rollback = None
    base = {"code": code, "positions": [], "pending_signal": pending, "rollback": rollback}
    for key, value in data.items():
        if key in DashboardState.model_fields and key not in base:
            try:
                DashboardState.model_validate({**base, key: value})
                base[key] = value
            except ValidationError as exc:
                notes.append(f"{key}: {describe_validation_error(exc)}, reset")
    state = DashboardState.model_validate(base)
    total = round(sum(lot.cost for lot in lots), 2)
    return state.model_copy(update={"positions": lots, "hold_layers": len(lots), "total_cost": total})


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: JSON errors, 5,000-digit ints
        return None
    return data if isinstance(data, dict) else None


def load_state(
    path: Path, code: str, mode: Literal["live", "paper"] = "live", now: datetime | None = None
) -> Loaded:
    """Load the book for ``code`` (see the module docstring for what happens to bad content)."""
    now = now or now_shanghai()
    empty = DashboardState(code=code, mode=mode)
    try:
        raw = read_bytes(path)
    except OSError as exc:  # a directory, a FIFO, a permission problem: unusable, not "empty"
        raw = f"unreadable: {exc}".encode()
    if raw is None:
        return Loaded(empty)
    data = _parse(raw)
    if data is None or data.get("code", code) != code or data.get("mode", mode) != mode:
        why = "not a JSON object" if data is None else f"for {data.get('code')}/{data.get('mode')}"
        return _unusable(path, now, why, empty)
    notes: list[str] = []
    try:
        state = _migrate(data, code, now, notes).model_copy(update={"mode": mode})
    except (ValidationError, ValueError, TypeError) as exc:
        return _unusable(path, now, f"cannot be migrated: {exc}"[:200], empty)
    for note in notes:
        log.warning("state file %s: %s", path.name, note)
    return Loaded(state, notes, found=True)


def _unusable(path: Path, now: datetime, why: str, empty: DashboardState) -> Loaded:
    try:
        aside = keep_aside(path, now)
    except OSError as exc:
        log.error("state file %s unusable (%s) and cannot be moved aside: %s", path, why, exc)
        return Loaded(empty, [f"state file unusable ({why})"])
    log.error("state file %s unusable (%s), kept as %s", path, why, aside.name)
    return Loaded(empty, [f"state file unusable ({why}), kept as {aside.name}"], aside)
