"""The simulated broker's account book and its JSON persistence.

The ledger holds everything a restarted process must see again: cash, positions (with the
part bought today, which T+1 keeps unsellable), today's orders and trades, the last prices and
the next ids. It is written atomically after every change, so a second process can open it
read-only and always sees a complete book.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from windows_bridge.brokers.interface import BrokerOrder, BrokerTrade, OrderStatus, Side
from windows_bridge.contract.atomic_io import read_bytes, write_bytes_atomic

LEDGER_VERSION = 1
FIRST_ORDER_ID = 100_001


class LedgerError(RuntimeError):
    """The ledger file exists but cannot be read as a ledger."""


@dataclass
class SimOrder:
    """A mutable order record inside the simulated broker."""

    order_id: int
    code: str
    side: Side
    price: float
    shares: int
    remark: str
    time: datetime
    status: OrderStatus = OrderStatus.PENDING
    filled_shares: int = 0
    filled_value: float = 0.0
    fees: float = 0.0
    message: str = ""

    @property
    def remaining(self) -> int:
        """Shares still working (0 once final)."""
        return 0 if self.status.is_final else self.shares - self.filled_shares

    @property
    def avg_price(self) -> float:
        """Average fill price without fees (0 when nothing filled)."""
        return round(self.filled_value / self.filled_shares, 6) if self.filled_shares else 0.0

    def snapshot(self) -> BrokerOrder:
        """An immutable copy for queries and events."""
        return BrokerOrder(
            order_id=self.order_id,
            code=self.code,
            side=self.side,
            price=self.price,
            shares=self.shares,
            filled_shares=self.filled_shares,
            avg_price=self.avg_price,
            status=self.status,
            remark=self.remark,
            message=self.message,
            time=self.time,
        )


@dataclass
class SimPosition:
    """Holdings in one code: ``bought_today`` is not sellable before the next trading day."""

    volume: int = 0
    bought_today: int = 0
    cost: float = 0.0
    sold_today: int = 0

    @property
    def yesterday_volume(self) -> int:
        """Shares held at the start of the trading day (QMT's 昨夜拥股)."""
        return self.volume - self.bought_today + self.sold_today


@dataclass
class Ledger:
    """The whole simulated account."""

    cash: float
    trading_day: date
    positions: dict[str, SimPosition] = field(default_factory=dict)
    orders: list[SimOrder] = field(default_factory=list)
    trades: list[BrokerTrade] = field(default_factory=list)
    last_prices: dict[str, float] = field(default_factory=dict)
    next_order_id: int = FIRST_ORDER_ID
    next_trade_no: int = 1


def _order_to_dict(o: SimOrder) -> dict[str, Any]:
    return {
        "order_id": o.order_id,
        "code": o.code,
        "side": o.side.value,
        "price": o.price,
        "shares": o.shares,
        "remark": o.remark,
        "time": o.time.isoformat(),
        "status": o.status.value,
        "filled_shares": o.filled_shares,
        "filled_value": o.filled_value,
        "fees": o.fees,
        "message": o.message,
    }


def _order_from_dict(d: dict[str, Any]) -> SimOrder:
    return SimOrder(
        order_id=int(d["order_id"]),
        code=str(d["code"]),
        side=Side(d["side"]),
        price=float(d["price"]),
        shares=int(d["shares"]),
        remark=str(d["remark"]),
        time=datetime.fromisoformat(d["time"]),
        status=OrderStatus(d["status"]),
        filled_shares=int(d["filled_shares"]),
        filled_value=float(d["filled_value"]),
        fees=float(d["fees"]),
        message=str(d.get("message", "")),
    )


def _trade_to_dict(t: BrokerTrade) -> dict[str, Any]:
    return {
        "trade_id": t.trade_id,
        "order_id": t.order_id,
        "code": t.code,
        "side": t.side.value,
        "shares": t.shares,
        "price": t.price,
        "remark": t.remark,
        "time": t.time.isoformat() if t.time else None,
        "commission": t.commission,
    }


def _trade_from_dict(d: dict[str, Any]) -> BrokerTrade:
    return BrokerTrade(
        trade_id=str(d["trade_id"]),
        order_id=int(d["order_id"]),
        code=str(d["code"]),
        side=Side(d["side"]),
        shares=int(d["shares"]),
        price=float(d["price"]),
        remark=str(d["remark"]),
        time=datetime.fromisoformat(d["time"]) if d.get("time") else None,
        commission=float(d.get("commission", 0.0)),
    )


def ledger_to_json(ledger: Ledger) -> bytes:
    """Serialise the ledger (UTF-8 JSON)."""
    data = {
        "version": LEDGER_VERSION,
        "cash": ledger.cash,
        "trading_day": ledger.trading_day.isoformat(),
        "positions": {
            code: {
                "volume": p.volume, "bought_today": p.bought_today, "cost": p.cost, "sold_today": p.sold_today
            }
            for code, p in ledger.positions.items()
        },
        "orders": [_order_to_dict(o) for o in ledger.orders],
        "trades": [_trade_to_dict(t) for t in ledger.trades],
        "last_prices": ledger.last_prices,
        "next_order_id": ledger.next_order_id,
        "next_trade_no": ledger.next_trade_no,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def ledger_from_json(raw: bytes) -> Ledger:
    """Parse a ledger; raise :class:`LedgerError` when it is not one."""
    try:
        d = json.loads(raw.decode("utf-8"))
        if d.get("version") != LEDGER_VERSION:
            raise LedgerError(f"unknown ledger version {d.get('version')!r}")
        positions = {
            str(code): SimPosition(
                int(p["volume"]), int(p["bought_today"]), float(p["cost"]), int(p.get("sold_today", 0))
            )
            for code, p in d["positions"].items()
        }
        return Ledger(
            cash=float(d["cash"]),
            trading_day=date.fromisoformat(d["trading_day"]),
            positions=positions,
            orders=[_order_from_dict(o) for o in d["orders"]],
            trades=[_trade_from_dict(t) for t in d["trades"]],
            last_prices={str(k): float(v) for k, v in d.get("last_prices", {}).items()},
            next_order_id=int(d["next_order_id"]),
            next_trade_no=int(d["next_trade_no"]),
        )
    except LedgerError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LedgerError(f"ledger is not readable: {exc!r}") from None


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Write the ledger atomically (temp → fsync → replace)."""
    write_bytes_atomic(path, ledger_to_json(ledger))


def load_ledger(path: Path) -> Ledger | None:
    """Read the ledger at ``path``; ``None`` when there is no file, LedgerError when it is bad."""
    try:
        raw = read_bytes(path, limit=256 * 1024 * 1024)
    except OSError as exc:
        raise LedgerError(f"cannot read ledger {path}: {exc}") from None
    if raw is None:
        return None
    return ledger_from_json(raw)
