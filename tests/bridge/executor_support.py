"""Shared builders for the executor, journal, pre-trade and hostile-signal tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from windows_bridge.brokers.interface import Broker, BrokerOrder
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.config import RiskLimits, Settings
from windows_bridge.contract.files import RESULT_FILE, SIGNAL_FILE
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import OrderResult, OrderSignal, SharedQuote
from windows_bridge.executor.journal import JOURNAL_FILE, Journal
from windows_bridge.executor.service import OrderExecutor

CODE = "159201.SZ"
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI)  # a Monday, inside the morning session


@dataclass
class Clock:
    """A settable clock for the executor and the simulated broker."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(tmp_path: Path, *, simulate: bool = False, **over: Any) -> Settings:
    shared = tmp_path / "shared"
    state = tmp_path / "state"
    shared.mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    risk = over.pop("risk", RiskLimits())
    return Settings(
        shared_dir=shared,
        state_dir=state,
        broker=over.pop("broker", "fake"),
        simulate=simulate,
        order_timeout_s=over.pop("order_timeout_s", 0.5),
        risk=risk,
        **over,
    )


def make_signal(
    *,
    direction: str = "BUY",
    shares: int = 1000,
    price: float = 1.0,
    layer: int = 1,
    token: str = "0a1b2c3d",
    timestamp: datetime | None = None,
    code: str = CODE,
    **extra: Any,
) -> OrderSignal:
    return OrderSignal(
        signal_id=f"{direction}_{code}_L{layer}_{token}",
        code=code,
        direction=direction,  # type: ignore[arg-type]
        price=price,
        shares=shares,
        timestamp=timestamp or T0,
        layer=layer,
        reason="test",
        **extra,
    )


def signal_dict(**over: Any) -> dict[str, Any]:
    """A valid signal as a plain dict (for hostile variations)."""
    data = make_signal().model_dump(mode="json")
    data.pop("hmac", None)
    data.update(over)
    return data


def make_quote(
    *,
    price: float = 1.0,
    time: datetime = T0,
    cash: float = 100_000.0,
    volume: int = 50_000,
    can_use: int = 50_000,
    up_stop: float = 0.0,
    down_stop: float = 0.0,
    status: str = "ok",
    code: str = CODE,
) -> SharedQuote:
    position = {"volume": volume, "can_use_volume": can_use, "avg_price": 1.0} if status == "ok" else None
    return SharedQuote(
        code=code,
        time=time,
        price=price,
        seq=1,
        heartbeat=time,
        up_stop_price=up_stop,
        down_stop_price=down_stop,
        positions_status=status,  # type: ignore[arg-type]
        position=position,  # type: ignore[arg-type]
        asset={"cash": cash, "total_asset": cash},  # type: ignore[arg-type]
    )


def write_quote(settings: Settings, **kw: Any) -> None:
    write_message(settings.shared_dir / "shared_quote.json", make_quote(**kw))


def write_signal(settings: Settings, signal: OrderSignal) -> None:
    write_message(settings.shared_dir / SIGNAL_FILE, signal)


def read_result(settings: Settings) -> OrderResult:
    got = read_message(settings.shared_dir / RESULT_FILE, OrderResult)
    assert got.value is not None, got.error
    return got.value


def make_broker(settings: Settings, clock: Clock, **kw: Any) -> SimBroker:
    kw.setdefault("initial_cash", 100_000.0)
    kw.setdefault("initial_positions", {CODE: 50_000})
    return SimBroker(settings.state_dir / "sim_ledger.json", clock=clock, **kw)


@dataclass
class Mono:
    """A settable monotonic clock."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def make_executor(
    settings: Settings,
    broker: Broker | None,
    clock: Clock,
    *,
    hmac_key: bytes | None = None,
    settle_s: float = 0.0,
    **kw: Any,
) -> OrderExecutor:
    journal = Journal(settings.state_dir / JOURNAL_FILE)
    return OrderExecutor(
        settings,
        broker,
        journal,
        hmac_key=hmac_key,
        clock=clock,
        sleep=kw.pop("sleep", lambda _s: None),
        reread_delay_s=settle_s,
        retry_delay_s=0.01,
        cancel_wait_s=0.5,
        **kw,
    )


@dataclass
class CrashingBroker:
    """Wraps a broker and dies (BaseException, like a kill) before or after ``place_limit_order``."""

    inner: SimBroker
    crash_before_place: bool = False
    crash_after_place: bool = False
    failing_queries: int = 0
    placed: list[int] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return self.inner.connected

    def place_limit_order(self, code: str, side: Any, shares: int, price: float, remark: str) -> int:
        if self.crash_before_place:
            raise Crash("killed between journal and broker call")
        order_id = self.inner.place_limit_order(code, side, shares, price, remark=remark)
        self.placed.append(order_id)
        if self.crash_after_place:
            raise Crash("killed between broker call and result")
        return order_id

    def query_orders(self) -> list[BrokerOrder] | None:
        if self.failing_queries > 0:
            self.failing_queries -= 1
            return None
        return self.inner.query_orders()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Crash(BaseException):
    """Stands in for the process being killed: nothing in the executor catches it."""
