"""Where the compiled loops come from: a module built ahead of time, or numba's JIT as the fallback.

The backtest loop, the indicator loops and the bar-text reader are numba functions
(:mod:`kernel`, :mod:`rolling`, :mod:`bar_bytes`). Compiling them takes seconds and loading numba
itself costs more than a whole backtest, so installation builds them once into an ordinary extension
module, ``miniqmt_gui/strategy/_aot`` (``python -m miniqmt_gui.strategy.build_compiled``; the setup
script and the bundle build run it). That module needs only numpy at run time.

:func:`kernels` returns the functions from that module when it exists and was built from the current
sources (it carries a hash of them; a frozen bundle has no sources and trusts its own module), else
the JIT versions, which compile on first use and cache on disk. ``MINIQMT_KERNELS=jit`` forces the
JIT path (tests compare both).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

AOT_MODULE = "miniqmt_gui.strategy._aot"
#: the sources the compiled module is made of (their hash decides whether it is current)
SOURCES = ("slots.py", "rules.py", "kernel.py", "rolling.py", "bar_bytes.py")
EXPORTS = ("run_bars", "run_points", "indicator_matrix", "indicator_rows", "parse_bar_text")
HERE = Path(__file__).resolve().parent


def source_stamp() -> int:
    """A 62-bit hash of the compiled sources (the AOT module reports the one it was built from)."""
    digest = hashlib.blake2b(digest_size=8)
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    return int.from_bytes(digest.digest(), "little") >> 2


def _aot_module() -> Any:
    if os.environ.get("MINIQMT_KERNELS", "").lower() == "jit":
        return None
    try:
        module = importlib.import_module(AOT_MODULE)
    except ImportError:
        return None
    if getattr(sys, "frozen", False):
        return module
    try:
        current = source_stamp()
    except OSError:  # sources not shipped next to the module: trust it
        return module
    return module if int(module.stamp()) == current else None


def _jit() -> SimpleNamespace:
    from miniqmt_gui.strategy.bar_bytes import parse_bar_text
    from miniqmt_gui.strategy.kernel import run_bars, run_points
    from miniqmt_gui.strategy.rolling import indicator_matrix, indicator_rows

    return SimpleNamespace(run_bars=run_bars, run_points=run_points, indicator_matrix=indicator_matrix,
                           indicator_rows=indicator_rows, parse_bar_text=parse_bar_text, backend="jit")


@cache
def kernels() -> SimpleNamespace:
    """The compiled functions (``run_bars``, ``run_points``, ``indicator_matrix``, ``indicator_rows``,
    ``parse_bar_text``)."""
    module = _aot_module()
    if module is None:
        return _jit()
    return SimpleNamespace(**{name: getattr(module, name) for name in EXPORTS}, backend="aot")


def backend() -> str:
    """``aot`` (the module built at install time) or ``jit`` (numba compiles on first use)."""
    return str(kernels().backend)
