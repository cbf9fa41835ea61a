"""The main window: control toolbar, live tab, backtest tab, status bar, tray notifications.

The window only shows and steers: the engine runs in :class:`LiveController`'s worker thread,
backtests in a child process. Views and events arrive as queued signals; every user command goes
back the same way. Geometry and the last tab persist in ``QSettings``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from miniqmt_gui.live.events import LogEvent, ResultEvent, SignalEvent, StatusEvent, TradingState
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.app_config import AppConfig, params_path, params_toml, save_config
from miniqmt_gui.ui.backtest_view import BacktestView
from miniqmt_gui.ui.controls import ControlBar
from miniqmt_gui.ui.day_services import DayServices
from miniqmt_gui.ui.icons import app_icon
from miniqmt_gui.ui.live_chart import Fill
from miniqmt_gui.ui.live_controller import LiveController
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.live_tab import LiveTab
from miniqmt_gui.ui.notifier import Notifier
from miniqmt_gui.ui.params_dialog import ParamsDialog
from miniqmt_gui.ui.reconcile_dialog import ReconcileDialog
from miniqmt_gui.ui.settings_dialog import SettingsDialog
from miniqmt_gui.ui.status_strip import StatusStrip
from windows_bridge.contract.version import __version__

TAB_MAIN, TAB_BACKTEST = 0, 1


class MainWindow(QMainWindow):
    """The desktop app's window."""

    def __init__(self, controller: LiveController, config: AppConfig, params: StrategyParams,
                 settings: QSettings, parent: QWidget | None = None) -> None:
        """Wire the window to ``controller``; call ``controller.start()`` afterwards."""
        super().__init__(parent)
        self.controller, self.config, self.params, self.qsettings = controller, config, params, settings
        self.setWindowIcon(app_icon())
        self.controls = ControlBar(self)
        self.addToolBar(self.controls)
        self.live = LiveTab()
        self.backtest = BacktestView(settings)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.live, self.tr("实盘监控"))
        self.tabs.addTab(self.backtest, self.tr("回测"))
        self.setCentralWidget(self.tabs)
        self.status = StatusStrip(self.statusBar(), self)
        self.notifier = Notifier(app_icon(), self)
        self.notifier.notifications_on = config.notifications
        self.notifier.set_speech(config.speech)
        self.day = DayServices(config, controller.settings, self)
        self.day.phoneChanged.connect(self._on_phone)
        self.confirm = self._ask
        self._directions: dict[str, str] = {}
        self._was_stale = False
        self._settings_dialog: SettingsDialog | None = None
        self._closed = False
        self.controls.set_mode(config.paper)
        self._wire()
        self._restore()
        self._update_title(None)

    # ------------------------------------------------------------------ wiring

    def _wire(self) -> None:
        c, a = self.controller, self.controls.action
        a("start").triggered.connect(lambda: c.command("start"))
        a("stop").triggered.connect(lambda: c.command("stop"))
        a("sell_only").triggered.connect(lambda: c.command("sell_only"))
        a("halt").triggered.connect(self.halt)
        a("resume").triggered.connect(self.resume)
        a("simulate").toggled.connect(self.set_simulate)
        a("params").triggered.connect(self.edit_params)
        a("settings").triggered.connect(lambda: self.edit_settings(first_run=False))
        self.reconcile_action = self.controls.addAction(self.tr("收盘对账"))
        self.reconcile_action.triggered.connect(self.open_reconcile)
        c.viewChanged.connect(self.on_view)
        c.eventReceived.connect(self.on_event)
        c.failed.connect(self._on_failed)
        c.modeChanged.connect(self._on_mode)
        c.fileWritten.connect(self._on_file_written)
        c.sharedChecked.connect(self._on_shared_checked)
        self.live.orders.exportRequested.connect(c.write_text)
        self.live.orders.journalExportRequested.connect(c.export_journal)
        self.backtest.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    def _restore(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        self.tabs.setCurrentIndex(int(str(self.qsettings.value("window/tab", TAB_MAIN))))

    # ------------------------------------------------------------------ commands

    def halt(self) -> None:
        """Emergency halt: the engine writes STOP (the executor places nothing) and emits nothing."""
        self.controller.command("halt")
        self.live.log.add(self.tr("已请求紧急熔断：写入 STOP 文件"), logging.WARNING)

    def resume(self) -> None:
        """Remove STOP and trade again, after a confirmation."""
        if self.confirm(self.tr("恢复交易"), self.tr("删除 STOP 文件并恢复自动交易？")):
            self.controller.command("resume")

    def set_simulate(self, paper: bool) -> None:
        """Switch simulate (paper) mode; refused while the engine is not stopped."""
        if not self.controller.set_paper(paper):
            self.controls.set_mode(self.controller.settings.paper)
            self.live.log.add(self.tr("运行中不能切换模拟/实盘，请先停止"), logging.WARNING)
            self.statusBar().showMessage(self.tr("运行中不能切换模拟/实盘，请先停止"), 8000)
            return
        self.config.paper = paper
        save_config(self.qsettings, self.config)
        self.controls.set_mode(paper)

    def edit_params(self) -> None:
        """Parameters dialog; accepted parameters go to the engine and to the config file."""
        dialog = ParamsDialog(self.params, self.config.preset, self)
        if dialog.exec():
            self.apply_params(dialog.result_params(), dialog.preset())

    def apply_params(self, params: StrategyParams, preset: str) -> None:
        """Use and save validated parameters."""
        self.params = params
        self.config.preset = preset
        save_config(self.qsettings, self.config)
        self.controller.set_params(params)
        path = params_path()
        self.controller.write_text(str(path), params_toml(params, preset))

    def edit_settings(self, first_run: bool = False) -> None:
        """Settings (or first-run setup) dialog."""
        dialog = SettingsDialog(self.config, self.controller.check_shared, first_run, self)
        self._settings_dialog = dialog
        if first_run:
            dialog.run_check()
        accepted = dialog.exec()
        self._settings_dialog = None
        if accepted:
            where = dialog.day_section.store_secrets()
            self.live.log.add(self.tr("通知地址已保存到：") + where)
            self.apply_config(dialog.config())

    def apply_config(self, new: AppConfig) -> None:
        """Store new settings; the engine is rebuilt when it is stopped (otherwise: later)."""
        lang_changed = new.lang != self.config.lang
        self.config = new
        save_config(self.qsettings, new)
        self.notifier.notifications_on = new.notifications
        if not self.notifier.set_speech(new.speech):
            self.live.log.add(self.tr("本机没有可用的语音引擎，语音播报不可用"), logging.WARNING)
        self.day.apply(new, new.engine_settings())
        if not self.controller.reconfigure(new.engine_settings()):
            later = self.tr("设置已保存；策略运行中，停止后重新打开设置以应用到引擎")
            self.live.log.add(later, logging.WARNING)
        if lang_changed:
            self.statusBar().showMessage(self.tr("界面语言将在重启后生效"), 10000)

    def open_reconcile(self) -> ReconcileDialog:
        """The reconciliation table (non-modal)."""
        dialog = ReconcileDialog(self.day, self)
        dialog.show()
        return dialog

    def _on_phone(self, address: str) -> None:
        if address.startswith("error") or address == "no asyncio loop":
            self.live.log.add(self.tr("手机查看无法启动：") + address, logging.WARNING)
        elif address:
            self.live.log.add(self.tr("手机查看已开启（局域网）"))

    @staticmethod
    def _ask(title: str, text: str) -> bool:
        answer = QMessageBox.question(None, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ engine output

    def on_view(self, view: LiveView) -> None:
        """A new engine frame."""
        self.live.set_view(view)
        self.status.update(view)
        self.controls.set_state(view.snapshot.status.state)
        self.controls.set_mode(view.snapshot.status.paper)
        self._update_title(view)
        self._stale_alert(view)
        self.day.on_view(view)

    def on_event(self, event: Any) -> None:
        """An engine event: orders, fills, log lines, alerts."""
        self.day.on_event(event)
        if isinstance(event, SignalEvent):
            self._directions[event.signal.signal_id] = event.signal.direction
            self.live.orders.model.add_signal(event)
        elif isinstance(event, ResultEvent):
            self._on_result(event)
        elif isinstance(event, LogEvent):
            self.live.log.add(event.message, event.level, event.time)
        elif isinstance(event, StatusEvent) and event.status.state is TradingState.HALTED:
            self.notifier.notify(self.tr("已熔断"), event.status.reason, critical=True)

    def _on_result(self, event: ResultEvent) -> None:
        r = event.result
        self.live.orders.model.add_result(event)
        direction = r.direction or self._directions.get(r.signal_id, "")
        side = self.tr("买入") if direction == "BUY" else self.tr("卖出")
        if r.filled_shares > 0:
            # mark it at the market's time (the quote's), not the executor's wall clock
            view = self.controller.view
            quote = view.snapshot.quote if view is not None else None
            self.live.chart.add_fill(Fill(quote.time if quote else r.timestamp, r.avg_price, direction))
            text = f"{side} {r.filled_shares:,} @ {r.avg_price:.3f}  ({r.signal_id})"
            self.notifier.notify(self.tr("成交：") + side, text)
            self.notifier.speak(side)
        elif r.status.value in ("rejected", "cancelled"):
            self.notifier.notify(self.tr("未成交：") + side, f"{r.signal_id}: {r.message}", critical=True)

    def _stale_alert(self, view: LiveView) -> None:
        stale = view.snapshot.status.stale
        if stale and not self._was_stale:
            age = f"{view.snapshot.status.quote_age_s:.0f}"
            detail = self.tr("行情 %1 秒未更新").replace("%1", age)
            self.notifier.notify(self.tr("行情已过期，暂停发单"), detail, critical=True)
        self._was_stale = stale

    def _update_title(self, view: LiveView | None) -> None:
        parts = [f"miniqmt {__version__}", self.controller.settings.code]
        if view is not None:
            status = view.snapshot.status
            parts.append(self.tr("模拟盘") if status.paper else self.tr("实盘"))
            parts.append(status.reason)
            if status.stale:
                parts.insert(0, "【" + self.tr("行情已过期，暂停发单") + "】")
        self.setWindowTitle(" — ".join(parts))

    def _on_failed(self, error: str) -> None:
        if error == "running":
            self.live.log.add(self.tr("运行中不能切换模拟/实盘，请先停止"), logging.WARNING)
            return
        self.live.log.add(self.tr("引擎错误：") + error, logging.ERROR)
        self.notifier.notify(self.tr("引擎错误"), error, critical=True)

    def _on_mode(self, paper: bool) -> None:
        self.controls.set_mode(paper)
        mode = self.tr("模拟盘") if paper else self.tr("实盘")
        self.live.log.add(self.tr("交易模式：") + mode)

    def _on_file_written(self, path: str, error: str) -> None:
        if error:
            text = self.tr("写入失败 %1：%2").replace("%1", path).replace("%2", error)
            self.live.log.add(text, logging.ERROR)
        else:
            self.live.log.add(self.tr("已保存 ") + path)

    def _on_shared_checked(self, result: Any) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.show_check(result)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save geometry, stop the backtest child, the chart timer and the engine thread."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop everything this window started (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/tab", self.tabs.currentIndex())
        self.qsettings.sync()
        self.backtest.shutdown()
        self.live.stop()
        self.controller.shutdown()
        self.notifier.close()
        self.day.shutdown()
