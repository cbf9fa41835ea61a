"""Every order and trade the simulated broker ever held, across day changes.

The simulated broker (like QMT) lists only today's orders and trades: at a replayed day change its
ledger forgets yesterday's. :class:`LedgerWatch` reads the ledger file every ``interval_s`` from a
background thread and keeps each order (by id, last state seen) and each trade (by trade id), so the
summary and the chain tests can count broker orders per ``order_remark`` over the whole run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from windows_bridge.brokers.interface import BrokerTrade
from windows_bridge.brokers.sim.ledger import Ledger, LedgerError, SimOrder, ledger_from_json
from windows_bridge.contract.atomic_io import read_bytes


@dataclass
class BrokerRecord:
    """What the watch has accumulated."""

    orders: dict[int, SimOrder] = field(default_factory=dict)
    trades: dict[str, BrokerTrade] = field(default_factory=dict)
    last: Ledger | None = None

    def add(self, ledger: Ledger) -> None:
        """Merge one ledger snapshot."""
        for order in ledger.orders:
            self.orders[order.order_id] = order
        for trade in ledger.trades:
            self.trades[trade.trade_id] = trade
        self.last = ledger

    def orders_per_remark(self) -> dict[str, int]:
        """How many broker orders carry each remark."""
        counts: dict[str, int] = {}
        for order in self.orders.values():
            counts[order.remark] = counts.get(order.remark, 0) + 1
        return counts

    def duplicates(self) -> dict[str, int]:
        """Remarks with more than one broker order (must stay empty)."""
        return {remark: n for remark, n in self.orders_per_remark().items() if n > 1}


def read_ledger(path: Path) -> Ledger | None:
    """The ledger now, or None when it is missing or mid-write."""
    try:
        raw = read_bytes(path, limit=256 * 1024 * 1024)
        return ledger_from_json(raw) if raw else None
    except (OSError, LedgerError):
        return None


class LedgerWatch:
    """Polls a ledger file from a daemon thread; :meth:`stop` takes a last snapshot."""

    def __init__(self, path: Path, interval_s: float = 0.1) -> None:
        """Watch ``path``."""
        self.path = path
        self.interval_s = interval_s
        self.record = BrokerRecord()
        self._stamp: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="ledger-watch", daemon=True)

    def start(self) -> LedgerWatch:
        """Start polling."""
        self._thread.start()
        return self

    def poll(self) -> None:
        """Read the ledger once if it changed."""
        try:
            st = self.path.stat()
        except OSError:
            return
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return
        ledger = read_ledger(self.path)
        if ledger is not None:
            with self._lock:
                self.record.add(ledger)
                self._stamp = stamp

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.poll()

    def stop(self) -> BrokerRecord:
        """Stop polling; the record including a final snapshot."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2.0)
        self.poll()
        return self.record
