"""Installation self-check: config, shared folder, heartbeats, clock skew, permissions.

Each check returns a :class:`~miniqmt_gui.rehearsal.checklist.CheckItem` with a verdict and, when it is
not fine, what to fix; :func:`run_checks` returns them as a
:class:`~miniqmt_gui.rehearsal.checklist.Checklist`. The
checks only read (plus a write probe in folders that must be writable); they never touch a
signal or the layer book, so running them beside a live session is safe.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from miniqmt_gui.rehearsal.checklist import CheckItem, Checklist
from windows_bridge.contract import config
from windows_bridge.contract.atomic_io import read_bytes
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE, QUOTE_FILE, STOP_FILE

HEARTBEAT_WARN_S = 30.0
SKEW_WARN_S = 5.0
SKEW_FAIL_S = 60.0




def _read_json(path: Path) -> dict[str, object] | None:
    try:
        raw = read_bytes(path)
    except OSError:
        return None
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def check_settings(env: dict[str, str] | None = None) -> tuple[CheckItem, config.Settings | None]:
    """Load config.toml + environment."""
    try:
        settings = config.load_settings(env=env)
    except config.ConfigError as exc:
        return CheckItem(
            "config", "fail", str(exc), "fix the named setting in config.toml or the environment"
        ), None
    where = config.config_dir() / config.CONFIG_FILE_NAME
    detail = f"{where} ({'found' if where.exists() else 'not present, defaults + environment'})"
    return CheckItem("config", "ok", detail), settings


def check_folder(name: str, folder: Path, fix: str) -> CheckItem:
    """A folder that must exist and be writable."""
    if not folder.is_dir():
        return CheckItem(name, "fail", f"{folder} does not exist", fix)
    probe = folder / f".miniqmt_selfcheck_{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return CheckItem(name, "fail", f"{folder} is not writable ({exc.strerror})", fix)
    return CheckItem(name, "ok", f"{folder} is writable")


def check_heartbeat(name: str, path: Path, field: str, now: datetime, start_hint: str) -> CheckItem:
    """A heartbeat file written by another process, and how old its heartbeat is."""
    data = _read_json(path)
    if data is None:
        return CheckItem(name, "warn", f"{path.name} not found or unreadable", start_hint)
    beat = _parse_time(data.get(field))
    if beat is None:
        return CheckItem(name, "warn", f"{path.name} has no valid '{field}' time", start_hint)
    age = (now - beat).total_seconds()
    if age > HEARTBEAT_WARN_S:
        return CheckItem(name, "warn", f"last heartbeat {age:.0f} s ago", start_hint)
    return CheckItem(name, "ok", f"last heartbeat {max(age, 0.0):.1f} s ago")


def check_clock_skew(quote_path: Path, now_epoch: float) -> CheckItem:
    """Mac vs Windows clock: the bridge's heartbeat against the file's modification time.

    The share stamps the file with the writer's wall clock at the moment of writing, in the
    same instant as the heartbeat, so ``mtime − heartbeat`` measures the two clocks' difference
    only when the file was written recently. An old file says nothing about skew.
    """
    data = _read_json(quote_path)
    beat = _parse_time(data.get("heartbeat")) if data else None
    if beat is None:
        return CheckItem("clock skew", "warn", "no bridge heartbeat to compare with",
                         "start the bridge first")
    try:
        mtime = quote_path.stat().st_mtime
    except OSError:
        return CheckItem("clock skew", "warn", "quote file vanished", "")
    if now_epoch - mtime > HEARTBEAT_WARN_S:
        return CheckItem("clock skew", "warn", "quote file is old; cannot measure", "start the bridge first")
    skew = mtime - beat.timestamp()
    fix = "turn on automatic time (NTP) in both macOS and Windows"
    if abs(skew) >= SKEW_FAIL_S:
        return CheckItem("clock skew", "fail", f"clocks differ by {skew:+.1f} s", fix)
    if abs(skew) >= SKEW_WARN_S:
        return CheckItem("clock skew", "warn", f"clocks differ by {skew:+.1f} s", fix)
    return CheckItem("clock skew", "ok", f"{skew:+.2f} s")


def check_key_permissions(key_file: Path | None) -> CheckItem:
    """The HMAC key must be readable by its owner only."""
    if key_file is None:
        return CheckItem("HMAC key", "ok", "not configured (signals are not signed)")
    if not key_file.exists():
        return CheckItem("HMAC key", "fail", f"{key_file} missing", "copy the key or unset hmac_key_file")
    mode = stat.S_IMODE(key_file.stat().st_mode)
    if os.name != "nt" and mode & 0o077:
        return CheckItem(
            "HMAC key", "warn", f"{key_file} mode {mode:o} is readable by others", f"chmod 600 {key_file}"
        )
    return CheckItem("HMAC key", "ok", f"{key_file}")


def check_kill_switch(shared: Path) -> CheckItem:
    """A STOP file blocks every order; say so loudly."""
    if (shared / STOP_FILE).exists():
        return CheckItem(
            "kill switch", "warn", "STOP is present: the executor places nothing", "remove STOP to resume"
        )
    return CheckItem("kill switch", "ok", "no STOP file")


def check_compiled_loops() -> CheckItem:
    """The backtest loops come prebuilt (else the first backtest waits for numba to compile them)."""
    from miniqmt_gui.strategy import compiled

    if compiled.backend() == "aot":
        return CheckItem("compiled loops", "ok", "prebuilt (no compile at first run)")
    return CheckItem("compiled loops", "warn", "not prebuilt: the first backtest compiles for seconds",
                 "python -m miniqmt_gui.strategy.build_compiled")


def run_checks(env: dict[str, str] | None = None, clock: Callable[[], float] = time.time) -> Checklist:
    """Every check in order; later checks are skipped when the config cannot be loaded."""
    cfg_check, settings = check_settings(env)
    checks = Checklist([cfg_check])
    if settings is None:
        return checks
    shared = settings.shared_dir
    now_epoch = clock()
    now = datetime.fromtimestamp(now_epoch).astimezone()
    checks.add(check_folder("shared folder", shared, "create it or set SHARED_DIR to the Parallels share"))
    checks.add(check_folder("state folder", settings.state_dir, f"mkdir -p {settings.state_dir}"))
    if checks.items[1].verdict == "ok":
        checks.add(
            check_heartbeat(
                "bridge", shared / QUOTE_FILE, "heartbeat", now, "start miniqmt-bridge in Windows"
            )
        )
        checks.add(
            check_heartbeat(
                "executor", shared / EXECUTOR_HEARTBEAT_FILE, "time", now, "start miniqmt-executor in Windows"
            )
        )
        checks.add(check_clock_skew(shared / QUOTE_FILE, now_epoch))
        checks.add(check_kill_switch(shared))
    checks.add(check_key_permissions(settings.hmac_key_file))
    checks.add(check_compiled_loops())
    return checks


def format_report(checks: Checklist) -> str:
    """Human-readable report, one line per check plus the fix where needed."""
    return checks.report()
