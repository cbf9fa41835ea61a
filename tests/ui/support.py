"""Helpers for the GUI tests: a market-hours clock, synthetic bars and a quote-file writer."""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import AssetInfo, Bar, SharedQuote

CODE = "159201.SZ"
#: a Wednesday morning, inside the continuous session
MARKET_OPEN = datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI)


class MarketClock:
    """Wall clock that starts at ``MARKET_OPEN`` and advances with real time (so ages are real)."""

    def __init__(self, start: datetime = MARKET_OPEN) -> None:
        self.start = start
        self.t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


def wavy_bars(end: datetime, n: int = 240, base: float = 1.0) -> list[Bar]:
    """``n`` gently oscillating 1-minute bars ending at ``end`` (steady ATR, no breaker)."""
    end = end.replace(second=0, microsecond=0)
    bars = []
    for k in range(n):
        mid = base * (1 + 0.002 * math.sin(k / 7.0))
        close = round(mid + 0.001 * math.cos(k / 3.0), 3)
        open_ = round(mid, 3)
        bars.append(Bar(time=end - timedelta(minutes=n - 1 - k), open=open_, close=close,
                        high=round(max(open_, close) + 0.001, 3), low=round(min(open_, close) - 0.001, 3),
                        volume=100_000 + 1_000 * (k % 17)))
    return bars


class QuoteFeed:
    """Writes ``shared_quote.json`` the way the bridge does: growing ``seq``, advancing time."""

    def __init__(self, shared: Path, clock: MarketClock, bars: list[Bar] | None = None,
                 code: str = CODE, file_name: str = QUOTE_FILE) -> None:
        self.shared = shared
        self.code, self.file_name = code, file_name
        self.clock = clock
        self.bars = bars if bars is not None else wavy_bars(clock())
        self.seq = 0
        self.price = self.bars[-1].close
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def quote(self, price: float | None = None) -> SharedQuote:
        """The next quote at ``price`` (default: the current price)."""
        self.seq += 1
        if price is not None:
            self.price = price
        now = self.clock()
        p = round(self.price, 3)
        return SharedQuote(
            code=self.code, time=now, price=p, pre_close=self.bars[0].open, open=self.bars[0].open,
            high=max(b.high for b in self.bars), low=min(b.low for b in self.bars), volume=12_345_600,
            bid_price=[round(p - 0.001 * i, 3) for i in range(1, 6)],
            bid_vol=[1000.0 * i for i in range(1, 6)],
            ask_price=[round(p + 0.001 * i, 3) for i in range(0, 5)],
            ask_vol=[900.0 * i for i in range(1, 6)],
            history=self.bars, position=None, asset=AssetInfo(cash=1e6), positions_status="failed",
            seq=self.seq, heartbeat=now,
        )

    def write(self, price: float | None = None) -> SharedQuote:
        """Write one quote (atomic, like the bridge)."""
        quote = self.quote(price)
        write_message(self.shared / self.file_name, quote, fsync=False)
        return quote

    def start(self, interval_s: float = 0.2) -> None:
        """Keep writing quotes from a background thread (the bridge's job)."""
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                self.write()
                self._stop.wait(interval_s)

        self._thread = threading.Thread(target=loop, name="test-quote-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background writer and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
