"""``miniqmt calendar [--date D] [--next N]``: is the exchange open on a day, and the next sessions."""

from __future__ import annotations

import argparse
from datetime import date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt calendar``."""
    parser.add_argument("--date", type=date.fromisoformat, help="the day (YYYY-MM-DD; default: today)")
    parser.add_argument("--next", type=int, default=5, metavar="N", help="list the next N trading days")


def run(args: argparse.Namespace) -> int:
    """Print the day's status; exit 0 when it is a trading day, 1 when the exchange is closed."""
    from windows_bridge.contract.calendar import calendar_note, closed_reason, coverage, trading_days_after
    from windows_bridge.contract.market_hours import now_shanghai

    day = args.date or now_shanghai().date()
    reason = closed_reason(day)
    print(f"{day} ({day:%a}): {'closed, ' + reason if reason else 'trading day'}")
    first, last = coverage()
    print(f"calendar: exchange-calendars XSHG, {first} … {last}")
    note = calendar_note(day, "en")
    if note:
        print(f"note: {note}")
    for nxt in trading_days_after(day, max(0, args.next)):
        print(f"  {nxt} ({nxt:%a}){'' if not calendar_note(nxt) else '  (assumed: beyond the calendar)'}")
    return 1 if reason else 0
