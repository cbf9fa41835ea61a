"""A two-code rig for the portfolio chain tests, all in one process and all real components:

* the **bridge** is the real :class:`BridgeProducer`, configured with both codes, reading a read-only view
  of the simulated account (as the bridge process does) and a small scripted market (the test sets each
  code's price; 120 synthetic 1-minute bars per code, labelled synthetic);
* the **executor** is the real :class:`OrderExecutor` over the simulated broker, on its own thread (as in
  its own process), serving both codes' signal files;
* the **app** is the real :class:`LivePortfolio`: one real engine per code, shared capital pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.decision_journal import read_entries
from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.portfolio import LivePortfolio, build_portfolio, code_settings
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.rehearsal.offline_stages import StageClock, synthetic_bars
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import default_portfolio
from windows_bridge.bridge.producer import BridgeProducer
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.market_data import InstrumentInfo, Tick
from windows_bridge.contract.config import RiskLimits, Settings
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import Bar
from windows_bridge.contract.prices import round_to_tick
from windows_bridge.executor.journal import JOURNAL_FILE, Journal
from windows_bridge.executor.service import OrderExecutor
from windows_bridge.executor.tracker import TrackingInterrupted

A, B = "159201.SZ", "512890.SH"
CODES = [A, B]
BASE = {A: 100_000, B: 80_000}
T0 = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)  # a Monday, inside the session
LIVENESS_S = 20.0


class ScriptedMarket:
    """The market the bridge reads (the duck type of ``XtMarketData``): a price per code set by the test."""

    def __init__(self, clock: StageClock) -> None:
        self.clock = clock
        self.bars: dict[str, list[Bar]] = {
            A: synthetic_bars(120, clock.now - timedelta(minutes=1), start_price=1.2, seed=7),
            B: synthetic_bars(120, clock.now - timedelta(minutes=1), start_price=1.05, seed=11),
        }
        self.price = {code: bars[-1].close for code, bars in self.bars.items()}
        self.last_error = ""
        self.fatal = ""

    def subscribe(self, code: str) -> bool:
        return code in self.bars

    def reconnect(self) -> bool:
        return True

    def download_history(self, code: str, period: str, start: str, end: str = "",
                         progress: Callable[[int, int], None] | None = None) -> bool:
        return True

    def latest_tick(self, code: str) -> Tick | None:
        p = self.price[code]
        return Tick(code=code, time=self.clock.now, price=p, pre_close=self.bars[code][0].open, open=p,
                    high=p, low=p, volume=1e6, amount=p * 1e6, bid_price=[round_to_tick(p - 0.001)],
                    bid_vol=[1e5], ask_price=[round_to_tick(p + 0.001)], ask_vol=[1e5])

    def recent_bars(self, code: str, count: int, until: datetime | None = None) -> list[Bar]:
        return self.bars[code][-count:]

    def instrument(self, code: str) -> InstrumentInfo | None:
        pre = self.bars[code][0].open
        return InstrumentInfo(code=code, name=code, price_tick=0.001, up_stop=round_to_tick(pre * 1.1),
                              down_stop=round_to_tick(pre * 0.9), pre_close=pre)


class BridgeBroker(SimBroker):
    """The bridge's read-only view of the simulated account (what ``ReconnectingBroker`` asks)."""

    account_status = "ok"
    last_error = ""


