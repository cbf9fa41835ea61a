"""``miniqmt offline-test``: the launch plan's offline stages 1–5 as a pass/fail checklist."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt offline-test``."""
    parser.add_argument("--work-dir", type=Path,
                        help="folder for the stages' files (default: DASHBOARD_WORK_DIR or a temp folder)")


def run(args: argparse.Namespace) -> int:
    """Run every stage; exit 0 only when all items pass."""
    from miniqmt_gui.rehearsal.offline_stages import run_stages

    logging.basicConfig(level=logging.ERROR, format="    %(levelname)s %(message)s")
    explicit = args.work_dir or (Path(os.environ["DASHBOARD_WORK_DIR"])
                                 if os.environ.get("DASHBOARD_WORK_DIR") else None)
    if explicit is not None:
        target = explicit / "offline-test"
        if target.exists() and any(target.iterdir()):
            print(f"offline-test: {target} is not empty; remove it or pick another --work-dir")
            return 2
        checklist = run_stages(target)
    else:
        with tempfile.TemporaryDirectory(prefix="miniqmt-offline-") as tmp:
            checklist = run_stages(Path(tmp))
    passed, total = checklist.passed, len(checklist)
    verdict = "全部通过 ALL PASSED" if checklist.ok else "未通过 FAILED"
    print(f"\n{verdict}: {passed}/{total}")
    return 0 if checklist.ok else 1
