"""The bridge producer: QMT quotes, bars, position and asset → ``shared_quote.json`` every few seconds.

Console script ``miniqmt-bridge`` (also ``python -m windows_bridge.bridge_producer``). One cycle
(:meth:`BridgeProducer.tick`) reads the latest tick, the recent completed 1-minute bars, the
broker position in the traded code and the asset, and writes one atomic ``shared_quote.json``
with a ``seq`` that only grows (persisted in the state folder, so a restart never goes back) and
a heartbeat. A failed position query is published as ``positions_status: "failed"`` without any
position — never as an empty one that would look flat.

It keeps running through everything the Windows side throws at it: QMT restarts and
disconnects (new session with backoff; the file says ``connected: false`` meanwhile and the log
says why), the shared folder disappearing (retried every cycle, logged once per outage) and a
daily re-initialisation before the open (09:10: reconnect and re-subscribe).

Options: ``--once``, ``--interval S``, ``--replay CSV --speed N`` (the xtquant fake replaying a
bar file through the same code path) and ``--export-history CODE --period 1m --start YYYYMMDD
[--end YYYYMMDD] [--out PATH]`` (a backtest-ready CSV into the shared folder).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from windows_bridge.atomic_io import read_message, write_bytes_atomic, write_message
from windows_bridge.broker import Broker, BrokerAsset, BrokerPositionInfo, DisconnectedEvent
from windows_bridge.config import ConfigError, Settings, check_for, load_settings
from windows_bridge.market import SHANGHAI
from windows_bridge.protocol import QUOTE_FILE, AssetInfo, Bar, BrokerPosition, SharedQuote, now_shanghai
from windows_bridge.xt_adapter import InstrumentInfo, Tick, XtMarketData

log = logging.getLogger("windows_bridge.bridge")

SEQ_FILE = "bridge_seq.json"
REINIT_AT = dtime(9, 10)
MARKET_RETRY_S = 30.0


class ReconnectingBroker(Broker, Protocol):
    """A broker the bridge can bring back: :class:`~windows_bridge.xt_adapter.XtBroker`."""

    last_error: str

    @property
    def account_status(self) -> str:
        """The account status as text."""
        ...

    def reconnect(self, force: bool = False) -> bool:
        """Try a new session (backing off unless ``force``)."""
        ...


class SeqStore:
    """The producer ``seq``: persisted before use so it never repeats, even across restarts."""

    def __init__(self, path: Path, floor: int = 0) -> None:
        """Seed from ``path`` and ``floor`` (e.g. the seq in an existing quote file), whichever is higher."""
        self.path = path
        self.value = max(self._read(), floor)

    def _read(self) -> int:
        try:
            return int(json.loads(self.path.read_text(encoding="utf-8"))["seq"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def next(self) -> int:
        """The next seq, written to disk (fsync'd) before it is handed out."""
        self.value += 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.path, json.dumps({"seq": self.value}).encode("ascii"))
        return self.value


def _position(positions: list[BrokerPositionInfo] | None, code: str) -> BrokerPosition | None:
    """The position in ``code``; flat (volume 0) when absent from an answered query, None if it failed."""
    if positions is None:
        return None
    for p in positions:
        if p.code == code:
            return BrokerPosition(
                volume=max(0, p.volume),
                can_use_volume=max(0, p.can_use_volume),
                avg_price=max(0.0, p.avg_price),
                market_value=max(0.0, p.market_value),
            )
    return BrokerPosition()


def _asset(asset: BrokerAsset | None) -> AssetInfo | None:
    if asset is None:
        return None
    return AssetInfo(
        cash=asset.cash,
        total_asset=asset.total_asset,
        market_value=asset.market_value,
        frozen_cash=asset.frozen_cash,
    )


