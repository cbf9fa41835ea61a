"""When to poll next: fast around the bridge's next quote, slow in between.

The live path is quote → signal → executor → result, and every step of it follows a new quote: the
engine decides on a fresh quote, the executor's signal arrives tens of milliseconds after that quote.
The bridge rewrites ``shared_quote.json`` on a steady cadence (every ``quote_interval_s``, 3 s), so a
poller can learn that cadence and poll fast only from just before the next quote is due until a
little after it arrived, and sleep in between. That keeps the path fast (a 10 ms poll where it
matters) and an idle process quiet (a handful of wake-ups a second instead of fifty) — SPEC §6.

    pacer = QuotePacer(shared / QUOTE_FILE)
    while not stop.wait(pacer.next_wait()):
        poll_once()

The cadence is the median of the last gaps between new quote versions (one ``stat`` per call). While
it is unknown, or when quotes stopped coming (market closed, bridge down), it polls every ``slow_s``.

A poller that reads the quote itself (the engine) passes the version it last read: a quote that landed
between its read and the pacer's ``stat`` is then polled for at once, not a nap later (that race put
the engine stage at 257 ms on 2 of 300 signals).
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from windows_bridge.contract.file_watch import Signature, signature

FAST_S = 0.01
SLOW_S = 0.25
LEAD_S = 0.06
FOLLOW_S = 0.15
MIN_GAP_S, MAX_GAP_S = 0.05, 60.0


class QuotePacer:
    """Seconds to wait before the next poll, from the quote file's observed cadence."""

    def __init__(self, quote_path: Path, *, fast_s: float = FAST_S, slow_s: float = SLOW_S,
                 lead_s: float = LEAD_S, follow_s: float = FOLLOW_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """Pace polls around ``quote_path``'s updates (see the module docstring for the knobs)."""
        self.path = quote_path
        self.fast_s, self.slow_s, self.lead_s, self.follow_s = fast_s, slow_s, lead_s, follow_s
        self._monotonic = monotonic
        self._version: Signature | None = None
        self._arrived: float | None = None
        self._gaps: deque[float] = deque(maxlen=5)

    @property
    def period(self) -> float | None:
        """The learned quote cadence in seconds (``None`` until two new quotes were seen)."""
        return statistics.median(self._gaps) if self._gaps else None

    def _observe(self, now: float) -> None:
        version = signature(self.path)
        if version is None or version == self._version:
            return
        if self._version is not None and self._arrived is not None:
            gap = now - self._arrived
            if MIN_GAP_S <= gap <= MAX_GAP_S:
                self._gaps.append(gap)
        self._version, self._arrived = version, now

    def next_wait(self, read: Signature | None = None) -> float:
        """How long to sleep before the next poll (``fast_s`` … ``slow_s``).

        ``read`` is the quote version the caller last read (``None``: it does not read the quote).
        """
        now = self._monotonic()
        self._observe(now)
        if read is not None and self._version is not None and self._version != read:
            return self.fast_s  # a quote the caller has not read yet is on disk now
        period = self.period
        if self._arrived is None or period is None:
            return self.slow_s
        since = now - self._arrived
        if since < self.follow_s:
            return self.fast_s  # a quote just came: its signal (or result) follows within this window
        until_due = period - since
        if until_due > self.lead_s:
            # never nap half a period or more: a poller slower than the quotes would see every second
            # version only and learn twice the cadence (a 1 s nap against 0.5 s quotes)
            return max(self.fast_s, min(self.slow_s, period / 2, until_due - self.lead_s))
        if since < 2 * period:
            return self.fast_s  # due now, or a little late
        return self.slow_s  # quotes stopped coming
