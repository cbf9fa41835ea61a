"""The executor as a real process under faults a process suffers: kill -9, two of them, a damaged
journal under the scheduled restart, a full disk, a FIFO in the share.

The processes trade through the xtquant fake over the simulated broker on a replayed market
(``benchmarks/executor_torture.py`` builds the rig; the long crash torture runs there).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import SIGNAL_FILE
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import OrderResult, ResultStatus, order_remark
from windows_bridge.executor.presence import HEARTBEAT_FILE, LOCK_FILE, ExecutorPresence

REPO = Path(__file__).resolve().parents[2]
EXIT_LOCKED, EXIT_HALTED, EXIT_NOT_OWNER = 3, 4, 5


def _torture_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "executor_torture", REPO / "benchmarks" / "executor_torture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["executor_torture"] = module
    spec.loader.exec_module(module)
    return module


torture = _torture_module()


@pytest.fixture
def make_rig(tmp_path: Path) -> Any:
    """Rigs whose processes are all killed at the end of the test, whatever happened."""
    rigs: list[Any] = []

    def make(**kw: Any) -> Any:
        rigs.append(torture.Rig(tmp_path, **kw))
        return rigs[-1]

    yield make
    for rig in rigs:
        rig.kill_all()


def wait_until(condition: Callable[[], Any], timeout_s: float = 60.0) -> Any:
    """Poll ``condition`` until it is truthy; its value (fails the test after ``timeout_s``)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def heartbeat(rig: Any) -> ExecutorPresence | None:
    return read_message(rig.shared / HEARTBEAT_FILE, ExecutorPresence).value


def lock(rig: Any) -> ExecutorPresence | None:
    return read_message(rig.shared / LOCK_FILE, ExecutorPresence).value


def running(rig: Any, proc: Any) -> ExecutorPresence | None:
    """The heartbeat of ``proc`` once it has started (None before)."""
    beat = heartbeat(rig)
    return beat if beat is not None and beat.pid == proc.pid and beat.state == "running" else None


# ------------------------------------------------------------------ kill -9 while orders work, day rolls


@pytest.mark.slow
def test_crash_torture_short_with_day_rolls_and_wiped_journals(tmp_path: Path) -> None:
    report = torture.run_torture(tmp_path, 4, seed=5, p_roll=0.5, p_wipe=0.5, p_resend=0.5)
    figures = report.as_dict()
    assert report.kills >= 4 and report.day_rolls + report.wipes == report.kills, figures
    assert figures["duplicates"] == 0 and figures["lost_fills"] == 0, figures
    assert figures["unanswered"] == [] and figures["unexpected_exits"] == [], figures
    assert figures["book_equals_broker"] and figures["resend_answers_differing"] == 0, figures


# ------------------------------------------------------------------ two executors on one shared folder


def other_state(rig: Any, name: str) -> list[str]:
    """The executor's command line with another local state folder (another VM on the same share)."""
    config = rig.root / f"{name}.toml"
    config.write_text(rig.config.read_text(encoding="utf-8").replace(str(rig.state), str(rig.root / name)))
    return [*rig.argv()[:-2], "--config", str(config)]


def test_owner_stuck_tracking_an_order_for_longer_than_the_takeover_window_keeps_its_lock(
    make_rig: Any,
) -> None:
    # the order works for a minute (40 ticks below a market that never falls that far); takeover window 3 s
    rig = make_rig(order_timeout_s=60.0, risk_config="price_collar = 0.2")
    first = rig.start()
    wait_until(lambda: running(rig, first))
    sig = rig.signal(random.Random(1), "BUY", 1000, 40)  # 40 ticks below: it only works
    rig.send(sig)
    wait_until(lambda: (o := _order(rig, sig)) is not None and not o.status.is_final)
    second = rig.start("second", other_state(rig, "vm2"))
    assert second.wait(90) == EXIT_LOCKED  # the heartbeat thread kept the lock alive while tracking
    assert "alive" in rig.log_tail("second")
    assert rig.alive(first) and lock(rig).pid == first.pid  # type: ignore[union-attr]
    assert rig.stop(first) == 0


def _order(rig: Any, sig: Any) -> Any:
    """The broker's order for ``sig`` (None while there is none)."""
    ledger = rig.ledger()
    return next(
        (o for o in (ledger.orders if ledger else []) if o.remark == order_remark(sig.signal_id)), None
    )


def test_lock_wiped_from_the_share_while_a_second_executor_starts_leaves_one_owner(
    tmp_path: Path, make_rig: Any
) -> None:
    rig = make_rig()
    first = rig.start()
    wait_until(lambda: running(rig, first))
    (rig.shared / LOCK_FILE).unlink()  # a wiped or re-synced share
    second = rig.start("second", other_state(rig, "vm2"))
    end = time.monotonic() + 90
    while time.monotonic() < end and rig.alive(first) and rig.alive(second):
        time.sleep(0.1)  # one of them must give way: the second refuses or the first is fenced off
    time.sleep(1.0)
    alive = [p for p in (first, second) if rig.alive(p)]
    assert len(alive) == 1, [p.poll() for p in (first, second)]
    gone = second if alive == [first] else first
    assert gone.wait(30) in (EXIT_LOCKED, EXIT_NOT_OWNER)
    assert wait_until(lambda: lock(rig)).pid == alive[0].pid  # the lock names the one that runs
    rig.stop(alive[0])


