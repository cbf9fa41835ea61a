"""Live-path latency and idle CPU of the chain's processes at the SHIPPED settings (SPEC §6: p99 ≤ 150 ms
while every idle process uses ≤ 0.5 % CPU).

Both parts use the poll intervals the product ships with (the executor's ``poll_interval_s`` from
``windows_bridge.contract.config.Settings``, the engine's ``poll_interval_s`` and
``fast_poll_interval_s`` from ``miniqmt_gui.live.settings.EngineSettings``), unless overridden.

Latency: the real processes (bridge replaying a zig-zag of flat one-minute bars through the xtquant
fake, executor on the simulated broker, headless engine with a one-tick grid) run until ≥ N
signals have been answered. For every signal: from the quote that triggered it being written (seen by
a watcher thread that stats the file every 3 ms) to the engine applying its result to the book (the
decision journal's ``result`` line, written after the book is saved), with the three stages: quote →
signal written (engine), signal → result written (executor, fill included), result → applied (engine).
The replay runs 40× (a bar lasts 1.5 s), so an order meets the price it was decided on. It starts 8 s
after the chain (``lead_s``): the engine must take its first anchor from the history as written, which
ends on a high bar; an engine that came up after the replay had moved could anchor on a low bar, and a
one-tick grid anchored there never buys (a run with no signal at all, seen on a loaded machine).
The bridge writes a quote every ``--quote-interval`` seconds (0.5; shipped 3 s — the interval sets how
many signals a minute can carry, not how long one takes).

The latency market's bars carry 10,000,000,000 shares a minute (``DEEP_VOLUME``): the xtquant fake fills
only the volume traded since its last market feed, so with the demo's 10,000,000 a large order filled
in parts and waited for the fake's next pump (about 250 ms) — a wait on the market, not on the product.
``--keep DIR`` keeps the chain's folders (journals, ``quote_times.json``) for a closer look.

The account starts with a large base position so that T+1 never refuses the many same-day sells
(with the demo's 300,000 CNY base, a day of round trips exhausts the sellable shares and the rest
are refused ``insufficient_volume`` — correct, but not what this measures).

Idle CPU: a second chain with the shipped settings (bridge every 3 s) on a market that does not move;
CPU time of each process over ``--idle-s`` seconds, and of each thread: the executor's figure is also
given without the xtquant fake's market pump thread (``fake_qmt``), which stands in for QMT itself.
The flat bars are replayed ``--idle-speed`` times faster than real time (60: a new one-minute bar every
second, so every quote brings new bars and the app redraws its chart; 1: a quiet market as it is, a new
bar each minute and quotes in between that change nothing but their time).

    python benchmarks/latency.py [--signals 200] [--idle-s 30]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.rehearsal.demo.bars import flat, write_bars, zigzag
from miniqmt_gui.rehearsal.demo.layout import APP, BRIDGE, ENGINE, EXECUTOR
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.runner import ChainRun
from miniqmt_gui.rehearsal.demo.summary import executor_outcomes, read_jsonl
from miniqmt_gui.rehearsal.demo.torture import FAST_GRID
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.messages import SharedQuote

CLK_TCK = os.sysconf("SC_CLK_TCK")
DEEP_VOLUME = 1e10  # shares a minute: every order fills at once (see the module docstring)


class QuoteTimes(threading.Thread):
    """Records when each quote ``seq`` was first seen written (the file is rewritten: it must be watched)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.stop = path, threading.Event()
        self.times: dict[int, float] = {}
        self._stamp: tuple[int, int] | None = None

    def run(self) -> None:
        while not self.stop.wait(0.003):
            try:
                st = self.path.stat()
            except OSError:
                continue
            if (st.st_mtime_ns, st.st_size) == self._stamp:
                continue
            self._stamp = (st.st_mtime_ns, st.st_size)
            seen = time.time()  # within 3 ms of the write: "quote written"
            quote = read_message(self.path, SharedQuote).value
            if quote is not None:
                self.times.setdefault(quote.seq, seen)


def _answered(chain: ChainRun) -> int:
    return sum(1 for e in read_jsonl(chain.layout.decisions) if e.get("event") == "result")


