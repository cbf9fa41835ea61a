"""What the live views show, computed on the engine's worker thread (no Qt, no widgets).

:func:`build_view` turns an engine snapshot into a :class:`LiveView`: the snapshot itself plus the
chart levels (each lot's take-profit target, the next buy trigger) from the strategy core's own
rule functions, and the connection health (bridge and executor heartbeats). Everything here may
touch files and compiled code because it never runs on the GUI thread.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from miniqmt_gui.live.events import EngineSnapshot
from miniqmt_gui.strategy.params import StrategyParams
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE, QUOTE_FILE
from windows_bridge.contract.messages import Bar

#: an executor heartbeat older than this counts as "not alive"
EXECUTOR_ALIVE_S = 30.0


@dataclass(frozen=True)
class LotLevel:
    """One held lot on the chart: layer, buy price and take-profit target."""

    layer: int
    buy_price: float
    target: float


@dataclass(frozen=True)
class Levels:
    """Horizontal chart lines: lots with targets, and the next buy trigger (NaN when none)."""

    lots: tuple[LotLevel, ...] = ()
    next_buy: float = math.nan
    anchor: float = math.nan


@dataclass(frozen=True)
class Health:
    """Connection health: ages in seconds (NaN = never seen)."""

    bridge_age_s: float = math.nan
    executor_age_s: float = math.nan
    executor_alive: bool = False
    connected: bool = False


@dataclass(frozen=True)
class LiveView:
    """One frame for the live views."""

    snapshot: EngineSnapshot
    levels: Levels = field(default_factory=Levels)
    health: Health = field(default_factory=Health)
    now: datetime | None = None


def compute_levels(snapshot: EngineSnapshot) -> Levels:
    """Targets and the next buy trigger with the core's rules (empty until indicators exist)."""
    book = snapshot.book
    anchor = book.last_buy_price or math.nan
    ind = snapshot.indicators
    quote = snapshot.quote
    if snapshot.params is None or not ind or quote is None:
        return Levels(anchor=anchor)
    rp = snapshot.params.rule_params()
    from miniqmt_gui.strategy import rules

    _, tp_factor, _ = rules.trend_factors(float(ind.get("slope", 0.0)), rp)
    tp_multiple = rules.take_profit_multiple(tp_factor, rp)
    lots = tuple(LotLevel(lot.layer, lot.buy_price, lot.buy_price * tp_multiple) for lot in book.positions)
    next_buy = math.nan
    if book.hold_layers < rp.max_layers and anchor == anchor:
        step_factor, _, _ = rules.trend_factors(float(ind.get("slope", 0.0)), rp)
        step = rules.grid_step(float(ind.get("atr", 0.0)), quote.price, step_factor, book.hold_layers, rp)
        next_buy = anchor * (1 - step)
    return Levels(lots=lots, next_buy=next_buy, anchor=anchor)


def _heartbeat_time(path: Path, key: str) -> datetime | None:
    try:
        data = json.loads(path.read_bytes()[:65536])
        moment = datetime.fromisoformat(str(data[key]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return moment if moment.tzinfo is not None else None


def compute_health(snapshot: EngineSnapshot, shared_dir: Path, now: datetime) -> Health:
    """Bridge heartbeat age (from the last quote) and the executor's heartbeat file."""
    quote = snapshot.quote
    bridge_age = (now - quote.heartbeat).total_seconds() if quote is not None else math.nan
    beat = _heartbeat_time(shared_dir / EXECUTOR_HEARTBEAT_FILE, "time")
    executor_age = (now - beat).total_seconds() if beat is not None else math.nan
    alive = executor_age == executor_age and executor_age <= EXECUTOR_ALIVE_S
    return Health(bridge_age_s=bridge_age, executor_age_s=executor_age, executor_alive=alive,
                  connected=bool(quote.connected) if quote is not None else False)


def build_view(snapshot: EngineSnapshot, shared_dir: Path, now: datetime, health: Health | None = None,
               ) -> LiveView:
    """A full frame; ``health`` may be passed in when it was computed recently."""
    levels = compute_levels(snapshot)
    return LiveView(snapshot=snapshot, levels=levels,
                    health=health if health is not None else compute_health(snapshot, shared_dir, now),
                    now=now)


@dataclass(frozen=True)
class SharedCheck:
    """Result of checking a shared folder: reachable, writable, heartbeat ages (NaN = none seen)."""

    path: str
    exists: bool
    writable: bool
    bridge_age_s: float = math.nan
    executor_age_s: float = math.nan


def check_shared_dir(path: Path, now: datetime) -> SharedCheck:
    """Is ``path`` reachable and writable, and are the bridge and executor heartbeats fresh?"""
    if not path.is_dir():
        return SharedCheck(str(path), exists=False, writable=False)
    probe = path / f".miniqmt_gui_probe_{id(now)}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
        writable = True
    except OSError:
        writable = False
    bridge = _heartbeat_time(path / QUOTE_FILE, "heartbeat")
    executor = _heartbeat_time(path / EXECUTOR_HEARTBEAT_FILE, "time")
    return SharedCheck(
        str(path), exists=True, writable=writable,
        bridge_age_s=(now - bridge).total_seconds() if bridge else math.nan,
        executor_age_s=(now - executor).total_seconds() if executor else math.nan,
    )


def _synthetic_bars(end: datetime, n: int = 200) -> list[Bar]:
    end = end.replace(second=0, microsecond=0)
    bars = []
    for k in range(n):
        price = round(1.0 + 0.002 * math.sin(k / 5.0), 3)
        bars.append(Bar(time=end - timedelta(minutes=n - k), open=price, close=price,
                        high=price + 0.001, low=price - 0.001))
    return bars


def warm_up(params: StrategyParams, now: datetime) -> float:
    """Load the compiled rules once, off the GUI thread; returns the seconds it took.

    The first call of a numba function loads (or compiles) it while holding the GIL for a few hundred
    ms. Doing that in the worker before the first quote keeps it out of the running strategy: the
    GUI thread stalls once, right after the window appears, instead of at the first decision.
    """
    import time

    from miniqmt_gui.live.decider import make_core_decider
    from miniqmt_gui.strategy import rules
    from windows_bridge.contract.messages import DashboardState

    start = time.perf_counter()
    decider = make_core_decider(params)
    snap = decider.snapshot(_synthetic_bars(now))
    book = DashboardState(code="159201.SZ", last_buy_price=snap.close or 1.0)
    decider.decide(book, (snap.close or 1.0) * 0.97, snap, now)
    rp = params.rule_params()
    _, tp_factor, _ = rules.trend_factors(0.0, rp)
    rules.take_profit_multiple(tp_factor, rp)
    rules.grid_step(0.001, 1.0, 1.0, 0, rp)
    return time.perf_counter() - start
