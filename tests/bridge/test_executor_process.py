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
    InstanceLockError,
    LocalLock,
    SharedPresence,
)

from .executor_support import (
    CODE,
    T0,
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
    monkeypatch.setenv("MINIQMT_CONFIG", str(tmp_path / "no_config.toml"))
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


def test_shared_lock_fresh_refuses_stale_is_taken_over(tmp_path: Path) -> None:
    now = now_shanghai()
    other = ExecutorPresence(pid=4242, host="other-vm", time=now)
    write_message(tmp_path / LOCK_FILE, other)
    mine = SharedPresence(tmp_path, simulate=False, now=now)
    with pytest.raises(InstanceLockError, match="other-vm"):
        mine.acquire(now + timedelta(seconds=5))
    mine.acquire(now + timedelta(seconds=60))  # no heartbeat for a minute: stale
    got = read_message(tmp_path / LOCK_FILE, ExecutorPresence).value
    assert got is not None and got.pid == os.getpid()
    mine.release()
    assert not (tmp_path / LOCK_FILE).exists()


def test_run_loop_keeps_running_and_beats(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    clock = Clock()
    write_quote(settings)
    ex = make_executor(settings, None, clock)
    presence = SharedPresence(settings.shared_dir, simulate=True, now=T0)
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
    order_executor.run_loop(ex, presence, once=False)
    watcher.join()
    assert handled.is_set()
    assert (settings.shared_dir / HEARTBEAT_FILE).exists()


def test_run_loop_survives_an_unexpected_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path, simulate=True)
    ex = make_executor(settings, None, Clock())
    presence = SharedPresence(settings.shared_dir, simulate=True, now=T0)
    calls = {"n": 0}

    def flaky() -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("share went away for a moment")
        ex.stop.set()
        return False

    monkeypatch.setattr(ex, "poll_once", flaky)
    monkeypatch.setattr(order_executor, "ERROR_BACKOFF_S", 0.0)
    order_executor.run_loop(ex, presence, once=False)
    assert calls["n"] == 2
