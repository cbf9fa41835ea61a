"""``miniqmt selfcheck``: verify an installation and print what to fix."""

from __future__ import annotations

import argparse
import json
import os

from miniqmt_gui.rehearsal.selfcheck import format_report, run_checks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt selfcheck``."""
    parser.add_argument("--shared-dir", help="shared folder to check (default: config / SHARED_DIR)")
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default zh)")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when nothing failed (warnings allowed), 1 otherwise."""
    env = dict(os.environ)
    if args.shared_dir:
        env["SHARED_DIR"] = args.shared_dir
    checks = run_checks(env, lang=args.lang)
    if args.json:
        print(json.dumps(checks.as_json(), ensure_ascii=False, indent=1))
    else:
        print(format_report(checks, args.lang))
    return 0 if checks.ok else 1
