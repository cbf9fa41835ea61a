"""Configuration of the Windows processes (and the shared settings the app reads).

A TOML file in the platformdirs config folder, overridden by the environment variables of
SPEC §3. ``check_for`` validates the settings a process needs at start and returns readable
problems that say what to fix (the process prints them and exits rather than half-start).
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from windows_bridge.contract.messages import describe_validation_error

APP_NAME = "miniqmt"
CONFIG_FILE_NAME = "config.toml"

AccountType = Literal["STOCK", "CREDIT"]
BrokerKind = Literal["xtquant", "fake"]

#: environment variable -> config field
ENV_OVERRIDES: dict[str, str] = {
    "SHARED_DIR": "shared_dir",
    "QMT_USERDATA_PATH": "qmt_userdata_path",
    "ACCOUNT_ID": "account_id",
    "ACCOUNT_TYPE": "account_type",
    "ORDER_EXECUTOR_SIMULATE": "simulate",
    "MINIQMT_BROKER": "broker",
    "MINIQMT_STATE_DIR": "state_dir",
    "MINIQMT_HMAC_KEY_FILE": "hmac_key_file",
    "MINIQMT_BASE_SHARES": "base_shares",
}


def default_shared_dir() -> Path:
    """The Parallels-mapped share: ``~/Documents/miniqmt`` on the Mac, its mapping in Windows."""
    if sys.platform == "win32":
        return Path(r"C:\Mac\Home\Documents\miniqmt")
    return Path.home() / "Documents" / "miniqmt"


def config_dir() -> Path:
    """Where ``config.toml`` and the HMAC key live (never the shared folder)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_state_dir() -> Path:
    """Local disk for journals, ledgers and logs of the Windows processes."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class RiskLimits(BaseModel):
    """Executor pre-trade limits."""

    model_config = ConfigDict(extra="forbid")

    code_whitelist: list[str] = Field(default_factory=lambda: ["159201.SZ"])
    max_shares_per_order: Annotated[int, Field(gt=0)] = 100_000
    max_value_per_order: Annotated[float, Field(gt=0)] = 60_000.0
    price_collar: Annotated[float, Field(gt=0, le=0.2)] = 0.02
    max_signal_age_s: Annotated[float, Field(gt=0)] = 120.0
    max_quote_age_s: Annotated[float, Field(gt=0)] = 600.0
    max_orders_per_day: Annotated[int, Field(gt=0)] = 60


class AppSection(BaseModel):
    """The desktop app's own choices: the ``[app]`` table of the same ``config.toml`` (the Windows
    processes ignore it). Window geometry is not here: that is the window's business (Qt settings)."""

    model_config = ConfigDict(extra="forbid")

    work_dir: Path | None = None
    lang: Literal["zh", "en"] = "zh"
    paper: bool = True
    stale_after_s: Annotated[float, Field(gt=0, le=86_400)] = 300.0
    silent_period_s: Annotated[float, Field(ge=0, le=86_400)] = 300.0
    session_only: bool = True
    preset: str = "159201 v1.0.0"
    speech: bool = False
    notifications: bool = True
    push_kinds: list[str] | None = None
    push_per_minute: Annotated[int, Field(ge=1, le=600)] = 10
    phone_enabled: bool = False
    phone_port: Annotated[int, Field(ge=1024, le=65535)] = 8765
    #: the shared capital pool of a portfolio (CNY the grids may spend on layers); ``None`` = the sum of
    #: every code's flow capital. Only used when more than one code is configured (``codes``)
    pool_capital: Annotated[float, Field(gt=0)] | None = None
    #: no new FIRST layer may take the pool's free cash below this (CNY); further layers and sells never ask
    pool_reserve: Annotated[float, Field(ge=0)] = 0.0
    #: per code: the preset name (default: the code's shipped preset)
    presets: dict[str, str] = Field(default_factory=dict)
    #: the simulated account's starting position and cash (paper mode); ``None`` = the base position
    paper_base_shares: Annotated[int, Field(ge=0)] | None = None
    paper_cash: Annotated[float, Field(gt=0)] = 1_000_000.0


