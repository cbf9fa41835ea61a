"""The app's own configuration: QSettings for folders, thresholds and last choices; TOML for params.

``QSettings`` (organisation ``miniqmt``) keeps the shared folder, work folder, thresholds,
language, simulate mode, alerts and window geometry. The strategy parameters live in
``<config dir>/strategy.toml`` (the same TOML layout as ``miniqmt backtest --params``) with the
preset name in QSettings. Command-line options override what is stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QSettings

from miniqmt_gui.alerts.rules import KINDS
from miniqmt_gui.live.settings import EngineSettings, resolve_settings
from miniqmt_gui.strategy.params import (
    DEFAULT_PRESET,
    ParamError,
    StrategyParams,
    load_params,
    params_to_toml,
)
from windows_bridge.contract.config import APP_NAME, config_dir, default_shared_dir

DEFAULT_PORT = 8765

PARAMS_FILE = "strategy.toml"


def params_path() -> Path:
    """Where the live strategy parameters are saved."""
    return config_dir() / PARAMS_FILE


def default_work_dir() -> Path:
    """``DASHBOARD_WORK_DIR`` or the user data folder's ``app`` subfolder."""
    env = os.environ.get("DASHBOARD_WORK_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "app"


@dataclass
class AppConfig:
    """Everything the window needs to start; :meth:`engine_settings` builds the engine's part."""

    shared_dir: Path
    work_dir: Path
    lang: str = "zh"
    paper: bool = True
    stale_after_s: float = 300.0
    silent_period_s: float = 300.0
    base_shares: int | None = None
    session_only: bool = True
    preset: str = DEFAULT_PRESET
    speech: bool = False
    notifications: bool = True
    first_run: bool = False
    #: push alerts (the service URLs themselves are secrets: OS keyring, see ``alerts.secrets``)
    push_kinds: tuple[str, ...] = KINDS
    push_per_minute: int = 10
    #: the read-only phone view (off by default; its token is kept in the keyring too)
    phone_enabled: bool = False
    phone_port: int = DEFAULT_PORT

    def engine_settings(self) -> EngineSettings:
        """The engine's settings: this configuration plus the traded code and HMAC key of ``config.toml``."""
        extra: dict[str, Any] = {}
        try:
            shared = resolve_settings(work_dir=self.work_dir, shared_dir=self.shared_dir, paper=self.paper)
            extra = {"code": shared.code, "hmac_key": shared.hmac_key}
        except ValueError:  # a broken config.toml: the settings dialog / selfcheck say what to fix
            extra = {}
        return EngineSettings(
            shared_dir=self.shared_dir, work_dir=self.work_dir, paper=self.paper,
            stale_after_s=self.stale_after_s, silent_period_s=self.silent_period_s,
            base_shares=self.base_shares, session_only=self.session_only,
            lang="en" if self.lang == "en" else "zh", **extra,
        )


def _value(settings: QSettings, key: str, default: Any, kind: type) -> Any:
    raw = settings.value(key, default)
    if raw is None or raw == "":
        return default
    if kind is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes"}
    try:
        return kind(raw)
    except (TypeError, ValueError):
        return default


def load_config(settings: QSettings, shared_dir: str | None = None, work_dir: str | None = None,
                lang: str | None = None) -> AppConfig:
    """Read the stored configuration; explicit arguments and ``SHARED_DIR`` win."""
    stored_shared = _value(settings, "shared_dir", "", str)
    chosen_shared = shared_dir or os.environ.get("SHARED_DIR") or stored_shared
    base = _value(settings, "base_shares", -1, int)
    return AppConfig(
        shared_dir=Path(chosen_shared) if chosen_shared else default_shared_dir(),
        work_dir=Path(work_dir or _value(settings, "work_dir", str(default_work_dir()), str)),
        lang=lang or _value(settings, "lang", "zh", str),
        paper=_value(settings, "paper", True, bool),
        stale_after_s=_value(settings, "stale_after_s", 300.0, float),
        silent_period_s=_value(settings, "silent_period_s", 300.0, float),
        base_shares=base if base >= 0 else None,
        session_only=_value(settings, "session_only", True, bool),
        preset=_value(settings, "preset", DEFAULT_PRESET, str),
        speech=_value(settings, "speech", False, bool),
        notifications=_value(settings, "notifications", True, bool),
        first_run=not chosen_shared,
        push_kinds=tuple(k for k in _value(settings, "push_kinds", ",".join(KINDS), str).split(",")
                         if k in KINDS),
        push_per_minute=_value(settings, "push_per_minute", 10, int),
        phone_enabled=_value(settings, "phone_enabled", False, bool),
        phone_port=_value(settings, "phone_port", DEFAULT_PORT, int),
    )


def save_config(settings: QSettings, config: AppConfig) -> None:
    """Store ``config`` (not the parameters: see :func:`params_toml`)."""
    for key in ("lang", "paper", "stale_after_s", "silent_period_s", "session_only", "preset", "speech",
                "notifications"):
        settings.setValue(key, getattr(config, key))
    settings.setValue("shared_dir", str(config.shared_dir))
    settings.setValue("work_dir", str(config.work_dir))
    settings.setValue("base_shares", -1 if config.base_shares is None else config.base_shares)
    settings.setValue("push_kinds", ",".join(config.push_kinds))
    for key in ("push_per_minute", "phone_enabled", "phone_port"):
        settings.setValue(key, getattr(config, key))
    settings.sync()


def load_strategy_params(path: Path | None = None) -> tuple[StrategyParams, str]:
    """The saved live parameters (defaults when there is no file) and a problem text ("" = fine)."""
    where = path or params_path()
    if not where.exists():
        return StrategyParams(), ""
    try:
        return load_params(where), ""
    except ParamError as exc:
        return StrategyParams(), str(exc)


def params_toml(params: StrategyParams, preset: str) -> str:
    """The TOML text to save for ``params``."""
    return params_to_toml(params, preset)
