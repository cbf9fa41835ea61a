"""A simulated trading day on the real SimBroker: what the engine journals and what the bridge exports.

Signals go to the broker tagged with their ``order_remark`` exactly as the executor does; the journal
gets the engine's ``signal``/``result`` entries (same fields as :mod:`miniqmt_gui.live.engine` writes);
the export comes from the bridge's own :class:`TradesExporter` over the same broker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from miniqmt_gui.live.decision_journal import DecisionJournal
from windows_bridge.bridge.trades_export import TradesExporter, export_path
from windows_bridge.brokers.interface import Side
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import AssetInfo, BrokerPosition, SharedQuote, order_remark
from windows_bridge.executor.results import order_result
from windows_bridge.executor.tracker import FinalOrder

CODE = "159201.SZ"
DAY = datetime(2026, 2, 24, tzinfo=SHANGHAI)  # the first session after the 2026 Spring Festival
BASE = 300_000


@dataclass
class Day:
    """A day being played: clock, broker, journal, book counters."""

    shared: Path
    work: Path
    now: datetime = field(default_factory=lambda: DAY.replace(hour=9, minute=35))
    lots: int = 0
    layers: int = 0

    def __post_init__(self) -> None:
        self.broker = SimBroker(
            self.work / "ledger.json", initial_positions={CODE: BASE}, clock=lambda: self.now
        )
        self.journal = DecisionJournal(self.work / "decisions.jsonl")
        self.broker.on_quote(CODE, 1.000, time=self.now)

    def tick(self, minutes: int, price: float, volume: int | None = None) -> None:
        self.now += timedelta(minutes=minutes)
        self.broker.on_quote(CODE, price, time=self.now, volume=volume)

    def _entry(self, event: str, **fields: object) -> None:
        self.journal.append(
            event,
            self.now,
            seq=1,
            price=fields.pop("quote", None),
            indicators={},
            hold_layers=self.layers,
            lot_shares=self.lots,
            anchor=1.0,
            **fields,
        )

    def signal(self, direction: str, layer: int, shares: int, price: float, token: str) -> tuple[str, int]:
        """Journal the signal and place its order the way the executor does; (signal id, order id)."""
        sid = f"{direction}_{CODE}_L{layer}_{token}"
        self._entry(
            "signal",
            rule="grid",
            signal_id=sid,
            direction=direction,
            layer=layer,
            shares=shares,
            limit_price=price,
            quote=price,
        )
        side = Side.BUY if direction == "BUY" else Side.SELL
        return sid, self.broker.place_limit_order(CODE, side, shares, price, order_remark(sid))

    def finish(self, sid: str, order_id: int, *, journal: bool = True) -> None:
        """Cancel the rest of the order (the executor's timeout) and journal its result."""
        order = next(o for o in self.broker.query_orders() or [] if o.order_id == order_id)
        if not order.status.is_final:
            self.broker.cancel_order(order_id)
            order = next(o for o in self.broker.query_orders() or [] if o.order_id == order_id)
        final = FinalOrder(order_id, order.status, order.filled_shares, order.avg_price, order.message)
        direction = "BUY" if order.side is Side.BUY else "SELL"
        status = order_result(sid, CODE, direction, order.shares, final, DAY).status.value
        fees = sum(t.commission for t in self.broker.query_trades() or [] if t.order_id == order_id)
        sign = 1 if order.side is Side.BUY else -1
        self.lots += sign * order.filled_shares
        self.layers = max(0, self.layers + (sign if order.filled_shares else 0))
        if journal:
            self._entry(
                "result",
                signal_id=sid,
                status=status,
                filled_shares=order.filled_shares,
                avg_price=order.avg_price,
                order_id=order_id,
                requested_shares=order.shares,
                fees=round(fees, 2),
                note="",
            )

    def close(self, price: float = 1.005) -> None:
        """15:10: the bridge writes the trades export (with the closing quote)."""
        self.now = DAY.replace(hour=15, minute=0)
        self.broker.on_quote(CODE, price, time=self.now)
        volume = next(p.volume for p in self.broker.query_positions() or [] if p.code == CODE)
        quote = SharedQuote(
            code=CODE,
            time=self.now,
            price=price,
            pre_close=0.998,
            seq=9,
            heartbeat=self.now,
            positions_status="ok",
            position=BrokerPosition(volume=volume),
            asset=AssetInfo(cash=1.0),
        )
        self.now = DAY.replace(hour=15, minute=10)
        exporter = TradesExporter(self.broker, self.shared, CODE, "bridge@test")
        export = exporter.maybe_export(self.now, quote)
        assert export is not None and export_path(self.shared, self.now.date()).exists()

    def write_export(self, export: object) -> None:
        write_message(export_path(self.shared, self.now.date()), export)  # type: ignore[arg-type]


def play_the_day(shared: Path, work: Path) -> Day:
    """Full fill, a partial fill, a sell whose result the app never applied, a manual trade in QMT."""
    d = Day(shared, work)
    d.tick(1, 0.999)
    sid1, o1 = d.signal("BUY", 1, 10_000, 1.000, "0000000a")  # marketable: fills at once at 0.999
    d.finish(sid1, o1)
    d.tick(30, 0.992)
    sid2, o2 = d.signal("BUY", 2, 10_000, 0.990, "0000000b")
    d.tick(1, 0.990, volume=6_000)  # only 6,000 tradable at 0.990
    d.tick(1, 0.995)
    d.finish(sid2, o2)  # the executor's timeout cancels the rest: partially filled
    d.tick(60, 1.012)
    sid3, o3 = d.signal("SELL", 1, 10_000, 1.010, "0000000c")  # fills at once at 1.012
    d.finish(sid3, o3, journal=False)  # the app crashed before applying this result
    manual = d.broker.place_limit_order(CODE, Side.BUY, 500, 1.015, "")  # someone trading in QMT
    assert manual > 0
    d.close()
    return d
