"""The ``miniqmt`` command: opens the app with no arguments, otherwise runs a subcommand.

Each subcommand lives in its own module under ``miniqmt_gui.commands`` and exposes
``add_arguments(parser)`` and ``run(args) -> int``. Modules are imported only when their
subcommand runs, so ``miniqmt backtest`` never loads Qt and start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from windows_bridge.contract.version import __version__

# name -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("miniqmt_gui.commands.gui_cmd", "open the desktop app (default)"),
    "backtest": ("miniqmt_gui.commands.backtest_cmd", "backtest the grid strategy on 1-minute bars"),
    "run": ("miniqmt_gui.commands.run_cmd", "run the live engine (headless with --headless)"),
    "offline-test": ("miniqmt_gui.commands.offline_test_cmd", "run the offline launch stages 1-5"),
    "demo": ("miniqmt_gui.commands.demo_cmd", "the whole chain on the embedded sample, no QMT needed"),
    "selfcheck": ("miniqmt_gui.commands.selfcheck_cmd", "check this installation and print what to fix"),
    "reconcile": ("miniqmt_gui.commands.reconcile_cmd", "match the day's broker trades to its signals"),
    "calendar": ("miniqmt_gui.commands.calendar_cmd", "is the exchange open on a day, and the next sessions"),
}


def _load(name: str) -> object:
    module_name, _ = SUBCOMMANDS[name]
    return importlib.import_module(module_name)


#: options of the top-level parser itself; any other leading option belongs to the app (``gui``)
TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def gui_default(args: list[str]) -> list[str]:
    """``miniqmt`` alone or ``miniqmt --lang en …`` open the app: the subcommand ``gui`` is implied."""
    if not args or (args[0].startswith("-") and args[0] not in TOP_LEVEL_OPTIONS):
        return ["gui", *args]
    return args


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Build the parser; only the chosen subcommand's module is imported."""
    parser = argparse.ArgumentParser(prog="miniqmt", description="miniqmt: 9-layer ETF grid on miniQMT")
    parser.add_argument("--version", action="version", version=f"miniqmt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, (_, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text)
        if name == chosen:
            try:
                _load(name).add_arguments(sp)  # type: ignore[attr-defined]
            except ModuleNotFoundError as exc:
                if exc.name != SUBCOMMANDS[name][0]:
                    raise
    return parser


def lean_process_defaults() -> None:
    """Skip start-up work this program never uses (set before numpy or pydantic load; env wins).

    No command calls multithreaded BLAS, so OpenBLAS starts no thread pool at numpy's import, and
    no pydantic plugin is used, so pydantic does not scan every installed package's entry points.
    Together about 50 ms of CPU per process (``benchmarks/bench_backtest.py``).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``miniqmt`` console script."""
    lean_process_defaults()
    args_list = gui_default(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        module = _load(args.command)
    except ModuleNotFoundError as exc:
        if exc.name == SUBCOMMANDS[args.command][0]:
            print(f"miniqmt: '{args.command}' is not available in this build", file=sys.stderr)
            return 2
        raise
    return int(module.run(args))  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
