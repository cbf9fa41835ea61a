"""Commands another thread (the GUI) sends to the engine; queued and applied inside ``step()``."""

from __future__ import annotations

import queue
from dataclasses import dataclass

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.strategy.params import StrategyParams


@dataclass(frozen=True)
class SetState:
    """Switch the trading state (start → running, stop, sell-only, halt)."""

    state: TradingState
    reason: str = ""


@dataclass(frozen=True)
class Resume:
    """Remove ``STOP`` and return to ``state`` (running; a portfolio returns each code to its own)."""

    state: TradingState = TradingState.RUNNING


@dataclass(frozen=True)
class SetParams:
    """Replace the strategy parameters."""

    params: StrategyParams


@dataclass(frozen=True)
class AdoptBrokerLots:
    """Reconcile: adopt the broker's grid shares as the book's lots."""


@dataclass(frozen=True)
class SellLayer:
    """Manual intervention: sell one held layer now, as a signal like any other (same path, journaled)."""

    layer: int


@dataclass(frozen=True)
class CancelPending:
    """Manual intervention: ask the executor to cancel the working order of the pending signal."""

    signal_id: str


@dataclass(frozen=True)
class EditLots:
    """Manual intervention: replace the book's lots (``(layer, shares, buy_price)`` each) to correct it."""

    lots: tuple[tuple[int, int, float], ...]
    note: str = ""


Command = SetState | Resume | SetParams | AdoptBrokerLots | SellLayer | CancelPending | EditLots


class CommandQueue:
    """A thread-safe FIFO of commands."""

    def __init__(self) -> None:
        """Empty queue."""
        self._queue: queue.SimpleQueue[Command] = queue.SimpleQueue()

    def put(self, command: Command) -> None:
        """Enqueue from any thread."""
        self._queue.put(command)

    def drain(self) -> list[Command]:
        """Everything queued so far, oldest first (engine thread)."""
        items: list[Command] = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items
