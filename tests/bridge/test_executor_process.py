"""The executor as a process: ``main()``, single-instance locks, heartbeat, logging, run loop."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import SIGNAL_FILE
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import ResultStatus
from windows_bridge.executor import main as order_executor
from windows_bridge.executor import pretrade
from windows_bridge.executor.presence import (
    HEARTBEAT_FILE,
    LOCK_FILE,
    ExecutorPresence,
    FenceUnavailable,
    Heartbeat,
    InstanceLockError,
    LocalLock,
    NotOwnerError,
    OwnerLock,
    create_exclusive,
)

from .executor_support import (
    CODE,
    Clock,
    make_broker,
    make_executor,
    make_settings,
    make_signal,
    read_result,
    write_quote,
    write_signal,
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for var in ("SHARED_DIR", "MINIQMT_STATE_DIR", "ORDER_EXECUTOR_SIMULATE", "MINIQMT_HMAC_KEY_FILE"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "shared").mkdir()
    monkeypatch.setenv("SHARED_DIR", str(tmp_path / "shared"))
    monkeypatch.setenv("MINIQMT_STATE_DIR", str(tmp_path / "state"))
    config = tmp_path / "config.toml"
    config.write_text("heartbeat_interval_s = 0.05\n", encoding="utf-8")  # a quick owner-lock settle
    monkeypatch.setenv("MINIQMT_CONFIG", str(config))
    monkeypatch.setenv("MINIQMT_BROKER", "fake")
    yield tmp_path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_miniqmt_handler", False)]:
        root.removeHandler(handler)
        handler.close()


def test_main_once_simulate_end_to_end(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(env, simulate=True)
    now = now_shanghai()
    write_quote(settings, time=now)
    write_signal(settings, make_signal(timestamp=now))

    def no_broker(_settings: object) -> None:
        raise AssertionError("simulate mode must not even create the broker")

    monkeypatch.setattr(order_executor, "create_live_broker", no_broker)
    before = signal.getsignal(signal.SIGINT)
    assert order_executor.main(["--once", "--simulate"]) == 0
    assert signal.getsignal(signal.SIGINT) is before  # handlers restored
    assert read_result(settings).status is ResultStatus.SIMULATED
    assert not (settings.shared_dir / SIGNAL_FILE).exists()
    log_text = (env / "state" / order_executor.LOG_FILE).read_text(encoding="utf-8")
    assert "[SIMULATE] 模拟下单" in log_text
    beat = read_message(settings.shared_dir / HEARTBEAT_FILE, ExecutorPresence).value
    assert beat is not None and beat.simulate and beat.pid == os.getpid()
    assert beat.last_signal_id == make_signal().signal_id
    assert not (settings.shared_dir / LOCK_FILE).exists()  # released on exit


def test_main_env_switch_for_simulate(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDER_EXECUTOR_SIMULATE", "1")
    settings = make_settings(env, simulate=True)
    now = now_shanghai()
    write_quote(settings, time=now)
    write_signal(settings, make_signal(timestamp=now))
    assert order_executor.main(["--once"]) == 0
    assert read_result(settings).simulate


def test_main_live_uses_the_factory_broker(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(env)
    now = now_shanghai()
    broker = make_broker(settings, Clock(now))
    broker.on_quote(CODE, 1.0, time=now)
    write_quote(settings, time=now)
    write_signal(settings, make_signal(timestamp=now))
    monkeypatch.setattr(order_executor, "create_live_broker", lambda _s: broker)
    # main() runs on the real clock: keep this test independent of the hour it runs at
    monkeypatch.setattr(pretrade, "in_continuous_session", lambda _moment: True)
    assert order_executor.main(["--once"]) == 0
    assert read_result(settings).status is ResultStatus.FILLED
    assert not broker.connected  # closed on exit


def test_main_reports_config_problems(env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SHARED_DIR", str(env / "does_not_exist"))
    assert order_executor.main(["--once", "--simulate"]) == order_executor.EXIT_CONFIG
    assert "does_not_exist" in capsys.readouterr().err


def test_second_executor_refuses_to_start(env: Path) -> None:
    held = LocalLock(env / "state")
    held.acquire()
    try:
        assert order_executor.main(["--once", "--simulate"]) == order_executor.EXIT_LOCKED
    finally:
        held.release()
    assert order_executor.main(["--once", "--simulate"]) == 0


def test_local_lock_is_exclusive(tmp_path: Path) -> None:
    a, b = LocalLock(tmp_path), LocalLock(tmp_path)
    a.acquire()
    with pytest.raises(InstanceLockError, match="already"):
        b.acquire()
    a.release()
    b.acquire()
    b.release()


class Ticks:
    """A monotonic clock that ``sleep`` advances (no real waiting)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def owner_lock(shared: Path, ticks: Ticks, **kw: object) -> OwnerLock:
    return OwnerLock(shared, simulate=False, monotonic=ticks, sleep=ticks.sleep, **kw)  # type: ignore[arg-type]


