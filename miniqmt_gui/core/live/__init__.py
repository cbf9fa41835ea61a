"""The live engine: the desktop side's trading loop, Qt-free and headless-capable.

Entry points for the GUI and the headless command::

    from miniqmt_gui.core.live import LiveEngine, build_engine, resolve_settings
    engine = build_engine(resolve_settings(paper=False), params)
    engine.add_listener(callback)      # called on the engine's thread
    engine.start()
    engine.run_forever(stop_event)     # in a worker thread

See :mod:`miniqmt_gui.core.live.engine` and ``docs/operations.md``.
"""

from miniqmt_gui.core.live.engine import CHECKPOINTS, LiveEngine
from miniqmt_gui.core.live.events import (
    BookEvent,
    EngineEvent,
    EngineSnapshot,
    EngineStatus,
    LogEvent,
    QuoteEvent,
    ResultEvent,
    SignalEvent,
    StatusEvent,
    TradingState,
)
from miniqmt_gui.core.live.factory import build_engine
from miniqmt_gui.core.live.settings import EngineSettings, resolve_settings

__all__ = [
    "CHECKPOINTS",
    "BookEvent",
    "EngineEvent",
    "EngineSettings",
    "EngineSnapshot",
    "EngineStatus",
    "LiveEngine",
    "LogEvent",
    "QuoteEvent",
    "ResultEvent",
    "SignalEvent",
    "StatusEvent",
    "TradingState",
    "build_engine",
    "resolve_settings",
]