class PortfolioRig:
    """See the module docstring. ``pool`` is the portfolio's capital pool."""

    def __init__(self, root: Path, pool: Pool | None = None, **engine: Any) -> None:
        self.root = root
        self.clock = StageClock(T0)
        self.clock.mono = 1000.0
        self.shared, self.work, self.state = root / "shared", root / "work", root / "executor"
        for folder in (self.shared, self.work, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        ledger = self.state / "ledger.json"
        self.broker = SimBroker(ledger, initial_cash=2_000_000.0, initial_positions=BASE,
                                clock=self.clock.wall)
        self.market = ScriptedMarket(self.clock)
        self.win = Settings(shared_dir=self.shared, state_dir=self.state, broker="fake", order_timeout_s=5.0,
                            codes=CODES, risk=RiskLimits(code_whitelist=CODES))
        bridge_view = BridgeBroker(ledger, clock=self.clock.wall, read_only=True)
        self.bridge = BridgeProducer(self.win, bridge_view, self.market,  # type: ignore[arg-type]
                                     clock=self.clock.wall)
        self.bridge.start()
        self._stop = threading.Event()
        self.executor = self._new_executor()
        self._thread = self._serve_thread()
        self.engine_options = {"pending_timeout_s": 6.0, **engine}
        self.portfolio_def = default_portfolio(CODES, pool)
        self.portfolio: LivePortfolio = build_portfolio(
            self.engine_base(), self.portfolio_def, BASE, clock=self.clock.wall,
            monotonic=self.clock.monotonic)
        self.portfolio.start()
        self.min_free = self.portfolio.pool.free_cash()

    # ------------------------------------------------------------------ the processes

    def _new_executor(self) -> OrderExecutor:
        executor = OrderExecutor(self.win, self.broker, Journal(self.state / JOURNAL_FILE),
                                 clock=self.clock.wall, stop=self._stop, reread_delay_s=0.0)
        executor.recover()
        return executor

    def _serve_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self._serve, daemon=True)
        thread.start()
        return thread

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                handled = self.executor.poll_once()
            except TrackingInterrupted:
                return
            if not handled:
                self._stop.wait(0.003)

    def stop_executor(self) -> None:
        """The executor process ended (between orders)."""
        self._stop.set()
        self._thread.join(10)

    def start_executor(self) -> None:
        """A new executor process on the same journal and account (it recovers first)."""
        self._stop = threading.Event()
        self.executor = self._new_executor()
        self._thread = self._serve_thread()

    def engine_base(self) -> EngineSettings:
        return EngineSettings(shared_dir=self.shared, work_dir=self.work, session_only=False,
                              owner_lock=False, **self.engine_options)

    def restart_engine(self, code: str) -> LiveEngine:
        """The app of ``code`` ended and started again (same folders; its book loaded from its files)."""
        old = self.portfolio.engines[code]
        old.close()
        inst = self.portfolio_def.instrument(code)
        settings = code_settings(self.engine_base(), CODES, code, BASE[code])
        engine = build_engine(settings, inst.params, clock=self.clock.wall, monotonic=self.clock.monotonic,
                              pool=self.portfolio.pool)
        engine.start()
        self.portfolio.engines[code] = engine
        return engine

    # ------------------------------------------------------------------ driving

    def tick(self, **prices: float) -> None:
        """3 s later: new prices (``A=…``/``B=…`` by letter), the broker sees them, the bridge publishes
        both codes, every engine steps once."""
        self.clock.advance(3)
        for letter, price in prices.items():
            self.market.price[{"A": A, "B": B}[letter]] = round_to_tick(price)
        for code in CODES:
            self.broker.on_quote(code, self.market.price[code], time=self.clock.now)
        assert self.bridge.tick() is not None
        self.step()

    def step(self) -> None:
        self.portfolio.step()
        free = self.portfolio.pool.free_cash()
        self.min_free = min(self.min_free, free)

    def until(self, done: Callable[[], bool], *, tick: bool = False) -> None:
        """Step (or tick, when the clock must move) until ``done()`` (a liveness bound, not a timing test)."""
        deadline = time.monotonic() + LIVENESS_S
        while not done():
            assert time.monotonic() < deadline, "the chain did not get there"
            time.sleep(0.003)
            if tick:
                self.tick()
            else:
                self.step()

    def wait(self, done: Callable[[], bool]) -> None:
        """Wait for the executor (no engine steps) until ``done()``."""
        deadline = time.monotonic() + LIVENESS_S
        while not done():
            assert time.monotonic() < deadline, "the executor did not get there"
            time.sleep(0.003)

    def settle(self) -> None:
        """Until no code has a signal pending."""
        self.until(lambda: all(e.book.pending_signal is None for e in self.portfolio.engines.values()))

    # ------------------------------------------------------------------ looking

    def engine(self, code: str) -> LiveEngine:
        return self.portfolio.engines[code]

    def price(self, code: str) -> float:
        return self.market.price[code]

    def broker_position(self, code: str) -> int:
        return sum(p.volume for p in self.broker.query_positions() or [] if p.code == code)

    def book_shares(self, code: str) -> int:
        return bk.lot_shares(self.engine(code).book)

    def orders(self, code: str | None = None) -> list[Any]:
        return [o for o in self.broker.query_orders() or [] if code is None or o.code == code]

    def journal(self, code: str) -> list[dict[str, Any]]:
        return list(read_entries(self.engine(code).settings.journal_path))

    def close(self) -> None:
        self.portfolio.close()
        self._stop.set()
        self._thread.join(10)
