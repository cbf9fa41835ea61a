"""The run's facts, read from the files the processes left (never from their memory).

Sources: ``shared_quote.json`` (quotes written), the engine's decision journal (signals emitted,
results applied), the executor's journal (one outcome per signal), the broker record of
:mod:`.ledger_watch` (orders, trades, position) and ``dashboard_state.json`` (the app's book).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from miniqmt_gui.rehearsal.demo.layout import DemoLayout
from miniqmt_gui.rehearsal.demo.ledger_watch import BrokerRecord
from windows_bridge.brokers.interface import Side
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.files import QUOTE_FILE, STATE_FILE, CodeFiles
from windows_bridge.contract.messages import DashboardState, SharedQuote

CODE = "159201.SZ"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every complete JSON object line of ``path`` (torn or foreign lines skipped)."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            found.append(entry)
    return found


def engine_signals(layout: DemoLayout, journal: Path | None = None) -> tuple[list[str], int, Counter[str]]:
    """(signal ids in emission order, re-emissions, results applied per id) from the decision journal
    (``journal``: another code's; default the primary code's)."""
    ids: list[str] = []
    reemitted = 0
    applied: Counter[str] = Counter()
    for entry in read_jsonl(journal or layout.decisions):
        event, sid = entry.get("event"), str(entry.get("signal_id") or "")
        if event == "signal" and sid not in ids:
            ids.append(sid)
        elif event == "signal_reemitted":
            reemitted += 1
        elif event == "result" and sid:
            applied[sid] += 1
    return ids, reemitted, applied


def executor_outcomes(layout: DemoLayout) -> dict[str, dict[str, Any]]:
    """The first journaled outcome (the result) per signal id."""
    outcomes: dict[str, dict[str, Any]] = {}
    for entry in read_jsonl(layout.journal):
        if entry.get("type") == "outcome" and isinstance(entry.get("result"), dict):
            outcomes.setdefault(str(entry.get("signal_id")), entry["result"])
    return outcomes


def book_state(layout: DemoLayout, code: str | None = None) -> DashboardState | None:
    """The app's persisted layer book (``code``: another code's, in its own file)."""
    name = STATE_FILE if code is None or code == CODE else CodeFiles(code, primary=False).state
    return read_message(layout.shared / name, DashboardState).value


@dataclass
class Pnl:
    """Grid P&L with average cost (the base position is not part of it)."""

    realised: float = 0.0
    unrealised: float = 0.0
    fees: float = 0.0
    inventory: int = 0
    cost: float = 0.0

    def trade(self, side: Side, shares: int, price: float) -> None:
        """Apply one fill."""
        if side is Side.BUY:
            self.inventory += shares
            self.cost += shares * price
            return
        avg = self.cost / self.inventory if self.inventory else price
        sold = min(shares, self.inventory)
        self.realised += (price - avg) * sold
        self.inventory -= sold
        self.cost -= avg * sold


def grid_pnl(record: BrokerRecord, code: str | None = None) -> Pnl:
    """Realised + unrealised P&L of every fill (of ``code`` only, when given), marked at the last price."""
    pnl = Pnl()
    trades = sorted((t for t in record.trades.values() if code is None or t.code == code),
                    key=lambda t: (t.time.isoformat() if t.time else "", t.trade_id))
    for t in trades:
        pnl.trade(t.side, t.shares, t.price)
    pnl.fees = sum(o.fees for o in record.orders.values() if code is None or o.code == code)
    last = record.last.last_prices.get(code or CODE, 0.0) if record.last else 0.0
    if pnl.inventory and last:
        pnl.unrealised = last * pnl.inventory - pnl.cost
    return pnl


def _results_block(outcomes: dict[str, dict[str, Any]]) -> dict[str, int]:
    status = Counter(str(r.get("status")) for r in outcomes.values())
    return {
        "results": len(outcomes), "filled": status["filled"], "partial_fills": status["partially_filled"],
        "cancelled": status["cancelled"], "rejections": status["rejected"],
    }


def _book_block(layout: DemoLayout, record: BrokerRecord, base: int, code: str = CODE) -> dict[str, Any]:
    book = book_state(layout, code)
    lots = sum(lot.shares for lot in book.positions) if book else None
    pos = record.last.positions.get(code) if record.last else None
    broker_volume = pos.volume if pos is not None else None
    grid = None if broker_volume is None else broker_volume - base
    return {
        "book_layers": book.hold_layers if book else None, "book_lot_shares": lots,
        "book_pending_signal": book.pending_signal.signal_id if book and book.pending_signal else None,
        "broker_volume": broker_volume, "base_shares": base, "broker_grid_shares": grid,
        "match": lots is not None and grid == lots,
    }


def build_summary(layout: DemoLayout, record: BrokerRecord, *, base: int, elapsed_s: float,
                  extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON summary of one run (see the module docstring for where each figure comes from)."""
    quote = read_message(layout.shared / QUOTE_FILE, SharedQuote).value
    ids, reemitted, applied = engine_signals(layout)
    outcomes = executor_outcomes(layout)
    dups = record.duplicates()
    pnl = grid_pnl(record)
    summary: dict[str, Any] = {
        "folder": str(layout.root),
        "quotes_seen": quote.seq if quote else 0,
        "last_quote_time": quote.time.isoformat() if quote else None,
        "signals": len(ids), "signals_reemitted": reemitted,
        "orders": len(record.orders), "fills": len(record.trades),
        "orders_filled_in_parts": sum(1 for n in Counter(t.order_id for t in record.trades.values()).values()
                                      if n > 1),
        **_results_block(outcomes),
        "signals_without_result": [s for s in ids if s not in outcomes],
        "results_applied_twice": [s for s, n in applied.items() if n > 1],
        "duplicates": len(dups), "duplicate_remarks": dups,
        **_book_block(layout, record, base),
        "pnl": {"realised": round(pnl.realised, 2), "unrealised": round(pnl.unrealised, 2),
                "fees": round(pnl.fees, 2), "total": round(pnl.realised + pnl.unrealised - pnl.fees, 2)},
        "elapsed_s": round(elapsed_s, 1),
    }
    summary.update(extra or {})
    return summary


