""""The broker is the truth" (SPEC §4): compare the bridge's position with the layer book.

* A **trustworthy zero** clears the lots: ``positions_status`` ok, the position's volume and market
  value 0, the account's market value 0, seen on ``zero_snapshots`` different quotes in a row while
  no order is in flight. A failed position query is never read as zero.
* Any **other mismatch** — the broker holds fewer shares than the lots (plus the base position when
  it is configured), or more than lots + base when the base is known — is reported and blocks new
  buys until the broker and the book agree again. Sells stay allowed: they only reduce risk.

While a signal is pending the comparison is suspended (the broker may be mid-fill), and the zero
counter restarts after every change of the book so a snapshot taken before a fill never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from windows_bridge.contract.messages import SharedQuote


class SyncVerdict(StrEnum):
    """What one comparison concluded."""

    UNKNOWN = "unknown"  # no usable position (query failed, or an order is in flight)
    AGREE = "agree"
    ZERO_PENDING = "zero_pending"  # a trustworthy zero, not yet seen often enough
    CLEAR_LOTS = "clear_lots"  # the lots must be cleared now
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class SyncReport:
    """One comparison: verdict, the share counts compared, and a readable detail."""

    verdict: SyncVerdict
    broker_shares: int = 0
    book_shares: int = 0
    zero_count: int = 0

    @property
    def blocks_buys(self) -> bool:
        """True while the mismatch stands (new buys paused)."""
        return self.verdict in (SyncVerdict.MISMATCH, SyncVerdict.ZERO_PENDING)


def _trustworthy_zero(quote: SharedQuote) -> bool:
    pos = quote.position
    if quote.positions_status != "ok" or pos is None:
        return False
    asset_zero = quote.asset is not None and quote.asset.market_value == 0
    return pos.volume == 0 and pos.market_value == 0 and asset_zero


class BrokerSync:
    """Stateful comparator; call :meth:`check` once per new quote, :meth:`reset` when the book changes."""

    def __init__(self, zero_snapshots: int = 3, base_shares: int | None = None) -> None:
        """``zero_snapshots`` zeros in a row clear the lots; ``base_shares`` is the Beta position."""
        self.zero_snapshots = zero_snapshots
        self.base_shares = base_shares
        self._zero_seqs: list[int] = []
        self.last = SyncReport(SyncVerdict.UNKNOWN)

    def reset(self) -> None:
        """Forget the zero snapshots seen so far (the book or the order flow changed)."""
        self._zero_seqs.clear()

    def _expected(self, book_shares: int) -> tuple[int, int | None]:
        """Smallest and largest broker volume that agrees with the book (``None`` = no upper bound)."""
        if self.base_shares is None:
            return book_shares, None
        return book_shares + self.base_shares, book_shares + self.base_shares

    def _zero(self, quote: SharedQuote, book_shares: int) -> SyncReport:
        if not self._zero_seqs or self._zero_seqs[-1] != quote.seq:
            self._zero_seqs.append(quote.seq)
        count = len(self._zero_seqs)
        verdict = SyncVerdict.CLEAR_LOTS if count >= self.zero_snapshots else SyncVerdict.ZERO_PENDING
        return SyncReport(verdict, 0, book_shares, count)

    def check(self, quote: SharedQuote, book_shares: int, in_flight: bool) -> SyncReport:
        """Compare one quote's broker position with ``book_shares`` (lots only)."""
        if in_flight or quote.positions_status != "ok" or quote.position is None:
            self.reset()
            self.last = SyncReport(SyncVerdict.UNKNOWN, book_shares=book_shares)
            return self.last
        broker = quote.position.volume
        if book_shares > 0 and _trustworthy_zero(quote):
            self.last = self._zero(quote, book_shares)
            return self.last
        self.reset()
        low, high = self._expected(book_shares)
        agree = broker >= low and (high is None or broker <= high)
        self.last = SyncReport(SyncVerdict.AGREE if agree else SyncVerdict.MISMATCH, broker, book_shares)
        return self.last
