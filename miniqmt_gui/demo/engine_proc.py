"""The headless engine of a rehearsal: ``python -m miniqmt_gui.demo.engine_proc``.

The same :class:`~miniqmt_gui.core.live.engine.LiveEngine` as ``miniqmt run --headless``, with the
settings a replay needs:

* ``session_only`` off: the engine's session gate reads the real clock (09:30–11:30, 13:00–14:57),
  which says nothing about replayed quotes; the staleness check still runs on ``seq``/``time``
  progress (it only holds its clock outside real market hours, it never blocks a moving replay);
* a short silent period after a rejection or cancel (``--silent-s``), so a two-minute demo is not
  paused for five real minutes;
* the base position (``--base-shares``) so the broker check is exact (broker = base + lots);
* a *drain* request: when the file ``DRAIN`` appears in the work folder the engine stops emitting
  new signals, while a pending signal's result is still applied — the supervisor uses it to end a
  run with no order in flight.

It prints one line per signal and result, and stops cleanly on SIGINT/SIGTERM (exit code 0).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from miniqmt_gui.core.live.events import EngineEvent, ResultEvent, SignalEvent
from miniqmt_gui.core.live.factory import build_engine
from miniqmt_gui.core.live.settings import EngineSettings
from miniqmt_gui.core.params import StrategyParams


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="miniqmt-demo-engine", description="headless engine of a rehearsal")
    p.add_argument("--shared-dir", type=Path, required=True)
    p.add_argument("--work-dir", type=Path, required=True)
    p.add_argument("--base-shares", type=int, default=None)
    p.add_argument("--silent-s", type=float, default=300.0)
    p.add_argument("--poll-s", type=float, default=0.15)
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="override a strategy parameter (tests make the grid trade faster)")
    return p.parse_args(argv)


def _printer(event: EngineEvent) -> None:
    if isinstance(event, SignalEvent):
        s = event.signal
        again = " (re-emitted)" if event.reemitted else ""
        print(f"[signal] {s.signal_id} {s.direction} {s.shares} @ {s.price}{again}", flush=True)
    elif isinstance(event, ResultEvent):
        r = event.result
        print(f"[result] {r.signal_id} {r.status.value} {r.filled_shares}/{r.requested_shares} "
              f"@ {r.avg_price} → {event.outcome}", flush=True)


def _install(stop: threading.Event) -> None:
    def _stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)


def _watch_drain(drain: Path, stop: threading.Event, on_drain: Callable[[], None]) -> None:
    while not stop.wait(0.1):
        if drain.exists():
            on_drain()
            print("[drain] no new signals from now on", flush=True)
            return


def main(argv: list[str] | None = None) -> int:
    """Run until SIGINT/SIGTERM; exit code 0."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = EngineSettings(
        shared_dir=args.shared_dir, work_dir=args.work_dir, session_only=False, lang="en",
        silent_period_s=args.silent_s, base_shares=args.base_shares, poll_interval_s=args.poll_s,
    )
    args.work_dir.mkdir(parents=True, exist_ok=True)
    overrides = dict(item.split("=", 1) for item in args.param)
    engine = build_engine(settings, StrategyParams.model_validate(overrides) if overrides else None)
    engine.add_listener(_printer)
    engine.start()
    stop = threading.Event()
    _install(stop)
    drain = args.work_dir / "DRAIN"
    threading.Thread(target=_watch_drain, args=(drain, stop, engine.stop), daemon=True).start()
    print(f"[engine] running: shared={args.shared_dir} work={args.work_dir}", flush=True)
    engine.run_forever(stop)
    print("[engine] stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
