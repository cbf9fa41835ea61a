"""The order executor process: ``miniqmt-executor`` / ``python -m windows_bridge.executor``.

Polls ``order_signal.json`` in the shared folder, checks each signal, places it at most once
(see :mod:`windows_bridge.executor.service` and ``docs/protocol.md``) and writes the result.
``--once`` handles what is there and exits; ``--simulate`` (or ``ORDER_EXECUTOR_SIMULATE=1``)
never touches the broker.

The process owns the shared folder (:mod:`.presence`): it beats its owner lock from its own thread
and checks the lock before every order. Exit codes: 0 stopped, 2 configuration problem, 3 another
executor owns the folder, 4 stopped while halted, 5 no longer the owner, 6 the QMT client of this
process cannot be recovered (Task Scheduler restarts it). Anything the executor cannot trust at
start (a damaged journal, an open live intent in simulate mode, a malformed HMAC key) does **not**
end the process — that would be a crash loop under the scheduled restart — it stays up in a
visible "no new orders" state (``state: halted`` and the ``alarm`` in ``executor_heartbeat.json``)
and repeats the alarm in the log every minute until a human fixes it and restarts it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from windows_bridge.brokers.interface import Broker
from windows_bridge.contract.config import ConfigError, Settings, check_for, load_settings
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.logs import setup_logging
from windows_bridge.contract.pacing import FAST_S, QuotePacer
from windows_bridge.contract.signing import load_key
from windows_bridge.executor.broker_access import BrokerUnrecoverable, TrackingInterrupted
from windows_bridge.executor.journal import JOURNAL_FILE, Journal, JournalError
from windows_bridge.executor.presence import (
    Heartbeat,
    InstanceLockError,
    LocalLock,
    NotOwnerError,
    OwnerLock,
)
from windows_bridge.executor.service import OrderExecutor, RecoveryError

log = logging.getLogger("windows_bridge.executor")

LOG_FILE = "order_executor.log"
EXIT_OK, EXIT_CONFIG, EXIT_LOCKED, EXIT_HALTED, EXIT_NOT_OWNER, EXIT_BROKER = 0, 2, 3, 4, 5, 6
#: kept for older callers: the exit code of a process that stopped while halted
EXIT_RECOVERY = EXIT_HALTED
ERROR_BACKOFF_S = 1.0
ALARM_EVERY_S = 60.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="miniqmt-executor", description="miniqmt order executor (Windows side)"
    )
    parser.add_argument("--once", action="store_true", help="handle the signal file if present, then exit")
    parser.add_argument("--shared-dir", type=Path, help="shared folder (overrides SHARED_DIR / config)")
    parser.add_argument(
        "--simulate", action="store_true", help="validate and record only; never call the broker"
    )
    parser.add_argument("--config", type=Path, help="config.toml to use instead of the default one")
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    return parser.parse_args(argv)


def build_settings(args: argparse.Namespace) -> Settings:
    """Config file + environment, then the command-line overrides."""
    settings = load_settings(args.config)
    if args.shared_dir is not None:
        settings.shared_dir = args.shared_dir
    if args.simulate:
        settings.simulate = True
    return settings


def create_live_broker(settings: Settings) -> Broker:
    """The broker for live mode (imported lazily: simulate mode never loads it)."""
    from windows_bridge.brokers.factory import create_broker

    broker: Broker = create_broker(settings, role="executor")
    return broker


def run_loop(executor: OrderExecutor, heartbeat: Heartbeat | None = None, *, once: bool) -> int:
    """Poll until stopped; survive unexpected errors; the process's exit code."""
    # fast around each new quote (signals follow quotes), poll_interval_s in between
    pacer = QuotePacer(executor.shared / QUOTE_FILE, slow_s=executor.settings.poll_interval_s,
                       fast_s=min(FAST_S, executor.settings.poll_interval_s))
    while not executor.stop.is_set():
        try:
            handled = executor.poll_once()
        except (TrackingInterrupted, NotOwnerError, BrokerUnrecoverable) as exc:
            return _exit_for(exc)
        except Exception:
            log.exception("处理信号出错，继续运行 error while handling a signal; still running")
            handled = False
            executor.stop.wait(ERROR_BACKOFF_S)
        if once:
            break
        if not handled:
            executor.stop.wait(pacer.next_wait())
    if heartbeat is not None and heartbeat.lost:
        log.error("!!! 执行权已失去，退出 ownership lost: %s", heartbeat.lost)
        return EXIT_NOT_OWNER
    return EXIT_OK


