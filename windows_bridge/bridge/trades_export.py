"""After the close the bridge writes the day's broker trades for the app's reconciliation.

:class:`TradesExporter` is called once per producer cycle (:meth:`TradesExporter.maybe_export`) and
does nothing until ``after`` (15:05) on an exchange trading day. Then it queries trades, orders,
the position and (when both lists are missing) the asset, decides what the answers prove (see
:mod:`windows_bridge.contract.trades_export`: QMT answers ``None`` both for an empty list and for a
failure), and writes ``trades/trades_YYYYMMDD.json`` atomically. An ``ok`` export ends the day's
work; anything else is retried every ``retry_s`` seconds (an ``unconfirmed`` one at most
``max_unconfirmed`` times, since asking again rarely changes QMT's answer), each attempt
overwriting the file so the app always sees the latest word. A restart finds an ``ok`` file and
does not query again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from windows_bridge.brokers.interface import Broker, BrokerOrder, BrokerTrade
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import TRADES_DIR
from windows_bridge.contract.market_hours import SHANGHAI, is_trading_day
from windows_bridge.contract.messages import SharedQuote
from windows_bridge.contract.trades_export import (
    ExportedOrder,
    ExportedTrade,
    ExportStatus,
    TradesExport,
    trades_export_name,
)

log = logging.getLogger("windows_bridge.bridge")

EXPORT_AFTER = dtime(15, 5)
RETRY_S = 60.0
MAX_UNCONFIRMED = 3


def export_path(shared_dir: Path, day: date) -> Path:
    """Where the export for ``day`` lives in the shared folder."""
    return shared_dir / TRADES_DIR / trades_export_name(day)


def _trade(t: BrokerTrade) -> ExportedTrade:
    return ExportedTrade(trade_id=t.trade_id, order_id=t.order_id, code=t.code, direction=t.side.value,
                         shares=t.shares, price=t.price, fees=max(0.0, t.commission), remark=t.remark,
                         time=t.time)


def _order(o: BrokerOrder) -> ExportedOrder:
    return ExportedOrder(order_id=o.order_id, code=o.code, direction=o.side.value, price=max(0.0, o.price),
                         shares=max(0, o.shares), filled_shares=max(0, o.filled_shares),
                         avg_price=max(0.0, o.avg_price), status=o.status.value, remark=o.remark,
                         message=o.message, time=o.time)


def judge(trades: list[BrokerTrade] | None, orders: list[BrokerOrder] | None,
          asset_answered: bool) -> tuple[ExportStatus, str]:
    """What the answers prove: ``ok`` / ``unconfirmed`` / ``failed`` and why."""
    if trades is not None:
        # the adapter turns QMT's None into [] when the account summary says the list may be empty;
        # fills in today's orders that the trades do not cover still prove the trades answer wrong
        if sum(o.filled_shares for o in orders or []) > sum(t.shares for t in trades):
            return "failed", "trades query gave no answer although orders show fills"
        return "ok", ""
    if orders:
        if any(o.filled_shares > 0 for o in orders):
            return "failed", "trades query gave no answer although orders show fills"
        return "ok", "no trades: today's orders show no fills"
    if orders is None and asset_answered:
        return "unconfirmed", "QMT answered no trades and no orders: an empty day or a failed query"
    return "failed", "the broker did not answer (session down?)"


class TradesExporter:
    """Writes the day's trades export once after the close (see the module doc)."""

    def __init__(self, broker: Broker, shared_dir: Path, code: str, producer: str, *,
                 after: dtime = EXPORT_AFTER, retry_s: float = RETRY_S,
                 max_unconfirmed: int = MAX_UNCONFIRMED,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """Nothing is queried until :meth:`maybe_export` is called after ``after`` on a trading day."""
        self.broker, self.shared_dir, self.code, self.producer = broker, shared_dir, code, producer
        self.after, self.retry_s, self.max_unconfirmed = after, retry_s, max_unconfirmed
        self._mono = monotonic
        self._done: date | None = None
        self._attempts: dict[date, int] = {}
        self._last_try = -1e18

    def due(self, now: datetime) -> date | None:
        """The day to export now, or ``None`` (too early, not a trading day, done, or waiting to retry)."""
        local = now.astimezone(SHANGHAI)
        day = local.date()
        if local.time() < self.after or self._done == day or not is_trading_day(day):
            return None
        if self._mono() - self._last_try < self.retry_s:
            return None
        if self._attempts.get(day, 0) == 0 and self._already_ok(day):
            self._done = day
            return None
        return day

    def _already_ok(self, day: date) -> bool:
        found = read_message(export_path(self.shared_dir, day), TradesExport).value
        return found is not None and found.status == "ok" and found.day == day

    def maybe_export(self, now: datetime, quote: SharedQuote | None = None) -> TradesExport | None:
        """Query and write the export when it is due; the export written, or ``None``.

        ``quote`` is the producer's latest quote: its price, previous close and broker position go
        into the export (the report's P&L needs them).
        """
        day = self.due(now)
        if day is None:
            return None
        self._last_try = self._mono()
        attempts = self._attempts[day] = self._attempts.get(day, 0) + 1
        export = self.build(day, now, quote)
        path = export_path(self.shared_dir, day)
        path.parent.mkdir(exist_ok=True)  # not parents: a vanished share must fail, not be re-created locally
        write_message(path, export)
        final = export.status == "ok" or (export.status == "unconfirmed" and attempts >= self.max_unconfirmed)
        if final:
            self._done = day
        level = logging.INFO if export.status == "ok" else logging.WARNING
        log.log(level, "trades export %s for %s: %d trades%s", export.status, day, len(export.trades),
                f" ({export.reason})" if export.reason else "")
        return export

    def build(self, day: date, now: datetime, quote: SharedQuote | None = None) -> TradesExport:
        """Ask the broker and judge the answers (no file is written)."""
        connected = self.broker.connected
        trades = self.broker.query_trades() if connected else None
        orders = self.broker.query_orders() if connected else None
        asset_answered = connected and trades is None and not orders and self.broker.query_asset() is not None
        status, reason = judge(trades, orders, asset_answered)
        if quote is not None and (quote.code != self.code or quote.time.astimezone(SHANGHAI).date() != day):
            quote = None  # another code or yesterday's last price: no close to report
        return TradesExport(
            day=day, code=self.code, status=status, reason=reason,
            trades=[_trade(t) for t in trades or [] if t.shares > 0 and t.price > 0],
            orders=None if orders is None else [_order(o) for o in orders],
            position=quote.position if quote else None, close_price=quote.price if quote else 0.0,
            pre_close=quote.pre_close if quote else 0.0,
            written=now, producer=self.producer,
        )
