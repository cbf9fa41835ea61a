"""The one checklist type of the rehearsals: ``miniqmt selfcheck`` and ``miniqmt offline-test``.

A :class:`CheckItem` is one line with a verdict (``ok`` / ``warn`` / ``fail``), what was seen and, when it
is not fine, what to do. A :class:`Checklist` collects them; it passes when nothing failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["ok", "warn", "fail"]
MARKS: dict[Verdict, str] = {"ok": "✔", "warn": "!", "fail": "✘"}


@dataclass(frozen=True)
class CheckItem:
    """One line: ``name`` with its ``verdict``, ``detail`` and the ``fix`` when it is not ok.

    ``stage`` groups the items of a staged run (the offline test's stages 1–5; 0 = no stage).
    """

    name: str
    verdict: Verdict
    detail: str = ""
    fix: str = ""
    stage: int = 0

    @property
    def ok(self) -> bool:
        """True unless the item failed (a warning passes)."""
        return self.verdict != "fail"

    def line(self) -> str:
        """The item as one report line, plus the fix on a second line when there is one."""
        text = f"[{MARKS[self.verdict]}] {self.name}" + (f" — {self.detail}" if self.detail else "")
        if self.fix and self.verdict != "ok":
            text += f"\n    → {self.fix}"
        return text


@dataclass
class Checklist:
    """All items of one run, in order."""

    items: list[CheckItem] = field(default_factory=list)

    def add(self, item: CheckItem) -> CheckItem:
        """Record ``item``; returns it."""
        self.items.append(item)
        return item

    def check(self, stage: int, name: str, ok: bool, detail: str = "", fix: str = "") -> bool:
        """Record a pass/fail item of ``stage``; returns ``ok``."""
        self.add(CheckItem(name, "ok" if ok else "fail", detail, fix, stage))
        return bool(ok)

    def __iter__(self) -> Iterator[CheckItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ok(self) -> bool:
        """True when there is at least one item and none failed."""
        return bool(self.items) and all(item.ok for item in self.items)

    @property
    def passed(self) -> int:
        """How many items did not fail."""
        return sum(item.ok for item in self.items)

    def report(self) -> str:
        """Every item as a report line."""
        return "\n".join(item.line() for item in self.items)

    def as_json(self) -> list[dict[str, Any]]:
        """The items as JSON-ready dicts."""
        return [asdict(item) for item in self.items]
