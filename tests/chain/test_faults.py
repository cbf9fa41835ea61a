"""Shared-folder faults, each with its expected safe behaviour (docs/reliability.md has the table).

In-process here (fast, exact fault injection); the folder-outage and two-executor cases also run
against real processes in ``test_chain_processes.py``.
"""

from __future__ import annotations

import builtins
import errno
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from miniqmt_gui.live.recovery import RecoveryAction, recovery_action
from miniqmt_gui.live.routes import SharedFolderRoute
from windows_bridge.contract import atomic_io
from windows_bridge.contract.atomic_io import read_message, write_bytes_atomic, write_message
from windows_bridge.contract.files import DONE_DIR, EXECUTED_FILE, RESULT_FILE, SIGNAL_FILE, done_marker_name
from windows_bridge.contract.messages import OrderResult
from windows_bridge.executor import service as executor_core

from .support import Executor, make_signal

VIOLATION = PermissionError(13, "sharing violation")


def _fail_n(times: int, exc: OSError, real: Any) -> Any:
    calls = {"n": 0}

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise exc
        return real(*args, **kwargs)

    return fake


def _result(ex: Executor) -> OrderResult | None:
    return read_message(ex.settings.shared_dir / RESULT_FILE, OrderResult).value


def test_disk_full_on_write_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: Any) -> None:
    target = tmp_path / "order_result.json"
    target.write_bytes(b"old")
    enospc = OSError(errno.ENOSPC, "No space left on device")

    class FullFile:
        def __init__(self, *_a: Any, **_k: Any) -> None: ...
        def __enter__(self) -> FullFile:
            return self
        def __exit__(self, *_a: Any) -> None: ...
        def write(self, _data: bytes) -> int:
            raise enospc

    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: FullFile() if "wb" in a else real_open(*a, **k))
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["order_result.json"]


def test_disk_full_while_publishing_republishes_without_a_second_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ex = Executor(tmp_path)
    ex.quote()
    write_message(ex.settings.shared_dir / SIGNAL_FILE, make_signal())
    enospc = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(executor_core, "write_message", _fail_n(1, enospc, executor_core.write_message))
    with pytest.raises(OSError):
        ex.core.poll_once()  # the process loop logs this and polls again
    assert ex.orders() == 1 and _result(ex) is None
    monkeypatch.undo()
    assert ex.core.poll_once()  # the disk has room again: same id → journaled result re-published
    assert ex.orders() == 1
    result = _result(ex)
    assert result is not None and result.signal_id == make_signal().signal_id
    assert not (ex.settings.shared_dir / SIGNAL_FILE).exists()


def test_sharing_violation_on_replace_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic_io.os, "replace", _fail_n(4, VIOLATION, os.replace))
    monkeypatch.setattr(atomic_io.time, "sleep", lambda _s: None)
    write_bytes_atomic(tmp_path / "order_signal.json", b"{}")
    assert (tmp_path / "order_signal.json").read_bytes() == b"{}"


def test_sharing_violation_that_never_ends_fails_loudly(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(atomic_io.os, "replace", _fail_n(99, VIOLATION, os.replace))
    monkeypatch.setattr(atomic_io.time, "sleep", lambda _s: None)
    with pytest.raises(OSError):
        write_bytes_atomic(tmp_path / "order_signal.json", b"{}")
    assert list(tmp_path.iterdir()) == []


def test_stale_listing_makes_the_engine_reemit_and_the_journal_answer(tmp_path: Path) -> None:
    ex = Executor(tmp_path)
    ex.quote()
    signal = make_signal()
    write_message(ex.settings.shared_dir / SIGNAL_FILE, signal)
    assert ex.core.poll_once() and ex.orders() == 1
    first = _result(ex)
    # a stale view of the share: no done marker, no executed list, no result visible yet
    shared = ex.settings.shared_dir
    for path in (shared / DONE_DIR / done_marker_name(signal.signal_id), shared / EXECUTED_FILE,
                 shared / RESULT_FILE):
        path.unlink()
    route = SharedFolderRoute(shared)
    assert recovery_action(route, signal) is RecoveryAction.REEMIT
    route.send(signal)  # the same id, the same payload
    assert ex.core.poll_once()
    assert ex.orders() == 1
    again = _result(ex)
    assert first is not None and again is not None
    assert (again.signal_id, again.status, again.order_id) == (first.signal_id, first.status, first.order_id)


@pytest.mark.parametrize("name", ["order_signal (1).json", "order_signal.json.conflict-20260105-100000",
                                  "order_signal-DESKTOP-conflict.json", "order_signal.json.sb-1a2b3c"])
def test_sync_conflict_copies_are_never_executed(tmp_path: Path, name: str) -> None:
    ex = Executor(tmp_path)
    ex.quote()
    copy = ex.settings.shared_dir / name
    write_message(copy, make_signal(token="deadbeef"))
    assert not ex.core.poll_once()
    assert ex.orders() == 0 and _result(ex) is None
    assert copy.exists()  # left for a human; only order_signal.json is ever read


@pytest.mark.parametrize(("skew_s", "reason"), [(600, "signal_too_old"), (-600, "signal_from_future")])
def test_ten_minute_clock_skew_refuses_without_an_order(tmp_path: Path, skew_s: int, reason: str) -> None:
    ex = Executor(tmp_path)
    ex.quote()
    ex.now += timedelta(seconds=skew_s)
    write_message(ex.settings.shared_dir / SIGNAL_FILE, make_signal())
    assert ex.core.poll_once()
    result = _result(ex)
    assert result is not None and result.reason_code == reason and result.status.value == "rejected"
    assert ex.orders() == 0


def test_executor_loop_survives_the_share_vanishing_at_heartbeat_time(tmp_path: Path) -> None:
    """Regression: the heartbeat write raised FileNotFoundError and ended the executor process."""
    from windows_bridge.executor.main import EXIT_OK, run_loop
    from windows_bridge.executor.presence import Heartbeat

    class GoneShare:
        def beat(self, *_a: Any, **_k: Any) -> None:
            raise FileNotFoundError(2, "No such file or directory")

    ex = Executor(tmp_path)
    heartbeat = Heartbeat(GoneShare(), dict, lambda _why: None)  # type: ignore[arg-type]
    heartbeat.beat_now()  # logged, not raised
    assert not heartbeat.lost
    assert run_loop(ex.core, heartbeat, once=True) == EXIT_OK
