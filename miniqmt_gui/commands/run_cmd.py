"""``miniqmt run --headless``: the live engine without a window (servers, scripts, rehearsals)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from miniqmt_gui.core.live.events import EngineEvent, SignalEvent, StatusEvent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt run``."""
    parser.add_argument("--headless", action="store_true", help="run the engine without the GUI")
    parser.add_argument("--work-dir", type=Path, help="the app's work folder (also DASHBOARD_WORK_DIR)")
    parser.add_argument("--shared-dir", type=Path, help="the shared folder (default: SHARED_DIR / config)")
    parser.add_argument("--once", action="store_true", help="one poll cycle, print the status, exit")
    parser.add_argument("--paper", action="store_true",
                        help="paper mode: fill in-process against live quotes, separate book")
    parser.add_argument("--sell-only", action="store_true", help="start in sell-only (reducing) mode")


def _printer(event: EngineEvent) -> None:
    if isinstance(event, StatusEvent):
        print(f"[status] {event.status.headline}", flush=True)
    elif isinstance(event, SignalEvent):
        s = event.signal
        print(f"[signal] {s.signal_id} {s.direction} {s.shares} @ {s.price}", flush=True)


def _wait_for_signals(stop: threading.Event) -> None:
    def _stop(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop)


def run(args: argparse.Namespace) -> int:
    """Run the engine until Ctrl+C (or one cycle with ``--once``); 2 on a configuration problem."""
    if not args.headless:
        print("miniqmt run: the GUI is `miniqmt gui`; use `miniqmt run --headless` for the engine alone")
        return 2
    from miniqmt_gui.core.live.factory import build_engine
    from miniqmt_gui.core.live.settings import resolve_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        settings = resolve_settings(work_dir=args.work_dir, shared_dir=args.shared_dir, paper=args.paper)
    except ValueError as exc:
        print(f"miniqmt run: {exc}", file=sys.stderr)
        return 2
    settings.shared_dir.mkdir(parents=True, exist_ok=True)
    engine = build_engine(settings)
    engine.add_listener(_printer)
    if args.sell_only:
        engine.sell_only()
    else:
        engine.start()
    print(f"[run] shared={settings.shared_dir} work={settings.work_dir} "
          f"{'paper' if settings.paper else 'live'} book={settings.state_path}", flush=True)
    if args.once:
        engine.step()
        print(f"[status] {engine.status.headline}; layers={engine.book.hold_layers}", flush=True)
        return 0
    stop = threading.Event()
    _wait_for_signals(stop)
    engine.run_forever(stop)
    return 0
