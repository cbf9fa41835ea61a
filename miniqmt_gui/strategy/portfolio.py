"""A portfolio of grids: the instruments (one grid per code, each with its own parameters) and their pool.

Shared by the backtest and the live side. Pure values: frozen dataclasses validated on construction, plus
TOML helpers. Every mistake raises :class:`PortfolioError` (a :class:`ParamError`) with one line that
names the instrument and the field.

A portfolio TOML file::

    [pool]
    capital = 300000        # CNY the grids may spend on layers (default: the sum of their flow capital)
    reserve = 50000         # no new first layer may take free cash below this (default 0)

    [[instruments]]
    code = "159201.SZ"      # six digits and .SZ or .SH: the suffix is the exchange
    preset = "159201 v1.0.0"   # default: the code's shipped preset (INSTRUMENT_PRESETS)
    name = "华夏国证自由现金流ETF"  # default: the shipped display name
    data = "159201.csv"     # optional, backtests only: the code's 1-minute bar file (relative to the TOML)

    [[instruments]]
    code = "512890.SH"
    params = { flow_capital = 150000 }   # overrides of the preset, same keys as StrategyParams

The order of ``[[instruments]]`` is the portfolio's order: the first code is the one a v1.0.0 app
knows, and when two codes decide at the same minute the backtest evaluates them in this order.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from miniqmt_gui.strategy.params import (
    DEFAULT_PRESET,
    PRESET_512890,
    ParamError,
    StrategyParams,
    get_preset,
    params_to_toml,
)
from miniqmt_gui.strategy.pool import Pool, PoolError

#: six ASCII digits and the exchange (``\d`` would also take other scripts' digits)
CODE_RE = re.compile(r"[0-9]{6}\.(SZ|SH)")
MAX_INSTRUMENTS = 20
_INSTRUMENT_KEYS = {"code", "name", "preset", "params", "data"}
_TOP_KEYS = {"pool", "instruments"}
_POOL_KEYS = {"capital", "reserve"}


class PortfolioError(ParamError):
    """An invalid portfolio description; the message says where."""


@dataclass(frozen=True)
class InstrumentPreset:
    """What ships for one code: its display name and the name of its parameter preset."""

    code: str
    name: str
    preset: str


#: codes with a shipped preset (the first is the default single code)
INSTRUMENT_PRESETS: dict[str, InstrumentPreset] = {
    "159201.SZ": InstrumentPreset("159201.SZ", "华夏国证自由现金流ETF", DEFAULT_PRESET),
    "512890.SH": InstrumentPreset("512890.SH", "华泰柏瑞红利低波ETF", PRESET_512890),
}


def exchange_of(code: str) -> str:
    """``"SZ"`` or ``"SH"`` from the code's suffix; raises :class:`PortfolioError` for a bad code."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise PortfolioError(f"bad code {code!r}: expected six digits and .SZ or .SH, e.g. 159201.SZ")
    return code[-2:]


@dataclass(frozen=True)
class Instrument:
    """One grid: a code, its parameters (capital included) and where they came from.

    ``preset`` names the preset the parameters started from (overrides may follow); ``data`` is an
    optional bar file for backtests (the live side ignores it).
    """

    code: str
    params: StrategyParams = field(default_factory=StrategyParams)
    preset: str = DEFAULT_PRESET
    name: str = ""
    data: str = ""

    def __post_init__(self) -> None:
        exchange_of(self.code)
        if not isinstance(self.params, StrategyParams):
            raise PortfolioError(f"{self.code}: params must be StrategyParams")

    @property
    def exchange(self) -> str:
        """The exchange from the code's suffix: ``"SZ"`` (Shenzhen) or ``"SH"`` (Shanghai)."""
        return self.code[-2:]



def total_flow(instruments: Iterable[Instrument]) -> float:
    """Sum of the grids' flow capital: the pool's capital when none is given."""
    return float(sum(inst.params.flow_capital for inst in instruments))


@dataclass(frozen=True)
class Portfolio:
    """Grids in a fixed order and the pool they share."""

    instruments: tuple[Instrument, ...]
    pool: Pool

    def __post_init__(self) -> None:
        object.__setattr__(self, "instruments", tuple(self.instruments))
        if not self.instruments:
            raise PortfolioError("a portfolio needs at least one instrument")
        if len(self.instruments) > MAX_INSTRUMENTS:
            raise PortfolioError(f"at most {MAX_INSTRUMENTS} instruments, got {len(self.instruments)}")
        seen: set[str] = set()
        for inst in self.instruments:
            if inst.code in seen:
                raise PortfolioError(f"code {inst.code} is listed twice")
            seen.add(inst.code)

    @property
    def codes(self) -> list[str]:
        """The codes in portfolio order."""
        return [inst.code for inst in self.instruments]

    def instrument(self, code: str) -> Instrument:
        """The instrument of ``code``; raises :class:`PortfolioError` when it is not in the portfolio."""
        for inst in self.instruments:
            if inst.code == code:
                return inst
        raise PortfolioError(f"{code} is not in the portfolio ({', '.join(self.codes)})")

    def flow_capital(self) -> float:
        """Sum of the grids' flow capital (the default pool capital)."""
        return total_flow(self.instruments)


