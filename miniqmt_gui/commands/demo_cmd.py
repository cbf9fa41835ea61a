"""``miniqmt demo``: the whole chain on the embedded synthetic sample — no QMT, no data files.

Creates a fresh demo folder, starts the bridge (replaying the sample through the xtquant fake),
the executor (simulated broker through the fake) and the desktop app — or, with ``--headless``, the
engine without a window for ``--minutes`` — each as its own process, in that order. At the end
(time up, Ctrl+C, SIGTERM, or the window closed) the engine stops emitting, the pending result is
applied, the processes stop newest first, and one JSON summary is printed. Exit code 0 for a
normal or user stop; 1 when a process kept crashing (the supervisor restarts a crashed child, like
launchd or Task Scheduler, and gives up after repeated crashes: the tail of its last run is printed)
or did not start.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_MINUTES = 2.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt demo``."""
    from miniqmt_gui.rehearsal.demo.options import (
        DEFAULT_FILL_RATIO,
        DEFAULT_INTERVAL_S,
        DEFAULT_SPEED,
        DemoOptions,
    )

    parser.add_argument("--headless", action="store_true", help="run the engine without a window")
    parser.add_argument("--minutes", type=float, default=None,
                        help=f"run time (headless default {DEFAULT_MINUTES:g}; app: until closed)")
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED,
                        help=f"replayed seconds per wall second (default {DEFAULT_SPEED:g})")
    parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL_S,
                        help=f"seconds between bridge quotes (default {DEFAULT_INTERVAL_S:g})")
    parser.add_argument("--fill-ratio", type=float, default=DEFAULT_FILL_RATIO,
                        help=f"share of an order filled per matching quote (default {DEFAULT_FILL_RATIO:g})")
    parser.add_argument("--start-day", type=int, default=DemoOptions.start_day, metavar="N",
                        help=f"sample day the replay starts at (default {DemoOptions.start_day})")
    parser.add_argument("--dir", type=Path, help="the demo folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the demo folder (a folder given with --dir is always kept)")
    parser.add_argument("--two-etfs", action="store_true",
                        help="two ETFs (159201.SZ and 512890.SH, each on its own synthetic sample) sharing "
                             "one capital pool (the app lists both; headless: a summary per code)")


def _demo_folder(args: argparse.Namespace) -> Path:
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        if any(args.dir.iterdir()):
            raise ValueError(f"{args.dir} is not empty: the demo needs a fresh folder")
        return Path(args.dir)
    return Path(tempfile.mkdtemp(prefix="miniqmt-demo-"))


def _install_stop(flag: list[bool]) -> None:
    def _stop(_signum: int, _frame: object) -> None:
        flag[0] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)


def _say(text: str) -> None:
    print(f"[demo] {text}", file=sys.stderr, flush=True)


def display_available(env: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether a window can open: always on macOS/Windows; on Linux with X11, Wayland or a Qt platform."""
    env = dict(os.environ) if env is None else env
    if not platform.startswith("linux"):
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


#: the one line a base install gets instead of a traceback (the fake QMT uses the wheel's constants)
NEEDS_XTQUANT = ('miniqmt demo needs the xtquant wheel (its fake QMT terminal uses the real constants): '
                 'pip install "miniqmt[windows]"')


def missing_demo_dependency() -> str:
    """The install hint when something the demo's processes import is not installed ("" = fine)."""
    import importlib.util

    return NEEDS_XTQUANT if importlib.util.find_spec("xtquant") is None else ""


def run(args: argparse.Namespace) -> int:
    """Run the demo; see the module docstring for what happens and the exit codes."""
    hint = missing_demo_dependency()
    if hint:
        print(hint, file=sys.stderr)
        return 2
    from miniqmt_gui.rehearsal.demo.options import DemoOptions
    from miniqmt_gui.rehearsal.demo.runner import ChainRun, StartError

    if not args.headless and not display_available():
        _say("no display found (no DISPLAY / WAYLAND_DISPLAY): running headless instead of opening the app")
        args.headless = True
    if not args.headless:
        from miniqmt_gui.ui.xcb_check import check_xcb

        problem = check_xcb()
        if problem is not None:
            _say(problem.message().replace("\n", "\n[demo] "))
            _say("running headless instead of opening the app")
            args.headless = True

    try:
        folder = _demo_folder(args)
        codes = ("159201.SZ", "512890.SH") if getattr(args, "two_etfs", False) else ("159201.SZ",)
        options = DemoOptions(speed=args.speed, interval_s=args.interval, fill_ratio=args.fill_ratio,
                              start_day=args.start_day, codes=codes)
    except ValueError as exc:
        print(f"miniqmt demo: {exc}", file=sys.stderr)
        return 2
    interrupted = [False]
    _install_stop(interrupted)
    chain = ChainRun(folder, options)
    _say(f"folder {folder}; starting bridge → executor → {'engine' if args.headless else 'app'}")
    try:
        chain.start(gui=not args.headless)
    except StartError as exc:
        chain.stop()
        print(f"miniqmt demo: {exc}", file=sys.stderr)
        _print(chain.summary({"exit": "start_failed"}))
        return 1
    return _run_started(chain, args, interrupted)


def _run_started(chain: Any, args: argparse.Namespace, interrupted: list[bool]) -> int:
    minutes = args.minutes if args.minutes is not None else (DEFAULT_MINUTES if args.headless else 24 * 60)
    _say(f"running for {minutes:g} min (Ctrl+C stops); logs in {chain.layout.logs}")
    started = time.monotonic()
    death = chain.watch_for(minutes * 60, interrupted, restart=True)
    app_closed = death is not None and death.role == "app" and death.code == 0
    how = "user_stop" if interrupted[0] else "app_closed" if app_closed else "time_up"
    if death is not None and not app_closed:
        return _died(chain, death)
    if args.headless:
        _say("draining: no new signals, waiting for the pending result")
        drained = chain.drain()
        how += "" if drained else " (drain timed out)"
    codes = chain.stop()
    _say(f"stopped: {codes}")
    summary = chain.summary({"exit": how, "run_s": round(time.monotonic() - started, 1),
                             "exit_codes": codes, "restarts": _restarts(chain)})
    _print(summary)
    return 0


def _died(chain: Any, death: Any) -> int:
    print(f"miniqmt demo: {death.describe()} and kept crashing; the last lines its last run wrote:\n"
          f"{death.tail}", file=sys.stderr)
    codes = chain.stop()
    _print(chain.summary({"exit": f"{death.role}_died", "exit_codes": codes}))
    return 1


def _restarts(chain: Any) -> list[dict[str, Any]]:
    """The crashes the supervisor answered with a restart."""
    return [{"role": d.role, "code": d.code} for _, d in chain.supervisor.restarts]


def _print(summary: dict[str, Any]) -> None:
    print(json.dumps(summary, ensure_ascii=False, indent=1), flush=True)