def test_owner_lock_unchanged_for_the_window_is_taken_over(tmp_path: Path) -> None:
    now = now_shanghai()
    write_message(
        tmp_path / LOCK_FILE, ExecutorPresence(pid=4242, host="other-vm", time=now, token="aa", beat=7)
    )
    ticks = Ticks()
    mine = owner_lock(tmp_path, ticks)
    mine.acquire()  # nothing changed for 30 s on our own clock: the owner is provably gone
    assert ticks.now >= 30.0
    got = read_message(tmp_path / LOCK_FILE, ExecutorPresence).value
    assert got is not None and got.pid == os.getpid() and got.token == mine.token
    assert list(tmp_path.glob("executor.lock.stale-*"))  # the old lock is kept aside, not lost
    mine.release()
    assert not (tmp_path / LOCK_FILE).exists()


def test_owner_lock_that_keeps_beating_is_never_taken_over(tmp_path: Path) -> None:
    """Even with a clock hours behind (its own time looks stale): a changing lock is alive."""
    old = now_shanghai() - timedelta(hours=3)
    other = ExecutorPresence(pid=4242, host="other-vm", time=old, token="aa", beat=7)
    write_message(tmp_path / LOCK_FILE, other)
    ticks = Ticks()

    def beat_on_sleep(seconds: float) -> None:
        ticks.now += seconds
        write_message(tmp_path / LOCK_FILE, other.model_copy(update={"beat": other.beat + int(ticks.now)}))

    mine = OwnerLock(tmp_path, simulate=False, monotonic=ticks, sleep=beat_on_sleep)
    with pytest.raises(InstanceLockError, match="other-vm"):
        mine.acquire()
    got = read_message(tmp_path / LOCK_FILE, ExecutorPresence).value
    assert got is not None and got.token == "aa"


def test_owner_lock_of_a_dead_process_on_this_host_is_taken_over_at_once(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    write_message(
        tmp_path / LOCK_FILE, ExecutorPresence(pid=pid, host=socket.gethostname(), time=now_shanghai())
    )
    ticks = Ticks()
    mine = owner_lock(tmp_path, ticks)
    mine.acquire()
    assert ticks.now < 30.0
    mine.check()


def test_fencing_check_and_heartbeat_see_a_new_owner(tmp_path: Path) -> None:
    ticks = Ticks()
    mine = owner_lock(tmp_path, ticks)
    mine.acquire()
    mine.check()
    lost: list[str] = []
    beat = Heartbeat(mine, lambda: {}, lost.append)
    beat.beat_now()
    assert not lost
    (tmp_path / LOCK_FILE).unlink()  # a wiped share: the owner recreates its lock
    with pytest.raises(FenceUnavailable):
        mine.check()  # no order while the lock is missing
    beat.beat_now()
    mine.check()
    intruder = ExecutorPresence(pid=1, host="other-vm", time=now_shanghai(), token="bb")
    write_message(tmp_path / LOCK_FILE, intruder)
    with pytest.raises(NotOwnerError, match="other-vm"):
        mine.check()
    beat.beat_now()
    assert lost and "other-vm" in lost[0] and beat.lost
    got = read_message(tmp_path / LOCK_FILE, ExecutorPresence).value
    assert got is not None and got.token == "bb"  # a fenced executor never overwrites the new owner


def test_exclusive_create_lets_exactly_one_of_two_newcomers_win(tmp_path: Path) -> None:
    lock = tmp_path / LOCK_FILE
    assert create_exclusive(lock, b"first")
    assert not create_exclusive(lock, b"second")
    assert lock.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == [LOCK_FILE]  # no temp file left behind


def test_newcomer_refuses_while_the_owner_heartbeat_runs(tmp_path: Path) -> None:
    ticks = Ticks()
    first = owner_lock(tmp_path, ticks)
    first.acquire()
    heartbeat = Heartbeat(first, lambda: {"state": "running"}, lambda _why: None)

    def beat_while_waiting(seconds: float) -> None:
        ticks.now += seconds
        heartbeat.beat_now()

    second = OwnerLock(tmp_path, simulate=False, monotonic=ticks, sleep=beat_while_waiting)
    with pytest.raises(InstanceLockError, match="alive"):
        second.acquire()
    first.check()  # still the owner


def test_run_loop_keeps_running_and_beats(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    clock = Clock()
    write_quote(settings)
    ex = make_executor(settings, None, clock)
    write_signal(settings, make_signal())
    handled = threading.Event()

    def watch() -> None:
        while not ex.stop.is_set():
            if not (settings.shared_dir / SIGNAL_FILE).exists():
                handled.set()
                ex.stop.set()
            ex.stop.wait(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert order_executor.run_loop(ex, None, once=False) == order_executor.EXIT_OK
    watcher.join()
    assert handled.is_set()


def test_run_loop_survives_an_unexpected_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path, simulate=True)
    ex = make_executor(settings, None, Clock())
    calls = {"n": 0}

    def flaky() -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("share went away for a moment")
        ex.stop.set()
        return False

    monkeypatch.setattr(ex, "poll_once", flaky)
    monkeypatch.setattr(order_executor, "ERROR_BACKOFF_S", 0.0)
    order_executor.run_loop(ex, None, once=False)
    assert calls["n"] == 2
