"""The bridge process: ``miniqmt-bridge`` / ``python -m windows_bridge.bridge``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from windows_bridge.bridge.producer import BridgeProducer, log
from windows_bridge.brokers.xtquant.market_data import XtMarketData
from windows_bridge.contract.atomic_io import write_bytes_atomic
from windows_bridge.contract.config import ConfigError, Settings, check_for, load_settings

#: the QMT client of this process hung repeatedly: exit so the scheduler restarts the bridge
EXIT_UNRECOVERABLE = 6


def export_history(
    market: XtMarketData, code: str, period: str, start: str, end: str, out: Path
) -> tuple[Path, int]:
    """Download and write ``datetime,open,high,low,close,volume`` (bar end, Shanghai) to ``out``."""
    if not market.download_history(code, period, start, end):
        raise RuntimeError(f"download_history_data failed: {market.last_error}")
    frame = market.history_frame(code, period, start, end)
    if frame is None or frame.empty:
        raise RuntimeError(
            f"no {period} bars for {code} from {start} to {end or 'now'} ({market.last_error})"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return out, len(frame)


def default_export_path(shared_dir: Path, code: str, period: str) -> Path:
    """``history_159201_1m.csv`` in the shared folder (the original plan's file name)."""
    return shared_dir / f"history_{code.split('.')[0]}_{period}.csv"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="miniqmt-bridge", description="QMT quotes → shared_quote.json")
    p.add_argument("--config", type=Path, help="config.toml (default: the platformdirs config folder)")
    p.add_argument("--once", action="store_true", help="run one cycle and exit (0 when a quote was written)")
    p.add_argument("--interval", type=float, help="seconds between cycles (default: quote_interval_s)")
    p.add_argument(
        "--replay", type=Path, metavar="CSV", help="serve quotes from a 1-minute bar CSV (the fake)"
    )
    p.add_argument("--speed", type=float, help="replay speed, simulated seconds per second (default 60)")
    p.add_argument("--replay-start", type=float, metavar="EPOCH", help="replay start (wall-clock epoch)")
    p.add_argument("--export-history", metavar="CODE", help="write a backtest CSV of CODE's bars and exit")
    p.add_argument("--period", default="1m", help="bar period for --export-history (default 1m)")
    p.add_argument("--start", default="", metavar="YYYYMMDD", help="first day for --export-history")
    p.add_argument("--end", default="", metavar="YYYYMMDD", help="last day for --export-history")
    p.add_argument("--out", type=Path, help="CSV path (default: history_<code>_<period>.csv in the share)")
    p.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING…")
    return p


def _fake_options(args: argparse.Namespace) -> Any:
    from windows_bridge.brokers.factory import FakeOptions

    base = FakeOptions.from_env({**os.environ, "MINIQMT_REPLAY_CSV": str(args.replay)})
    if args.speed:
        base = replace(base, speed=args.speed)
    if args.replay_start:
        base = replace(base, start_epoch=args.replay_start)
    return base


def _setup_logging(settings: Settings, level: str) -> None:
    from windows_bridge.contract.logs import setup_logging

    setup_logging(
        settings.state_dir / "logs", "bridge.log", level=getattr(logging, level.upper(), logging.INFO)
    )


def _fatal_problems(settings: Settings) -> list[str]:
    """Start-up problems that stop the bridge; a missing share is only warned about (it may come back)."""
    problems = check_for(settings, "bridge")
    for problem in [p for p in problems if p.startswith("shared folder")]:
        log.warning("%s — will keep retrying", problem)
    return [p for p in problems if not p.startswith("shared folder")]


def _run_export(args: argparse.Namespace, settings: Settings, market: XtMarketData) -> int:
    out = args.out or default_export_path(settings.shared_dir, args.export_history, args.period)
    try:
        path, rows = export_history(market, args.export_history, args.period, args.start, args.end, out)
    except (RuntimeError, OSError) as exc:
        log.error("history export failed: %s", exc)
        return 1
    log.info("wrote %d bars to %s", rows, path)
    print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``miniqmt-bridge``; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        fake = None
        if args.replay:
            settings = settings.model_copy(update={"broker": "fake"})
            fake = _fake_options(args)
    except (ConfigError, ValueError) as exc:
        print(f"miniqmt-bridge: {exc}", file=sys.stderr)
        return 2
    _setup_logging(settings, args.log_level)
    from windows_bridge.brokers.factory import create_broker, create_market_data

    market = create_market_data(settings, "bridge", fake=fake)
    if args.export_history:
        return _run_export(args, settings, market)
    problems = _fatal_problems(settings)
    if problems:
        for problem in problems:
            log.error("%s", problem)
        return 2
    broker = create_broker(settings, "bridge", fake=fake)
    producer = BridgeProducer(settings, broker, market, interval=args.interval)
    try:
        if args.once:
            producer.start()
            producer.warmup.join(timeout=120.0)
            return 0 if producer.tick() is not None else 1
        log.info(
            "bridge started: %s every %.1f s → %s", settings.code, producer.interval, producer.quote_path
        )
        if producer.run():
            return EXIT_UNRECOVERABLE
    except KeyboardInterrupt:
        log.info("bridge stopped")
    finally:
        broker.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
