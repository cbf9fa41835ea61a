"""The chain as real processes (bridge, executor, engine), in temporary folders.

* end to end with a shared-folder outage in the middle: replayed bars → signals → orders → fills →
  book; every signal has exactly one result, no duplicate broker order, book = broker;
* crash torture (short): SIGKILL the executor and the engine at random moments and restart them;
* two executors on one shared folder: the second refuses to start (exit code 3);
* ``miniqmt demo``: Ctrl+C stops all three cleanly with exit code 0; a child dying is reported;
* the state file deleted mid-run and the app restarted: no extra order, the book rebuilt or paused.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from miniqmt_gui.rehearsal.demo.layout import ENGINE, EXECUTOR
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.runner import ChainRun
from miniqmt_gui.rehearsal.demo.summary import book_state
from miniqmt_gui.rehearsal.demo.supervisor import Child
from miniqmt_gui.rehearsal.demo.torture import FAST_GRID, torture
from miniqmt_gui.rehearsal.demo.verify import verify
from windows_bridge.contract.files import STATE_FILE

from .support import share_outage

FAST = DemoOptions(speed=120.0, interval_s=0.2, order_timeout_s=2.0, silent_period_s=1.0, lead_s=2.0,
                   params=FAST_GRID)


def _failures(chain: ChainRun) -> list[str]:
    return [f"{c.role}:\n{c.tail()}" for c in chain.supervisor.children if not c.alive()]


@pytest.mark.slow
def test_end_to_end_with_a_share_outage(tmp_path: Path) -> None:
    chain = ChainRun(tmp_path / "run", FAST)
    chain.start()
    try:
        time.sleep(12)
        share_outage(chain.layout.shared, tmp_path, 3.0)  # the share disappears (VM suspended, sharing off)
        time.sleep(12)
        assert _failures(chain) == []
        assert chain.drain()
    finally:
        codes = chain.stop()
    assert set(codes.values()) == {0}, codes
    verdict = verify(chain.layout, chain.record(), chain.base)
    assert verdict.signals >= 3 and verdict.orders >= 1
    assert verdict.duplicates == {} and verdict.unanswered == [] and verdict.unapplied == []
    assert verdict.match, (verdict.book_lots, verdict.broker_grid)
    summary = chain.summary()
    assert summary["fills"] >= 1 and summary["results_applied_twice"] == []


@pytest.mark.slow
def test_crash_torture_short(tmp_path: Path) -> None:
    report = torture(tmp_path / "torture", cycles=10, seed=11)
    figures = report.as_dict()
    assert sum(report.kills.values()) >= 10
    assert report.crashes == [], report.crashes
    assert report.drained
    assert figures["duplicates"] == 0 and figures["lost"] == 0 and figures["match"], figures


def test_two_executors_on_one_folder(tmp_path: Path) -> None:
    chain = ChainRun(tmp_path / "run", FAST)
    chain.start(engine=False)
    try:
        first = chain.supervisor.get(EXECUTOR)
        for config in (chain.layout.config(EXECUTOR), _other_state_config(chain, tmp_path)):
            second = Child("second", [*chain.executor_argv()[:-1], str(config)],
                           chain.child(EXECUTOR, []).env, tmp_path / "second.log")
            second.start()
            assert second.proc is not None
            assert second.proc.wait(30) == 3, second.tail()
            assert "executor" in second.tail().lower()
        assert first.alive()
    finally:
        chain.stop()


def _other_state_config(chain: ChainRun, tmp_path: Path) -> Path:
    """Same shared folder, another local state folder (another machine or user)."""
    other = tmp_path / "other.toml"
    text = chain.layout.config(EXECUTOR).read_text(encoding="utf-8")
    other.write_text(text.replace(str(chain.layout.executor_state), str(tmp_path / "other-state")),
                     encoding="utf-8")
    return other


def _demo(tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "miniqmt_gui", "demo", "--headless", "--minutes", "10", "--dir",
         str(tmp_path / "demo")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_running(tmp_path: Path, timeout_s: float = 60) -> None:
    end = time.monotonic() + timeout_s
    log = tmp_path / "demo" / "logs" / "engine.log"
    while time.monotonic() < end:
        if log.exists() and "[engine] running" in log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError("the demo's engine did not start")


@pytest.mark.slow
def test_demo_ctrl_c_stops_everything_with_exit_0(tmp_path: Path) -> None:
    demo = _demo(tmp_path)
    _wait_running(tmp_path)
    time.sleep(4)
    demo.send_signal(signal.SIGINT)
    out, err = demo.communicate(timeout=90)
    assert demo.returncode == 0, err
    summary = json.loads(out)
    assert summary["exit"].startswith("user_stop")
    assert summary["exit_codes"] == {"engine": 0, "executor": 0, "bridge": 0}
    assert list(summary["exit_codes"]) == ["engine", "executor", "bridge"]  # reverse start order
    assert summary["duplicates"] == 0 and summary["folder"] == str(tmp_path / "demo")


@pytest.mark.slow
def test_demo_restarts_a_child_that_dies_like_launchd(tmp_path: Path) -> None:
    demo = _demo(tmp_path)
    try:
        _wait_running(tmp_path)
        heartbeat = tmp_path / "demo" / "shared" / "executor_heartbeat.json"
        first = json.loads(heartbeat.read_text())["pid"]
        subprocess.run(["kill", "-9", str(first)], check=True)
        end = time.monotonic() + 60
        while time.monotonic() < end:  # the supervisor starts it again; the new one beats
            try:
                if json.loads(heartbeat.read_text())["pid"] != first:
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.2)
        assert json.loads(heartbeat.read_text())["pid"] != first, "the executor was not restarted"
        assert demo.poll() is None, "the demo ended instead of restarting the executor"
        demo.send_signal(signal.SIGINT)
        out, err = demo.communicate(timeout=90)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, err[-2000:]
    assert "executor process ended on its own (killed by SIGKILL); restarting it" in err
    summary = json.loads(out)
    assert summary["restarts"] == [{"role": "executor", "code": -9}]


def _wait_lots(chain: ChainRun, timeout_s: float = 60) -> None:
    """Until the book holds a lot and nothing is pending."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        book = book_state(chain.layout)
        if book is not None and book.positions and book.pending_signal is None:
            return
        time.sleep(0.2)
    raise AssertionError("no lot was bought in time")


