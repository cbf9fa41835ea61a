"""App bootstrap: QApplication, translator, icon, QSettings, the window and its engine thread."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from miniqmt_gui.core.params import StrategyParams
from miniqmt_gui.ui.app_config import AppConfig, load_strategy_params
from miniqmt_gui.ui.engine_worker import EngineFactory
from miniqmt_gui.ui.i18n import Lang, install_translator
from miniqmt_gui.ui.icons import app_icon
from miniqmt_gui.ui.live_controller import LiveController
from miniqmt_gui.ui.main_window import MainWindow
from windows_bridge.protocol import now_shanghai

ORG = APP = "miniqmt"
#: how often a Python thread holding the GIL must offer it (default 5 ms). The GUI thread re-enters
#: Python for every model/paint callback; a shorter interval bounds its wait behind the engine thread.
GIL_SWITCH_INTERVAL_S = 0.001
SETTINGS_INI = "gui_settings.ini"


def create_application(lang: Lang = "zh") -> QApplication:
    """The QApplication (reused when one exists) with name, icon and the UI language installed."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setWindowIcon(app_icon())
    install_translator(app, lang)
    pg.setConfigOptions(antialias=False, background="w", foreground="#333")
    return app


def open_settings(work_dir: str | None = None) -> QSettings:
    """QSettings: the user's native store, or an INI file inside an explicit work folder."""
    if work_dir:
        return QSettings(str(Path(work_dir) / SETTINGS_INI), QSettings.Format.IniFormat)
    return QSettings(ORG, APP)


def build_window(config: AppConfig, settings: QSettings, params: StrategyParams | None = None,
                 factory: EngineFactory | None = None, clock: Callable[[], datetime] = now_shanghai,
                 ) -> MainWindow:
    """The main window; call ``window.controller.start()`` once it is shown (start-up stays fast)."""
    problem = ""
    if params is None:
        params, problem = load_strategy_params()
    controller = LiveController(config.engine_settings(), params, factory, clock)
    window = MainWindow(controller, config, params, settings)
    if problem:
        window.live.log.add(window.tr("参数文件无效，已使用默认参数：") + problem)
    return window


def close_on_signals(window: MainWindow) -> QTimer:
    """Ctrl+C / SIGTERM close the window the normal way (engine stopped, thread joined).

    Python runs signal handlers only between bytecodes, and Qt's event loop is C++: a slow timer
    gives the interpreter a chance to notice the signal. The caller keeps the returned timer alive.
    """

    def _close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGINT, _close)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _close)
    wake = QTimer(window)
    wake.setInterval(250)
    wake.timeout.connect(lambda: None)
    wake.start()
    return wake
