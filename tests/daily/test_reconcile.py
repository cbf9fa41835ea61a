"""End-of-day reconciliation on a simulated day: partial fill, manual trade, missing result, bad exports."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from miniqmt_gui.cli import main
from miniqmt_gui.daily.run import reconcile_day
from miniqmt_gui.live.settings import EngineSettings
from windows_bridge.contract.messages import order_remark
from windows_bridge.contract.trades_export import TradesExport

from .simulated_day import BASE, CODE, DAY, play_the_day


@pytest.fixture
def day(tmp_path):
    shared, work = tmp_path / "shared", tmp_path / "work"
    shared.mkdir()
    work.mkdir()
    played = play_the_day(shared, work)
    settings = EngineSettings(shared_dir=shared, work_dir=work, code=CODE)
    return played, settings


def _row(rec, token):
    return next(r for r in rec.rows if r.signal_id.endswith(token))


def test_the_simulated_day(day):
    _, settings = day
    rec, report = reconcile_day(settings, DAY.date())
    assert rec.export_status == "ok"
    full, partial, sell = _row(rec, "0000000a"), _row(rec, "0000000b"), _row(rec, "0000000c")
    # full fill at 0.999 against a 1.000 signal: 10 CNY better than the signal (negative cost)
    assert (full.status, full.app_filled, full.broker_filled, full.broker_avg) == (
        "filled",
        10_000,
        10_000,
        0.999,
    )
    assert full.slippage_cny == -10.0 and full.slippage_bps == -10.0 and not full.problems
    assert full.fees == pytest.approx(round(10_000 * 0.999 * 0.0001, 2))
    # partial fill: requested 10,000, 6,000 filled at the signal price, app and broker agree
    assert (partial.status, partial.requested, partial.app_filled, partial.broker_filled) == (
        "partially_filled",
        10_000,
        6_000,
        6_000,
    )
    assert partial.slippage_cny == 0.0 and not partial.alarm
    # the sell the app never applied: the broker shows it (matched by its remark) → alarm
    assert sell.status == "" and sell.broker_filled == 10_000 and sell.broker_avg == 1.012
    assert sell.problems == ("missing_result",) and sell.alarm
    assert sell.slippage_cny == -20.0  # sold 2 ticks above the signal
    # the manual trade in QMT: explained by no signal → alarm
    assert len(rec.unexplained) == 1 and rec.unexplained[0].broker_filled == 500
    assert rec.unexplained[0].direction == "BUY" and rec.unexplained[0].alarm
    assert not rec.clean
    assert {a.split(":")[0] for a in rec.alarms} == {"unexplained", "missing_result"}
    t = rec.totals
    assert (t.bought_shares, t.sold_shares, t.slippage_cny) == (16_000, 10_000, -30.0)
    # files kept for the day
    assert report.folder == settings.work_dir / "reports" / "2026-02-24"
    rows = list(csv.DictReader(report.csv_path.open(encoding="utf-8-sig")))
    assert len(rows) == 4 and rows[-1]["problems"] == "unexplained"
    page = report.html_path.read_text(encoding="utf-8")
    assert "无法解释的券商成交" in page and "data:image/png;base64," in page and order_remark(sell.signal_id)
    assert report.png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((report.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["clean"] is False and summary["unexplained"] == 1
    # Beta from the broker's position minus the journal's lots; Alpha marked to the close
    assert summary["base_shares"] == BASE + 16_000 - 10_000 + 500 - 16_000
    assert summary["beta"] == pytest.approx(round(summary["base_shares"] * (1.005 - 0.998), 2))


def test_a_clean_day_is_clean(day):
    played, settings = day
    # drop the manual trade and add the missing result: now everything is explained
    export = TradesExport.model_validate_json(
        (settings.shared_dir / "trades" / "trades_20260224.json").read_bytes()
    )
    sell = next(t for t in export.trades if t.direction == "SELL")
    export = export.model_copy(update={"trades": [t for t in export.trades if t.remark]})
    played.write_export(export)
    played.journal.append(
        "result",
        DAY.replace(hour=11),
        signal_id=f"SELL_{CODE}_L1_0000000c",
        status="filled",
        filled_shares=10_000,
        avg_price=1.012,
        order_id=sell.order_id,
        fees=sell.fees,
        hold_layers=1,
        lot_shares=6_000,
    )
    rec, _ = reconcile_day(settings, DAY.date())
    assert rec.clean and rec.alarms == ()


@pytest.mark.parametrize(
    ("status", "alarm"), [("failed", "export_failed"), ("unconfirmed", "export_unconfirmed")]
)
def test_an_unknown_broker_side_is_never_a_clean_empty_day(day, status, alarm):
    played, settings = day
    export = TradesExport(day=DAY.date(), code=CODE, status=status, written=DAY.replace(hour=15, minute=10))
    played.write_export(export)
    rec, _ = reconcile_day(settings, DAY.date())
    assert alarm in rec.alarms and not rec.clean  # the app's results show fills: QMT's silence is no proof


def test_unconfirmed_is_fine_when_the_app_filled_nothing(tmp_path):
    shared, work = tmp_path / "s", tmp_path / "w"
    (shared / "trades").mkdir(parents=True)
    settings = EngineSettings(shared_dir=shared, work_dir=work, code=CODE)
    (shared / "trades" / "trades_20260224.json").write_text(
        TradesExport(day=DAY.date(), code=CODE, status="unconfirmed", written=DAY).model_dump_json(),
        encoding="utf-8",
    )
    rec, _ = reconcile_day(settings, DAY.date())
    assert rec.clean and "export_unconfirmed" in rec.notes


def test_missing_or_corrupt_export(day):
    _, settings = day
    path = settings.shared_dir / "trades" / "trades_20260224.json"
    path.write_bytes(b'{"day": "2026-02-24", "code": "159201.SZ", "status": "ok", "trades": [{"tra')
    rec, _ = reconcile_day(settings, DAY.date())
    assert rec.export_status == "failed" and "export_failed" in rec.alarms
    path.unlink()
    rec, report = reconcile_day(settings, DAY.date())
    assert rec.export_status == "missing" and "no_export" in rec.alarms
    assert report.summary["alpha"] is None  # no close price: P&L unknown, not zero


def test_command_line(day, capsys):
    _, settings = day
    code = main(
        [
            "reconcile",
            "--date",
            "2026-02-24",
            "--work-dir",
            str(settings.work_dir),
            "--shared-dir",
            str(settings.shared_dir),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1 and "ALARM" in out and "unexplained" in out
    assert (
        main(
            [
                "reconcile",
                "--date",
                "2026-02-17",
                "--trading-days-only",
                "--work-dir",
                str(settings.work_dir),
                "--shared-dir",
                str(settings.shared_dir),
            ]
        )
        == 0
    )
    assert "closed" in capsys.readouterr().out
    assert date(2026, 2, 24).isoformat() in str(settings.work_dir / "reports" / "2026-02-24")