def test_an_executor_that_is_no_longer_the_owner_stops_and_exits_non_zero(
    tmp_path: Path, make_rig: Any
) -> None:
    rig = make_rig()
    first = rig.start()
    wait_until(lambda: running(rig, first))
    intruder = ExecutorPresence(pid=1, host="other-vm", time=now_shanghai(), token="intruder", beat=1)
    write_message(rig.shared / LOCK_FILE, intruder)  # another machine took the folder over
    assert first.wait(60) == EXIT_NOT_OWNER
    assert "no longer the owner" in rig.log_tail()
    assert lock(rig).token == "intruder"  # type: ignore[union-attr]  # the new owner's lock is left alone


# ------------------------------------------------------------------ journal damage, full disk


def test_damaged_journal_means_no_new_orders_and_an_alarm_not_a_crash_loop(
    tmp_path: Path, make_rig: Any
) -> None:
    rig = make_rig()
    rig.journal_path.write_bytes(
        b'{"type":"intent","signal_id":"BUY_159201.SZ_L1_0a1b2c3d","digest":"d","remark":"r","time":"2026-01-05T10:00:00+08:00"}\n'
        b"\x00\x17garbage in the middle\n"
        b'{"type":"placed","signal_id":"BUY_159201.SZ_L1_0a1b2c3d","order_id":7}\n'
    )
    proc = rig.start()
    beat = wait_until(lambda: (b := heartbeat(rig)) is not None and b.state == "halted" and b)
    assert "damaged" in beat.alarm and beat.pid == proc.pid
    sig = rig.signal(random.Random(2), "BUY", 1000, 0)
    rig.send(sig)
    first_beat = beat.beat
    wait_until(lambda: heartbeat(rig).beat > first_beat + 2)  # type: ignore[union-attr]  # alive, beating
    assert rig.alive(proc)  # stays up: the scheduler's restart would only loop
    assert rig.result_for(sig.signal_id) is None and (rig.shared / SIGNAL_FILE).exists()  # no order, kept
    assert "EXECUTOR HALTED" in rig.log_tail()
    assert rig.stop(proc) == EXIT_HALTED


def test_full_disk_in_a_real_process_places_nothing_until_there_is_room(
    tmp_path: Path, make_rig: Any
) -> None:
    rig = make_rig()
    flag = tmp_path / "disk_full"
    proc = rig.start(
        "executor",
        [
            sys.executable,
            str(REPO / "tests" / "chain" / "enospc_executor.py"),
            str(flag),
            "--config",
            str(rig.config),
        ],
    )
    wait_until(lambda: running(rig, proc))
    flag.write_text("full\n")
    size = rig.journal_path.stat().st_size if rig.journal_path.exists() else 0
    sig = rig.signal(random.Random(3), "BUY", 1000, 0)
    rig.send(sig)
    beat = wait_until(lambda: (b := heartbeat(rig)) is not None and b.state == "halted" and b)
    assert "journal" in beat.alarm
    now = rig.journal_path.stat().st_size if rig.journal_path.exists() else 0
    assert now == size  # the half-written record was cut off again
    assert _order(rig, sig) is None and rig.alive(proc)
    flag.unlink()  # room on the disk again
    result = wait_until(lambda: rig.result_for(sig.signal_id))
    assert result.status in (ResultStatus.FILLED, ResultStatus.PARTIALLY_FILLED, ResultStatus.CANCELLED)
    assert len([o for o in rig.ledger().orders if o.remark == order_remark(sig.signal_id)]) == 1
    assert wait_until(lambda: heartbeat(rig).state == "running")  # type: ignore[union-attr]
    assert rig.stop(proc) == 0


# ------------------------------------------------------------------ hostile entries with a live process


@pytest.mark.parametrize("kind", ["fifo", "directory", "dangling_link"])
def test_a_fifo_or_folder_named_like_the_signal_never_blocks_the_process(
    tmp_path: Path, kind: str, make_rig: Any
) -> None:
    rig = make_rig()
    proc = rig.start()
    wait_until(lambda: running(rig, proc))
    path = rig.shared / SIGNAL_FILE
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "nowhere")
    result = wait_until(lambda: read_message(rig.shared / "order_result.json", OrderResult).value)
    assert result.reason_code == "invalid_signal" and not os.path.lexists(path)
    sig = rig.signal(random.Random(4), "BUY", 1000, 0)
    rig.send(sig)
    assert wait_until(lambda: rig.result_for(sig.signal_id)).status is not ResultStatus.REJECTED
    assert rig.alive(proc)
    assert rig.stop(proc) == 0
    assert json.loads((rig.shared / HEARTBEAT_FILE).read_text())["state"] == "running"