class BridgeProducer:
    """One bridge: :meth:`tick` is a full cycle; :meth:`run` repeats it every ``interval`` seconds."""

    def __init__(
        self,
        settings: Settings,
        broker: ReconnectingBroker,
        market: XtMarketData,
        *,
        interval: float | None = None,
        clock: Callable[[], datetime] = now_shanghai,
        reinit_at: dtime = REINIT_AT,
    ) -> None:
        """Nothing is read or written until :meth:`start` / :meth:`tick`."""
        self.settings = settings
        self.code = settings.code
        self.broker = broker
        self.market = market
        self.interval = interval or settings.quote_interval_s
        self.clock = clock
        self.reinit_at = reinit_at
        self.quote_path = settings.shared_dir / QUOTE_FILE
        self.seq = SeqStore(settings.state_dir / SEQ_FILE, floor=self._existing_seq())
        self.producer = f"bridge@{socket.gethostname()}:{os.getpid()}"
        self._last_tick: Tick | None = None
        self._last_bars: list[Bar] = []
        self._instrument: tuple[date, InstrumentInfo] | None = None
        self._share_outage = False
        self._was_connected: bool | None = None
        self._market_down_since: float | None = None
        self._reinit_day: date | None = None

    def _existing_seq(self) -> int:
        found = read_message(self.quote_path, SharedQuote)
        return found.value.seq if found.value is not None else 0

    def start(self) -> None:
        """Subscribe the code's quotes (failures are retried by the cycle)."""
        if not self.market.subscribe(self.code):
            log.warning("subscribe_quote(%s) failed: %s", self.code, self.market.last_error or "refused")

    # ------------------------------------------------------------------ one cycle

    def tick(self) -> SharedQuote | None:
        """Read everything once and publish; the written quote, or None when nothing was written."""
        now = self.clock()
        self._maybe_reinit(now)
        self._keep_connected()
        tick = self._read_tick()
        if tick is None:
            return None
        quote = self._build(tick, now)
        return quote if quote is not None and self._publish(quote) else None

    def _maybe_reinit(self, now: datetime) -> None:
        """Once a day before the open: new QMT session and fresh subscriptions."""
        local = now.astimezone(SHANGHAI)
        if self._reinit_day is None:  # first cycle: the session was just opened anyway
            passed = local.time() >= self.reinit_at
            self._reinit_day = local.date() if passed else local.date() - timedelta(days=1)
            return
        if local.date() > self._reinit_day and local.time() >= self.reinit_at:
            self._reinit_day = local.date()
            log.info("daily re-initialisation: new QMT session and re-subscribe")
            self.broker.reconnect(force=True)
            self.market.reconnect()
            self.market.subscribe(self.code)
            self._instrument = None

    def _keep_connected(self) -> None:
        while (event := self.broker.next_event(0)) is not None:
            if isinstance(event, DisconnectedEvent):
                log.warning("QMT disconnected: %s", event.message)
        if not self.broker.connected and self.broker.reconnect():
            self.market.subscribe(self.code)
        up = self.broker.connected
        if up != self._was_connected:
            if up:
                log.info("QMT session up")
            else:
                log.warning("QMT not connected: %s", self.broker.last_error or "unknown reason")
            self._was_connected = up

    def _read_tick(self) -> Tick | None:
        tick = self.market.latest_tick(self.code)
        if tick is not None:
            self._market_down_since = None
            self._last_tick = tick
            return tick
        since = self._market_down_since
        if since is None:
            log.warning("no quote for %s: %s", self.code, self.market.last_error or "no data yet")
            self._market_down_since = time.monotonic()
        elif time.monotonic() - since > MARKET_RETRY_S:
            self._market_down_since = time.monotonic()
            if self.market.reconnect():
                self.market.subscribe(self.code)
        return self._last_tick

    def _read_bars(self, tick: Tick) -> list[Bar]:
        bars = self.market.recent_bars(self.code, self.settings.history_bars, until=tick.time)
        if bars:
            self._last_bars = bars
        return self._last_bars

    def _read_instrument(self, today: date) -> InstrumentInfo | None:
        if self._instrument is None or self._instrument[0] != today:
            info = self.market.instrument(self.code)
            if info is None:
                return None
            self._instrument = (today, info)
        return self._instrument[1]

    def _build(self, tick: Tick, now: datetime) -> SharedQuote | None:
        connected = self.broker.connected
        positions = self.broker.query_positions() if connected else None
        asset = self.broker.query_asset() if connected else None
        fresh = self._market_down_since is None
        info = self._read_instrument(tick.time.date())
        position = _position(positions, self.code)
        fields: dict[str, Any] = {
            "code": self.code,
            "time": tick.time,
            "price": tick.price,
            "pre_close": tick.pre_close,
            "open": tick.open,
            "high": tick.high,
            "low": tick.low,
            "volume": tick.volume,
            "amount": tick.amount,
            "bid_price": tick.bid_price,
            "bid_vol": tick.bid_vol,
            "ask_price": tick.ask_price,
            "ask_vol": tick.ask_vol,
            "history": self._read_bars(tick) if fresh else self._last_bars,
            "position": position,
            "asset": _asset(asset),
            "positions_status": "ok" if position is not None else "failed",
            "connected": connected and fresh,
            "account_status": self.broker.account_status if connected else "disconnected",
            "heartbeat": now,
            "producer": self.producer,
        }
        if info is not None:
            fields.update(
                up_stop_price=info.up_stop,
                down_stop_price=info.down_stop,
                price_tick=info.price_tick or 0.001,
            )
        try:
            return SharedQuote(seq=self.seq.value + 1, **fields)
        except ValidationError as exc:
            log.error("quote not published, it does not validate: %s", exc)
            return None

    def _publish(self, quote: SharedQuote) -> bool:
        """Persist the seq, then write the quote atomically; False (logged once) while the share is gone."""
        try:
            seq = self.seq.next()
            write_message(self.quote_path, quote.model_copy(update={"seq": seq}))
        except OSError as exc:
            if not self._share_outage:
                log.warning("cannot write %s (%s); retrying every cycle", self.quote_path, exc)
                self._share_outage = True
            return False
        if self._share_outage:
            log.info("shared folder %s is back; publishing again", self.settings.shared_dir)
            self._share_outage = False
        return True

    # ------------------------------------------------------------------ loop

    def run(self, stop: threading.Event | None = None) -> None:
        """Cycle every ``interval`` seconds until ``stop`` is set; no exception ends the loop."""
        stop = stop or threading.Event()
        self.start()
        while not stop.is_set():
            started = time.monotonic()
            try:
                self.tick()
            except Exception:
                log.exception("bridge cycle failed; continuing")
            stop.wait(max(0.0, self.interval - (time.monotonic() - started)))


# --------------------------------------------------------------------------- history export


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


# --------------------------------------------------------------------------- command line


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
    from windows_bridge.broker_factory import FakeOptions

    base = FakeOptions.from_env({**os.environ, "MINIQMT_REPLAY_CSV": str(args.replay)})
    if args.speed:
        base = replace(base, speed=args.speed)
    if args.replay_start:
        base = replace(base, start_epoch=args.replay_start)
    return base


def _setup_logging(settings: Settings, level: str) -> None:
    from windows_bridge.logging_setup import setup_logging

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
    from windows_bridge.broker_factory import create_broker, create_market_data

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
            return 0 if producer.tick() is not None else 1
        log.info(
            "bridge started: %s every %.1f s → %s", settings.code, producer.interval, producer.quote_path
        )
        producer.run()
    except KeyboardInterrupt:
        log.info("bridge stopped")
    finally:
        broker.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
