"""``miniqmt gui``: the desktop app (the default command), or a screenshot of it for docs and checks."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt gui``."""
    parser.add_argument("--shared-dir", metavar="DIR", help="the shared folder (default: stored setting)")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="the app's work folder (also DASHBOARD_WORK_DIR); settings are then kept there")
    parser.add_argument("--lang", choices=("zh", "en"), help="UI language (default: stored, else zh)")
    parser.add_argument("--tab", choices=("main", "backtest"), help="which tab to show")
    parser.add_argument("--simulate", action=argparse.BooleanOptionalAction, default=None,
                        help="simulate (paper) mode on/off (default: stored, else on)")
    parser.add_argument("--start", action="store_true", help="start the strategy right away")
    parser.add_argument("--rehearsal", action="store_true",
                        help="evaluate outside trading hours too (offline rehearsals with replayed quotes)")
    parser.add_argument("--demo", action="store_true",
                        help="this is a demo (a simulated broker behind the live route): "
                             "marked as 演示, never as 实盘")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    parser.add_argument("--after", type=float, default=2.0, metavar="S",
                        help="seconds to run before the screenshot (default 2; on the backtest tab: "
                             "after the sample backtest has finished)")


def run(args: argparse.Namespace) -> int:
    """Open the window; with ``--screenshot`` render it after ``--after`` seconds and exit.

    On Linux the X11 libraries Qt needs are checked first (exit 3 with what to install, not Qt's abort).
    """
    import sys

    from miniqmt_gui.ui.xcb_check import check_xcb

    problem = check_xcb()
    if problem is not None:
        print(problem.message(), file=sys.stderr)
        return 3
    from miniqmt_gui.ui.app import run_gui

    return run_gui(args)
