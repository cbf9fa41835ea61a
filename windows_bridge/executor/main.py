"""The order executor process: ``miniqmt-executor`` / ``python -m windows_bridge.executor``.

Polls ``order_signal.json`` in the shared folder, checks each signal, places it at most once
(see :mod:`windows_bridge.executor.service` and ``docs/protocol.md``) and writes the result.
``--once`` handles what is there and exits; ``--simulate`` (or ``ORDER_EXECUTOR_SIMULATE=1``)
never touches the broker.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from windows_bridge.brokers.interface import Broker, BrokerError
from windows_bridge.contract.config import ConfigError, Settings, check_for, load_settings
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.logs import setup_logging
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.pacing import FAST_S, QuotePacer
from windows_bridge.contract.signing import load_key
from windows_bridge.executor.journal import JOURNAL_FILE, Journal, JournalError
from windows_bridge.executor.presence import (
    HEARTBEAT_INTERVAL_S,
    InstanceLockError,
    LocalLock,
    SharedPresence,
)
from windows_bridge.executor.service import OrderExecutor, RecoveryError
from windows_bridge.executor.tracker import TrackingInterrupted

log = logging.getLogger("windows_bridge.executor")

LOG_FILE = "order_executor.log"
EXIT_OK, EXIT_CONFIG, EXIT_LOCKED, EXIT_RECOVERY = 0, 2, 3, 4
ERROR_BACKOFF_S = 1.0


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


def run_loop(executor: OrderExecutor, presence: SharedPresence, *, once: bool) -> None:
    """Poll until stopped; refresh the heartbeat every few seconds; survive unexpected errors."""
    next_beat = 0.0
    # fast around each new quote (signals follow quotes), poll_interval_s in between
    pacer = QuotePacer(executor.shared / QUOTE_FILE, slow_s=executor.settings.poll_interval_s,
                       fast_s=min(FAST_S, executor.settings.poll_interval_s))
    while not executor.stop.is_set():
        try:
            handled = executor.poll_once()
        except TrackingInterrupted:
            log.warning(
                "退出时仍有委托在途，重启后将核对 stopping with an order working; resolved at restart"
            )
            return
        except Exception:
            log.exception("处理信号出错，继续运行 error while handling a signal; still running")
            handled = False
            executor.stop.wait(ERROR_BACKOFF_S)
        if time.monotonic() >= next_beat:
            _beat(executor, presence)
            next_beat = time.monotonic() + HEARTBEAT_INTERVAL_S
        if once:
            return
        if not handled:
            executor.stop.wait(pacer.next_wait())


def _beat(executor: OrderExecutor, presence: SharedPresence) -> None:
    """Refresh the lock and heartbeat; a share that is gone for a while must not end the process."""
    try:
        presence.beat(
            now_shanghai(), last_signal_id=executor.last_signal_id, last_status=executor.last_status
        )
    except OSError as exc:
        log.warning("无法写心跳（共享文件夹不可用？） cannot write the heartbeat/lock, retrying: %s", exc)


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
    presence = SharedPresence(settings.shared_dir, simulate=settings.simulate, now=now_shanghai())
    try:
        local.acquire()
        presence.acquire(now_shanghai())
    except InstanceLockError as exc:
        log.error("%s", exc)
        local.release()
        return EXIT_LOCKED
    broker: Broker | None = None
    stop = threading.Event()
    previous_handlers = _install_signal_handlers(stop)
    try:
        key = load_key(settings.hmac_key_file) if settings.hmac_key_file else None
        journal = Journal(settings.state_dir / JOURNAL_FILE)
        broker = None if settings.simulate else create_live_broker(settings)
        executor = OrderExecutor(settings, broker, journal, hmac_key=key, stop=stop)
        executor.describe_mode()
        executor.recover()
        log.info("执行器已启动 executor running on %s (state %s)", settings.shared_dir, settings.state_dir)
        run_loop(executor, presence, once=args.once)
        return EXIT_OK
    except TrackingInterrupted:
        log.warning(
            "恢复期间收到退出信号，下次启动继续核对 stopped during recovery; resumed at the next start"
        )
        return EXIT_OK
    except (JournalError, RecoveryError, BrokerError, ValueError) as exc:
        log.error("无法启动 cannot run: %s", exc)
        return EXIT_RECOVERY
    finally:
        _restore_signal_handlers(previous_handlers)
        if broker is not None:
            broker.close()
        presence.release()
        local.release()


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
