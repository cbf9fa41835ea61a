"""Crash torture at scale: ≥ 500 SIGKILLs of the executor and the engine, then the counts.

    python benchmarks/torture.py [--kills 500] [--seed 7]

Runs :func:`miniqmt_gui.rehearsal.demo.torture.torture` (real processes: bridge, executor, engine) until at
least ``--kills`` kills were made (a cycle kills the executor, the engine or both), then prints kills,
cycles, signals, broker orders, duplicates (broker orders per ``signal_id`` above one), lost signals
and whether the book equals the broker. Exit code 0 only when duplicates = lost = 0 and book = broker.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from miniqmt_gui.rehearsal.demo.torture import torture


def main() -> int:
    """Run and print the counts."""
    parser = argparse.ArgumentParser(description="crash torture of the chain")
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-wait", type=float, default=1.5, help="longest pause between kills (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="miniqmt-torture-") as tmp:
        report = torture(Path(tmp), 0, seed=args.seed, max_wait_s=args.max_wait, min_kills=args.kills)
    figures = report.as_dict()
    print(json.dumps(figures, indent=1))
    ok = figures["duplicates"] == 0 and figures["lost"] == 0 and figures["match"] and not report.crashes
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