def _exit_for(exc: Exception) -> int:
    """The exit code (and the log line) for the exceptions that end the process on purpose."""
    if isinstance(exc, NotOwnerError):
        log.error("!!! 不再是共享目录的执行者，停止下单并退出 %s — exiting", exc)
        return EXIT_NOT_OWNER
    if isinstance(exc, BrokerUnrecoverable):
        log.error("!!! QMT 客户端无法恢复，退出以便重启 %s — exiting so the scheduler restarts it", exc)
        return EXIT_BROKER
    log.warning("退出时仍有委托在途，重启后将核对 stopping with an order working; resolved at restart")
    return EXIT_OK


def run_halted(
    reason: str, stop: threading.Event, heartbeat: Heartbeat | None, status: dict[str, Any]
) -> int:
    """The "no new orders" state: stay up, show the alarm, repeat it in the log until stopped."""
    status.update(state="halted", alarm=reason)
    while True:
        log.error("!!! 执行器已暂停，不下任何新单 EXECUTOR HALTED, no new orders: %s", reason)
        if heartbeat is not None:
            heartbeat.beat_now()
        if stop.wait(ALARM_EVERY_S):
            return EXIT_HALTED
        if heartbeat is not None and heartbeat.lost:
            return EXIT_NOT_OWNER


def _install_signal_handlers(stop: threading.Event) -> dict[int, Any]:
    """Let Ctrl+C / SIGTERM / SIGBREAK stop the loop cleanly; returns the handlers replaced."""

    def _stop(signum: int, _frame: object) -> None:
        log.info("收到退出信号 stop requested (signal %s)", signum)
        stop.set()

    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signum = getattr(signal, name)
            previous[signum] = signal.signal(signum, _stop)
    return previous


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def _start(settings: Settings, args: argparse.Namespace) -> int:
    """Everything after the settings are known and logging is up."""
    local = LocalLock(settings.state_dir)
    owner = OwnerLock(
        settings.shared_dir,
        simulate=settings.simulate,
        interval_s=settings.heartbeat_interval_s,
        gone_after_s=settings.owner_gone_after_s,
    )
    try:
        local.acquire()
        owner.acquire()
    except InstanceLockError as exc:
        log.error("%s", exc)
        local.release()
        return EXIT_LOCKED
    stop = threading.Event()
    previous_handlers = _install_signal_handlers(stop)
    status: dict[str, Any] = {"state": "running", "alarm": ""}
    heartbeat = Heartbeat(owner, lambda: dict(status), lambda _why: stop.set(), settings.heartbeat_interval_s)
    heartbeat.beat_now()
    heartbeat.start()
    broker: Broker | None = None
    try:
        try:
            key = load_key(settings.hmac_key_file) if settings.hmac_key_file else None
            journal = Journal(settings.state_dir / JOURNAL_FILE)
        except (JournalError, ValueError) as exc:
            return run_halted(str(exc), stop, heartbeat, status)
        broker = None if settings.simulate else create_live_broker(settings)
        executor = OrderExecutor(settings, broker, journal, hmac_key=key, stop=stop, fence=owner)
        heartbeat.status = lambda: _status(executor)
        executor.describe_mode()
        return _recover_and_run(executor, heartbeat, stop, status, once=args.once)
    finally:
        heartbeat.stop()
        heartbeat.beat_now()  # the last state, for the app
        _restore_signal_handlers(previous_handlers)
        if broker is not None:
            broker.close()
        owner.release()
        local.release()


def _recover_and_run(
    executor: OrderExecutor,
    heartbeat: Heartbeat,
    stop: threading.Event,
    status: dict[str, Any],
    *,
    once: bool,
) -> int:
    try:
        executor.recover()
    except (TrackingInterrupted, NotOwnerError, BrokerUnrecoverable) as exc:
        return _exit_for(exc)
    except RecoveryError as exc:
        heartbeat.status = lambda: dict(status)
        return run_halted(str(exc), stop, heartbeat, status)
    log.info("执行器已启动 executor running on %s (state %s)", executor.shared, executor.settings.state_dir)
    return run_loop(executor, heartbeat, once=once)


def _status(executor: OrderExecutor) -> dict[str, Any]:
    return {
        "last_signal_id": executor.last_signal_id,
        "last_status": executor.last_status,
        "state": executor.state,
        "alarm": executor.alarm,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``miniqmt-executor``; returns the process exit code."""
    args = parse_args(argv)
    try:
        settings = build_settings(args)
    except (ConfigError, ValueError) as exc:
        print(f"配置错误 configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    problems = check_for(settings, "executor")
    if problems:
        for problem in problems:
            print(f"配置问题 {problem}", file=sys.stderr)
        return EXIT_CONFIG
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    setup_logging(settings.state_dir, LOG_FILE, level=logging.DEBUG if args.verbose else logging.INFO)
    return _start(settings, args)


if __name__ == "__main__":
    sys.exit(main())