Sample = tuple[float, str]  # (milliseconds, result status)


def latencies(chain: ChainRun, quote_times: dict[int, float]) -> tuple[list[Sample], dict[str, int]]:
    """Milliseconds from the triggering quote to the applied result, per signal; statuses counted."""
    sent: dict[str, int] = {}
    out: list[Sample] = []
    statuses: dict[str, int] = {}
    for entry in read_jsonl(chain.layout.decisions):
        sid = str(entry.get("signal_id") or "")
        if entry.get("event") == "signal":
            sent[sid] = int(entry["seq"])
        elif entry.get("event") == "result" and sid in sent and sent[sid] in quote_times:
            applied = datetime.fromisoformat(entry["time"]).timestamp()
            out.append(((applied - quote_times[sent[sid]]) * 1000, str(entry["status"])))
            statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    return out, statuses


def shipped_polls() -> dict[str, float]:
    """The poll intervals the product ships with (executor, engine)."""
    return {"executor_poll_s": Settings().poll_interval_s,
            "engine_poll_s": EngineSettings.model_fields["poll_interval_s"].default}


def measure_latency(root: Path, signals: int, limit_s: float, polls: dict[str, Any],
                    quote_interval_s: float) -> dict[str, Any]:
    """Run the chain until ``signals`` results were applied; percentiles in ms."""
    bars = write_bars(root / "zigzag.csv", zigzag(days=8), volume=DEEP_VOLUME)
    options = DemoOptions(speed=40.0, interval_s=quote_interval_s, fill_ratio=1.0,
                          order_timeout_s=2.0, silent_period_s=0.5, lead_s=8.0, params=FAST_GRID,
                          replay_source=str(bars), base_value=20_000_000.0, **polls)
    chain = ChainRun(root / "latency", options)
    chain.start()
    watch = QuoteTimes(chain.layout.shared / QUOTE_FILE)
    watch.start()
    end = time.monotonic() + limit_s
    while _answered(chain) < signals and time.monotonic() < end and chain.supervisor.check() is None:
        time.sleep(0.5)
    watch.stop.set()
    chain.drain(10)
    chain.stop()
    (root / "quote_times.json").write_text(json.dumps(watch.times))
    ms, statuses = latencies(chain, watch.times)
    stages = stage_breakdown(chain, watch.times)
    slowest = sorted(zip(*stages.values(), strict=True), key=sum, reverse=True)[:5]
    arr = np.array([m for m, _ in ms])
    filled = np.array([m for m, status in ms if status == "filled"] or [np.nan])
    return {
        "signals_measured": len(ms), "statuses": statuses,
        "p50_ms": round(float(np.percentile(arr, 50)), 1), "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "p99_ms": round(float(np.percentile(arr, 99)), 1), "max_ms": round(float(arr.max()), 1),
        "filled_p50_p95_p99_ms": [round(float(np.percentile(filled, q)), 1) for q in (50, 95, 99)],
        "stages_p50_p99_ms": {name: [round(float(np.percentile(v, q)), 1) for q in (50, 99)]
                              for name, v in stages.items() if v},
        "slowest_stages_ms": [[round(v, 1) for v in row] for row in slowest],
        "duplicates": len(chain.record().duplicates()),
        "refusal_reasons": _reasons(chain),
    }


def stage_breakdown(chain: ChainRun, quote_times: dict[int, float]) -> dict[str, list[float]]:
    """Per signal, ms of: quote → signal written (engine), signal → result written (executor),
    result → applied (engine); from the decision journal and the executor's journaled results."""
    results = executor_outcomes(chain.layout)
    out: dict[str, list[float]] = {"quote_to_signal": [], "signal_to_result": [], "result_to_applied": []}
    sent: dict[str, tuple[int, float]] = {}
    for entry in read_jsonl(chain.layout.decisions):
        sid = str(entry.get("signal_id") or "")
        when = datetime.fromisoformat(entry["time"]).timestamp() if entry.get("time") else 0.0
        if entry.get("event") == "signal":
            sent[sid] = (int(entry["seq"]), when)
        elif entry.get("event") == "result" and sid in results and sent.get(sid, (-1, 0))[0] in quote_times:
            written = datetime.fromisoformat(str(results[sid]["timestamp"])).timestamp()
            out["quote_to_signal"].append((sent[sid][1] - quote_times[sent[sid][0]]) * 1000)
            out["signal_to_result"].append((written - sent[sid][1]) * 1000)
            out["result_to_applied"].append((when - written) * 1000)
    return out


