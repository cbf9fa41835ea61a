"""How the GUI builds its :class:`LiveEngine` (called on the worker thread).

Simulate mode is the engine's paper mode (core's ``factory.build_engine`` picks the paper route):
orders fill in-process against the live quotes in a separate book; nothing reaches the executor.
"""

from __future__ import annotations

from typing import Any

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings


def default_engine_factory(settings: EngineSettings, params: Any) -> LiveEngine:
    """The production factory: real strategy core, real clocks."""
    return build_engine(settings, params)
