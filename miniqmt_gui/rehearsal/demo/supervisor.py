"""Run the chain's processes as real children, watch them, stop them in reverse order.

Each child is ``sys.executable -m <module> …`` in its own session (so a Ctrl+C in the terminal
reaches only the supervisor, which then stops the children in order), with stdout and stderr
appended to its log file. :meth:`Supervisor.check` reports a child that died on its own;
:meth:`Supervisor.stop_all` stops them newest first: SIGINT, then SIGTERM, then SIGKILL after a
grace period each.
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


@dataclass
class Child:
    """One supervised process."""

    role: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        """Start (or restart) the process, appending its output to the log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self._log is None:
            self._log = self.log_path.open("ab")
        self._log.write(f"\n=== start #{self.starts + 1}: {' '.join(self.argv)}\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            self.argv, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.starts += 1

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
        """The last ``lines`` lines of the log."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def python_module(module: str, *args: str) -> list[str]:
    """``sys.executable -m module args…`` — exactly how the processes run on Windows."""
    return [sys.executable, "-m", module, *args]


@dataclass
class Death:
    """A child that exited on its own."""

    role: str
    code: int
    tail: str


class Supervisor:
    """The children of one run, in start order."""

    def __init__(self) -> None:
        """No children yet."""
        self.children: list[Child] = []

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

    def watch(self, seconds: float, interrupted: Sequence[bool], step_s: float = 0.2) -> Death | None:
        """Wait ``seconds`` (or until ``interrupted[0]``), returning early when a child dies."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not interrupted[0]:
            death = self.check()
            if death is not None:
                return death
            time.sleep(step_s)
        return self.check()
