"""Where everything of one demo (or chain test) run lives: one folder, four sub-folders.

``shared/`` is the shared folder (the Parallels share in production); ``bridge/`` and
``executor/`` are the two Windows processes' local state folders (seq, journal, ledger, logs);
``app/`` is the desktop app's work folder; ``logs/`` holds each process's console output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BRIDGE = "bridge"
EXECUTOR = "executor"
ENGINE = "engine"
APP = "app"


@dataclass(frozen=True)
class DemoLayout:
    """The paths of a demo folder rooted at :attr:`root`."""

    root: Path

    @property
    def shared(self) -> Path:
        """The shared folder (quote, signal, result, book, done markers)."""
        return self.root / "shared"

    @property
    def bridge_state(self) -> Path:
        """The bridge's local state folder."""
        return self.root / "bridge"

    @property
    def executor_state(self) -> Path:
        """The executor's local state folder (journal, simulated account)."""
        return self.root / "executor"

    @property
    def app_work(self) -> Path:
        """The app's (engine's) work folder: decision journal, settings."""
        return self.root / "app"

    @property
    def logs(self) -> Path:
        """Console output of each process."""
        return self.root / "logs"

    @property
    def replay_csv(self) -> Path:
        """The replayed 1-minute bars (the embedded synthetic sample)."""
        return self.root / "replay_bars.csv"

    def replay_csv_for(self, code: str, primary: bool) -> Path:
        """The replay of ``code`` (the primary code's is :attr:`replay_csv`)."""
        return self.replay_csv if primary else self.root / f"replay_bars_{code}.csv"

    def decisions_for(self, code: str, primary: bool) -> Path:
        """The decision journal of ``code``'s engine (``decisions_{code}.jsonl`` for other codes)."""
        return self.decisions if primary else self.app_work / f"decisions_{code}.jsonl"

    @property
    def ledger(self) -> Path:
        """The simulated broker account, owned by the executor, read by the bridge."""
        return self.executor_state / "sim_ledger.json"

    @property
    def journal(self) -> Path:
        """The executor's exactly-once journal."""
        return self.executor_state / "executor_journal.jsonl"

    @property
    def decisions(self) -> Path:
        """The engine's decision journal."""
        return self.app_work / "decisions.jsonl"

    @property
    def drain_file(self) -> Path:
        """Created by the supervisor: the engine stops emitting, pending results are still applied."""
        return self.app_work / "DRAIN"

    def config(self, role: str) -> Path:
        """The ``config.toml`` of a Windows process (``bridge`` or ``executor``)."""
        return self.root / f"{role}.toml"

    def log(self, role: str) -> Path:
        """The console log of ``role``."""
        return self.logs / f"{role}.log"

    def create(self) -> None:
        """Create every folder."""
        for folder in (self.shared, self.bridge_state, self.executor_state, self.app_work, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
