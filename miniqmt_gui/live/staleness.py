"""Stale-quote detection on the app's own monotonic clock (SPEC §4 "Stale quotes").

The bridge rewrites ``shared_quote.json`` every few seconds with a growing ``seq`` and an advancing
quote ``time``. Quotes are stale when either has not advanced for ``stale_after`` seconds *of market
hours*: while the market is closed (lunch, night, weekend) the clock is held, so the pause at lunch
never raises the alarm and the first minutes after 13:00 are not stale either. Wall-clock and
monotonic clocks are injectable for tests. Staleness clears by itself on the next advancing quote.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from windows_bridge.contract.market_hours import in_market_hours, now_shanghai


@dataclass
class _Progress:
    value: object = None
    since: float = 0.0


class StalenessTracker:
    """Feed every poll's ``(seq, quote time)``; ask :meth:`is_stale`."""

    def __init__(
        self,
        stale_after_s: float = 300.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = now_shanghai,
    ) -> None:
        """``stale_after_s`` seconds of market time without progress make quotes stale."""
        self.stale_after_s = stale_after_s
        self._mono = monotonic
        self._wall = wall_clock
        start = monotonic()
        self._seq = _Progress(since=start)
        self._time = _Progress(since=start)
        self._last_poll = start

    def _hold_while_closed(self, now: float) -> None:
        """Outside market hours the elapsed time does not count: move both baselines forward."""
        if not in_market_hours(self._wall()):
            gap = now - self._last_poll
            self._seq.since += gap
            self._time.since += gap
        self._last_poll = now

    @staticmethod
    def _advance(progress: _Progress, value: object, now: float) -> None:
        if value != progress.value:
            progress.value = value
            progress.since = now

    def observe(self, seq: int | None, quote_time: datetime | None) -> None:
        """Record one poll; ``None`` values (no readable quote) record no progress."""
        now = self._mono()
        self._hold_while_closed(now)
        if seq is not None:
            self._advance(self._seq, seq, now)
        if quote_time is not None:
            self._advance(self._time, quote_time, now)

    def age_s(self) -> float:
        """Market seconds since the older of the two last progresses (``seq`` and ``time``)."""
        now = self._mono()
        self._hold_while_closed(now)
        return now - min(self._seq.since, self._time.since)

    def is_stale(self) -> bool:
        """True when quotes have not advanced for ``stale_after_s`` market seconds."""
        return self.age_s() > self.stale_after_s
