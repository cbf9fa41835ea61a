"""The app's configuration: the same ``config.toml`` every command reads (one file for everything).

The shared folder and the base position are the file's top-level ``shared_dir`` / ``base_shares`` (the
Windows processes and ``miniqmt selfcheck`` read the same keys); the app's own choices (work folder,
thresholds, language, simulate mode, alerts, the paper account's start) are its ``[app]`` table. The
environment overrides as everywhere (``SHARED_DIR``, ``MINIQMT_BASE_SHARES``, ``MINIQMT_CONFIG`` names
the file). Writing keeps the rest of the file as the trader wrote it. Qt's settings keep only the
window's geometry and the backtest tab's last choices. The strategy parameters live in
``<config dir>/strategy.toml`` (the TOML layout of ``miniqmt backtest --params``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from miniqmt_gui.alerts.rules import KINDS
from miniqmt_gui.live.portfolio import code_settings, portfolio_from_settings
from miniqmt_gui.live.settings import EngineSettings, _hmac_key
from miniqmt_gui.strategy.params import (
    DEFAULT_PRESET,
    ParamError,
    StrategyParams,
    load_params,
    params_to_toml,
)
from miniqmt_gui.strategy.portfolio import Portfolio
from windows_bridge.contract.config import (
    APP_NAME,
    ConfigError,
    RiskLimits,
    Settings,
    config_dir,
    config_path,
    default_shared_dir,
    load_settings,
    read_toml,
    save_values,
)

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
    #: the simulated account's start (paper mode): shares and cash; ``None`` = the base position
    paper_base_shares: int | None = None
    paper_cash: float = 1_000_000.0
    #: a demo run (simulated broker behind the "live" route): marked as a demo, never as 实盘
    demo: bool = False
    #: the traded code, HMAC key file and risk limits from the same file
    code: str = "159201.SZ"
    hmac_key_file: Path | None = None
    risk: RiskLimits = field(default_factory=RiskLimits)
    #: several codes (``codes`` in the file): each code's instrument (preset, parameters) and the shared
    #: capital pool; ``None`` = the single code ``code`` as in v1.0.0
    portfolio: Portfolio | None = None
    #: base positions of the portfolio's other codes (``base_shares_by_code``)
    other_bases: dict[str, int | None] = field(default_factory=dict)
    #: the file this configuration is saved to, and what was wrong with it ("" = fine)
    path: Path | None = None
    problem: str = ""

    @property
    def paper_base(self) -> int | None:
        """The simulated account's starting position: its own setting, else the base position."""
        return self.paper_base_shares if self.paper_base_shares is not None else self.base_shares

    @property
    def codes(self) -> list[str]:
        """The traded codes in order (the first keeps the v1.0.0 file names)."""
        return self.portfolio.codes if self.portfolio is not None else [self.code]

    def engine_settings_for(self, code: str) -> EngineSettings:
        """:meth:`engine_settings` for one code of the portfolio (the first code's are the same)."""
        base = self.engine_settings()
        if code == self.codes[0]:
            return base
        return code_settings(base, self.codes, code, self.other_bases.get(code))

    def engine_settings(self) -> EngineSettings:
        """The engine's settings (in paper mode the base is the simulated account's)."""
        return EngineSettings(
            shared_dir=self.shared_dir, work_dir=self.work_dir, paper=self.paper, code=self.code,
            stale_after_s=self.stale_after_s, silent_period_s=self.silent_period_s,
            base_shares=self.paper_base if self.paper else self.base_shares, session_only=self.session_only,
            lang="en" if self.lang == "en" else "zh", hmac_key=_hmac_key(self.hmac_key_file), risk=self.risk,
            paper_cash=self.paper_cash,
        )


def _from_settings(s: Settings, explicit_shared: bool) -> AppConfig:
    a = s.app
    kinds = tuple(k for k in (a.push_kinds if a.push_kinds is not None else KINDS) if k in KINDS)
    return AppConfig(
        shared_dir=s.shared_dir, work_dir=a.work_dir or default_work_dir(), lang=a.lang, paper=a.paper,
        stale_after_s=a.stale_after_s, silent_period_s=a.silent_period_s, base_shares=s.base_shares,
        session_only=a.session_only, preset=a.preset, speech=a.speech, notifications=a.notifications,
        first_run=not explicit_shared, push_kinds=kinds, push_per_minute=a.push_per_minute,
        phone_enabled=a.phone_enabled, phone_port=a.phone_port, paper_base_shares=a.paper_base_shares,
        paper_cash=a.paper_cash, code=s.code, hmac_key_file=s.hmac_key_file, risk=s.risk,
        portfolio=portfolio_from_settings(s) if len(s.instrument_codes()) > 1 else None,
        other_bases={code: s.base_shares_for(code) for code in s.instrument_codes()[1:]},
    )


