"""The executor journal: states, durability across reopen, torn last line, damage detection."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from windows_bridge.contract.messages import OrderResult, ResultStatus
from windows_bridge.executor.journal import Journal, JournalError, SignalState

from .executor_support import T0

SID = "BUY_159201.SZ_L1_0a1b2c3d"
SID2 = "SELL_159201.SZ_L2_11223344"


def result(sid: str = SID, status: ResultStatus = ResultStatus.FILLED, **kw: object) -> OrderResult:
    base: dict[str, object] = {"signal_id": sid, "status": status, "timestamp": T0, "requested_shares": 1000}
    if status is ResultStatus.FILLED:
        base |= {"filled_shares": 1000, "avg_price": 1.0}
    base.update(kw)
    return OrderResult.model_validate(base)


def test_states_progress_and_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    assert j.state(SID) is SignalState.NONE and j.get(SID) is None
    j.record_intent(SID, "d1", "B1_rem", T0, code="159201.SZ", direction="BUY", shares=1000, price=1.0)
    assert j.state(SID) is SignalState.INTENT
    j.record_placed(SID, 100_001)
    assert j.state(SID) is SignalState.PLACED
    assert [r.signal_id for r in j.unresolved()] == [SID]
    j.record_outcome(result(), "d1")
    again = Journal(path)
    rec = again.get(SID)
    assert rec is not None
    assert rec.state is SignalState.DONE and rec.order_id == 100_001 and rec.remark == "B1_rem"
    assert rec.digest == "d1" and rec.result == result()
    assert (rec.code, rec.direction, rec.shares, rec.price) == ("159201.SZ", "BUY", 1000, 1.0)
    assert again.unresolved() == [] and again.done_ids() == [SID]


def test_outcome_without_intent_is_done(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    j.record_outcome(result(status=ResultStatus.REJECTED, reason_code="bad_lot"), "dx")
    rec = j.get(SID)
    assert rec is not None and rec.state is SignalState.DONE and rec.digest == "dx"
    assert j.orders_on(T0.date()) == 0  # a refusal is not an order


def test_first_outcome_wins(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.record_outcome(result(), "d1")
    j.record_outcome(result(status=ResultStatus.REJECTED), "d1")
    rec = Journal(path).get(SID)
    assert rec is not None and rec.result is not None and rec.result.status is ResultStatus.FILLED


def test_torn_last_line_is_dropped_and_truncated(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.record_intent(SID, "d1", "r1", T0)
    good = path.read_bytes()
    with open(path, "ab") as fh:
        fh.write(b'{"type":"placed","signal_id":"BUY_159')  # killed mid-append
    reopened = Journal(path)
    assert reopened.state(SID) is SignalState.INTENT
    assert path.read_bytes() == good
    reopened.record_placed(SID, 7)
    assert Journal(path).state(SID) is SignalState.PLACED


def test_torn_only_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"type":"int')
    j = Journal(path)
    assert j.unresolved() == [] and path.read_bytes() == b""


def test_damaged_middle_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path)
    j.record_intent(SID, "d1", "r1", T0)
    j.record_intent(SID2, "d2", "r2", T0)
    lines = path.read_bytes().split(b"\n")
    lines[0] = b"\x00\x01garbage"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(JournalError):
        Journal(path)


def test_foreign_record_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"type":"weird","signal_id":"x"}\n')
    with pytest.raises(JournalError):
        Journal(path)


def test_orders_per_day_counts_intents_and_simulations(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.jsonl")
    j.record_intent(SID, "d1", "r1", T0)
    j.record_intent(SID2, "d2", "r2", T0 - timedelta(days=1))
    sim = result(
        "BUY_159201.SZ_L3_99999999", ResultStatus.SIMULATED, filled_shares=1000, avg_price=1.0, simulate=True
    )
    j.record_outcome(sim, "d3")
    assert j.orders_on(T0.date()) == 2
    assert j.orders_on((T0 - timedelta(days=1)).date()) == 1
    assert [r.signal_id for r in j.simulated_on(T0.date())] == ["BUY_159201.SZ_L3_99999999"]


def test_records_are_fsynced_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    j = Journal(tmp_path / "j.jsonl")
    j.record_intent(SID, "d1", "r1", T0)
    assert synced, "the intent must be fsync'd before the broker call"
    assert (tmp_path / "j.jsonl").read_bytes().endswith(b"\n")