def _pnl_block(pnl: Pnl) -> dict[str, float]:
    return {"realised": round(pnl.realised, 2), "unrealised": round(pnl.unrealised, 2),
            "fees": round(pnl.fees, 2), "total": round(pnl.realised + pnl.unrealised - pnl.fees, 2)}


def per_code_summary(layout: DemoLayout, record: BrokerRecord, bases: dict[str, int]) -> dict[str, Any]:
    """The two-ETF demo: each code's signals, results, orders, book against the broker and grid P&L, and
    the lowest free cash of the shared pool any engine journaled (``pool_free``). The top-level figures of
    :func:`build_summary` are the primary code's; ``orders``, ``fills``, ``results`` and ``duplicates``
    there are the account's."""
    codes: dict[str, Any] = {}
    outcomes = executor_outcomes(layout)
    for index, (code, base) in enumerate(bases.items()):
        journal = layout.decisions_for(code, index == 0)
        ids, reemitted, applied = engine_signals(layout, journal)
        mine = {sid: r for sid, r in outcomes.items() if r.get("code") == code}
        codes[code] = {
            "signals": len(ids), "signals_reemitted": reemitted, "results": len(mine),
            "signals_without_result": [s for s in ids if s not in mine],
            "results_applied_twice": [s for s, n in applied.items() if n > 1],
            "orders": sum(1 for o in record.orders.values() if o.code == code),
            "pool_refusals": sum(1 for e in read_jsonl(journal) if e.get("event") == "pool_refused"),
            **_book_block(layout, record, base, code),
            "pnl": _pnl_block(grid_pnl(record, code)),
        }
    frees = [float(e["pool_free"]) for i, code in enumerate(bases)
             for e in read_jsonl(layout.decisions_for(code, i == 0))
             if isinstance(e.get("pool_free"), int | float)]
    return {"codes": codes, "all_books_match": all(c["match"] for c in codes.values()),
            "pool_min_free": min(frees) if frees else None,
            "market": "synthetic (generated sample, not market data), one sample per code"}
