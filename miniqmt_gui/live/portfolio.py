"""Several live engines — one per code — sharing one capital pool (issue 16, live part).

Each code runs the unchanged single-code :class:`~miniqmt_gui.live.engine.LiveEngine` on its own files
(``contract.files.CodeFiles``: the first code keeps the v1.0.0 names, the others ``…_{code}``): its own
quote file, signal and result files (at most one outstanding signal per code), book, decision journal
and owner lock. What they share is the :class:`~miniqmt_gui.live.pool_guard.LivePool` (every BUY asks it)
and the ``STOP`` file (:meth:`LivePortfolio.halt` stops every code at once). The executor serves the codes'
signal files one at a time, so its cash checks see every earlier order.

:class:`LivePortfolio` steps the engines in turn from one thread (headless, tests); the desktop app
may instead run each engine on its own worker — the pool's lock makes that safe too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from miniqmt_gui.live.engine import LiveEngine, random_token
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import Portfolio, make_instrument, total_flow
from windows_bridge.contract.config import Settings
from windows_bridge.contract.market_hours import now_shanghai


def portfolio_from_settings(cfg: Settings) -> Portfolio:
    """The live portfolio the shared ``config.toml`` describes: ``codes`` in order, each with its preset
    (``[app] presets``, default the code's shipped one), the pool ``[app] pool_capital`` (default: the sum
    of the flow capital) and ``pool_reserve``. Raises ``PortfolioError``/``PoolError`` (ValueErrors)."""
    instruments = tuple(make_instrument(code, cfg.app.presets.get(code)) for code in cfg.instrument_codes())
    capital = cfg.app.pool_capital if cfg.app.pool_capital is not None else total_flow(instruments)
    return Portfolio(instruments, Pool(capital, cfg.app.pool_reserve))


def code_settings(
    base: EngineSettings, codes: list[str], code: str, base_shares: int | None
) -> EngineSettings:
    """``base`` for one code of a portfolio whose order is ``codes`` (the first keeps the v1.0.0 names)."""
    return base.model_copy(update={"code": code, "primary": code == codes[0], "base_shares": base_shares})


class LivePortfolio:
    """The engines of a portfolio and their pool; see the module docstring."""

    def __init__(self, engines: Mapping[str, LiveEngine], pool: LivePool) -> None:
        """``engines`` in portfolio order (code → engine), all registered with ``pool``."""
        self.engines = dict(engines)
        self.pool = pool

    @property
    def codes(self) -> list[str]:
        """The codes in portfolio order."""
        return list(self.engines)

    def engine(self, code: str) -> LiveEngine:
        """The engine of ``code``."""
        return self.engines[code]

    def start(self, codes: Iterable[str] | None = None) -> None:
        """Start trading ``codes`` (all when ``None``)."""
        for code in self._pick(codes):
            self.engines[code].start()

    def stop(self, codes: Iterable[str] | None = None) -> None:
        """Stop emitting for ``codes`` (all when ``None``); pending results are still applied."""
        for code in self._pick(codes):
            self.engines[code].stop()

    def halt(self) -> None:
        """Kill switch for every code: ``STOP`` is written once (the shared folder is shared) and all halt."""
        for engine in self.engines.values():
            engine.halt()

    def _pick(self, codes: Iterable[str] | None) -> list[str]:
        picked = list(self.engines) if codes is None else list(codes)
        unknown = [c for c in picked if c not in self.engines]
        if unknown:
            raise KeyError(f"not in the portfolio: {unknown}")
        return picked

    def step(self) -> bool:
        """One :meth:`LiveEngine.run_step` of every engine, in portfolio order; False if any failed."""
        ok = True
        for engine in self.engines.values():
            ok = engine.run_step() and ok
        return ok

    def poll_interval(self) -> float:
        """The shortest wait any engine asks for."""
        return min(engine.poll_interval() for engine in self.engines.values())

    def run_forever(self, stop_event: threading.Event) -> None:
        """Step every engine until ``stop_event`` is set."""
        while not stop_event.is_set():
            self.step()
            stop_event.wait(self.poll_interval())

    def close(self) -> None:
        """Close every engine (routes, owner locks)."""
        for engine in self.engines.values():
            engine.close()


def build_portfolio(
    base: EngineSettings,
    portfolio: Portfolio,
    base_shares: Mapping[str, int | None],
    *,
    clock: Callable[[], datetime] = now_shanghai,
    monotonic: Callable[[], float] = time.monotonic,
    token: Callable[[], str] = random_token,
) -> LivePortfolio:
    """One engine per instrument of ``portfolio`` (its own parameters), all drawing on its pool."""
    pool = LivePool(portfolio.pool)
    codes = portfolio.codes
    engines: dict[str, LiveEngine] = {}
    for inst in portfolio.instruments:
        settings = code_settings(base, codes, inst.code, base_shares.get(inst.code))
        engines[inst.code] = build_engine(settings, inst.params, clock=clock, monotonic=monotonic,
                                          token=token, pool=pool)
    return LivePortfolio(engines, pool)
