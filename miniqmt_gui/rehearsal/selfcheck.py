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
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from miniqmt_gui.rehearsal.checklist import CheckItem, Checklist
from windows_bridge.contract import config
from windows_bridge.contract.atomic_io import read_bytes
from windows_bridge.contract.files import EXECUTOR_HEARTBEAT_FILE, QUOTE_FILE, kill_switch

#: the check names as the report shows them: (Chinese, English)
NAMES = {"config": ("配置文件", "config"), "shared folder": ("共享文件夹", "shared folder"),
         "state folder": ("状态文件夹", "state folder"), "bridge": ("行情端", "bridge"),
         "executor": ("执行端", "executor"), "clock skew": ("时钟偏差", "clock skew"),
         "HMAC key": ("HMAC 密钥", "HMAC key"), "kill switch": ("熔断开关", "kill switch")}
HEARTBEAT_WARN_S = 30.0
SKEW_WARN_S = 5.0
SKEW_FAIL_S = 60.0




def _l(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


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


def check_settings(env: dict[str, str] | None = None, lang: str = "zh",
                   ) -> tuple[CheckItem, config.Settings | None]:
    """Load config.toml + environment (the same file the app and the Windows processes read)."""
    try:
        settings = config.load_settings(env=env)
    except config.ConfigError as exc:
        fix = _l(lang, "修正 config.toml 或环境变量中指出的设置",
                 "fix the named setting in config.toml or the environment")
        return CheckItem("config", "fail", str(exc), fix), None
    where = config.config_path(env)
    found = _l(lang, "已找到", "found") if where.exists() else _l(lang, "不存在，使用默认值与环境变量",
                                                                 "not present, defaults + environment")
    return CheckItem("config", "ok", f"{where} ({found})"), settings


def check_folder(name: str, folder: Path, fix: str, lang: str = "zh") -> CheckItem:
    """A folder that must exist and be writable."""
    if not folder.is_dir():
        return CheckItem(name, "fail", _l(lang, f"{folder} 不存在", f"{folder} does not exist"), fix)
    probe = folder / f".miniqmt_selfcheck_{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return CheckItem(name, "fail", _l(lang, f"{folder} 不可写（{exc.strerror}）",
                                          f"{folder} is not writable ({exc.strerror})"), fix)
    return CheckItem(name, "ok", _l(lang, f"{folder} 可写", f"{folder} is writable"))


def check_heartbeat(name: str, path: Path, field: str, now: datetime, start_hint: str,
                    lang: str = "zh") -> CheckItem:
    """A heartbeat file written by another process, and how old its heartbeat is."""
    data = _read_json(path)
    if data is None:
        return CheckItem(name, "warn", _l(lang, f"{path.name} 不存在或无法读取",
                                          f"{path.name} not found or unreadable"), start_hint)
    beat = _parse_time(data.get(field))
    if beat is None:
        return CheckItem(name, "warn", _l(lang, f"{path.name} 没有有效的 '{field}' 时间",
                                          f"{path.name} has no valid '{field}' time"), start_hint)
    age = (now - beat).total_seconds()
    if age > HEARTBEAT_WARN_S:
        old = _l(lang, f"最近心跳在 {age:.0f} 秒前", f"last heartbeat {age:.0f} s ago")
        return CheckItem(name, "warn", old, start_hint)
    return CheckItem(name, "ok", _l(lang, f"最近心跳在 {max(age, 0.0):.1f} 秒前",
                                    f"last heartbeat {max(age, 0.0):.1f} s ago"))


def check_clock_skew(quote_path: Path, now_epoch: float, lang: str = "zh") -> CheckItem:
    """Mac vs Windows clock: the bridge's heartbeat against the file's modification time.

    The share stamps the file with the writer's wall clock at the moment of writing, in the
    same instant as the heartbeat, so ``mtime − heartbeat`` measures the two clocks' difference
    only when the file was written recently. An old file says nothing about skew.
    """
    data = _read_json(quote_path)
    beat = _parse_time(data.get("heartbeat")) if data else None
    if beat is None:
        return CheckItem("clock skew", "warn",
                         _l(lang, "没有行情端心跳可供比较", "no bridge heartbeat to compare with"),
                         _l(lang, "先启动行情端", "start the bridge first"))
    try:
        mtime = quote_path.stat().st_mtime
    except OSError:
        return CheckItem("clock skew", "warn", _l(lang, "行情文件消失了", "quote file vanished"), "")
    if now_epoch - mtime > HEARTBEAT_WARN_S:
        return CheckItem("clock skew", "warn",
                         _l(lang, "行情文件太旧，无法测量", "quote file is old; cannot measure"),
                         _l(lang, "先启动行情端", "start the bridge first"))
    skew = mtime - beat.timestamp()
    fix = _l(lang, "在 macOS 和 Windows 中都打开自动设置时间（NTP）",
             "turn on automatic time (NTP) in both macOS and Windows")
    differ = _l(lang, f"两边时钟相差 {skew:+.1f} 秒", f"clocks differ by {skew:+.1f} s")
    if abs(skew) >= SKEW_FAIL_S:
        return CheckItem("clock skew", "fail", differ, fix)
    if abs(skew) >= SKEW_WARN_S:
        return CheckItem("clock skew", "warn", differ, fix)
    return CheckItem("clock skew", "ok", f"{skew:+.2f} s")


