"""Frozen entry point of the desktop bundle: the ``miniqmt`` command."""

import multiprocessing

# the backtest view runs backtests in a spawned child process: a frozen app must let the child start
multiprocessing.freeze_support()

# No numba in the bundle: the backtest loops are prebuilt (miniqmt_gui/strategy/_aot), so nothing is
# compiled at first run, in any working directory.
from miniqmt_gui.cli import main  # noqa: E402

raise SystemExit(main())
