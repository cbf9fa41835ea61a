"""``miniqmt run --headless``: the live engine without a window (servers, scripts, rehearsals).

Ctrl+C / SIGTERM stop it cleanly. For offline rehearsals (the demo, crash tests) ``--rehearsal``
evaluates outside the real trading session (replayed quotes carry their own times), and
``--drain-file`` names a file whose appearance stops new signals while a pending result is still
applied, so a supervisor can end a run with no order in flight.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from miniqmt_gui.live.events import EngineEvent, ReconcileEvent, ResultEvent, SignalEvent, StatusEvent

if TYPE_CHECKING:
    from miniqmt_gui.strategy.params import StrategyParams


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt run``."""
    parser.add_argument("--headless", action="store_true", help="run the engine without the GUI")
    parser.add_argument("--work-dir", type=Path, help="the app's work folder (also DASHBOARD_WORK_DIR)")
    parser.add_argument("--shared-dir", type=Path, help="the shared folder (default: SHARED_DIR / config)")
    parser.add_argument("--once", action="store_true", help="one poll cycle, print the status, exit")
    parser.add_argument("--paper", action="store_true",
                        help="paper mode: fill in-process against live quotes, separate book")
    parser.add_argument("--sell-only", action="store_true", help="start in sell-only (reducing) mode")
    parser.add_argument("--adopt-broker-lots", action="store_true",
                        help="when the book and the broker disagree after a start, adopt the broker's "
                             "grid shares (position − base) as lots at their average price instead of "
                             "staying paused")
    rehearsal = parser.add_argument_group("offline rehearsals")
    rehearsal.add_argument("--rehearsal", action="store_true",
                           help="evaluate outside trading hours too (replayed quotes)")
    rehearsal.add_argument("--base-shares", type=int,
                           help="the base position in shares (broker = base + lots)")
    rehearsal.add_argument("--silent-s", type=float, help="silent period after a rejection (default 300 s)")
    rehearsal.add_argument("--poll-s", type=float, help="poll interval, no signal pending (default 0.05 s)")
    rehearsal.add_argument("--pending-timeout-s", type=float,
                           help="seconds without a result before the pending signal is written again "
                                "(same id; default 120 s)")
    rehearsal.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                           help="override a strategy parameter (repeatable)")
    rehearsal.add_argument("--drain-file", type=Path,
                           help="when this file appears: no new signals; the pending result is still applied")


def _printer(event: EngineEvent) -> None:
    if isinstance(event, StatusEvent):
        print(f"[status] {event.status.headline}", flush=True)
    elif isinstance(event, SignalEvent):
        s = event.signal
        again = " (re-emitted)" if event.reemitted else ""
        print(f"[signal] {s.signal_id} {s.direction} {s.shares} @ {s.price}{again}", flush=True)
    elif isinstance(event, ResultEvent):
        r = event.result
        print(f"[result] {r.signal_id} {r.status.value} {r.filled_shares}/{r.requested_shares} "
              f"@ {r.avg_price} → {event.outcome}", flush=True)
    elif isinstance(event, ReconcileEvent):
        base = event.base_shares if event.base_shares is not None else "?"
        print(f"[reconcile] broker {event.broker_shares}, base {base}, book {event.book_shares}: new buys "
              "paused", flush=True)


def adopt_on_reconcile(engine: Any) -> Callable[[EngineEvent], None]:
    """A listener that answers a :class:`ReconcileEvent` with ``engine.adopt_broker_lots()`` (queued)."""

    def _listener(event: EngineEvent) -> None:
        if isinstance(event, ReconcileEvent):
            print("[reconcile] --adopt-broker-lots: adopting the broker's grid shares as lots", flush=True)
            engine.adopt_broker_lots()

    return _listener


def _stop_on_signals(stop: threading.Event) -> None:
    def _stop(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop)


def _watch_drain(drain: Path, stop: threading.Event, on_drain: Callable[[], None]) -> None:
    while not stop.wait(0.5):  # a rehearsal's end, not a trade: no need to look often
        if drain.exists():
            on_drain()
            print("[drain] no new signals from now on", flush=True)
            return


def _warm_up(params: StrategyParams | None) -> None:
    """Load the compiled rules before the first quote, as the app's worker does: not at the first decision."""
    from miniqmt_gui.strategy.params import StrategyParams
    from miniqmt_gui.ui.live_model import warm_up  # Qt-free
    from windows_bridge.contract.market_hours import now_shanghai

    try:
        warm_up(params or StrategyParams(), now_shanghai())
    except Exception:  # the engine reports real problems itself on its first step
        logging.getLogger(__name__).exception("warm-up failed")


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    changes: dict[str, object] = {}
    if args.rehearsal:
        changes["session_only"] = False
    for name, field in (("base_shares", "base_shares"), ("silent_s", "silent_period_s"),
                        ("poll_s", "poll_interval_s"), ("pending_timeout_s", "pending_timeout_s")):
        if getattr(args, name) is not None:
            changes[field] = getattr(args, name)
    return changes