def check_key_permissions(key_file: Path | None, lang: str = "zh") -> CheckItem:
    """The HMAC key must be readable by its owner only."""
    if key_file is None:
        return CheckItem("HMAC key", "ok",
                         _l(lang, "未配置（信号不签名）", "not configured (signals are not signed)"))
    if not key_file.exists():
        return CheckItem("HMAC key", "fail", _l(lang, f"{key_file} 不存在", f"{key_file} missing"),
                         _l(lang, "复制密钥文件，或删除 hmac_key_file 设置",
                            "copy the key or unset hmac_key_file"))
    mode = stat.S_IMODE(key_file.stat().st_mode)
    if os.name != "nt" and mode & 0o077:
        return CheckItem(
            "HMAC key", "warn", _l(lang, f"{key_file} 权限 {mode:o}：其他用户可读",
                                   f"{key_file} mode {mode:o} is readable by others"), f"chmod 600 {key_file}"
        )
    return CheckItem("HMAC key", "ok", f"{key_file}")


def check_kill_switch(shared: Path, lang: str = "zh") -> CheckItem:
    """A STOP file blocks every order; say so loudly."""
    if kill_switch(shared) is not None:
        return CheckItem("kill switch", "warn", _l(lang, "STOP 文件存在：执行端不会下单",
                                                   "STOP is present: the executor places nothing"),
                         _l(lang, "删除 STOP（或在界面中点 恢复）后继续交易", "remove STOP to resume"))
    return CheckItem("kill switch", "ok", _l(lang, "没有 STOP 文件", "no STOP file"))


def check_compiled_loops(lang: str = "zh") -> CheckItem:
    """The backtest loops come prebuilt (else the first backtest waits for numba to compile them)."""
    from miniqmt_gui.strategy import compiled

    if compiled.backend() == "aot":
        return CheckItem("compiled loops", "ok", _l(lang, "回测循环已预编译（首次运行无需编译）",
                                                     "prebuilt (no compile at first run)"))
    return CheckItem("compiled loops", "warn", _l(lang, "回测循环未预编译：首次回测需要编译数秒",
                                                   "not prebuilt: the first backtest compiles for seconds"),
                     "python -m miniqmt_gui.strategy.build_compiled")


def run_checks(env: dict[str, str] | None = None, clock: Callable[[], float] = time.time,
               lang: str = "zh") -> Checklist:
    """Every check in order; later checks are skipped when the config cannot be loaded.

    The report speaks Chinese by default (``lang="en"`` for English); item ``name`` keys stay English.
    """
    cfg_check, settings = check_settings(env, lang)
    checks = Checklist([cfg_check])
    if settings is None:
        return checks
    shared = settings.shared_dir
    now_epoch = clock()
    now = datetime.fromtimestamp(now_epoch).astimezone()
    make_it = _l(lang, "创建它，或把 SHARED_DIR 设为 Parallels 共享文件夹",
                 "create it or set SHARED_DIR to the Parallels share")
    checks.add(check_folder("shared folder", shared, make_it, lang))
    checks.add(check_folder("state folder", settings.state_dir, f"mkdir -p {settings.state_dir}", lang))
    if checks.items[1].verdict == "ok":
        checks.add(
            check_heartbeat(
                "bridge", shared / QUOTE_FILE, "heartbeat", now,
                _l(lang, "在 Windows 中启动 miniqmt-bridge", "start miniqmt-bridge in Windows"), lang)
        )
        checks.add(
            check_heartbeat(
                "executor", shared / EXECUTOR_HEARTBEAT_FILE, "time", now,
                _l(lang, "在 Windows 中启动 miniqmt-executor", "start miniqmt-executor in Windows"), lang)
        )
        checks.add(check_clock_skew(shared / QUOTE_FILE, now_epoch, lang))
        checks.add(check_kill_switch(shared, lang))
    checks.add(check_key_permissions(settings.hmac_key_file, lang))
    checks.add(check_compiled_loops(lang))
    return checks


def format_report(checks: Checklist, lang: str = "zh") -> str:
    """Human-readable report, one line per check plus the fix where needed (check names translated)."""
    lines = []
    for item in checks.items:
        names = NAMES.get(item.name)
        shown = item if names is None else replace(item, name=names[0] if lang == "zh" else names[1])
        lines.append(shown.line())
    return "\n".join(lines)
