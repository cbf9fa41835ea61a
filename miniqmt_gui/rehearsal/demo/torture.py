"""Crash torture: SIGKILL the executor and the engine at random moments, restart them, check the promises.

:func:`torture` starts the chain (bridge → executor → engine, real processes), then for ``cycles``
cycles waits a random time, kills the executor, the engine or both with SIGKILL, and restarts them
at once. At the end the engine is drained (no new signals, the pending result applied), everything
stops and :func:`.verify.verify` counts duplicate broker orders per ``signal_id``, lost signals and
whether the book equals the broker. A child that dies on its own (not killed by the harness) is a
failure and is reported with its log tail. Used by ``tests/chain`` (short) and
``benchmarks/torture.py`` (≥ 500 kills).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from miniqmt_gui.rehearsal.demo.layout import ENGINE, EXECUTOR
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.runner import ChainRun
from miniqmt_gui.rehearsal.demo.verify import Verdict, verify

#: a grid one tick wide with a two-tick take-profit and no cool-down: a signal every few quotes
FAST_GRID = ("step_floor=0.001", "atr_factor=0", "layer_step_bonus=0", "take_profit=0.001",
             "cooldown_bars=0", "cooldown_bars_oversold=0", "breaker_mult=1000")
#: fast trading, short timeouts: many signals per minute, orders often working when a kill lands
TORTURE_OPTIONS = DemoOptions(
    speed=120.0, interval_s=0.2, order_timeout_s=2.0, silent_period_s=1.0, days=30, lead_s=3.0,
    params=FAST_GRID,
)
VICTIMS = (EXECUTOR, ENGINE, "both")


@dataclass
class TortureReport:
    """Counts of one torture run."""

    cycles: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    verdict: Verdict = field(default_factory=Verdict)
    drained: bool = False
    elapsed_s: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready figures."""
        v = self.verdict
        return {
            "cycles": self.cycles, "kills": sum(self.kills.values()), "kills_by_role": dict(self.kills),
            "signals": v.signals, "results": v.outcomes, "broker_orders": v.orders,
            "duplicates": len(v.duplicates), "lost": v.lost, "unanswered": v.unanswered,
            "unapplied": v.unapplied, "book_lots": v.book_lots, "broker_grid_shares": v.broker_grid,
            "match": v.match, "unexpected_exits": self.crashes, "drained": self.drained,
            "elapsed_s": round(self.elapsed_s, 1),
        }


def _restart_dead(chain: ChainRun, report: TortureReport) -> None:
    """A child that exited by itself is a failure: note it with its log tail and start it again."""
    for child in chain.supervisor.children:
        if child.proc is not None and child.proc.poll() is not None:
            report.crashes.append(f"{child.role} exit {child.proc.returncode}:\n{child.tail(15)}")
            child.start()


def _kill_cycle(chain: ChainRun, rng: random.Random, report: TortureReport) -> None:
    victim = rng.choice(VICTIMS)
    roles = (EXECUTOR, ENGINE) if victim == "both" else (victim,)
    for role in roles:
        child = chain.supervisor.get(role)
        if child.alive():
            child.kill()
            report.kills[role] += 1
    time.sleep(rng.uniform(0.0, 0.3))
    for role in roles:
        chain.supervisor.get(role).start()
    report.cycles += 1


def torture(root: Path, cycles: int, *, seed: int = 7, min_wait_s: float = 0.2, max_wait_s: float = 2.0,
            options: DemoOptions = TORTURE_OPTIONS, min_kills: int = 0) -> TortureReport:
    """Run ``cycles`` kill cycles (more until ``min_kills`` kills) on a fresh chain in ``root``."""
    rng = random.Random(seed)
    report = TortureReport()
    started = time.monotonic()
    chain = ChainRun(root, options)
    chain.start()
    try:
        while report.cycles < cycles or sum(report.kills.values()) < min_kills:
            deadline = time.monotonic() + rng.uniform(min_wait_s, max_wait_s)
            while time.monotonic() < deadline:
                _restart_dead(chain, report)
                time.sleep(0.05)
            _kill_cycle(chain, rng, report)
        time.sleep(1.0)
        _restart_dead(chain, report)
        report.drained = chain.drain(timeout_s=options.order_timeout_s * 4 + 30)
    finally:
        chain.stop()
    report.verdict = verify(chain.layout, chain.record(), chain.base)
    report.elapsed_s = time.monotonic() - started
    return report
