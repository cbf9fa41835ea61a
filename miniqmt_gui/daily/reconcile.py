"""Match the broker's trades of a day to the app's signals and results.

A broker order belongs to a signal when it carries the signal's ``order_remark`` (what the executor
tags every order with) or the order id the result reported. For each signal the row shows requested
vs filled (by the app's result and by the broker's trades), the average fill against the signal's
price, slippage in CNY and basis points (positive = it cost us: paid more on a buy, got less on a
sell) and fees. Problems are named on the row; a broker trade no signal explains (a manual trade in
QMT, another program on the account) is an **alarm**, and so is a fill the app never heard of.

The export's status matters: ``failed`` or missing means the broker side is unknown (never "no
trades"); ``unconfirmed`` is accepted as "no trades" only when the app's own results show no fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from miniqmt_gui.daily.day_records import AppliedResult, DayRecords, SentSignal
from windows_bridge.contract.messages import order_remark
from windows_bridge.contract.trades_export import ExportedOrder, ExportedTrade, TradesExport


@dataclass(frozen=True)
class Row:
    """One signal (or one unexplained broker order) of the day."""

    signal_id: str
    direction: str
    layer: int
    signal_price: float
    requested: int
    status: str
    app_filled: int
    app_avg: float
    broker_filled: int
    broker_avg: float
    fees: float
    order_ids: tuple[int, ...]
    slippage_cny: float
    slippage_bps: float
    problems: tuple[str, ...] = ()
    alarm: bool = False

    @property
    def value(self) -> float:
        """Traded value at the broker's average price."""
        return self.broker_filled * self.broker_avg


@dataclass(frozen=True)
class Totals:
    """Sums over the matched (grid) trades."""

    bought_shares: int = 0
    bought_value: float = 0.0
    sold_shares: int = 0
    sold_value: float = 0.0
    fees: float = 0.0
    slippage_cny: float = 0.0
    slippage_bps: float = 0.0


@dataclass(frozen=True)
class Reconciliation:
    """The day's verdict: rows, totals, alarms and what the broker side is worth."""

    day: date
    export_status: str  # ok / unconfirmed / failed / missing
    export_reason: str
    rows: tuple[Row, ...]
    unexplained: tuple[Row, ...]
    totals: Totals
    alarms: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    @property
    def clean(self) -> bool:
        """True when every signal matches the broker and nothing is unexplained."""
        return not self.alarms and self.export_status in ("ok", "unconfirmed")


def _vwap(trades: list[ExportedTrade]) -> tuple[int, float]:
    shares = sum(t.shares for t in trades)
    return shares, (sum(t.shares * t.price for t in trades) / shares if shares else 0.0)


def slippage(direction: str, signal_price: float, avg: float, shares: int) -> tuple[float, float]:
    """(CNY, bps) that the fill cost against the signal price; positive = worse than the signal."""
    if shares <= 0 or signal_price <= 0 or avg <= 0:
        return 0.0, 0.0
    sign = 1.0 if direction == "BUY" else -1.0
    cny = round(sign * (avg - signal_price) * shares, 2)
    return cny, round(cny / (signal_price * shares) * 10_000, 2)


def _problems(
    sig: SentSignal, res: AppliedResult | None, broker_filled: int, order_ids: set[int], broker_known: bool
) -> list[str]:
    found: list[str] = []
    if res is None:
        found.append("missing_result")
    elif res.status == "in_doubt":
        found.append("in_doubt")
    if not broker_known:
        return found
    app_filled = res.filled_shares if res is not None else 0
    if res is not None and app_filled != broker_filled:
        found.append("fill_mismatch")
    if res is not None and res.order_id is not None and order_ids and res.order_id not in order_ids:
        found.append("order_id_mismatch")
    return found


def _row(
    sig: SentSignal,
    res: AppliedResult | None,
    orders: list[ExportedOrder],
    trades: list[ExportedTrade],
    broker_known: bool,
) -> Row:
    ids = {o.order_id for o in orders} | {t.order_id for t in trades}
    broker_filled, broker_avg = _vwap(trades)
    if not broker_known and res is not None:  # nothing better than the app's own word
        broker_filled, broker_avg = 0, 0.0
    fill_avg = broker_avg if broker_filled else (res.avg_price if res is not None else 0.0)
    fill_shares = broker_filled if broker_known else (res.filled_shares if res is not None else 0)
    cny, bps = slippage(sig.direction, sig.price, fill_avg, fill_shares)
    fees = round(sum(t.fees for t in trades), 2) if trades else (res.fees if res is not None else 0.0)
    problems = _problems(sig, res, broker_filled, ids, broker_known)
    alarm = bool({"fill_mismatch", "order_id_mismatch"} & set(problems)) or (
        "missing_result" in problems and broker_filled > 0
    )
    return Row(
        signal_id=sig.signal_id,
        direction=sig.direction,
        layer=sig.layer,
        signal_price=sig.price,
        requested=sig.shares,
        status=res.status if res is not None else "",
        app_filled=res.filled_shares if res is not None else 0,
        app_avg=res.avg_price if res is not None else 0.0,
        broker_filled=broker_filled,
        broker_avg=round(broker_avg, 4),
        fees=fees,
        order_ids=tuple(sorted(ids)),
        slippage_cny=cny,
        slippage_bps=bps,
        problems=tuple(problems),
        alarm=alarm,
    )


