"""The live engine: the desktop side's trading loop, layer book, recovery and order routes (Qt-free).

Owns *deciding and booking live*. May import strategy, ``windows_bridge.contract``, the broker
interface, the simulated broker and the executor (paper mode runs the real executor in-process).

Entry points for the GUI and the headless command::

    from miniqmt_gui.live import LiveEngine, build_engine, resolve_settings
    engine = build_engine(resolve_settings(paper=False), params)
    engine.add_listener(callback)      # called on the engine's thread
    engine.start()
    engine.run_forever(stop_event)     # in a worker thread

See :mod:`miniqmt_gui.live.engine` and ``docs/operations.md``.
"""

from miniqmt_gui.live.engine import CHECKPOINTS, LiveEngine
from miniqmt_gui.live.events import (
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
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings, resolve_settings

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
