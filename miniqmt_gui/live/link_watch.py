"""Is the bridge alive? A link failure is not a quiet market.

The bridge rewrites ``shared_quote.json`` every few seconds at any hour — at lunch and at night too, the
``seq`` keeps growing while the price stands still. So a ``seq`` that has not moved for ``timeout_s``
seconds on the app's own monotonic clock means the link is down (bridge stopped, share gone, VM
asleep), whatever the market does. Market staleness (:mod:`.staleness`) is the other question: the
price did not move during market hours.

:class:`MarketClock` is the market's time for staleness under a rehearsal: the last quote's time plus
the monotonic seconds since it was seen, so a replay running 90× faster than the wall clock (or at
night) is judged by its own session hours, not by the wall clock's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta


class LinkWatch:
    """Feed every poll's ``seq``; :meth:`down` says whether the bridge stopped writing."""

    def __init__(self, timeout_s: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        """Down after ``timeout_s`` monotonic seconds without a new ``seq`` (never seen one: not down)."""
        self.timeout_s = timeout_s
        self._mono = monotonic
        self._seq: int | None = None
        self._since = monotonic()

    def observe(self, seq: int | None) -> None:
        """Record one poll (``None`` = no readable quote this time)."""
        if seq is not None and seq != self._seq:
            self._seq, self._since = seq, self._mono()

    def age_s(self) -> float:
        """Seconds since the last new ``seq`` (since start when none was seen)."""
        return self._mono() - self._since

    def down(self) -> bool:
        """True when a bridge was seen and has written nothing new for ``timeout_s``."""
        return self._seq is not None and self.age_s() > self.timeout_s


class MarketClock:
    """The replayed market's time: last quote time + monotonic time since it arrived."""

    def __init__(self, fallback: Callable[[], datetime],
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """``fallback`` (the wall clock) answers until the first quote."""
        self._fallback, self._mono = fallback, monotonic
        self._time: datetime | None = None
        self._at = 0.0

    def observe(self, quote_time: datetime | None) -> None:
        """A quote with this market time was just read."""
        if quote_time is not None and quote_time != self._time:
            self._time, self._at = quote_time, self._mono()

    def __call__(self) -> datetime:
        """The market's time now."""
        if self._time is None:
            return self._fallback()
        return self._time + timedelta(seconds=self._mono() - self._at)
