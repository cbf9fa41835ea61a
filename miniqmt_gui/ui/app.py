"""App bootstrap: QApplication, translator, icon, QSettings, the window and its engine thread."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import pyqtgraph as pg
import qasync
from PySide6.QtCore import QSettings, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from miniqmt_gui.live.pool_guard import LivePool
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.app_config import (
    LEGACY_KEYS,
    AppConfig,
    import_legacy,
    load_config,
    load_strategy_params,
    params_path,
    save_config,
)
from miniqmt_gui.ui.engine_factory import default_engine_factory
from miniqmt_gui.ui.engine_worker import EngineFactory
from miniqmt_gui.ui.formatting import set_language
from miniqmt_gui.ui.i18n import Lang, install_translator
from miniqmt_gui.ui.icons import app_icon
from miniqmt_gui.ui.live_controller import LiveController
from miniqmt_gui.ui.main_window import MainWindow
from miniqmt_gui.ui.screenshot import schedule_screenshot
from windows_bridge.contract.market_hours import now_shanghai

log = logging.getLogger(__name__)

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
    set_language(lang)
    pg.setConfigOptions(antialias=False, background="w", foreground="#333")
    return app


def open_settings(work_dir: str | None = None) -> QSettings:
    """Qt settings for the window's geometry and the backtest tab's last choices (everything else is in
    ``config.toml``): the user's native store, or an INI file inside an explicit work folder."""
    if work_dir:
        return QSettings(str(Path(work_dir) / SETTINGS_INI), QSettings.Format.IniFormat)
    return QSettings(ORG, APP)


def build_window(config: AppConfig, settings: QSettings, params: StrategyParams | None = None,
                 factory: EngineFactory | None = None, clock: Callable[[], datetime] = now_shanghai,
                 ) -> MainWindow:
    """The main window; call ``window.controller.start()`` once it is shown (start-up stays fast)."""
    problem = ""
    saved = params is not None or params_path().exists()
    if params is None:
        params, problem = load_strategy_params()
    window = MainWindow(build_controllers(config, params, saved, factory, clock), config, params, settings)
    if problem:
        window.live.log.add(window.tr("参数文件无效，已使用默认参数：") + problem)
    if config.problem:
        window.live.log.add(window.tr("配置文件无效，已使用默认设置：") + config.problem, logging.ERROR)
    return window


def build_controllers(config: AppConfig, params: StrategyParams, saved: bool = True,
                      factory: EngineFactory | None = None, clock: Callable[[], datetime] = now_shanghai,
                      ) -> dict[str, LiveController]:
    """One engine controller per configured code, in portfolio order, all drawing on one capital pool.

    A single code is v1.0.0's app (``params`` for it). With several, every engine gets the shared
    :class:`LivePool` (``factory(settings, params, pool=pool)``); the first code trades ``params`` when
    they were saved (``strategy.toml``), the others — and the first without a saved file — their
    instrument's preset parameters.
    """
    portfolio = config.portfolio
    if portfolio is None:
        return {config.code: LiveController(config.engine_settings(), params, factory, clock)}
    pool = LivePool(portfolio.pool)
    make = partial(factory or default_engine_factory, pool=pool)
    controllers: dict[str, LiveController] = {}
    for inst in portfolio.instruments:
        own = params if inst.code == portfolio.codes[0] and saved else inst.params
        controllers[inst.code] = LiveController(config.engine_settings_for(inst.code), own, make, clock)
    return controllers


def migrate_settings(settings: QSettings, config: AppConfig) -> AppConfig:
    """Move an older version's choices from Qt's settings into ``config.toml`` once (then remove them)."""
    values = {key: settings.value(key) for key in LEGACY_KEYS if settings.contains(key)}
    imported = import_legacy(values, config)
    if imported is None:
        return config
    try:
        save_config(imported)
    except (OSError, ValueError) as exc:
        log.warning("cannot move the old settings into %s: %s", imported.path, exc)
        return imported
    for key in values:
        settings.remove(key)
    log.info("moved the settings of an earlier version into %s", imported.path)
    return imported


def close_on_signals(window: MainWindow) -> QSocketNotifier:
    """Ctrl+C / SIGTERM close the window the normal way (engine stopped, thread joined).

    Python runs signal handlers only between bytecodes, and Qt's event loop is C++. Instead of a
    timer that wakes the interpreter four times a second forever (idle CPU, issue 14), the signal's
    byte is written to a socket (``signal.set_wakeup_fd``) that a ``QSocketNotifier`` watches: the
    loop wakes only when a signal arrives, runs a Python slot, and the handler runs with it. The
    caller keeps the returned notifier alive.
    """

    def _close(_signum: int, _frame: object) -> None:
        window.quiet_close = True  # a signal is an instruction, not a question
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGINT, _close)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _close)
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, window)

    def _drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(512)

    notifier.activated.connect(_drain)
    setattr(notifier, "sockets", (reader, writer))  # noqa: B010 - both ends live as long as the notifier
    return notifier


def run_gui(args: argparse.Namespace) -> int:
    """Open the window; with ``--screenshot`` render it after ``--after`` seconds and exit."""
    started = time.perf_counter()

    work_dir = args.work_dir or os.environ.get("DASHBOARD_WORK_DIR")
    settings = open_settings(work_dir)
    config = migrate_settings(settings, load_config(args.shared_dir, work_dir, args.lang))
    config.demo = bool(getattr(args, "demo", False))
    if args.simulate is not None:
        config.paper = args.simulate
    if args.rehearsal:
        config.session_only = False
    app = create_application("en" if config.lang == "en" else "zh")
    window = build_window(config, settings)
    if args.tab:
        window.tabs.setCurrentIndex(1 if args.tab == "backtest" else 0)
    window.show()
    app.processEvents()  # paint it now: the engine thread starts after the first frame
    first_show_ms = (time.perf_counter() - started) * 1000
    window.start_engines()
    try:
        return _serve(app, window, args, first_show_ms)
    finally:
        # idempotent; also after an error midway (e.g. stdout closed under --screenshot): the engine
        # threads must end, or the process hangs instead of exiting
        window.shutdown()


def _serve(app: QApplication, window: MainWindow, args: argparse.Namespace, first_show_ms: float) -> int:
    """Run the event loop until the window closes; the window's engines are already started."""
    config = window.config
    gc.collect()
    gc.freeze()  # start-up objects leave the collector's view: later full collections stay short
    window.live.log.add(window.tr("窗口已显示（%1 ms）").replace("%1", f"{first_show_ms:.0f}"))
    log.info("first window after %.0f ms", first_show_ms)
    if args.screenshot:
        print(f"first window shown {first_show_ms:.0f} ms after start-up of the gui command "
              f"(epoch {time.time():.3f})", flush=True)
    if args.start:
        for controller in window.controllers.values():
            controller.command("start")
    if args.screenshot:
        schedule_screenshot(window, args.screenshot, args.after, backtest=args.tab == "backtest")
    elif config.first_run:
        QTimer.singleShot(0, lambda: window.edit_settings(first_run=True))
    wake = close_on_signals(window)
    loop = qasync.QEventLoop(app)  # asyncio inside Qt's loop: the phone view's server runs on it
    asyncio.set_event_loop(loop)
    window.day.loop = loop
    window.day.apply(window.config, window.controller.settings)  # the phone view needs the loop
    code = loop.run_forever()
    wake.setEnabled(False)
    signal.set_wakeup_fd(-1)
    window.shutdown()
    loop.run_until_complete(asyncio.sleep(0))  # let the phone view's stop run
    loop.close()
    return int(code)
