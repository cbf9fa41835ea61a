"""The window's day services: the reconcile dialog on a simulated day, the settings section, the QR code."""

from __future__ import annotations

from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.ui.app_config import AppConfig
from miniqmt_gui.ui.day_services import DayServices
from miniqmt_gui.ui.day_settings import DaySettingsSection, qr_pixmap
from miniqmt_gui.ui.reconcile_dialog import ReconcileDialog
from tests.daily.simulated_day import CODE, DAY, play_the_day


def test_reconcile_dialog_shows_the_day(qtbot, tmp_path, monkeypatch):
    from miniqmt_gui.alerts import secrets

    monkeypatch.setattr(secrets, "fallback_path", lambda: tmp_path / "cfg" / "s.txt")
    monkeypatch.setattr(secrets, "_keyring", lambda: None)
    shared, work = tmp_path / "shared", tmp_path / "work"
    shared.mkdir()
    work.mkdir()
    play_the_day(shared, work)
    settings = EngineSettings(shared_dir=shared, work_dir=work, code=CODE)
    services = DayServices(AppConfig(shared_dir=shared, work_dir=work), settings)
    try:
        dialog = ReconcileDialog(services)
        qtbot.addWidget(dialog)
        dialog.date_edit.setDate(dialog.date_edit.date().fromString(DAY.date().isoformat(), "yyyy-MM-dd"))
        with qtbot.waitSignal(services.reconciled, timeout=60_000):
            dialog.run()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=5_000)
        assert "无信号对应的委托" in dialog.table.item(3, 11).text()
        assert "缺少执行结果" in dialog.verdict.text() and dialog.open_button.isEnabled()
    finally:
        services.shutdown()


def test_settings_section_and_qr(qtbot, tmp_path, monkeypatch):
    from miniqmt_gui.alerts import secrets

    monkeypatch.setattr(secrets, "fallback_path", lambda: tmp_path / "cfg" / "s.txt")
    monkeypatch.setattr(secrets, "_keyring", lambda: None)
    section = DaySettingsSection(AppConfig(shared_dir=tmp_path, work_dir=tmp_path))
    qtbot.addWidget(section)
    assert not section.phone_box.isChecked()  # the phone view is off by default
    section.urls_edit.setPlainText("wecombot://KEY\n\njson://127.0.0.1:9/x")
    section.kind_boxes["stale"].setChecked(False)
    values = section.values()
    assert "stale" not in values["push_kinds"] and "fill" in values["push_kinds"]
    section.store_secrets()
    assert secrets.load_urls() == ["wecombot://KEY", "json://127.0.0.1:9/x"]
    assert not qr_pixmap("http://192.168.1.5:8765/?t=abcdefghijklmnop").isNull()
