"""Helpers for the adapter / fake / bridge tests: a fake QMT terminal and event collection."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path

from windows_bridge.brokers.interface import BrokerEvent
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.execution import XtBroker
from windows_bridge.brokers.xtquant.fake import FakeQmt, XtQuantTrader

CODE = "159201.SZ"
ACCOUNT = "A1"
_paths = itertools.count(1)


def make_terminal(tmp_path: Path, **engine_kwargs) -> FakeQmt:
    """A fake QMT over a fresh SimBroker, installed at a unique path."""
    engine = SimBroker(tmp_path / "ledger.json", **engine_kwargs)
    return FakeQmt(engine, account_id=ACCOUNT).install(f"test-qmt://{tmp_path}/{next(_paths)}")


def make_broker(terminal: FakeQmt, **kwargs) -> XtBroker:
    """An XtBroker over the fake trader class, not yet connected."""
    assert terminal._path is not None
    return XtBroker(terminal._path, ACCOUNT, trader_factory=XtQuantTrader, **kwargs)


def collect(
    broker: XtBroker, until: Callable[[list[BrokerEvent]], bool], timeout: float = 3.0
) -> list[BrokerEvent]:
    """Drain broker events until ``until(events)`` holds (or the timeout passes)."""
    events: list[BrokerEvent] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = broker.next_event(0.05)
        if event is not None:
            events.append(event)
            if until(events):
                return events
    return events


class FakeMonotonic:
    """A hand-driven monotonic clock for backoff tests."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def write_bars_csv(path: Path, days: int = 3, start: str = "2024-01-02") -> Path:
    """A deterministic 1-minute bar file: ``days`` trading days × 240 bars around 1.000 CNY.

    ``datetime`` is the bar's end (09:31…11:30, 13:01…15:00); ``.gz`` paths are compressed.
    """
    import math

    import pandas as pd

    rows = []
    day = pd.Timestamp(start)
    price = 1.0
    n = 0
    while len({r[0][:10] for r in rows}) < days:
        if day.weekday() < 5:
            stamps = list(pd.date_range(day + pd.Timedelta("09:31:00"), periods=120, freq="1min")) + list(
                pd.date_range(day + pd.Timedelta("13:01:00"), periods=120, freq="1min")
            )
            for stamp in stamps:
                o = round(price, 3)
                c = round(1.0 + 0.05 * math.sin(n / 37.0) + 0.01 * math.sin(n / 5.0), 3)
                h, lo = round(max(o, c) + 0.002, 3), round(min(o, c) - 0.002, 3)
                rows.append((stamp.strftime("%Y-%m-%d %H:%M:%S"), o, h, lo, c, 10_000 + 100 * (n % 50)))
                price, n = c, n + 1
        day += pd.Timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["datetime", "open", "high", "low", "close", "volume"])
    frame.to_csv(path, index=False)
    return path


def wait_for(condition: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()
