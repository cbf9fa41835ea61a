"""A live rig for the book-safety tests: the real engine with the real strategy, and the real executor
(on its own thread, as in its own process) over a simulated broker, on one shared folder. The test plays
the bridge: each quote feeds the simulated account and is written with its real position.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.events import EngineEvent
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.rehearsal.offline_stages import synthetic_bars
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.messages import AssetInfo, BrokerPosition, SharedQuote
from windows_bridge.executor.journal import JOURNAL_FILE, Journal
from windows_bridge.executor.service import OrderExecutor
from windows_bridge.executor.tracker import TrackingInterrupted

from .support import CODE, FakeClock

BASE = 100_000
LIVENESS_S = 20.0


class LiveRig:
    """See the module docstring. ``engine`` is rebuilt by :meth:`restart` (a process restart)."""

    def __init__(self, root: Path, clock: FakeClock, *, key: bytes | None = None, **engine: Any) -> None:
        self.root, self.clock, self.key = root, clock, key
        self.shared, self.work, self.state = root / "shared", root / "work", root / "executor"
        for folder in (self.shared, self.work, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        self.broker = SimBroker(self.state / "ledger.json", initial_cash=2_000_000.0,
                                initial_positions={CODE: BASE}, clock=clock.wall)
        self._stop = threading.Event()
        settings = Settings(shared_dir=self.shared, state_dir=self.state, broker="fake", order_timeout_s=5.0)
        self.executor = OrderExecutor(settings, self.broker, Journal(self.state / JOURNAL_FILE), hmac_key=key,
                                      clock=clock.wall, stop=self._stop, reread_delay_s=0.0)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.bars = synthetic_bars(120, clock.now - timedelta(minutes=1))
        self.seq = 0
        self.events: list[EngineEvent] = []
        self.engine_options = engine
        self.engine = self._build()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                handled = self.executor.poll_once()
            except TrackingInterrupted:
                return
            if not handled:
                self._stop.wait(0.005)

    def settings(self, **over: Any) -> EngineSettings:
        options = {"shared_dir": self.shared, "work_dir": self.work, "base_shares": BASE,
                   "session_only": False, "hmac_key": self.key, "owner_lock": False,
                   **self.engine_options, **over}
        return EngineSettings(**options)

    def _build(self, **over: Any) -> LiveEngine:
        engine = build_engine(self.settings(**over), clock=self.clock.wall, monotonic=self.clock.monotonic)
        engine.add_listener(self.events.append)
        engine.start()
        return engine

    def restart(self, **over: Any) -> LiveEngine:
        """Close the engine (a process that ended) and build a new one on the same folders."""
        self.engine.close()
        self.engine = self._build(**over)
        return self.engine

    def quote(self, price: float, *, step: bool = True) -> SharedQuote:
        """The bridge's next quote at ``price`` with the simulated account's real position."""
        self.clock.advance(3)
        self.seq += 1
        self.broker.on_quote(CODE, price, time=self.clock.now)
        pos = next(p for p in self.broker.query_positions() or [] if p.code == CODE)
        asset = self.broker.query_asset()
        assert asset is not None
        quote = SharedQuote(
            code=CODE, time=self.clock.now, price=price, pre_close=self.bars[0].open, history=self.bars,
            position=BrokerPosition(volume=pos.volume, can_use_volume=pos.can_use_volume,
                                    avg_price=pos.avg_price, market_value=pos.market_value),
            asset=AssetInfo(cash=asset.cash, total_asset=asset.total_asset, market_value=asset.market_value),
            positions_status="ok", seq=self.seq, heartbeat=self.clock.now,
        )
        write_message(self.shared / QUOTE_FILE, quote, fsync=False)
        if step:
            self.engine.step()
        return quote

    def settle(self) -> None:
        """Step until no signal is pending (bounded: a liveness bound, not a timing assertion)."""
        self.until(lambda: self.engine.book.pending_signal is None)

    def until(self, done: Callable[[], bool]) -> None:
        """Step the engine until ``done()``."""
        deadline = time.monotonic() + LIVENESS_S
        while not done():
            assert time.monotonic() < deadline, "the executor did not answer"
            time.sleep(0.005)
            self.engine.step()

    def buy_lots(self, n: int) -> float:
        """Let the grid buy ``n`` layers on a falling price; returns the last price."""
        price = self.bars[-1].close
        self.quote(price)  # first anchor
        for _ in range(n):
            price = round(price * 0.996, 3)
            self.quote(price)
            self.settle()
        assert self.engine.book.hold_layers == n, self.engine.status.blockers
        return price

    def orders(self) -> int:
        """Broker orders placed so far."""
        return len(self.broker.query_orders() or [])

    def close(self) -> None:
        """Stop everything."""
        self.engine.close()
        self._stop.set()
        self._thread.join(10)
