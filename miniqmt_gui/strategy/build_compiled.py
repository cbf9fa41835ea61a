"""Build the compiled loops ahead of time into ``miniqmt_gui/strategy/_aot`` (an extension module).

    python -m miniqmt_gui.strategy.build_compiled            # build (about a minute)
    python -m miniqmt_gui.strategy.build_compiled --if-stale # only when missing or out of date

Run at install time (``scripts/_venv.sh``) and before a bundle is made (``packaging/build.sh``), so
that no user ever waits for numba to compile and a bundle needs neither numba nor llvmlite. It uses
numba's ahead-of-time compiler (``numba.pycc``) and a C compiler; the code is generic for the CPU
family (no host-specific instructions), so a built module runs on any machine of that platform.
Each exported function has one signature, the one :mod:`compiled` callers use.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from miniqmt_gui.strategy.compiled import AOT_MODULE, HERE, source_stamp

SIGNATURES = {
    "run_bars": "f8[:](f8[:], f8[:], f8[:], f8[:], f8[:], f8[:], i8[:], i8[:], f8[:], f8[:], i8, b1, "
                "f8[:, :], i8[:, :], f8[:], i8[:])",
    "run_points": "f8[:, :](f8[:], f8[:], f8[:], f8[:], f8[:], f8[:], i8[:], i8[:], f8[:, :], f8[:, :], "
                  "i8[:], i8)",
    "indicator_matrix": "f8[:, :](f8[:], f8[:], f8[:], i8, i8, i8, i8, i8, i8)",
    "indicator_rows": "i8(f8[:], f8[:], f8[:], i8, i8, i8, i8, i8, i8, i8, f8[:, ::1])",
    "parse_bar_text": "i8(u1[::1], i8, i8, i8, i8, i8[::1], f8[:, ::1], i8[::1], i8, i8, i8[::1])",
}


def current() -> bool:
    """True when the built module exists and was built from the current sources."""
    from miniqmt_gui.strategy import compiled

    return compiled.backend() == "aot"


def _release_gil_flags() -> None:
    """pycc has no ``nogil`` option; its flags class is swapped for one that releases the GIL.

    The exported loops touch no Python object, so other threads (the sweep's, a GUI) run meanwhile.
    """
    from numba.core.compiler import Flags
    from numba.pycc import compiler

    class NoGilFlags(Flags):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            setattr(self, "release_gil", True)  # noqa: B010 - an Option descriptor, not a plain bool

    setattr(compiler, "Flags", NoGilFlags)  # noqa: B010


def build(out_dir: Path = HERE) -> Path:
    """Compile every export of :mod:`compiled` into ``out_dir``; returns the module's path."""
    from numba import njit
    from numba.pycc import CC

    from miniqmt_gui.strategy.bar_bytes import parse_bar_text
    from miniqmt_gui.strategy.kernel import run_bars, run_points
    from miniqmt_gui.strategy.rolling import indicator_matrix, indicator_rows

    functions: dict[str, Any] = {"run_bars": run_bars, "run_points": run_points,
                                 "indicator_matrix": indicator_matrix, "indicator_rows": indicator_rows,
                                 "parse_bar_text": parse_bar_text}
    stamp_value = source_stamp()

    @njit
    def stamp() -> int:
        return stamp_value

    _release_gil_flags()
    cc = CC(AOT_MODULE.rsplit(".", 1)[1])
    cc.output_dir = str(out_dir)
    cc.verbose = False
    for name, signature in SIGNATURES.items():
        cc.export(name, signature)(functions[name].py_func)
    cc.export("stamp", "i8()")(stamp.py_func)
    cc.target_cpu = ""  # generic code for the CPU family
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc's pending-deprecation notice
        cc.compile()
    return out_dir / cc.output_file


def main(argv: list[str] | None = None) -> int:
    """Command line: build, or with ``--if-stale`` only when the module is missing or out of date."""
    ap = argparse.ArgumentParser(description="build the compiled loops ahead of time")
    ap.add_argument("--if-stale", action="store_true", help="do nothing when the module is current")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: the package)")
    args = ap.parse_args(argv)
    if args.if_stale and args.out == HERE and current():
        return 0
    start = time.perf_counter()
    path = build(args.out)
    print(f"built {path.name} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
