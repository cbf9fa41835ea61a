"""The bridge producer: QMT quotes, bars, position and asset → ``shared_quote.json`` every few seconds.

Console script ``miniqmt-bridge`` (also ``python -m windows_bridge.bridge``). One cycle
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

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from windows_bridge.bridge.trades_export import TradesExporter
from windows_bridge.brokers.interface import Broker, BrokerAsset, BrokerPositionInfo, DisconnectedEvent
from windows_bridge.brokers.xtquant.market_data import InstrumentInfo, Tick, XtMarketData
from windows_bridge.contract.atomic_io import read_message, write_bytes_atomic, write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import QUOTE_FILE, quote_file_for
from windows_bridge.contract.market_hours import SHANGHAI, now_shanghai
from windows_bridge.contract.messages import AssetInfo, Bar, BrokerPosition, SharedQuote

log = logging.getLogger("windows_bridge.bridge")

SEQ_FILE = "bridge_seq.json"
REINIT_AT = dtime(9, 10)
MARKET_RETRY_S = 30.0
#: calendar days of 1-minute history downloaded at start and after every reconnect
WARMUP_DAYS = 10
WARMUP_RETRY_S = 60.0


class HistoryWarmup:
    """Downloads recent 1-minute history into QMT's cache on a thread, reporting its progress.

    QMT serves minute bars only from its local cache: without a download the bridge would publish
    a short history and the app would wait for its indicators. :attr:`progress` is the text the
    quote carries meanwhile (``""`` once done); progress also goes to the log.
    """

    def __init__(self, market: XtMarketData, code: str, clock: Callable[[], datetime]) -> None:
        """Nothing runs until :meth:`start`."""
        self.market, self.code, self.clock = market, code, clock
        self.progress = ""
        self.done = False
        self.failed_at: float | None = None
        self._thread: threading.Thread | None = None
        self._logged_pct = -1
        self._around: datetime | None = None

    @property
    def running(self) -> bool:
        """A download is in progress."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, why: str, around: datetime | None = None) -> None:
        """Start a download (at start, after a reconnect, or to retry a failed one).

        ``around``: the market's current time (the latest tick's), when known — a replayed
        market's time is not the wall clock's.
        """
        if self.running:
            return
        self._around = around
        self.done, self.failed_at, self._logged_pct = False, None, -1
        self.progress = "下载历史数据 downloading 1m history"
        log.info("history warm-up (%s): downloading %d days of 1m bars for %s", why, WARMUP_DAYS, self.code)
        self._thread = threading.Thread(target=self._run, name="history-warmup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        moment = self._around or self.clock()
        start = (moment.astimezone(SHANGHAI) - timedelta(days=WARMUP_DAYS)).strftime("%Y%m%d")
        if self.market.download_history(self.code, "1m", start, "", progress=self._on_progress):
            self.progress, self.done = "", True
            log.info("history warm-up done for %s", self.code)
        else:
            self.progress = f"历史数据下载失败 history download failed: {self.market.last_error}"[:200]
            self.failed_at = time.monotonic()
            log.warning("%s; retried after a reconnect or in %.0f s", self.progress, WARMUP_RETRY_S)

    def _on_progress(self, finished: int, total: int) -> None:
        self.progress = f"下载历史数据 downloading history {finished}/{total}"
        pct = 100 * finished // total if total > 0 else 0
        if pct >= self._logged_pct + 10 or finished == total:
            self._logged_pct = pct
            log.info("history warm-up %s: %d/%d (%d%%)", self.code, finished, total, pct)

    def retry_if_due(self) -> None:
        """Try a failed download again after :data:`WARMUP_RETRY_S`."""
        if self.failed_at is not None and time.monotonic() - self.failed_at >= WARMUP_RETRY_S:
            self.start("retry", self._around)

    def join(self, timeout: float) -> bool:
        """Wait for a download in progress (tests, ``--once``); True when none is running."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running


class ReconnectingBroker(Broker, Protocol):
    """A broker the bridge can bring back: :class:`~windows_bridge.brokers.xtquant.execution.XtBroker`."""

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


class _Feed:
    """What the producer keeps per code: the last tick and bars, the instrument, the history download."""

    def __init__(
        self, code: str, paths: list[Path], market: XtMarketData, clock: Callable[[], datetime]
    ) -> None:
        self.code = code
        #: every file this code's quote is written to (the primary code: its own and ``shared_quote.json``)
        self.paths = paths
        self.last_tick: Tick | None = None
        self.last_bars: list[Bar] = []
        self.instrument: tuple[date, InstrumentInfo] | None = None
        self.market_down_since: float | None = None
        self.warmup = HistoryWarmup(market, code, clock)


class BridgeProducer:
    """One bridge: :meth:`tick` is a full cycle; :meth:`run` repeats it every ``interval`` seconds.

    With several configured codes (``Settings.codes``) one cycle publishes one quote file per code
    (``shared_quote_{code}.json``, see ``contract.files``) and the first code's also as
    ``shared_quote.json``, so a v1.0.0 app keeps working; positions and asset are queried once a cycle.
    With one code it writes ``shared_quote.json`` only, exactly as v1.0.0 did.
    """

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
        self.codes = settings.instrument_codes()
        self.code = self.codes[0]
        self.broker = broker
        self.market = market
        self.interval = interval or settings.quote_interval_s
        self.clock = clock
        self.reinit_at = reinit_at
        self.quote_path = settings.shared_dir / QUOTE_FILE
        self.feeds = [self._feed(code) for code in self.codes]
        self.seq = SeqStore(settings.state_dir / SEQ_FILE, floor=self._existing_seq())
        self.producer = f"bridge@{socket.gethostname()}:{os.getpid()}"
        self._share_outage = False
        self._was_connected: bool | None = None
        self._reinit_day: date | None = None
        self.trades_export = TradesExporter(broker, settings.shared_dir, self.code, self.producer)
        #: the primary code's history download (the one ``--once`` waits for)
        self.warmup = self.feeds[0].warmup

    def _feed(self, code: str) -> _Feed:
        shared = self.settings.shared_dir
        if len(self.codes) == 1:
            paths = [shared / QUOTE_FILE]
        elif code == self.codes[0]:
            paths = [shared / quote_file_for(code), shared / QUOTE_FILE]
        else:
            paths = [shared / quote_file_for(code)]
        return _Feed(code, paths, self.market, self.clock)

    def _existing_seq(self) -> int:
        floor = 0
        for feed in self.feeds:
            for path in feed.paths:
                found = read_message(path, SharedQuote)
                floor = max(floor, found.value.seq if found.value is not None else 0)
        return floor

    def start(self) -> None:
        """Subscribe every code's quotes and start their history downloads (failures are retried)."""
        for feed in self.feeds:
            if not self.market.subscribe(feed.code):
                log.warning("subscribe_quote(%s) failed: %s", feed.code, self.market.last_error or "refused")
            tick = self.market.latest_tick(feed.code)
            feed.warmup.start("start", tick.time if tick is not None else None)

    @property
    def fatal(self) -> str:
        """Why this process's QMT clients cannot recover (``""`` while they can)."""
        return str(getattr(self.broker, "fatal", "") or self.market.fatal)

    # ------------------------------------------------------------------ one cycle

    def tick(self) -> SharedQuote | None:
        """Read everything once and publish every code; the primary code's written quote, or None."""
        now = self.clock()
        self._maybe_reinit(now)
        self._keep_connected()
        connected = self.broker.connected
        positions = self.broker.query_positions() if connected else None
        asset = self.broker.query_asset() if connected else None
        first: SharedQuote | None = None
        for index, feed in enumerate(self.feeds):
            feed.warmup.retry_if_due()
            tick = self._read_tick(feed)
            if tick is None:
                continue
            quote = self._build(feed, tick, now, connected, positions, asset)
            published = quote if quote is not None and self._publish(quote, feed.paths) else None
            if index == 0:
                first = published
        self._export_trades(now, first)
        return first

    def _export_trades(self, now: datetime, quote: SharedQuote | None) -> None:
        """After the close: the day's trades for the app's reconciliation (never disturbs the quotes)."""
        try:
            self.trades_export.maybe_export(now, quote)
        except Exception:
            log.exception("trades export failed; retrying later")

    def _subscribe_all(self, why: str) -> None:
        for feed in self.feeds:
            self.market.subscribe(feed.code)
            feed.warmup.start(why, self._market_time(feed))

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
            self._subscribe_all("daily re-initialisation")
            for feed in self.feeds:
                feed.instrument = None

    @staticmethod
    def _market_time(feed: _Feed) -> datetime | None:
        return feed.last_tick.time if feed.last_tick is not None else None

    def _keep_connected(self) -> None:
        while (event := self.broker.next_event(0)) is not None:
            if isinstance(event, DisconnectedEvent):
                log.warning("QMT disconnected: %s", event.message)
        if not self.broker.connected and self.broker.reconnect():
            self._subscribe_all("reconnect")
        up = self.broker.connected
        if up != self._was_connected:
            if up:
                log.info("QMT session up")
            else:
                log.warning("QMT not connected: %s", self.broker.last_error or "unknown reason")
            self._was_connected = up

    def _read_tick(self, feed: _Feed) -> Tick | None:
        tick = self.market.latest_tick(feed.code)
        if tick is not None:
            feed.market_down_since = None
            feed.last_tick = tick
            return tick
        since = feed.market_down_since
        if since is None:
            log.warning("no quote for %s: %s", feed.code, self.market.last_error or "no data yet")
            feed.market_down_since = time.monotonic()
        elif time.monotonic() - since > MARKET_RETRY_S:
            feed.market_down_since = time.monotonic()
            if self.market.reconnect():
                self._subscribe_all("market data reconnect")
        return feed.last_tick

    def _read_bars(self, feed: _Feed, tick: Tick) -> list[Bar]:
        bars = self.market.recent_bars(feed.code, self.settings.history_bars, until=tick.time)
        if bars:
            feed.last_bars = bars
        return feed.last_bars

    def _read_instrument(self, feed: _Feed, today: date) -> InstrumentInfo | None:
        if feed.instrument is None or feed.instrument[0] != today:
            info = self.market.instrument(feed.code)
            if info is None:
                return None
            feed.instrument = (today, info)
        return feed.instrument[1]

    def _build(
        self, feed: _Feed, tick: Tick, now: datetime, connected: bool,
        positions: list[BrokerPositionInfo] | None, asset: BrokerAsset | None,
    ) -> SharedQuote | None:
        fresh = feed.market_down_since is None
        info = self._read_instrument(feed, tick.time.date())
        position = _position(positions, feed.code)
        fields: dict[str, Any] = {
            "code": feed.code,
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
            "history": self._read_bars(feed, tick) if fresh else feed.last_bars,
            "position": position,
            "asset": _asset(asset),
            "positions_status": "ok" if position is not None else "failed",
            "connected": connected and fresh,
            "account_status": self.broker.account_status if connected else "disconnected",
            "heartbeat": now,
            "producer": self.producer,
            "warmup": feed.warmup.progress,
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

    def _publish(self, quote: SharedQuote, paths: list[Path]) -> bool:
        """Persist the seq, then write the quote atomically to each of ``paths``; False (logged once)
        while the share is gone."""
        try:
            seq = self.seq.next()
            stamped = quote.model_copy(update={"seq": seq})
            for path in paths:
                write_message(path, stamped)
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

    def run(self, stop: threading.Event | None = None) -> str:
        """Cycle every ``interval`` seconds until ``stop`` is set; no exception ends the loop.

        Returns ``""`` when stopped, or why the QMT clients of this process cannot recover (hung
        calls): the caller exits non-zero so the scheduler restarts the process.
        """
        stop = stop or threading.Event()
        self.start()
        while not stop.is_set():
            started = time.monotonic()
            try:
                self.tick()
            except Exception:
                log.exception("bridge cycle failed; continuing")
            if self.fatal:
                log.error("QMT client cannot recover (%s): exiting for the scheduler to restart", self.fatal)
                return self.fatal
            stop.wait(max(0.0, self.interval - (time.monotonic() - started)))
        return ""


# --------------------------------------------------------------------------- history export


# --------------------------------------------------------------------------- command line

