"""The decision journal: one JSON line per evaluation that changed something.

A line records what the engine saw (quote ``seq``, price, indicators), what it concluded (the rule
that fired, the signal it wrote) and what came back (the result). The file is append-only and
opened per write, so a crash loses at most the line being written; a torn last line is skipped
when reading. :func:`export_csv` flattens the file for a spreadsheet.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

CSV_COLUMNS = (
    "time", "event", "seq", "price", "rule", "signal_id", "direction", "layer", "shares",
    "status", "filled_shares", "avg_price", "hold_layers", "lot_shares", "anchor", "indicators", "note",
)


def _clean(value: Any) -> Any:
    """JSON-safe value: NaN/inf become ``None``, datetimes ISO text, mappings/sequences recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class DecisionJournal:
    """Appends entries to a JSONL file."""

    def __init__(self, path: Path) -> None:
        """Journal at ``path`` (its folder is created on first write)."""
        self.path = path

    def append(self, event: str, time: datetime, **fields: Any) -> dict[str, Any]:
        """Write one line ``{"time", "event", **fields}`` and return it."""
        entry = _clean({"time": time, "event": event, **fields})
        line = json.dumps(entry, ensure_ascii=False, sort_keys=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
        return entry


def read_entries(path: Path) -> Iterator[dict[str, Any]]:
    """Every valid line of the journal, oldest first (torn or foreign lines are skipped)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                yield entry


def _row(entry: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {col: entry.get(col, "") for col in CSV_COLUMNS}
    row["indicators"] = json.dumps(entry.get("indicators") or {}, ensure_ascii=False, sort_keys=True)
    return row


def export_csv(journal_path: Path, csv_path: Path) -> int:
    """Write the journal as CSV (UTF-8 with BOM so Excel shows Chinese); returns the row count."""
    rows = [_row(entry) for entry in read_entries(journal_path)]
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