def load_config(shared_dir: str | None = None, work_dir: str | None = None, lang: str | None = None,
                env: dict[str, str] | None = None) -> AppConfig:
    """Read ``config.toml`` + environment; explicit arguments win. A broken file: defaults + ``problem``."""
    env = dict(os.environ) if env is None else env
    path = config_path(env)
    problem = ""
    try:
        explicit = bool(env.get("SHARED_DIR")) or "shared_dir" in read_toml(path)
        config = _from_settings(load_settings(path, env), explicit)
    except (ConfigError, ValueError) as exc:  # ValueError: a portfolio the pool or presets refuse
        problem = str(exc)
        config = AppConfig(shared_dir=default_shared_dir(), work_dir=default_work_dir(), first_run=False)
    if shared_dir:
        config.shared_dir, config.first_run = Path(shared_dir), False
    if work_dir:
        config.work_dir = Path(work_dir)
    if lang:
        config.lang = lang
    config.path, config.problem = path, problem
    return config


def save_config(config: AppConfig) -> None:
    """Write ``config`` into its ``config.toml`` (top-level folder and base, the ``[app]`` table).

    Raises ``ConfigError`` / ``OSError`` with what went wrong (the caller says it in the log).
    """
    path = config.path or config_path()
    app: dict[str, Any] = {
        "work_dir": config.work_dir, "lang": config.lang, "paper": config.paper,
        "stale_after_s": float(config.stale_after_s), "silent_period_s": float(config.silent_period_s),
        "session_only": config.session_only, "preset": config.preset, "speech": config.speech,
        "notifications": config.notifications, "push_kinds": list(config.push_kinds),
        "push_per_minute": config.push_per_minute, "phone_enabled": config.phone_enabled,
        "phone_port": config.phone_port, "paper_base_shares": config.paper_base_shares,
        "paper_cash": float(config.paper_cash),
    }
    save_values(path, {"shared_dir": config.shared_dir, "base_shares": config.base_shares}, app)


#: what earlier versions kept in Qt's settings (now in config.toml); imported once, then removed there
LEGACY_KEYS = ("shared_dir", "work_dir", "lang", "paper", "stale_after_s", "silent_period_s", "base_shares",
               "session_only", "preset", "speech", "notifications", "push_kinds", "push_per_minute",
               "phone_enabled", "phone_port")


def import_legacy(values: dict[str, Any], config: AppConfig) -> AppConfig | None:
    """``config`` updated from an older version's Qt settings ``values``; ``None`` when there are none.

    Values are taken only when ``config.toml`` has no ``[app]`` table yet (the file wins afterwards).
    """
    if not values.get("shared_dir") or config.path is None or "app" in read_toml(config.path):
        return None
    truth = lambda v: v if isinstance(v, bool) else str(v).lower() in {"1", "true", "yes"}  # noqa: E731
    kinds: dict[str, Any] = {"lang": str, "paper": truth, "stale_after_s": float, "silent_period_s": float,
                             "session_only": truth, "preset": str, "speech": truth, "notifications": truth,
                             "push_per_minute": int, "phone_enabled": truth, "phone_port": int}
    changes: dict[str, Any] = {"shared_dir": Path(str(values["shared_dir"])), "first_run": False}
    for key, kind in kinds.items():
        if values.get(key) not in (None, ""):
            try:
                changes[key] = kind(values[key])
            except (TypeError, ValueError):
                continue
    if values.get("work_dir"):
        changes["work_dir"] = Path(str(values["work_dir"]))
    base = values.get("base_shares")
    if base not in (None, "") and int(str(base)) >= 0:
        changes["base_shares"] = int(str(base))
    if values.get("push_kinds") not in (None, ""):
        changes["push_kinds"] = tuple(k for k in str(values["push_kinds"]).split(",") if k in KINDS)
    return replace(config, **changes)


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
