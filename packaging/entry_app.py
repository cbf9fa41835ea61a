"""Frozen entry point of the desktop bundle: the ``miniqmt`` command."""

import multiprocessing
import os
import sys
from pathlib import Path

# the backtest view runs backtests in a spawned child process: a frozen app must let the child start
multiprocessing.freeze_support()

if getattr(sys, "frozen", False):
    # numba caches compiled rules next to the sources; inside a bundle that folder is read-only,
    # so point the cache at the user's cache folder before numba is imported.
    import platformdirs

    cache = Path(platformdirs.user_cache_dir("miniqmt", appauthor=False)) / "numba"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache))

from miniqmt_gui.cli import main  # noqa: E402  (after the cache set-up)

raise SystemExit(main())
