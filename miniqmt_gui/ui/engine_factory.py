"""How the GUI builds its :class:`LiveEngine` (called on the worker thread).

Simulate mode is the engine's paper mode (``miniqmt_gui.live.factory.build_engine`` picks the paper
route): the real executor runs in-process over a simulated account against the live quotes, with its
own book and folder; nothing reaches the real executor.
"""

from __future__ import annotations

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.params import StrategyParams


def default_engine_factory(settings: EngineSettings, params: StrategyParams,
                           pool: LivePool | None = None) -> LiveEngine:
    """The production factory: real strategy, real clocks; ``pool`` = the portfolio's shared pool."""
    return build_engine(settings, params, pool=pool)