def _configured_codes() -> list[str]:
    from windows_bridge.contract.config import load_settings

    return load_settings().instrument_codes()


def _serve_until_stopped(args: argparse.Namespace, run_forever: Callable[[threading.Event], Any],
                         stop_trading: Callable[[], Any]) -> None:
    """Run until Ctrl+C / SIGTERM; ``--drain-file`` stops trading first when that file appears."""
    stop = threading.Event()
    _stop_on_signals(stop)
    if args.drain_file is not None:
        threading.Thread(target=_watch_drain, args=(args.drain_file, stop, stop_trading),
                         daemon=True).start()
    run_forever(stop)


def _run_portfolio(args: argparse.Namespace, settings: Any) -> int:
    """Several codes (``codes`` in config.toml): one engine each, one shared capital pool."""
    from miniqmt_gui.live.portfolio import build_portfolio, portfolio_from_settings
    from windows_bridge.contract.config import load_settings

    if args.set:
        print("miniqmt run: --set applies to a single code; with several codes each takes its preset "
              "([app] presets in config.toml)", file=sys.stderr)
        return 2
    cfg = load_settings()
    try:
        portfolio_def = portfolio_from_settings(cfg)
    except ValueError as exc:
        print(f"miniqmt run: {exc}", file=sys.stderr)
        return 2
    base = {code: cfg.base_shares_for(code) for code in portfolio_def.codes}
    if args.base_shares is not None:
        base[portfolio_def.codes[0]] = args.base_shares
    live = build_portfolio(settings, portfolio_def, base)
    for engine in live.engines.values():
        engine.add_listener(_printer)
        if args.adopt_broker_lots:
            engine.add_listener(adopt_on_reconcile(engine))
        if args.sell_only:
            engine.sell_only()
        else:
            engine.start()
    pool = portfolio_def.pool
    print(f"[portfolio] {', '.join(live.codes)}; pool {pool.capital:.2f} CNY, reserve {pool.reserve:.2f}",
          flush=True)
    try:
        if args.once:
            for engine in live.engines.values():
                engine.wait_for_ownership()
            live.step()
            for code, engine in live.engines.items():
                print(f"[status] {code}: {engine.status.headline}; layers={engine.book.hold_layers}",
                      flush=True)
            print(f"[pool] free {live.pool.free_cash():.2f} CNY", flush=True)
            return 0
        _serve_until_stopped(args, live.run_forever, live.stop)
    finally:
        live.close()
    print("[engine] stopped", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the engine until Ctrl+C (or one cycle with ``--once``); 2 on a configuration problem."""
    if not args.headless:
        print("miniqmt run: the GUI is `miniqmt gui`; use `miniqmt run --headless` for the engine alone")
        return 2
    from miniqmt_gui.live.factory import build_engine
    from miniqmt_gui.live.settings import resolve_settings
    from miniqmt_gui.strategy.params import StrategyParams

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = resolve_settings(work_dir=args.work_dir, shared_dir=args.shared_dir, paper=args.paper)
        settings = type(settings).model_validate({**settings.model_dump(), **_overrides(args)})
        params = StrategyParams().updated(dict(i.split("=", 1) for i in args.set)) if args.set else None
    except ValueError as exc:  # ParamError and pydantic's ValidationError included
        print(f"miniqmt run: {exc}", file=sys.stderr)
        return 2
    settings.shared_dir.mkdir(parents=True, exist_ok=True)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    codes = _configured_codes()
    if len(codes) > 1 and not args.paper:
        return _run_portfolio(args, settings)
    engine = build_engine(settings, params)
    engine.add_listener(_printer)
    _warm_up(params)
    if args.adopt_broker_lots:
        engine.add_listener(adopt_on_reconcile(engine))
    if args.sell_only:
        engine.sell_only()
    else:
        engine.start()
    print(f"[engine] running: shared={settings.shared_dir} work={settings.work_dir} "
          f"{'paper' if settings.paper else 'live'} book={settings.state_path}", flush=True)
    try:
        if args.once:
            engine.wait_for_ownership()
            engine.step()
            print(f"[status] {engine.status.headline}; layers={engine.book.hold_layers}", flush=True)
            return 0
        _serve_until_stopped(args, engine.run_forever, engine.stop)
    finally:
        engine.close()
    print("[engine] stopped", flush=True)
    return 0
