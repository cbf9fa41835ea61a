"""One run of the chain: prepare the folder, start bridge → executor → engine (or app), stop in reverse.

Used by ``miniqmt demo``, the chain tests and the benchmarks. Every process is a real child
(:mod:`.supervisor`); the start order is enforced by waiting for each one's first sign of life:
the bridge's first ``shared_quote.json``, the executor's heartbeat, then the engine or app.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from miniqmt_gui.rehearsal.demo.layout import APP, BRIDGE, ENGINE, EXECUTOR, DemoLayout
from miniqmt_gui.rehearsal.demo.ledger_watch import BrokerRecord, LedgerWatch
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.prepare import child_env, other_base_shares, prepare
from miniqmt_gui.rehearsal.demo.summary import book_state, build_summary, per_code_summary
from miniqmt_gui.rehearsal.demo.supervisor import Child, Death, Supervisor, python_module
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE, QUOTE_FILE

READY_TIMEOUT_S = 60.0
QUIET_S = 0.6


class StartError(RuntimeError):
    """A process did not come up; the message carries its log tail."""


@dataclass
class ChainRun:
    """The processes and files of one run rooted at ``root``."""

    root: Path
    options: DemoOptions = field(default_factory=DemoOptions)
    layout: DemoLayout = field(init=False)
    supervisor: Supervisor = field(default_factory=Supervisor)
    base: int = 0
    #: the two-ETF demo: every code's base position, in order (one code: just the primary's)
    bases: dict[str, int] = field(default_factory=dict)
    replay_start: float = 0.0
    started: float = 0.0
    watch: LedgerWatch | None = None

    def __post_init__(self) -> None:
        """Derive the layout."""
        self.layout = DemoLayout(self.root)

    # ------------------------------------------------------------------ commands of each process

    def bridge_argv(self) -> list[str]:
        """The bridge in replay mode."""
        o = self.options
        return python_module(
            "windows_bridge.bridge", "--config", str(self.layout.config(BRIDGE)),
            "--replay", str(self.layout.replay_csv), "--speed", repr(o.speed),
            "--replay-start", repr(self.replay_start), "--interval", repr(o.interval_s),
        )

    def executor_argv(self) -> list[str]:
        """The executor against the simulated broker through the xtquant fake."""
        return python_module("windows_bridge.executor", "--config", str(self.layout.config(EXECUTOR)))

    def engine_argv(self) -> list[str]:
        """The headless engine in rehearsal mode (``miniqmt run --headless --rehearsal``)."""
        o = self.options
        return python_module(
            "miniqmt_gui", "run", "--headless", "--rehearsal", "--shared-dir", str(self.layout.shared),
            "--work-dir", str(self.layout.app_work), "--base-shares", str(self.base),
            "--silent-s", repr(o.silent_period_s), "--poll-s", repr(o.engine_poll_s),
            "--drain-file", str(self.layout.drain_file),
            *(["--pending-timeout-s", repr(o.pending_timeout_s)] if o.pending_timeout_s else []),
            *[arg for item in o.params for arg in ("--set", item)],
        )

    def app_argv(self) -> list[str]:
        """The desktop app on the demo folder, live route, rehearsal mode, started."""
        return python_module(
            "miniqmt_gui", "gui", "--shared-dir", str(self.layout.shared), "--work-dir",
            str(self.layout.app_work), "--no-simulate", "--rehearsal", "--start", "--demo",
        )

    # ------------------------------------------------------------------ life cycle

    def prepare(self) -> None:
        """Write the folder (replay CSV, configs, simulated account)."""
        self.base = prepare(self.layout, self.options)
        self.bases = {self.options.codes[0]: self.base}
        if self.options.portfolio:
            self.bases.update(other_base_shares(self.layout, self.options))

    def child(self, role: str, argv: list[str]) -> Child:
        """A child of ``role`` (not started) with its environment and log."""
        env = child_env(self.layout, self.options, self.replay_start, role)
        return Child(role, argv, env, self.layout.log(role))

    def start(self, *, gui: bool = False, engine: bool = True) -> None:
        """Prepare, then start bridge → executor → engine (or the app), each once the previous is up."""
        self.prepare()
        self.started = time.monotonic()
        self.replay_start = time.time() + self.options.lead_s
        self.watch = LedgerWatch(self.layout.ledger).start()
        self._start_waiting(BRIDGE, self.bridge_argv(), self.layout.shared / QUOTE_FILE)
        self._start_waiting(EXECUTOR, self.executor_argv(), self.layout.shared / EXECUTOR_HEARTBEAT_FILE)
        if gui:
            self.supervisor.add(self.child(APP, self.app_argv()))
        elif engine:
            self.supervisor.add(self.child(ENGINE, self.engine_argv()))

    def _start_waiting(self, role: str, argv: list[str], sign: Path) -> None:
        child = self.supervisor.add(self.child(role, argv))
        self.wait_for(child, sign)

    def wait_for(self, child: Child, sign: Path, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Wait until ``sign`` exists; raise :class:`StartError` if the child dies or it takes too long."""
        end = time.monotonic() + timeout_s
        while not sign.exists():
            if not child.alive() or time.monotonic() > end:
                raise StartError(f"{child.role} did not start (no {sign.name}):\n{child.tail()}")
            time.sleep(0.05)

    def watch_for(self, seconds: float, interrupted: list[bool], restart: bool = False) -> Death | None:
        """Run for ``seconds`` (or until interrupted); a child's unexpected death ends it early.

        With ``restart`` a crashed child is restarted instead (the demo supervises like launchd);
        closing the app normally still ends the run.
        """
        return self.supervisor.watch(seconds, interrupted, restart=restart, final=(APP,))

    def drain(self, timeout_s: float | None = None) -> bool:
        """Ask the engine to emit nothing new and wait until no signal is pending; True when quiet."""
        self.layout.drain_file.write_text("drain\n", encoding="utf-8")
        limit = timeout_s if timeout_s is not None else self.options.order_timeout_s * 3 + 15
        end = time.monotonic() + limit
        quiet_since: float | None = None
        while time.monotonic() < end:
            books = [book_state(self.layout, code) for code in self.options.codes]
            quiet = all(b is not None and b.pending_signal is None for b in books)
            if quiet and self._engine_saw_drain():
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= QUIET_S:  # no step emitted after the drain
                    return True
            else:
                quiet_since = None
            time.sleep(0.05)
        return False

    def _engine_saw_drain(self) -> bool:
        try:
            return "[drain]" in self.layout.log(ENGINE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True

    def stop(self) -> dict[str, int | None]:
        """Stop every child, newest first; exit codes by role."""
        return self.supervisor.stop_all()

    def record(self) -> BrokerRecord:
        """Everything the broker held during the run (stops the ledger watch)."""
        return self.watch.stop() if self.watch is not None else BrokerRecord()

    def summary(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON summary (call after :meth:`stop`)."""
        elapsed = time.monotonic() - self.started if self.started else 0.0
        record = self.record()
        summary = build_summary(self.layout, record, base=self.base, elapsed_s=elapsed, extra=extra)
        if self.options.portfolio:
            summary.update(per_code_summary(self.layout, record, self.bases))
            totals = [c["pnl"] for c in summary["codes"].values()]
            summary["pnl"] = {k: round(sum(t[k] for t in totals), 2) for k in totals[0]}
        return summary