def _unexplained(trades: list[ExportedTrade]) -> list[Row]:
    by_order: dict[int, list[ExportedTrade]] = {}
    for t in trades:
        by_order.setdefault(t.order_id, []).append(t)
    rows = []
    for order_id, group in sorted(by_order.items()):
        shares, avg = _vwap(group)
        first = group[0]
        rows.append(
            Row(
                signal_id=first.remark or "",
                direction=first.direction,
                layer=0,
                signal_price=0.0,
                requested=0,
                status="",
                app_filled=0,
                app_avg=0.0,
                broker_filled=shares,
                broker_avg=round(avg, 4),
                fees=round(sum(t.fees for t in group), 2),
                order_ids=(order_id,),
                slippage_cny=0.0,
                slippage_bps=0.0,
                problems=("unexplained",),
                alarm=True,
            )
        )
    return rows


def _totals(rows: list[Row]) -> Totals:
    buys = [r for r in rows if r.direction == "BUY" and r.broker_filled]
    sells = [r for r in rows if r.direction == "SELL" and r.broker_filled]
    slip = round(sum(r.slippage_cny for r in rows), 2)
    base = sum(r.signal_price * r.broker_filled for r in rows if r.broker_filled)
    return Totals(
        bought_shares=sum(r.broker_filled for r in buys),
        bought_value=round(sum(r.value for r in buys), 2),
        sold_shares=sum(r.broker_filled for r in sells),
        sold_value=round(sum(r.value for r in sells), 2),
        fees=round(sum(r.fees for r in rows), 2),
        slippage_cny=slip,
        slippage_bps=round(slip / base * 10_000, 2) if base else 0.0,
    )


def reconcile(records: DayRecords, export: TradesExport | None, code: str) -> Reconciliation:
    """Match ``records`` (the app's day) against ``export`` (the broker's day, ``None`` = not written)."""
    status = export.status if export is not None else "missing"
    broker_known = status in ("ok", "unconfirmed")
    trades = [t for t in (export.trades if export else []) if t.code == code]
    orders = [o for o in (export.orders or [] if export else []) if o.code == code]
    used: set[int] = set()
    rows: list[Row] = []
    for sig in records.signals:
        res = records.results.get(sig.signal_id)
        remark = order_remark(sig.signal_id)
        ids = {o.order_id for o in orders if o.remark == remark}
        if res is not None and res.order_id is not None and res.order_id > 0:
            ids.add(res.order_id)
        mine = [t for t in trades if t.remark == remark or t.order_id in ids]
        used.update(id(t) for t in mine)
        rows.append(_row(sig, res, [o for o in orders if o.order_id in ids], mine, broker_known))
    unexplained = _unexplained([t for t in trades if id(t) not in used])
    alarms, notes = _verdicts(records, rows, unexplained, status)
    return Reconciliation(
        day=records.day,
        export_status=status,
        export_reason=export.reason if export else "",
        rows=tuple(rows),
        unexplained=tuple(unexplained),
        totals=_totals(rows),
        alarms=tuple(alarms),
        notes=tuple(notes),
    )


def _verdicts(
    records: DayRecords,
    rows: list[Row],
    unexplained: list[Row],
    status: str,
) -> tuple[list[str], list[str]]:
    alarms: list[str] = []
    notes: list[str] = []
    app_fills = [r for r in rows if r.app_filled > 0]
    if status == "missing":
        alarms.append("no_export")
    elif status == "failed":
        alarms.append("export_failed")
    elif status == "unconfirmed":
        (alarms if app_fills else notes).append("export_unconfirmed")
    for row in unexplained:
        alarms.append(f"unexplained:{row.order_ids[0]}")
    for row in rows:
        if row.alarm:
            alarms.append(f"{','.join(p for p in row.problems)}:{row.signal_id}")
        elif row.problems:
            notes.append(f"{','.join(row.problems)}:{row.signal_id}")
    if not records.signals and not unexplained and status != "missing":
        notes.append("no_signals")
    return alarms, notes
