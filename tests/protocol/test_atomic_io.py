"""Atomic writes and tolerant reads, including Windows-style sharing violations."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from windows_bridge.contract import atomic_io
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import ExecutedSignals


def test_write_then_read(tmp_path: Path) -> None:
    msg = ExecutedSignals(executed=["a", "b"], updated=datetime(2026, 1, 5, 9, 31, tzinfo=SHANGHAI))
    target = tmp_path / "executed_signals.json"
    atomic_io.write_message(target, msg)
    got = atomic_io.read_message(target, ExecutedSignals)
    assert got.ok and got.value == msg
    assert [p.name for p in tmp_path.iterdir()] == ["executed_signals.json"]  # no temp left behind


def test_missing_empty_and_invalid_files_are_not_data(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    assert atomic_io.read_message(target, ExecutedSignals).missing
    target.write_bytes(b"")
    r = atomic_io.read_message(target, ExecutedSignals)
    assert not r.ok and r.error == "empty file"
    target.write_bytes(b'{"executed": [1')
    r = atomic_io.read_message(target, ExecutedSignals)
    assert not r.ok and "JSON" in r.error


def test_replace_retries_sharing_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace
    failures = {"left": 3}

    def flaky(src: str, dst: str) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise PermissionError(13, "The process cannot access the file (sharing violation)")
        real_replace(src, dst)

    monkeypatch.setattr(atomic_io.os, "replace", flaky)
    monkeypatch.setattr(atomic_io.time, "sleep", lambda s: None)
    atomic_io.write_bytes_atomic(tmp_path / "f.json", b"{}")
    assert (tmp_path / "f.json").read_bytes() == b"{}"
    assert failures["left"] == 0


def test_replace_gives_up_after_bounded_retries_and_cleans_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def always_locked(src: str, dst: str) -> None:
        calls.append(src)
        raise PermissionError(13, "locked")

    monkeypatch.setattr(atomic_io.os, "replace", always_locked)
    monkeypatch.setattr(atomic_io.time, "sleep", lambda s: None)
    with pytest.raises(atomic_io.SharedFolderError, match="still locked"):
        atomic_io.write_bytes_atomic(tmp_path / "f.json", b"{}")
    assert len(calls) == len(atomic_io.RETRY_DELAYS_S) + 1
    assert list(tmp_path.iterdir()) == []


def test_reader_retries_sharing_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.json"
    target.write_bytes(b'{"executed": []}')
    real_open = open
    state = {"left": 2}

    def flaky_open(path: object, mode: str = "r", *a: object, **k: object) -> object:
        if path == target and state["left"]:
            state["left"] -= 1
            raise PermissionError(13, "locked")
        return real_open(path, mode, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", flaky_open)
    monkeypatch.setattr(atomic_io.time, "sleep", lambda s: None)
    assert atomic_io.read_message(target, ExecutedSignals).ok


def test_oversized_file_is_rejected_without_reading_it_all(tmp_path: Path) -> None:
    target = tmp_path / "huge.json"
    target.write_bytes(b" " * (atomic_io.MAX_FILE_BYTES + 10))
    r = atomic_io.read_message(target, ExecutedSignals)
    assert not r.ok and "too large" in r.error
    assert len(r.raw) <= 4096


def test_stale_temp_cleanup(tmp_path: Path) -> None:
    old = tmp_path / ".order_signal.json.1.abcd.tmp"
    old.write_bytes(b"{")
    os.utime(old, (0, 0))
    fresh = tmp_path / ".order_signal.json.2.ef01.tmp"
    fresh.write_bytes(b"{")
    assert atomic_io.clean_stale_temps(tmp_path) == 1
    assert fresh.exists() and not old.exists()
