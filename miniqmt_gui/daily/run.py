"""One call that reconciles a day and writes its report: what the command, the app and the scheduler use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from miniqmt_gui.daily.day_records import read_day
from miniqmt_gui.daily.pnl import day_pnl
from miniqmt_gui.daily.reconcile import Reconciliation, reconcile
from miniqmt_gui.daily.report import DailyReport, LotLine, write_report
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.live.state_store import load_state
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.files import TRADES_DIR
from windows_bridge.contract.market_hours import SHANGHAI, now_shanghai
from windows_bridge.contract.trades_export import TradesExport, trades_export_name


def read_export(shared_dir: Path, day: date) -> tuple[TradesExport | None, str]:
    """The bridge's export for ``day`` and a problem text (a corrupt file is a problem, not "no trades")."""
    found = read_message(shared_dir / TRADES_DIR / trades_export_name(day), TradesExport)
    if found.value is not None and found.value.day != day:
        return None, f"the export file names {day} but holds {found.value.day}"
    return found.value, found.error


def _lots_tonight(settings: EngineSettings, day: date) -> tuple[LotLine, ...]:
    """Per-layer detail, only when the saved book is that evening's (reconciling today)."""
    if day != now_shanghai().date():
        return ()
    book = load_state(settings.state_path, settings.code, "live", now_shanghai()).state
    return tuple(LotLine(lot.layer, lot.shares, lot.buy_price) for lot in book.positions)


def reconcile_day(settings: EngineSettings, day: date) -> tuple[Reconciliation, DailyReport]:
    """Reconcile ``day`` from the journal and the shared folder; write its report under the work folder."""
    records = read_day(settings.journal_path, day)
    export, problem = read_export(settings.shared_dir, day)
    if export is None and problem:
        export = TradesExport(day=day, code=settings.code, status="failed", reason=f"unreadable: {problem}",
                              written=now_shanghai().astimezone(SHANGHAI))
    rec = reconcile(records, export, settings.code)
    lot_shares = records.book.lot_shares if records.book is not None else None
    broker = export.position.volume if export is not None and export.position is not None else None
    pnl = day_pnl(rec, export.close_price if export else 0.0, export.pre_close if export else 0.0,
                  lot_shares, broker, settings.base_shares)
    hold = records.book.hold_layers if records.book is not None else None
    report = write_report(rec, pnl, settings.work_dir, settings.code, hold, settings.lang,
                          _lots_tonight(settings, day))
    return rec, report
