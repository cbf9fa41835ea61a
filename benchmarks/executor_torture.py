"""Crash torture of the order executor: kill -9 while orders work, the broker's day rolls in between.

    python benchmarks/executor_torture.py [--kills 500] [--seed 7] [--out FILE]

The real executor process (``python -m windows_bridge.executor``) trades through the xtquant fake
over the simulated broker, on a replayed market this script generates. This script is the app: it
writes quotes and signals and applies the results to its own book. Each cycle it sends a signal
priced a few ticks away from the market, waits until the broker shows that order **working**, waits
a random moment longer and kills the executor with SIGKILL. While the executor is dead it sometimes
rolls the broker's trading day over (yesterday's orders and trades vanish, as in QMT) and then leaves
a resting manual order in the account, or wipes the executor's journal; then it restarts the
executor, sometimes re-sends the same signal, and waits for the signal's one result.

Checked at the end (printed as JSON; exit code 0 only when all hold):

* ``duplicates`` — broker orders per ``order_remark`` above one, over every day (must be 0);
* ``lost_fills`` — shares the broker filled for a signal but its result does not account for: a
  normal result's ``filled_shares``, or for ``in_doubt`` the broker position change it carries
  (``broker_position - position_at_intent``), which is how the app reconciles (must be 0);
* ``unanswered`` — signals without a result (must be 0); ``crashes`` — executor exits nobody caused;
* ``book == broker`` — the script's book equals the broker's position.

Also printed: kills, kills that hit a working order of the signal, working orders per kill (the
signal's plus resting manual ones), day rolls, journal wipes, re-sends, results by status, time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from windows_bridge.brokers.interface import Side
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.sim.ledger import Ledger, LedgerError, SimOrder, ledger_from_json
from windows_bridge.brokers.xtquant.fake.replay import ReplaySource
from windows_bridge.contract.atomic_io import read_bytes, read_message, write_message
from windows_bridge.contract.files import QUOTE_FILE, RESULT_FILE, SIGNAL_FILE
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import OrderResult, OrderSignal, ResultStatus, SharedQuote, order_remark
from windows_bridge.contract.prices import TICK, round_to_tick

CODE = "159201.SZ"
DAY = "2026-01-05"
BARS = 1430
SPEED = 30.0  # simulated seconds per wall second: a bar every 2 s
START_DELAY_S = 1.0


def write_replay(path: Path) -> Path:
    """One long trading day of 1-minute bars around 1.000 that keep crossing limit orders a few ticks away."""
    rows = ["datetime,open,high,low,close,volume"]
    start = datetime.fromisoformat(f"{DAY}T00:01:00")
    price = 1.0
    for n in range(BARS):
        close = round_to_tick(1.0 + 0.01 * math.sin(n / 9.0) + 0.003 * math.sin(n / 2.3))
        high, low = max(price, close) + 2 * TICK, min(price, close) - 2 * TICK
        stamp = (start + timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(f"{stamp},{price:.3f},{high:.3f},{low:.3f},{close:.3f},{2000 + 100 * (n % 7)}")
        price = close
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@dataclass
class Rig:
    """A shared folder, an executor state folder, a replayed market and the executor process."""

    root: Path
    order_timeout_s: float = 2.5
    heartbeat_s: float = 0.2
    fill_ratio: float = 0.4
    extra_config: str = ""
    risk_config: str = ""
    replay_start: float = 0.0
    proc: subprocess.Popen[bytes] | None = None
    seq: int = 0
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Create the folders, the replay file and the executor's config."""
        for sub in ("shared", "state", "logs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.csv = write_replay(self.root / "bars.csv")
        self.config = self.root / "executor.toml"
        self.config.write_text(
            f"shared_dir = '{self.shared}'\nstate_dir = '{self.state}'\nbroker = \"fake\"\n"
            f"order_timeout_s = {self.order_timeout_s}\npoll_interval_s = 0.05\n"
            f"heartbeat_interval_s = {self.heartbeat_s}\nowner_gone_after_s = 3.0\n{self.extra_config}\n"
            f"[risk]\nmax_orders_per_day = 1000000\nmax_value_per_order = 1000000.0\n{self.risk_config}\n",
            encoding="utf-8",
        )
        self.new_replay()

    # ------------------------------------------------------------------ paths

    @property
    def shared(self) -> Path:
        """The shared folder."""
        return self.root / "shared"

    @property
    def state(self) -> Path:
        """The executor's local state folder."""
        return self.root / "state"

    @property
    def ledger_path(self) -> Path:
        """The simulated broker account."""
        return self.state / "sim_ledger.json"

    @property
    def journal_path(self) -> Path:
        """The executor's journal."""
        return self.state / "executor_journal.jsonl"

    # ------------------------------------------------------------------ the market

    def new_replay(self) -> None:
        """(Re)start the replayed day from its first bar (the executor picks it up at its next start)."""
        self.replay_start = time.time() + START_DELAY_S
        self.market = ReplaySource.from_csv(self.csv, self.replay_start, SPEED, skip_bars=0)

    def replay_nearly_over(self) -> bool:
        """The replay is in its last tenth."""
        return self.market.position()[0] > BARS * 0.9

    def price(self) -> float:
        """The replayed market's price now."""
        return self.market.snapshot().price

    # ------------------------------------------------------------------ the executor process

    def env(self) -> dict[str, str]:
        """The executor's environment: the fake broker's replay and account."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MINIQMT_", "SHARED_DIR", "ORDER_"))}
        env.update(
            MINIQMT_REPLAY_CSV=str(self.csv),
            MINIQMT_REPLAY_SPEED=repr(SPEED),
            MINIQMT_REPLAY_START=repr(self.replay_start),
            MINIQMT_REPLAY_SKIP="0",
            MINIQMT_SIM_LEDGER=str(self.ledger_path),
            MINIQMT_SIM_CASH="1000000",
            MINIQMT_SIM_FILL_RATIO=repr(self.fill_ratio),
            PYTHONUNBUFFERED="1",
        )
        return env

    def argv(self, *extra: str) -> list[str]:
        """The executor's command line."""
        return [sys.executable, "-m", "windows_bridge.executor", "--config", str(self.config), *extra]

    def start(self, name: str = "executor", argv: list[str] | None = None) -> subprocess.Popen[bytes]:
        """Start an executor process (its console output goes to ``logs/<name>.log``)."""
        with open(self.root / "logs" / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(argv or self.argv(), env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        if name == "executor":
            self.proc = proc
        self.started.append(proc)
        return proc

    def kill_all(self) -> None:
        """SIGKILL every process this rig started that still runs (test teardown)."""
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)

    def alive(self, proc: subprocess.Popen[bytes] | None = None) -> bool:
        """The process runs."""
        proc = proc or self.proc
        return proc is not None and proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the executor and reap it."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self, proc: subprocess.Popen[bytes] | None = None) -> int:
        """SIGTERM, then wait; the exit code."""
        proc = proc or self.proc
        assert proc is not None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        return proc.wait(60)

    def log_tail(self, name: str = "executor", lines: int = 25) -> str:
        """The last lines of a process's console log."""
        path = self.root / "logs" / f"{name}.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    # ------------------------------------------------------------------ the app's side

    def write_quote(self) -> None:
        """A fresh ``shared_quote.json`` at the market's price (the bridge's job in production)."""
        self.seq += 1
        now = now_shanghai()
        write_message(
            self.shared / QUOTE_FILE,
            SharedQuote(
                code=CODE,
                time=now,
                price=self.price(),
                seq=self.seq,
                heartbeat=now,
                positions_status="failed",
                producer="torture",
            ),
        )

    def signal(self, rng: random.Random, direction: str, shares: int, ticks_away: int) -> OrderSignal:
        """A signal priced ``ticks_away`` ticks on the patient side of the market."""
        offset = -ticks_away * TICK if direction == "BUY" else ticks_away * TICK
        layer = rng.randint(1, 9)
        token = f"{rng.getrandbits(32):08x}"
        return OrderSignal(
            signal_id=f"{direction}_{CODE}_L{layer}_{token}",
            code=CODE,
            direction=direction,  # type: ignore[arg-type]
            price=round_to_tick(self.price() + offset),
            shares=shares,
            timestamp=now_shanghai(),
            layer=layer,
            reason="torture",
        )

    def send(self, sig: OrderSignal) -> None:
        """Write the signal (the quote first, as the bridge would have)."""
        self.write_quote()
        write_message(self.shared / SIGNAL_FILE, sig)

    def result_for(self, signal_id: str) -> OrderResult | None:
        """``order_result.json`` when it answers ``signal_id``."""
        got = read_message(self.shared / RESULT_FILE, OrderResult).value
        return got if got is not None and got.signal_id == signal_id else None

    def wait_result(self, signal_id: str, timeout_s: float) -> OrderResult | None:
        """Wait for the result of ``signal_id`` (None after the timeout or when the executor died)."""
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            found = self.result_for(signal_id)
            if found is not None:
                return found
            if not self.alive():
                return self.result_for(signal_id)
            time.sleep(0.02)
        return None

    # ------------------------------------------------------------------ the broker's side

    def ledger(self) -> Ledger | None:
        """The simulated account now (None while it does not exist)."""
        try:
            raw = read_bytes(self.ledger_path, limit=64 * 1024 * 1024)
            return ledger_from_json(raw) if raw else None
        except (OSError, LedgerError):
            return None

    def writer(self) -> SimBroker:
        """The account opened for writing (only while no executor runs)."""
        return SimBroker(self.ledger_path, clock=self.market.now)

    def position(self) -> int:
        """Shares of ``CODE`` held."""
        ledger = self.ledger()
        pos = ledger.positions.get(CODE) if ledger else None
        return pos.volume if pos else 0

    def sellable(self) -> int:
        """Shares of ``CODE`` that can be sold now (T+1, minus working sells)."""
        ledger = self.ledger()
        if ledger is None or CODE not in ledger.positions:
            return 0
        pos = ledger.positions[CODE]
        selling = sum(
            o.shares - o.filled_shares
            for o in ledger.orders
            if o.side.value == "SELL" and not o.status.is_final
        )
        return max(0, pos.volume - pos.bought_today - selling)


@dataclass
class Record:
    """Every order the broker ever listed (across day rolls), with its most advanced state."""

    orders: dict[int, SimOrder] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ledger: Ledger | None) -> None:
        """Merge one snapshot of the account."""
        if ledger is None:
            return
        with self.lock:
            for order in ledger.orders:
                old = self.orders.get(order.order_id)
                if old is None or order.filled_shares >= old.filled_shares or order.status.is_final:
                    self.orders[order.order_id] = order

    def by_remark(self) -> dict[str, list[SimOrder]]:
        """Orders per remark."""
        out: dict[str, list[SimOrder]] = {}
        with self.lock:
            for order in self.orders.values():
                out.setdefault(order.remark, []).append(order)
        return out


class Watcher(threading.Thread):
    """Snapshots the account every few ms, so no fill is missed before a day roll clears it."""

    def __init__(self, rig: Rig, record: Record) -> None:
        super().__init__(name="ledger-watch", daemon=True)
        self.rig, self.record, self.halt = rig, record, threading.Event()

    def run(self) -> None:
        stamp: tuple[int, int] | None = None
        while not self.halt.wait(0.01):
            try:
                st = self.rig.ledger_path.stat()
            except OSError:
                continue
            if (st.st_mtime_ns, st.st_size) != stamp:
                stamp = (st.st_mtime_ns, st.st_size)
                self.record.add(self.rig.ledger())


@dataclass
class Report:
    """What one torture run did and found."""

    cycles: int = 0
    kills: int = 0
    kills_on_working: int = 0
    working_at_kills: int = 0
    day_rolls: int = 0
    wipes: int = 0
    resends: int = 0
    resend_mismatches: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    lost_fills: int = 0
    in_doubt_reconciled: int = 0
    unanswered: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    book: int = 0
    broker: int = 0
    restart_s: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Every promise held."""
        return (
            self.duplicates == 0
            and self.lost_fills == 0
            and not self.unanswered
            and not self.crashes
            and self.book == self.broker
            and self.resend_mismatches == 0
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        restarts = sorted(self.restart_s)
        return {
            "kills": self.kills,
            "cycles": self.cycles,
            "kills_with_the_signals_order_working": self.kills_on_working,
            "working_orders_per_kill": round(self.working_at_kills / max(1, self.kills), 2),
            "day_rolls_between_kill_and_restart": self.day_rolls,
            "journal_wipes": self.wipes,
            "same_signal_resent": self.resends,
            "results": dict(self.statuses),
            "in_doubt_reconciled_exactly": self.in_doubt_reconciled,
            "duplicates": self.duplicates,
            "lost_fills": self.lost_fills,
            "unanswered": self.unanswered,
            "resend_answers_differing": self.resend_mismatches,
            "unexpected_exits": self.crashes,
            "book": self.book,
            "broker": self.broker,
            "book_equals_broker": self.book == self.broker,
            "restart_to_result_s_median": round(restarts[len(restarts) // 2], 2) if restarts else None,
            "elapsed_s": round(self.elapsed_s, 1),
            "ok": self.ok,
        }


@dataclass
class Sent:
    """A signal and what came of it."""

    signal: OrderSignal
    result: OrderResult | None = None


class Torture:
    """The cycle loop; see the module docstring."""

    def __init__(
        self, rig: Rig, seed: int, *, p_roll: float = 0.3, p_wipe: float = 0.05, p_resend: float = 0.3
    ) -> None:
        self.rig, self.rng = rig, random.Random(seed)
        self.p_roll, self.p_wipe, self.p_resend = p_roll, p_wipe, p_resend
        self.report = Report()
        self.record = Record()
        self.sent: list[Sent] = []
        self.book = 0
        self.manual = 0

    # ------------------------------------------------------------------ one cycle

    def ensure_running(self) -> None:
        if not self.rig.alive():
            if self.rig.proc is not None and self.rig.proc.returncode not in (-signal.SIGKILL, None):
                self.report.crashes.append(f"exit {self.rig.proc.returncode}:\n{self.rig.log_tail()}")
            if self.rig.replay_nearly_over():
                self.rig.new_replay()
            self.rig.start()

    def choose(self) -> OrderSignal:
        shares = self.rng.choice((1000, 2000, 3000))
        sell = self.rig.sellable() >= shares and self.rng.random() < 0.5
        return self.rig.signal(self.rng, "SELL" if sell else "BUY", shares, self.rng.randint(1, 3))

    def own_order(self, remark: str) -> SimOrder | None:
        ledger = self.rig.ledger()
        return next((o for o in ledger.orders if o.remark == remark), None) if ledger else None

    def wait_working(self, sig: OrderSignal, timeout_s: float = 10.0) -> bool:
        """True once the broker shows the signal's order working; False if it ended or never came."""
        remark = order_remark(sig.signal_id)
        end = time.monotonic() + timeout_s
        while time.monotonic() < end and self.rig.alive():
            order = self.own_order(remark)
            if order is not None:
                return not order.status.is_final
            if self.rig.result_for(sig.signal_id) is not None:
                return False
            time.sleep(0.01)
        return False

    def cycle(self) -> None:
        self.ensure_running()
        sig = self.choose()
        sent = Sent(sig)
        self.sent.append(sent)
        self.rig.send(sig)
        self.report.cycles += 1
        if self.wait_working(sig):
            time.sleep(self.rng.uniform(0.0, self.rig.order_timeout_s * 0.8))
            self.kill(sig)
            self.between_lives(sig)
            started = time.monotonic()
            self.ensure_running()
            sent.result = self.rig.wait_result(sig.signal_id, 30.0)
            self.report.restart_s.append(time.monotonic() - started)
            if sent.result is not None and self.rng.random() < self.p_resend:
                self.resend(sent)
        else:
            sent.result = self.rig.wait_result(sig.signal_id, 30.0)
        self.apply(sent)

    def kill(self, sig: OrderSignal) -> None:
        self.rig.kill()
        self.report.kills += 1
        ledger = self.rig.ledger()
        self.record.add(ledger)
        working = [o for o in (ledger.orders if ledger else []) if not o.status.is_final]
        self.report.working_at_kills += len(working)
        self.report.kills_on_working += any(o.remark == order_remark(sig.signal_id) for o in working)

    def between_lives(self, sig: OrderSignal) -> None:
        """While the executor is dead: maybe a broker day roll (+ a resting manual order), maybe a wipe."""
        draw = self.rng.random()
        if draw < self.p_roll:
            self.record.add(self.rig.ledger())  # every fill of the day, before the roll clears it
            broker = self.rig.writer()
            broker.end_day()
            self.manual += 1
            price = round_to_tick(self.rig.price() * 0.9)
            broker.place_limit_order(CODE, Side.BUY, 100, price, f"manual-{self.manual}")
            self.record.add(self.rig.ledger())
            self.report.day_rolls += 1
        elif draw < self.p_roll + self.p_wipe:
            self.rig.journal_path.unlink(missing_ok=True)
            self.report.wipes += 1
            write_message(self.rig.shared / SIGNAL_FILE, sig)  # the app re-sends the same signal

    def resend(self, sent: Sent) -> None:
        """The app re-sends the same signal (its result got lost): the same answer, no order."""
        assert sent.result is not None
        first = sent.result
        end = time.monotonic() + 10.0  # as the app: only after the first copy was consumed
        while os.path.lexists(self.rig.shared / SIGNAL_FILE) and time.monotonic() < end:
            time.sleep(0.01)
        (self.rig.shared / RESULT_FILE).unlink(missing_ok=True)
        self.rig.send(sent.signal)
        again = self.rig.wait_result(sent.signal.signal_id, 30.0)
        self.report.resends += 1
        same = again is not None and (again.status, again.order_id, again.filled_shares) == (
            first.status,
            first.order_id,
            first.filled_shares,
        )
        self.report.resend_mismatches += not same

    def apply(self, sent: Sent) -> None:
        """The app's side: fills change the book; ``in_doubt`` is reconciled with the broker's position."""
        res = sent.result
        if res is None:
            return
        self.report.statuses[res.status.value] += 1
        sign = 1 if sent.signal.direction == "BUY" else -1
        if res.status is ResultStatus.IN_DOUBT:
            if res.broker_position is not None and res.position_at_intent is not None:
                self.book += res.broker_position - res.position_at_intent
            else:
                self.book = self.rig.position()
        else:
            self.book += sign * res.filled_shares

    # ------------------------------------------------------------------ verdict

    def verify(self) -> None:
        self.record.add(self.rig.ledger())
        orders = self.record.by_remark()
        self.report.duplicates = sum(
            1 for remark, group in orders.items() if not remark.startswith("manual") and len(group) > 1
        )
        for sent in self.sent:
            group = orders.get(order_remark(sent.signal.signal_id), [])
            filled = sum(o.filled_shares for o in group)
            res = sent.result
            if res is None:
                self.report.unanswered.append(sent.signal.signal_id)
                self.report.lost_fills += filled
                continue
            reported = res.filled_shares
            if res.status is ResultStatus.IN_DOUBT and res.broker_position is not None:
                sign = 1 if sent.signal.direction == "BUY" else -1
                reported = sign * (res.broker_position - (res.position_at_intent or 0))
                self.report.in_doubt_reconciled += reported == filled
            self.report.lost_fills += abs(filled - reported)
        self.report.book, self.report.broker = self.book, self.rig.position()


def run_torture(
    root: Path,
    kills: int,
    *,
    seed: int = 7,
    p_roll: float = 0.3,
    p_wipe: float = 0.05,
    p_resend: float = 0.3,
    max_cycles: int | None = None,
) -> Report:
    """Run until ``kills`` kills were made; the report (also when something failed)."""
    rig = Rig(root)
    torture = Torture(rig, seed, p_roll=p_roll, p_wipe=p_wipe, p_resend=p_resend)
    watcher = Watcher(rig, torture.record)
    watcher.start()
    started = time.monotonic()
    limit = max_cycles or kills * 4
    try:
        while torture.report.kills < kills and torture.report.cycles < limit:
            torture.cycle()
        torture.ensure_running()
        time.sleep(0.5)
    finally:
        if rig.alive():
            rig.stop()
        rig.kill_all()
        watcher.halt.set()
        watcher.join()
    torture.verify()
    torture.report.elapsed_s = time.monotonic() - started
    return torture.report


def main() -> int:
    """Run and print the figures."""
    parser = argparse.ArgumentParser(description="crash torture of the order executor")
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--keep", type=Path, help="run in this (new) folder and keep it, logs included")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True)
        report = run_torture(args.keep, args.kills, seed=args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="miniqmt-executor-torture-") as tmp:
            report = run_torture(Path(tmp), args.kills, seed=args.seed)
    figures = report.as_dict()
    text = json.dumps(figures, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
