"""``miniqmt reconcile [--date D]``: match the day's broker trades to its signals and write the daily report.

Prints the table and the verdict, writes ``reconcile.csv``, ``report.html``, ``report.png`` and
``summary.json`` under ``<work folder>/reports/YYYY-MM-DD/``. Exit codes: 0 reconciled clean,
1 alarms (unexplained trades, mismatches, broker side unknown), 2 bad arguments or settings.
``--trading-days-only`` makes a scheduled run on a closed day print why and exit 0.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt reconcile``."""
    parser.add_argument("--date", type=date.fromisoformat, help="the day (YYYY-MM-DD; default: today)")
    parser.add_argument("--work-dir", type=Path, help="the app's work folder (also DASHBOARD_WORK_DIR)")
    parser.add_argument("--shared-dir", type=Path, help="the shared folder (default: SHARED_DIR / config)")
    parser.add_argument(
        "--base-shares", type=int, help="the base position (Beta) when the broker's is unknown"
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
    parser.add_argument(
        "--trading-days-only",
        action="store_true",
        help="on a day the exchange is closed, say so and exit 0 (for schedulers)",
    )


def _table(rec: object) -> str:
    from miniqmt_gui.daily.reconcile import Reconciliation

    assert isinstance(rec, Reconciliation)
    lines = [
        f"{'signal / remark':<30} {'side':<4} {'px':>7} {'req':>7} {'filled':>7} {'avg':>8} "
        f"{'slip CNY':>9} {'bps':>6}  problems"
    ]
    for r in (*rec.rows, *rec.unexplained):
        lines.append(
            f"{r.signal_id[:30]:<30} {r.direction:<4} {r.signal_price:>7.3f} {r.requested:>7} "
            f"{r.broker_filled:>7} {r.broker_avg:>8.4f} {r.slippage_cny:>9.2f} {r.slippage_bps:>6.1f}  "
            f"{' '.join(r.problems)}"
        )
    t = rec.totals
    lines.append(
        f"bought {t.bought_shares} ({t.bought_value:,.2f}), sold {t.sold_shares} ({t.sold_value:,.2f}), "
        f"fees {t.fees:.2f}, slippage {t.slippage_cny:+.2f} CNY ({t.slippage_bps:+.1f} bps)"
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Reconcile and report; see the module doc for the exit codes."""
    from miniqmt_gui.daily.report import describe
    from miniqmt_gui.daily.run import reconcile_day
    from miniqmt_gui.live.settings import resolve_settings
    from windows_bridge.contract.calendar import closed_reason, next_trading_day
    from windows_bridge.contract.market_hours import now_shanghai

    day = args.date or now_shanghai().date()
    if args.trading_days_only and closed_reason(day):
        print(
            f"{day}: the exchange is closed ({closed_reason(day)}); next trading day {next_trading_day(day)}"
        )
        return 0
    try:
        settings = resolve_settings(work_dir=args.work_dir, shared_dir=args.shared_dir)
    except ValueError as exc:
        print(f"miniqmt reconcile: {exc}", file=sys.stderr)
        return 2
    settings = settings.model_copy(update={"lang": args.lang, "base_shares": args.base_shares})
    rec, report = reconcile_day(settings, day)
    print(_table(rec))
    print(f"broker export: {rec.export_status} {rec.export_reason}".rstrip())
    for alarm in rec.alarms:
        print(f"ALARM {describe(alarm, 'en')}")
    for note in rec.notes:
        print(f"note  {describe(note, 'en')}")
    alpha, beta = report.summary["alpha"], report.summary["beta"]
    print(
        f"Alpha {alpha if alpha is not None else 'unknown'}  Beta {beta if beta is not None else 'unknown'}"
    )
    print(f"report: {report.html_path}")
    return 0 if rec.clean else 1
