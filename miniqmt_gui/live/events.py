"""What the engine publishes to listeners (the GUI, the headless printer, tests).

Listeners are plain callables ``listener(event)``; they run on the engine's thread, so a GUI must
marshal each event to its own thread (e.g. emit a Qt signal from the callback). Every event is an
immutable snapshot: nothing in it changes after it is published. A listener that raises is logged
and otherwise ignored — it can never stop the trading loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.messages import DashboardState, OrderResult, OrderSignal, SharedQuote

log = logging.getLogger(__name__)


class TradingState(StrEnum):
    """The trader's switch: what the engine is allowed to do."""

    RUNNING = "running"
    STOPPED = "stopped"
    SELL_ONLY = "sell_only"
    HALTED = "halted"


@dataclass(frozen=True)
class EngineStatus:
    """Where the engine stands and why.

    ``state`` is the trading state with ``reason`` (translated text) and ``reason_key`` (catalogue
    key); ``blockers`` are the catalogue keys of everything that stops a new signal right now (empty
    = a signal may go out), ``blocker_texts`` the same translated. ``headline`` is the one text a
    window title should show (e.g. 「行情已过期，暂停发单」).
    """

    state: TradingState
    reason_key: str
    reason: str
    blockers: tuple[str, ...] = ()
    blocker_texts: tuple[str, ...] = ()
    headline: str = ""
    stale: bool = False
    quote_age_s: float = 0.0
    silent_until: datetime | None = None
    mismatch: str = ""
    paper: bool = False
    pending_signal_id: str = ""
    #: outside the continuous session (when the engine keeps to it): the next session's start
    closed_until: datetime | None = None
    #: the bridge wrote nothing new for ``link_timeout_s`` (any hour): a link failure, not a quiet market
    link_down: bool = False


@dataclass(frozen=True)
class QuoteEvent:
    """A new quote (new ``seq``) was read."""

    quote: SharedQuote


@dataclass(frozen=True)
class BookEvent:
    """The layer book changed (or was loaded)."""

    book: DashboardState


@dataclass(frozen=True)
class SignalEvent:
    """A signal was written (``reemitted`` = the same signal again during recovery).

    ``sold_lots`` lists the ``(layer, shares)`` of each lot a SELL sells, lowest layer first.
    """

    signal: OrderSignal
    rule: str = ""
    reemitted: bool = False
    sold_lots: tuple[tuple[int, int], ...] = ()
    #: the market time (the deciding quote's ``time``) of the decision; ``None`` for a re-send
    market_time: datetime | None = None
    #: what the lots a SELL sells cost (filled value plus fees), for the realised P&L
    sold_cost: float = 0.0


@dataclass(frozen=True)
class ReconcileEvent:
    """The book and the broker disagree after a start or a rebuild: new buys wait for the trader.

    The trader adopts the broker's grid shares (``broker_shares − base_shares``) as lots
    (:meth:`LiveEngine.adopt_broker_lots`) or keeps buys paused.
    """

    broker_shares: int
    book_shares: int
    base_shares: int | None
    broker_avg_price: float


@dataclass(frozen=True)
class ResultEvent:
    """A result was read; ``outcome`` says what the book did with it (see ``book.Outcome``)."""

    result: OrderResult
    outcome: str


@dataclass(frozen=True)
class StatusEvent:
    """The status changed."""

    status: EngineStatus


@dataclass(frozen=True)
class LogEvent:
    """A line for the log view; ``level`` is a ``logging`` level number."""

    level: int
    message: str
    time: datetime | None = None


@dataclass(frozen=True)
class EngineSnapshot:
    """Everything a view needs at once (:meth:`LiveEngine.snapshot`); all parts are immutable.

    ``indicators`` holds the last completed bar's values (``atr``, ``atr_avg``, ``slope``, ``rsi``,
    ``close``) — empty until the first quote with bars; ``params`` is the strategy core's
    parameter object in use.
    """

    book: DashboardState
    status: EngineStatus
    quote: SharedQuote | None = None
    indicators: dict[str, float] = field(default_factory=dict)
    last_signal: OrderSignal | None = None
    last_result: OrderResult | None = None
    params: StrategyParams | None = None
    #: the quote whose ``position``/``asset`` are the trading account: the paper account in paper mode,
    #: otherwise the bridge's quote (the real broker account)
    account: SharedQuote | None = None
    #: seconds since the bridge last wrote a new quote (``seq``), on the app's monotonic clock
    link_age_s: float = 0.0


EngineEvent = QuoteEvent | BookEvent | SignalEvent | ResultEvent | StatusEvent | LogEvent | ReconcileEvent
Listener = Callable[[EngineEvent], None]


@dataclass
class ListenerHub:
    """Thread-safe listener registry."""

    _listeners: list[Listener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, listener: Listener) -> Callable[[], None]:
        """Register ``listener``; returns a function that unregisters it."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def publish(self, event: EngineEvent) -> None:
        """Call every listener with ``event``; a failing listener is logged, never propagated."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("engine listener %r failed", listener)