@pytest.mark.slow
@pytest.mark.parametrize("lost", ["the state file", "the state file and the app's own data"])
def test_state_deleted_mid_run_then_the_app_restarts(tmp_path: Path, lost: str) -> None:
    """0 extra orders; the book rebuilt (own copy) or, with nothing left to rebuild from, paused —
    never silently empty."""
    chain = ChainRun(tmp_path / "run", FAST)
    chain.start()
    try:
        _wait_lots(chain)
        engine = chain.supervisor.get(ENGINE)
        engine.kill()
        (chain.layout.shared / STATE_FILE).unlink()
        if "own data" in lost:
            shutil.rmtree(chain.layout.app_work / "book")
            chain.layout.decisions.unlink()
        buys_before = sum(o.side.value == "BUY" for o in chain.record().orders.values())
        engine.start()
        time.sleep(15)
        assert _failures(chain) == []
        chain.drain()
    finally:
        codes = chain.stop()
    assert set(codes.values()) == {0}, codes
    verdict = verify(chain.layout, chain.record(), chain.base)
    assert verdict.duplicates == {} and verdict.unanswered == []
    if "own data" not in lost:
        assert verdict.match, (verdict.book_lots, verdict.broker_grid)  # rebuilt from the app's own copy
    else:
        log = chain.layout.log(ENGINE).read_text(encoding="utf-8", errors="replace")
        assert "disagree" in log  # the reconcile prompt, headless
        buys_after = sum(o.side.value == "BUY" for o in chain.record().orders.values())
        assert buys_after == buys_before  # paused: nothing bought on top of what the broker holds
        assert (verdict.book_lots or 0) == 0 and (verdict.broker_grid or 0) > 0
