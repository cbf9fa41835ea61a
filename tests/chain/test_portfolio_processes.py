"""Two codes on one shared folder as real processes: bridge, executor and the headless portfolio engine
(one engine per code, one capital pool), on the simulated broker through the xtquant fake.

While both codes trade, faults hit ONE code (512890.SH, "B") — its result file deleted or overwritten
with hostile bytes, hostile bytes in its signal file, its book file corrupted — and the other code
(159201.SZ, "A") must keep trading through them. Then the executor and the engine are SIGKILLed and
restarted (B's book file corrupted while the engine is down) and the shared folder goes away for a
moment. At the end, for EACH code on its own files: 0 duplicate broker orders, no broker order that no
signal asked for, every signal answered and applied, book = broker position − base; and the pool's
free cash, journaled by the engines on every decision-journal line (``pool_free``), never negative.

The processes and the ``DemoOptions`` are those of ``miniqmt demo --two-etfs`` with fast timings; the
pool is made small enough to bind (refusals happen), so "never negative" is checked where it matters.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from miniqmt_gui.rehearsal.demo.layout import ENGINE, EXECUTOR
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.runner import ChainRun
from miniqmt_gui.rehearsal.demo.summary import book_state, read_jsonl
from miniqmt_gui.rehearsal.demo.verify import code_files, verify_code
from windows_bridge.contract.market_hours import now_shanghai

from .support import share_outage

A, B = "159201.SZ", "512890.SH"
CODES = (A, B)
#: the two-ETF demo, fast: five replayed minutes per wall second, short timeouts (a lost signal is written
#: again after 5 s, not 120 s), a pool that binds
FAST_TWO = DemoOptions(codes=CODES, speed=300.0, interval_s=0.2, order_timeout_s=2.0, silent_period_s=1.0,
                       lead_s=2.0, pool_capital=150_000.0, pool_reserve=50_000.0, pending_timeout_s=5.0)
#: what lands in B's signal file: garbage, a torn write, wrong types, an empty file, another code's signal
HOSTILE_SIGNALS = (
    b"\x00\xff\xfe" * 50,
    b'{"schema_version": 1, "signal_id": "BUY_512890.SH_L1_',
    json.dumps({"signal_id": 7, "code": B, "direction": "HOLD", "shares": -100}).encode(),
    b"",
    None,  # a well-formed signal of the other code in B's file (wrong_signal_file)
)
HOSTILE_BOOK = b'{"schema_version": 1, "code": "512890.SH", "positions": [{"layer": 1, "shares": "lots'
HOSTILE_RESULT = b'{"signal_id": "BUY_512890.SH_L1_00000000", "status": "filled", "filled_shares": 1e12}'


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[ChainRun]:
    run = ChainRun(tmp_path / "run", FAST_TWO)
    try:
        run.start()
        yield run
    finally:
        run.stop()  # every process, newest first (idempotent)
        run.record()  # stops the ledger watch thread


def _journal(chain: ChainRun, code: str) -> list[dict[str, object]]:
    return read_jsonl(chain.layout.decisions_for(code, code == A))


def _events(chain: ChainRun, code: str, event: str, since: datetime | None = None) -> int:
    """How many ``event`` lines ``code``'s journal holds (written at or after ``since``)."""
    return sum(1 for e in _journal(chain, code) if e.get("event") == event
               and (since is None or datetime.fromisoformat(str(e["time"])) >= since))


def _until(what: Callable[[], bool], timeout_s: float, chain: ChainRun, why: str) -> None:
    """Poll ``what`` (every 0.2 s) while every process lives; fail with the logs after ``timeout_s``."""
    end = time.monotonic() + timeout_s
    while not what():
        assert _dead(chain) == [], _dead(chain)
        if time.monotonic() > end:
            raise AssertionError(f"{why}\n{_tails(chain)}")
        time.sleep(0.2)


def _dead(chain: ChainRun) -> list[str]:
    return [f"{c.role}:\n{c.tail()}" for c in chain.supervisor.children if not c.alive()]


def _tails(chain: ChainRun) -> str:
    """The engine's log tail first (both codes decide there), then the others'."""
    children = sorted(chain.supervisor.children, key=lambda c: c.role != ENGINE)
    return "\n".join(f"--- {c.role}\n{c.tail(15)}" for c in children)


def _other_codes_signal(chain: ChainRun) -> bytes:
    """A well-formed, fresh 159201.SZ signal (one lot, near the quote) — put into B's file."""
    quote = json.loads((chain.layout.shared / "shared_quote.json").read_text(encoding="utf-8"))
    return json.dumps({
        "schema_version": 1, "signal_id": "BUY_159201.SZ_L1_f0f0f0f0", "code": A, "direction": "BUY",
        "price": quote["price"], "shares": 100, "timestamp": now_shanghai().isoformat(),
        "reason": "hostile", "layer": 1,
    }).encode()


class Attacker:
    """Faults on B's files only, one per round (A's files are never touched)."""

    def __init__(self, chain: ChainRun) -> None:
        self.chain = chain
        self.rounds = 0
        self.hostile = 0  # hostile signal files written
        self._last: bytes | None = None

    def round(self, flapping: bool = False) -> None:
        """One fault; ``flapping``: B's signal file is rewritten every round with other garbage (a writer
        stuck mid-write), so it never settles and the executor never judges it — it must serve A meanwhile."""
        files, shared = code_files(B), self.chain.layout.shared
        kind = self.rounds % 4
        self.rounds += 1
        if flapping:
            (shared / files.signal).write_bytes(b'{"signal_id": "BUY_512890.SH_L1_%08d' % self.rounds)
        if kind == 0:
            (shared / files.result).unlink(missing_ok=True)  # the answer lost on the share
        elif kind == 1 and not flapping:
            self._hostile_signal(shared / files.signal)
        elif kind == 2:
            (shared / files.state).write_bytes(HOSTILE_BOOK)  # B's book file corrupted under the engine
        else:
            (shared / files.result).write_bytes(HOSTILE_RESULT)

    def _hostile_signal(self, path: Path) -> None:
        """Hostile bytes into B's signal file (over a genuine pending signal too); each one stays until
        the executor has judged it (it waits for a file to stop changing) or the engine overwrote it."""
        try:
            if self._last is not None and path.read_bytes() == self._last:
                return
        except OSError:
            pass
        raw = HOSTILE_SIGNALS[self.hostile % len(HOSTILE_SIGNALS)]
        self._last = _other_codes_signal(self.chain) if raw is None else raw
        path.write_bytes(self._last)
        self.hostile += 1