class Settings(BaseModel):
    """All settings of the Windows processes, and (``app``) of the desktop app: one file for all."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    shared_dir: Path = Field(default_factory=default_shared_dir)
    state_dir: Path = Field(default_factory=default_state_dir)
    qmt_userdata_path: str = ""
    account_id: str = ""
    account_type: AccountType = "STOCK"
    broker: BrokerKind = "xtquant"
    simulate: bool = False
    session_check_in_simulate: bool = False
    hmac_key_file: Path | None = None
    #: the executor's slowest poll; around each new quote it polls every 10 ms (contract/pacing.py)
    poll_interval_s: Annotated[float, Field(gt=0, le=5)] = 0.25
    order_timeout_s: Annotated[float, Field(gt=0)] = 30.0
    #: the executor's owner-lock heartbeat; a lock unchanged for ``owner_gone_after_s`` is abandoned
    heartbeat_interval_s: Annotated[float, Field(gt=0, le=10)] = 3.0
    owner_gone_after_s: Annotated[float, Field(gt=0)] = 30.0
    quote_interval_s: Annotated[float, Field(gt=0, le=60)] = 3.0
    history_bars: Annotated[int, Field(ge=120, le=2000)] = 240
    code: str = "159201.SZ"
    #: the instruments of a portfolio, in order (issue 16). Empty = ``[code]`` (one code, v1.0.0). The
    #: first is the *primary* code: it keeps the v1.0.0 file names (``shared_quote.json``, …)
    codes: list[Annotated[str, Field(pattern=r"^[0-9]{6}\.(SZ|SH)$")]] = Field(default_factory=list,
                                                                               max_length=20)
    #: per code: shares held outside the grid; a code not listed uses ``base_shares`` when it is the
    #: primary code, else is unknown (live trading of that code then waits for it)
    base_shares_by_code: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    #: shares held outside the grid (the Beta base position); live trading needs it known
    base_shares: Annotated[int, Field(ge=0)] | None = None
    risk: RiskLimits = Field(default_factory=RiskLimits)
    app: AppSection = Field(default_factory=AppSection)


    @model_validator(mode="before")
    @classmethod
    def _primary_is_first(cls, data: Any) -> Any:
        """With a ``codes`` list, ``code`` (what single-code parts read) is its first entry."""
        if isinstance(data, dict) and isinstance(data.get("codes"), list) and data["codes"]:
            data = {**data, "code": data["codes"][0]}
        return data

    def instrument_codes(self) -> list[str]:
        """The configured codes in order: ``codes``, or ``[code]`` when no list is configured."""
        return list(dict.fromkeys(self.codes)) or [self.code]

    def base_shares_for(self, code: str) -> int | None:
        """The base position of ``code`` (``base_shares_by_code``, else ``base_shares`` for the primary)."""
        if code in self.base_shares_by_code:
            return self.base_shares_by_code[code]
        return self.base_shares if code == self.instrument_codes()[0] else None


class ConfigError(ValueError):
    """The configuration is unusable; the message says what to fix."""


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The one configuration file every command reads: ``MINIQMT_CONFIG`` or ``<config dir>/config.toml``."""
    env = os.environ if env is None else env
    return Path(env.get("MINIQMT_CONFIG") or str(config_dir() / CONFIG_FILE_NAME))


def read_toml(path: Path) -> dict[str, Any]:
    """The file's tables as a dict (empty when there is no file); raises :class:`ConfigError` if broken."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix or delete the file") from None


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read ``config.toml`` (if present) and apply environment overrides."""
    env = os.environ if env is None else env
    path = path or config_path(env)
    data = read_toml(path)
    for var, field in ENV_OVERRIDES.items():
        if var in env and env[var] != "":
            data[field] = _truthy(env[var]) if field == "simulate" else env[var]
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path} / environment: {describe_validation_error(exc)}") from None


def save_values(path: Path, top: Mapping[str, Any], app: Mapping[str, Any]) -> None:
    """Set top-level keys and ``[app]`` keys in ``path`` (``None`` removes a key), keeping everything else
    in the file — other tables, comments, the order of lines — as the trader wrote it (tomlkit)."""
    import tomlkit

    from windows_bridge.contract.atomic_io import write_bytes_atomic

    read_toml(path)  # refuse to overwrite a file we cannot parse
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    table = doc.get("app")
    if table is None:
        table = tomlkit.table()
        doc["app"] = table
    for target, values in ((doc, top), (table, app)):
        for key, value in values.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = str(value) if isinstance(value, Path) else value
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, tomlkit.dumps(doc).encode("utf-8"))
    Settings.model_validate(read_toml(path))  # what was written must load again


def _writable(folder: Path) -> bool:
    probe = folder / f".miniqmt_write_probe_{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
        return True
    except OSError:
        return False


def check_for(settings: Settings, role: Literal["bridge", "executor", "app"]) -> list[str]:
    """Problems that stop ``role`` from starting, each saying what to fix (empty list = fine)."""
    problems: list[str] = []
    shared = settings.shared_dir
    if not shared.is_dir():
        problems.append(
            f"shared folder {shared} does not exist: create it, or set SHARED_DIR "
            "(in Windows the Parallels share is usually C:\\Mac\\Home\\Documents\\miniqmt)"
        )
    elif not _writable(shared):
        problems.append(f"shared folder {shared} is not writable: check its permissions / Parallels sharing")
    needs_qmt = role in ("bridge", "executor") and settings.broker == "xtquant"
    if needs_qmt and not (role == "executor" and settings.simulate):
        if not settings.qmt_userdata_path:
            problems.append("QMT_USERDATA_PATH is not set: point it at QMT's userdata_mini folder")
        if not settings.account_id:
            problems.append("ACCOUNT_ID is not set: your broker account number")
    missing = [c for c in settings.instrument_codes() if c not in settings.risk.code_whitelist]
    if role == "executor" and len(settings.instrument_codes()) > 1 and missing:
        problems.append(f"codes {missing} are configured but not in risk.code_whitelist: add them to "
                        "trade them (the whitelist is never widened by itself)")
    if settings.hmac_key_file is not None and not settings.hmac_key_file.exists():
        problems.append(f"HMAC key file {settings.hmac_key_file} does not exist: copy the key or unset it")
    return problems