def _reasons(chain: ChainRun) -> dict[str, int]:
    found: dict[str, int] = {}
    for result in executor_outcomes(chain.layout).values():
        code = str(result.get("reason_code") or "")
        if code:
            found[code] = found.get(code, 0) + 1
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of each thread of ``pid`` by ``name:tid`` (Linux /proc)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            out[f"{name}:{tid}"] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def measure_idle(root: Path, seconds: float, polls: dict[str, Any], gui: bool = False,
                 speed: float = 60.0) -> dict[str, Any]:
    """CPU % of each process (and thread) on a motionless market with the shipped settings.

    With ``gui`` the desktop app (offscreen, started, live route) replaces the headless engine;
    ``speed``: how much faster than real time the flat bars are replayed.
    """
    bars = write_bars(root / "flat.csv", flat(days=2))
    options = DemoOptions(speed=speed, interval_s=Settings().quote_interval_s, lead_s=1.0,
                          replay_source=str(bars), **polls)
    chain = ChainRun(root / f"idle{'_app' if gui else ''}_x{speed:g}", options)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    chain.start(gui=gui)
    try:
        time.sleep(8 if gui else 5)  # start-up work done
        roles = (BRIDGE, EXECUTOR, APP if gui else ENGINE)
        pids = {role: chain.supervisor.get(role).pid for role in roles}
        before = {role: thread_cpu(pid) for role, pid in pids.items()}
        start = time.monotonic()
        time.sleep(seconds)
        wall = time.monotonic() - start
        after = {role: thread_cpu(pid) for role, pid in pids.items()}
    finally:
        chain.stop()
    out: dict[str, Any] = {}
    for role in pids:
        threads = {t: round(100 * (after[role][t] - before[role].get(t, 0.0)) / wall, 2) for t in after[role]}
        out[role] = round(sum(threads.values()), 2)
        out[f"{role}_threads"] = threads
    return out


def main() -> None:
    """Print both measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--signals", type=int, default=200)
    parser.add_argument("--idle-s", type=float, default=20.0)
    parser.add_argument("--idle-speed", type=float, default=60.0, help="replay speed of the idle market")
    parser.add_argument("--idle-only", action="store_true", help="skip the latency part")
    parser.add_argument("--latency-only", action="store_true", help="skip the idle part")
    parser.add_argument("--limit-s", type=float, default=600.0)
    parser.add_argument("--quote-interval", type=float, default=0.5)
    parser.add_argument("--executor-poll", type=float, help="override the shipped executor poll (s)")
    parser.add_argument("--engine-poll", type=float, help="override the shipped engine poll (s)")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it (journals, quote times)")
    args = parser.parse_args()
    polls = shipped_polls()
    if args.executor_poll:
        polls["executor_poll_s"] = args.executor_poll
    if args.engine_poll:
        polls["engine_poll_s"] = args.engine_poll
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            root = args.keep
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="miniqmt-latency-")))
        result: dict[str, Any] = {"settings": polls | {"quote_interval_s": args.quote_interval,
                                                       "idle_speed": args.idle_speed}}
        if not args.idle_only:
            result["latency"] = measure_latency(root, args.signals, args.limit_s, polls, args.quote_interval)
        if not args.latency_only:
            result["idle_cpu_percent"] = measure_idle(root, args.idle_s, polls, speed=args.idle_speed)
            app = measure_idle(root, args.idle_s, polls, gui=True, speed=args.idle_speed)
            result["idle_cpu_percent_desktop_app"] = app[APP]
            result["idle_cpu_percent_desktop_app_threads"] = app[f"{APP}_threads"]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
