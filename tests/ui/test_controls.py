"""The real window's controls: start/stop, simulate toggle, halt and resume, parameters."""

from __future__ import annotations

from pathlib import Path

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.strategy.params import StrategyParams, load_params
from miniqmt_gui.ui.params_dialog import ParamsDialog
from windows_bridge.contract.files import STOP_FILE


def _state(window):
    return window.controller.state


def test_start_and_stop(make_window, qtbot):
    window = make_window()
    start, stop = window.controls.action("start"), window.controls.action("stop")
    assert start.isEnabled() and not stop.isEnabled()
    start.trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.RUNNING, timeout=5000)
    assert stop.isEnabled() and not start.isEnabled()
    assert not window.controls.action("simulate").isEnabled()
    stop.trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.STOPPED, timeout=5000)
    assert start.isEnabled()


def test_simulate_toggle_refused_while_running(make_window, qtbot):
    window = make_window(paper=True)
    assert window.controls.mode_label.text() == "模拟盘"
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.RUNNING, timeout=5000)
    window.set_simulate(False)  # what the toggle does; the action itself is disabled while running
    assert window.controller.settings.paper is True
    assert window.controls.action("simulate").isChecked()
    assert any("请先停止" in line for line in window.live.log.lines())
    window.controls.action("stop").trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.STOPPED, timeout=5000)
    window.controls.action("simulate").setChecked(False)
    qtbot.waitUntil(lambda: not window.controller.view.snapshot.status.paper, timeout=5000)
    assert window.controls.mode_label.text() == "实盘"
    assert window.config.paper is False


def test_halt_writes_stop_file_and_resume_removes_it(make_window, qtbot, shared: Path):
    window = make_window(paper=False)
    window.controls.action("start").trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.RUNNING, timeout=5000)
    window.controls.action("halt").trigger()
    qtbot.waitUntil(lambda: (shared / STOP_FILE).exists(), timeout=5000)
    qtbot.waitUntil(lambda: _state(window) is TradingState.HALTED, timeout=5000)
    assert window.live.banner.isVisible() and "熔断" in window.live.banner.text()
    assert window.controls.action("resume").isEnabled()
    assert not window.controls.action("start").isEnabled()
    window.controls.action("resume").trigger()
    qtbot.waitUntil(lambda: _state(window) is TradingState.RUNNING, timeout=5000)
    assert not (shared / STOP_FILE).exists()


def test_stop_file_from_elsewhere_shows_halted(make_window, qtbot, shared: Path):
    window = make_window(paper=False)
    (shared / STOP_FILE).write_text("manual kill switch\n")
    qtbot.waitUntil(lambda: _state(window) is TradingState.HALTED, timeout=5000)
    assert "STOP" in window.live.banner.text()


def test_params_dialog_validates(qtbot):
    dialog = ParamsDialog(StrategyParams(), "159201 v1.0.0")
    qtbot.addWidget(dialog)
    dialog.editor("atr_factor").setText("abc")
    dialog.accept()
    # the trader's words: the field's label (not "atr_factor"), the field highlighted
    assert dialog.result() == 0 and "ATR 系数" in dialog.error_label.text()
    assert "atr_factor" not in dialog.error_label.text() and "请输入数字" in dialog.error_label.text()
    assert "border" in dialog.editor("atr_factor").styleSheet()
    dialog.editor("atr_factor").setText("0.38")
    dialog.editor("no_buy_after").setText("25:99")
    dialog.accept()
    assert "此后不买入" in dialog.error_label.text() and dialog.editor("atr_factor").styleSheet() == ""
    dialog.editor("no_buy_after").setText("14:45")
    dialog.editor("layer_weights").setText("1, 0, 1")
    dialog.accept()
    assert "各层权重" in dialog.error_label.text()
    dialog.editor("layer_weights").setText("1,1,1,1,1,1,1,1,1")
    dialog.editor("step_floor").setText("-1")
    dialog.accept()
    assert "最小步长" in dialog.error_label.text() and "step_floor" not in dialog.error_label.text()
    dialog.editor("step_floor").setText("0.0012")
    dialog.editor("layer_weights").setText("1,1,1,1,1,1,1,1,1")
    dialog.editor("atr_factor").setText("0.30")
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.result_params().atr_factor == 0.30
    assert dialog.error_label.text() == ""


def test_params_dialog_loads_preset(qtbot):
    dialog = ParamsDialog(StrategyParams(), "159201 v1.0.0")
    qtbot.addWidget(dialog)
    dialog.preset_box.setCurrentText("9层最优解")
    dialog.preset_box.activated.emit(dialog.preset_box.currentIndex())
    assert dialog.editor("atr_factor").text() == "0.28"
    assert dialog.editor("step_floor").text() == "0.0008"


def test_accepted_params_reach_the_engine_and_the_config_file(make_window, qtbot, tmp_path: Path):
    window = make_window()
    params = StrategyParams().updated({"atr_factor": 0.3})
    window.apply_params(params, "159201 v1.0.0")
    qtbot.waitUntil(lambda: (tmp_path / "strategy.toml").exists(), timeout=5000)
    saved = tmp_path / "strategy.toml"
    qtbot.waitUntil(lambda: "atr_factor" in saved.read_text(encoding="utf-8"), timeout=5000)
    assert load_params(tmp_path / "strategy.toml") == params
    qtbot.waitUntil(lambda: window.controller.view.snapshot.params == params, timeout=5000)