def make_instrument(code: str, preset: str | None = None, overrides: Mapping[str, Any] | None = None,
                    name: str | None = None, data: str = "") -> Instrument:
    """An instrument from the code's shipped preset (or ``preset``) with ``overrides`` applied."""
    exchange_of(code)
    shipped = INSTRUMENT_PRESETS.get(code)
    if preset is None:
        if shipped is None:
            known = ", ".join(INSTRUMENT_PRESETS)
            raise PortfolioError(f"{code}: no preset ships for this code (only {known}); "
                                 "name one with preset = ...")
        preset = shipped.preset
    try:
        params = get_preset(preset)
        if overrides:
            params = params.updated(dict(overrides))
    except ParamError as exc:
        raise PortfolioError(f"{code}: {exc}") from None
    label = name if name is not None else (shipped.name if shipped else "")
    return Instrument(code=code, params=params, preset=preset, name=label, data=data)


def default_portfolio(codes: Iterable[str] = tuple(INSTRUMENT_PRESETS), pool: Pool | None = None,
                      ) -> Portfolio:
    """The shipped presets of ``codes``; the pool defaults to the sum of their flow capital, no reserve."""
    instruments = tuple(make_instrument(code) for code in codes)
    if not instruments:
        raise PortfolioError("a portfolio needs at least one instrument")
    return Portfolio(instruments, pool or Pool(total_flow(instruments)))


def _unknown(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise PortfolioError(f"{where}: unknown key(s) {', '.join(extra)} "
                             f"(allowed: {', '.join(sorted(allowed))})")


def _text(where: str, table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise PortfolioError(f"{where}: {key} must be text, got {value!r}")
    return value


def _instrument_from(n: int, table: Any, base_dir: Path | None) -> Instrument:
    where = f"instruments[{n}]"
    if not isinstance(table, Mapping):
        raise PortfolioError(f"{where}: expected a table ([[instruments]])")
    _unknown(where, table, _INSTRUMENT_KEYS)
    code = table.get("code")
    if code is None:
        raise PortfolioError(f"{where}: code is missing")
    where = f"{where} ({code})"
    overrides = table.get("params", {})
    if not isinstance(overrides, Mapping):
        raise PortfolioError(f"{where}: params must be a table of parameter overrides")
    data = _text(where, table, "data") or ""
    if data and base_dir is not None and not Path(data).is_absolute():
        data = str(base_dir / data)
    try:
        preset, name = _text(where, table, "preset"), _text(where, table, "name")
        return make_instrument(code, preset, overrides, name, data)
    except PortfolioError as exc:
        raise PortfolioError(f"instruments[{n}]: {exc}") from None


def _pool_from(table: Any, instruments: tuple[Instrument, ...]) -> Pool:
    if not isinstance(table, Mapping):
        raise PortfolioError("pool: expected a table ([pool])")
    _unknown("pool", table, _POOL_KEYS)
    capital = table.get("capital", total_flow(instruments))
    try:
        return Pool(capital, table.get("reserve", 0.0))
    except PoolError as exc:
        raise PortfolioError(str(exc)) from None


def portfolio_from_mapping(data: Mapping[str, Any], base_dir: Path | None = None) -> Portfolio:
    """Build a portfolio from parsed TOML (``[pool]`` and ``[[instruments]]``)."""
    _unknown("portfolio", data, _TOP_KEYS)
    tables = data.get("instruments")
    if not isinstance(tables, list) or not tables:
        raise PortfolioError("portfolio: no [[instruments]] table")
    instruments = tuple(_instrument_from(n, t, base_dir) for n, t in enumerate(tables, start=1))
    return Portfolio(instruments, _pool_from(data.get("pool", {}), instruments))


def parse_portfolio(text: str, base_dir: Path | None = None) -> Portfolio:
    """Parse portfolio TOML text; relative ``data`` paths are taken from ``base_dir``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PortfolioError(f"not valid TOML: {exc}") from None
    return portfolio_from_mapping(data, base_dir)


def load_portfolio(path: str | Path) -> Portfolio:
    """Read a portfolio TOML file (``data`` paths relative to its folder)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PortfolioError(f"cannot read portfolio {p}: {exc}") from None
    try:
        return parse_portfolio(text, p.parent)
    except PortfolioError as exc:
        raise PortfolioError(f"{p}: {exc}") from None


def _overrides(inst: Instrument) -> set[str]:
    """Names of the parameters that differ from the instrument's preset."""
    base = get_preset(inst.preset).model_dump()
    return {k for k, v in inst.params.model_dump().items() if base[k] != v}


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def portfolio_to_toml(portfolio: Portfolio) -> str:
    """TOML text that :func:`parse_portfolio` reads back to an equal portfolio."""
    lines = ["# miniqmt portfolio", "[pool]", f"capital = {portfolio.pool.capital!r}",
             f"reserve = {portfolio.pool.reserve!r}"]
    for inst in portfolio.instruments:
        lines += ["", "[[instruments]]", f"code = {_quoted(inst.code)}", f"name = {_quoted(inst.name)}",
                  f"preset = {_quoted(inst.preset)}"]
        if inst.data:
            lines.append(f"data = {_quoted(inst.data)}")
        changed = _overrides(inst)
        if changed:
            # the parameter lines as params_to_toml writes them, only those that differ from the preset
            written = params_to_toml(inst.params).splitlines()
            lines += ["[instruments.params]", *(x for x in written if x.split(" = ", 1)[0] in changed)]
    return "\n".join(lines) + "\n"
