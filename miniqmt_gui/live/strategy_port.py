"""The engine's seam to the strategy core: "given this book, price and indicators, what now?".

The trading rules exist once, in the strategy core (:mod:`miniqmt_gui.core`); the engine never
re-implements them. It sees the core through :class:`Decider`, which turns the bridge's 1-minute
bars into an indicator snapshot and answers one evaluation with an :class:`Intent` or ``None``.
:func:`miniqmt_gui.live.decider.make_core_decider` adapts the real core; tests may pass
a scripted decider to exercise the engine's bookkeeping in isolation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from windows_bridge.contract.messages import Bar, DashboardState


@dataclass(frozen=True)
class Snapshot:
    """Indicators of the last completed bar, as the engine needs them.

    ``values`` (e.g. ``atr``, ``atr_avg``, ``slope``, ``rsi``) go to the decision journal; ``core``
    is the strategy core's own snapshot object, handed back to :meth:`Decider.decide` untouched.
    """

    ready: bool
    close: float
    bar_time: datetime | None
    values: dict[str, float] = field(default_factory=dict)
    core: Any = None
    bars: int = 0


@dataclass(frozen=True)
class Intent:
    """One decision: BUY one layer, or SELL the listed lots as one signal.

    ``layer`` is the bought layer, or for a SELL the highest layer sold (it goes into the signal id);
    ``shares`` is the order size (a SELL's is the sum of its lots); ``price`` the limit price.
    """

    direction: Literal["BUY", "SELL"]
    layer: int
    shares: int
    price: float
    sell_layers: tuple[int, ...] = ()
    rule: str = ""


class Decider(Protocol):
    """The strategy core as the engine uses it."""

    def snapshot(self, bars: Sequence[Bar]) -> Snapshot:
        """Indicators on the last of ``bars`` (completed 1-minute bars, oldest first)."""
        ...

    def decide(
        self, book: DashboardState, price: float, snapshot: Snapshot, now: datetime
    ) -> Intent | None:
        """One evaluation at ``price``: the intent, or ``None`` when nothing is to be done."""
        ...

    def with_params(self, params: Any) -> Decider:
        """The same decider with other strategy parameters."""
        ...
