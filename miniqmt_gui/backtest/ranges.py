"""Evenly spaced sweep values: ``atr_factor=0.2..0.56:25`` on the command line, from/to/count in the app.

A :class:`ParamRange` gives ``count`` values from ``start`` to ``stop`` (both included); integer
parameters (bar counts, indicator windows) are rounded and each value kept once. Values come out as text,
the form ``--sweep key=v1,v2`` takes, so both routes validate through the same parameter model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from miniqmt_gui.strategy.params import ParamError, field_types

#: ``key=FROM..TO:COUNT``
RANGE = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*([-+0-9.eE]+)\s*\.\.\s*([-+0-9.eE]+)\s*:\s*(\d+)\s*$")


@dataclass(frozen=True)
class ParamRange:
    """``count`` evenly spaced values of ``name`` from ``start`` to ``stop``."""

    name: str
    start: float
    stop: float
    count: int


def sweepable() -> dict[str, Any]:
    """Numeric strategy parameters (name → ``int`` or ``float``), in the parameters' own order."""
    return {name: kind for name, kind in field_types().items() if kind in (int, float)}


def values_of(r: ParamRange) -> list[str]:
    """The values of one range as text; integer parameters rounded, each value once."""
    kind = sweepable().get(r.name)
    if kind is None:
        raise ParamError(f"{r.name} is not a numeric parameter; it cannot be given as a range")
    if r.count < 1:
        raise ParamError(f"{r.name}: a range needs at least one value")
    points = np.linspace(r.start, r.stop, r.count) if r.count > 1 else np.array([r.start])
    if kind is int:
        return list(dict.fromkeys(str(round(v)) for v in points))
    return list(dict.fromkeys(f"{v:.10g}" for v in points))


def expand_ranges(specs: Iterable[str]) -> list[str]:
    """``--sweep`` items with every ``key=FROM..TO:COUNT`` written out as ``key=v1,v2,...``."""
    out = []
    for spec in specs:
        match = RANGE.match(spec)
        if match is None:
            out.append(spec)
            continue
        name, start, stop, count = match.groups()
        try:
            r = ParamRange(name, float(start), float(stop), int(count))
        except ValueError:
            raise ParamError(f"bad --sweep range {spec!r}; use key=FROM..TO:COUNT") from None
        out.append(f"{name}={','.join(values_of(r))}")
    return out
