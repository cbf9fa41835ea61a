"""English is selectable: the compiled translation loads and the widgets speak English."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings

from miniqmt_gui.ui.backtest_view import BacktestView
from miniqmt_gui.ui.controls import ControlBar
from miniqmt_gui.ui.i18n import install_translator, qm_path


def test_english_translation_is_shipped_and_used(qapp, qtbot, tmp_path):
    translator = install_translator(qapp, "en")
    assert translator is not None, f"cannot load {qm_path('en')}"
    try:
        bar = ControlBar()
        qtbot.addWidget(bar)
        assert bar.action("start").text() == "Start"
        assert bar.action("halt").text() == "Emergency halt"
        bar.set_mode(True)
        assert bar.mode_label.text() == "SIMULATED"
        view = BacktestView(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(view)
        assert view.run_button.text() == "Run backtest"
        view.shutdown()
    finally:
        QCoreApplication.removeTranslator(translator)
    again = ControlBar()
    qtbot.addWidget(again)
    assert again.action("start").text() == "启动"


def test_chinese_needs_no_file(qapp):
    assert install_translator(qapp, "zh") is None


def test_qt_own_buttons_speak_chinese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from miniqmt_gui.ui.i18n import install_qt_translator

    translator = install_qt_translator(qapp, "zh")
    assert translator is not None, "Qt's qtbase_zh_CN translation is not shipped with PySide6"
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert any("确定" in t for t in texts) and any("取消" in t for t in texts), texts
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_ui_text_has_its_english(qapp):
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ts = Path(qm_path("en")).with_suffix(".ts")
    translations = [(m.findtext("source"), m.find("translation")) for m in ET.parse(ts).iter("message")]
    unfinished = [source for source, t in translations if t is not None and t.get("type") == "unfinished"]
    assert unfinished == []
