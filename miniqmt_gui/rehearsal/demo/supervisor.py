"""Run the chain's processes as real children, watch them, stop them in reverse order.

Each child is ``sys.executable -m <module> …`` in its own session (so a Ctrl+C in the terminal
reaches only the supervisor, which then stops the children in order), with stdout and stderr
appended to its log file. :meth:`Supervisor.check` reports a child that died on its own;
:meth:`Supervisor.stop_all` stops them newest first: SIGINT, then SIGTERM, then SIGKILL after a
grace period each.

Like launchd's ``KeepAlive`` or Task Scheduler's "restart on failure", :meth:`Supervisor.watch` with
``restart=True`` starts a child that crashed again (at most every :data:`THROTTLE_S` seconds, as
launchd throttles, and gives up after :data:`MAX_RESTARTS` crashes in :data:`RESTART_WINDOW_S`), so a
user can kill a process during the demo and watch the chain recover. A report of a death shows only
the lines the *last* run wrote (each start begins with a ``=== start #n`` line), never an older run's.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

GRACE_S = 8.0
#: a crashed child is started again no sooner than this many seconds after its previous start
THROTTLE_S = 3.0
#: more crashes than this within RESTART_WINDOW_S: the supervisor gives up and reports the death
MAX_RESTARTS = 5
RESTART_WINDOW_S = 300.0
START_MARK = "=== start #"


@dataclass
class Child:
    """One supervised process."""

    role: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        """Start (or restart) the process, appending its output to the log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self._log is None:
            self._log = self.log_path.open("ab")
        self._log.write(f"\n{START_MARK}{self.starts + 1}: {' '.join(self.argv)}\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            self.argv, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.starts += 1
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int:
        """The current process id (0 when not started)."""
        return self.proc.pid if self.proc is not None else 0

    def alive(self) -> bool:
        """True while the process runs."""
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL (crash tests) and reap."""
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait()

    def stop(self, grace_s: float = GRACE_S) -> int | None:
        """SIGINT, then SIGTERM, then SIGKILL; returns the exit code (None if never started)."""
        if self.proc is None:
            return None
        for sig in (signal.SIGINT, signal.SIGTERM):
            if self.proc.poll() is not None:
                break
            self.proc.send_signal(sig)
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                continue
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def tail(self, lines: int = 25) -> str:
        """The last ``lines`` lines the current (or last) run wrote: never lines of an earlier start."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        own = text.splitlines()
        marks = [i for i, line in enumerate(own) if line.startswith(START_MARK)]
        if marks:
            own = own[marks[-1]:]
        return "\n".join(own[-lines:])


def python_module(module: str, *args: str) -> list[str]:
    """``sys.executable -m module args…`` — exactly how the processes run on Windows."""
    return [sys.executable, "-m", module, *args]


@dataclass
class Death:
    """A child that exited on its own."""

    role: str
    code: int
    tail: str

    def describe(self) -> str:
        """One line: who, and how it ended (a signal by name)."""
        how = f"killed by {signal.Signals(-self.code).name}" if self.code < 0 and -self.code in \
            signal.valid_signals() else f"exit code {self.code}"
        return f"the {self.role} process ended on its own ({how})"


class Supervisor:
    """The children of one run, in start order."""

    def __init__(self) -> None:
        """No children yet."""
        self.children: list[Child] = []
        #: crashes the supervisor answered with a restart, oldest first
        self.restarts: list[tuple[float, Death]] = []

    def add(self, child: Child) -> Child:
        """Start ``child`` and supervise it."""
        child.start()
        self.children.append(child)
        return child

    def get(self, role: str) -> Child:
        """The child of ``role``."""
        return next(c for c in self.children if c.role == role)

    def check(self) -> Death | None:
        """The first child that died on its own, if any."""
        for child in self.children:
            if child.proc is not None and child.proc.poll() is not None:
                return Death(child.role, int(child.proc.returncode), child.tail())
        return None

    def stop_all(self, grace_s: float = GRACE_S) -> dict[str, int | None]:
        """Stop every child, newest first; their exit codes by role."""
        return {child.role: child.stop(grace_s) for child in reversed(self.children)}

    def watch(self, seconds: float, interrupted: Sequence[bool], step_s: float = 0.2,
              restart: bool = False, final: Sequence[str] = ()) -> Death | None:
        """Wait ``seconds`` (or until ``interrupted[0]``), returning early when a child dies.

        With ``restart`` a crashed child is started again (see the module doc) and the watch goes on;
        a child of a role in ``final`` that exits with code 0 (the app closed by the user) still ends it.
        """
        end = time.monotonic() + seconds
        while time.monotonic() < end and not interrupted[0]:
            death = self.check()
            ends = death is not None and (not restart or (death.role in final and death.code == 0))
            if death is not None and (ends or not self._restart(death)):
                return death
            time.sleep(step_s)
        return self.check()

    def _restart(self, death: Death) -> bool:
        """Start ``death``'s child again unless it crashed too often; False = give up."""
        now = time.monotonic()
        recent = [t for t, d in self.restarts if d.role == death.role and now - t < RESTART_WINDOW_S]
        if len(recent) >= MAX_RESTARTS:
            return False
        child = self.get(death.role)
        wait = child.started_at + THROTTLE_S - now
        if wait > 0:
            time.sleep(wait)
        print(f"[demo] {death.describe()}; restarting it (restart {len(recent) + 1} of at most "
              f"{MAX_RESTARTS} in {RESTART_WINDOW_S / 60:.0f} min), as launchd / Task Scheduler would",
              file=sys.stderr, flush=True)
        self.restarts.append((now, death))
        child.start()
        return True
