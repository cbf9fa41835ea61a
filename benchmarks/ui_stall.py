"""UI-thread stall while a two-year backtest and the live engine run (SPEC §6: ≤ 50 ms; prints figures).

    .venv/bin/python benchmarks/ui_stall.py [--runs 3]

Runs the scenario of ``tests/ui/test_responsiveness.py`` (its fixtures build the real window on the
offscreen platform, a paper engine fed a quote every 0.2 s): a 5 ms precise timer on the GUI thread
records the longest gap between its ticks, first while the backtest of the 2015–16 file (or two
synthetic years) runs in its child process and its result is drawn, then on the live tab, and beside
it the CPU the GUI thread itself used in its busiest gap (``*_gui_cpu``): on a machine shared by many
jobs a long gap with little CPU is the scheduler's, not the app's. The load average is printed too. The
test keeps only a 1 s sanity bound; this script prints the figures of every run against the 50 ms target.
The backtest cannot stall the UI through the GIL: it runs in a separate process
(``miniqmt_gui/ui/backtest_runner.py``), and its compiled loops release the GIL anyway.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import statistics
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST = "tests/ui/test_responsiveness.py::test_ui_thread_stays_responsive"
LINE = re.compile(r"^(backtest|live): longest UI-thread stall ([\d.]+) ms over (\d+) ticks; "
                  r"most GUI-thread CPU between two ticks ([\d.]+) ms")
TARGET_MS = 50.0
#: wall-clock stall per phase, and the GUI thread's own CPU within its busiest gap (a long gap with
#: little CPU is the machine's scheduler, not the app)
PHASES = ("backtest", "live", "backtest_gui_cpu", "live_gui_cpu")


def one_run() -> dict[str, float]:
    """Run the scenario once; the worst stall (ms) of each phase, and the GUI thread's own CPU in it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pytest.main(["-q", "-s", "-p", "no:cacheprovider", str(REPO / TEST)])
    found: dict[str, float] = {}
    for m in filter(None, map(LINE.match, out.getvalue().splitlines())):
        found[m.group(1)] = float(m.group(2))
        found[m.group(1) + "_gui_cpu"] = float(m.group(4))
    if code != 0 or len(found) != 4:
        print(out.getvalue(), file=sys.stderr)
        raise SystemExit(f"the scenario failed (pytest exit {code})")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.chdir(REPO)
    runs = [one_run() for _ in range(args.runs)]
    report = {
        "target_ms": TARGET_MS,
        "runs": runs,
        "worst_ms": {phase: max(r[phase] for r in runs) for phase in PHASES},
        "median_ms": {phase: statistics.median(r[phase] for r in runs) for phase in PHASES},
        "load_average": os.getloadavg()[0],
    }
    report["within_target"] = all(report["worst_ms"][p] <= TARGET_MS for p in ("backtest", "live"))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