def _answered_since(chain: ChainRun, code: str, since: datetime) -> int:
    """``code``'s signals emitted at or after ``since`` whose result the engine has applied."""
    sent, applied = set(), set()
    for e in _journal(chain, code):
        if e.get("event") == "signal" and datetime.fromisoformat(str(e["time"])) >= since:
            sent.add(e.get("signal_id"))
        elif e.get("event") == "result":
            applied.add(e.get("signal_id"))
    return len(sent & applied)


def _decided_since(chain: ChainRun, code: str, since: datetime) -> bool:
    """``code``'s engine decided since ``since``: a signal, a result, or a buy the pool refused."""
    return any(_events(chain, code, event, since) for event in ("signal", "result", "pool_refused"))


def _a_traded_since(chain: ChainRun, since: datetime, n: int) -> bool:
    return _answered_since(chain, A, since) >= n


@pytest.mark.slow
def test_two_codes_as_processes_with_faults_on_one(chain: ChainRun, tmp_path: Path) -> None:
    _until(lambda: all(_events(chain, c, "result") >= 1 for c in CODES), 40, chain,
           "both codes should have a result applied before the faults")

    # 1. B's files under attack while A trades. First B's signal file never stops changing: until A had
    #    a signal answered and applied meanwhile (B's own signals are overwritten: B waits them out)
    fault_began = now_shanghai()
    attacker = Attacker(chain)
    while not _a_traded_since(chain, fault_began, 1):
        attacker.round(flapping=True)
        assert _dead(chain) == [], _dead(chain)
        assert attacker.rounds < 250, f"A stopped while B's signal file kept changing\n{_tails(chain)}"
        time.sleep(0.2)
    #    then hostile signal files the executor judges, until A had two more signals answered and applied
    #    and B itself decided at least once under attack (so the faults met a signal of B in flight)
    judged = now_shanghai()
    while not (_a_traded_since(chain, judged, 2) and _events(chain, B, "signal", judged) >= 1
               and attacker.hostile > len(HOSTILE_SIGNALS)):
        attacker.round()
        assert _dead(chain) == [], _dead(chain)
        assert attacker.rounds < 500, (
            f"A or B stopped deciding under attack: A {_answered_since(chain, A, judged)} answered, "
            f"B {_events(chain, B, 'signal', judged)} signals since it began\n{_tails(chain)}")
        time.sleep(0.2)
    a_during = _answered_since(chain, A, fault_began)

    # 2. the share disappears for a moment
    share_outage(chain.layout.shared, tmp_path, 2.0)

    # 3. crashes: the executor, then the engine (both codes) with B's book file corrupted meanwhile
    executor, engine = chain.supervisor.get(EXECUTOR), chain.supervisor.get(ENGINE)
    executor.kill()
    executor.start()
    engine.kill()
    (chain.layout.shared / code_files(B).state).write_bytes(HOSTILE_BOOK)
    engine.start()

    restarted = now_shanghai()
    _until(lambda: all(_decided_since(chain, c, restarted) for c in CODES), 45, chain,
           "both codes should decide again after the crashes and the outage")
    assert chain.drain(), _tails(chain)
    codes = chain.stop()
    assert set(codes.values()) == {0}, codes

    record = chain.record()
    for code in CODES:
        verdict = verify_code(chain.layout, record, code, chain.bases[code])
        assert verdict.signals >= 2 and verdict.orders >= 1, (code, verdict)
        assert verdict.duplicates == {}, (code, verdict.duplicates)
        assert verdict.stray == [], (code, verdict.stray)
        assert verdict.unanswered == [] and verdict.unapplied == [], (code, verdict)
        assert verdict.match, (code, verdict.book_lots, verdict.broker_grid)
    assert a_during >= 3  # A's signals answered and applied while B's files were under attack
    kept_aside = list((chain.layout.shared / "order_signal_rejected").iterdir())
    assert len(kept_aside) >= 2, kept_aside  # hostile signal files judged and kept aside, no order
    _assert_pool_never_negative(chain)


def _assert_pool_never_negative(chain: ChainRun) -> None:
    """Every journal line of every code carries the pool's free cash after its book: never below 0; the
    books at the end agree with it."""
    frees = {c: [float(str(e["pool_free"])) for e in _journal(chain, c) if "pool_free" in e] for c in CODES}
    assert all(len(f) >= 3 for f in frees.values()), {c: len(f) for c, f in frees.items()}
    low = min(min(f) for f in frees.values())
    assert low >= 0, low
    assert chain.summary()["pool_min_free"] == low  # what `miniqmt demo --two-etfs` prints
    assert sum(_events(chain, c, "pool_refused") for c in CODES) >= 1  # the pool did bind
    books = [book_state(chain.layout, c) for c in CODES]
    held = sum(lot.cost for b in books if b is not None for lot in b.positions)
    assert FAST_TWO.pool_capital is not None and FAST_TWO.pool_capital - held >= 0
