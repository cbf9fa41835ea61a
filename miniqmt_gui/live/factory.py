"""Build a ready-to-run :class:`LiveEngine` from settings: the real strategy core, live or paper route."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from miniqmt_gui.live.decider import make_core_decider
from miniqmt_gui.live.engine import LiveEngine, random_token
from miniqmt_gui.live.paper import PaperRoute, open_paper_broker
from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.live.routes import OrderRoute, SharedFolderRoute
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.market_hours import now_shanghai


def make_route(
    settings: EngineSettings,
    clock: Callable[[], datetime] = now_shanghai,
    monotonic: Callable[[], float] = time.monotonic,
) -> OrderRoute:
    """The shared folder, or in paper mode the in-process paper account in ``work_dir``."""
    if not settings.paper:
        return SharedFolderRoute(settings.shared_dir, settings.hmac_key, settings.files)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    broker = open_paper_broker(settings.paper_ledger_path, initial_cash=settings.paper_cash,
                               base_shares=settings.base_shares, code=settings.code, clock=clock)
    return PaperRoute(settings, broker, clock=clock, monotonic=monotonic)


def build_engine(
    settings: EngineSettings,
    params: StrategyParams | None = None,
    *,
    clock: Callable[[], datetime] = now_shanghai,
    monotonic: Callable[[], float] = time.monotonic,
    token: Callable[[], str] = random_token,
    checkpoint: Callable[[str], None] | None = None,
    pool: LivePool | None = None,
) -> LiveEngine:
    """A :class:`LiveEngine` on the real strategy core (default preset when ``params`` is ``None``)."""
    params = params or StrategyParams()
    extra: dict[str, Any] = {} if checkpoint is None else {"checkpoint": checkpoint}
    return LiveEngine(
        settings, make_core_decider(params), params=params, route=make_route(settings, clock, monotonic),
        clock=clock, monotonic=monotonic, token=token, pool=pool, **extra,
    )
