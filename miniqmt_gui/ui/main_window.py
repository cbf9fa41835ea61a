"""The main window: control toolbar, live tab, backtest tab, status bar, tray notifications.

The window only shows and steers: the engine runs in :class:`LiveController`'s worker thread,
backtests in a child process. Views and events arrive as queued signals; every user command goes
back the same way (manual interventions too: they are engine commands, journaled). The
configuration is ``config.toml`` (:mod:`.app_config`); Qt settings keep geometry and the last tab.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from miniqmt_gui.live.events import (
    LogEvent,
    ReconcileEvent,
    ResultEvent,
    SignalEvent,
    StatusEvent,
    TradingState,
)
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.app_config import AppConfig, params_path, params_toml, save_config
from miniqmt_gui.ui.backtest_view import BacktestView
from miniqmt_gui.ui.banner import NOTIFY, RED, TITLE, warnings
from miniqmt_gui.ui.book_dialogs import BookReconcileDialog, LotsDialog, PaperAccountDialog
from miniqmt_gui.ui.controls import ControlBar
from miniqmt_gui.ui.day_services import DayServices
from miniqmt_gui.ui.gui_gc import GuiThreadCollector
from miniqmt_gui.ui.icons import app_icon
from miniqmt_gui.ui.instrument_model import instrument_row, portfolio_totals
from miniqmt_gui.ui.instrument_panel import InstrumentPanel
from miniqmt_gui.ui.live_chart import Fill
from miniqmt_gui.ui.live_controller import LiveController
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.live_tab import LiveTab
from miniqmt_gui.ui.notifier import Notifier
from miniqmt_gui.ui.params_dialog import ParamsDialog
from miniqmt_gui.ui.pnl_model import PnlTracker
from miniqmt_gui.ui.reconcile_dialog import ReconcileDialog
from miniqmt_gui.ui.settings_dialog import SettingsDialog
from miniqmt_gui.ui.status_strip import StatusStrip
from windows_bridge.contract.version import __version__

TAB_MAIN, TAB_BACKTEST = 0, 1
#: the window's size on first start (later: where the user left it)
FIRST_SIZE = (1440, 900)
ACTIVE = (TradingState.RUNNING, TradingState.SELL_ONLY)


class MainWindow(QMainWindow):
    """The desktop app's window."""

    def __init__(self, controller: LiveController | Mapping[str, LiveController], config: AppConfig,
                 params: StrategyParams, settings: QSettings, parent: QWidget | None = None) -> None:
        """Wire the window to ``controller`` (or one controller per code, in portfolio order); call
        :meth:`start_engines` afterwards."""
        super().__init__(parent)
        self.controllers = {controller.settings.code: controller} if isinstance(controller, LiveController) \
            else dict(controller)
        self.selected = next(iter(self.controllers))
        self.config, self.params, self.qsettings = config, params, settings
        self.collector = GuiThreadCollector(self)
        self.collector.start()
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
        self.day = DayServices(config, self.controller.settings, self)
        self.day.phoneChanged.connect(self._on_phone)
        self.confirm = self._ask
        #: closing without asking (Ctrl+C / SIGTERM, the screenshot command)
        self.quiet_close = False
        self.pnl_by_code = {code: {paper: PnlTracker(commission_rate=params.commission_rate,
                                                     min_commission=params.min_commission)
                                   for paper in (False, True)} for code in self.controllers}
        self.views: dict[str, LiveView] = {}
        self._day_pnl: dict[str, float] = {}
        self._signals: dict[str, SignalEvent] = {}
        self._active_by_code: dict[str, set[str]] = {code: set() for code in self.controllers}
        self.instruments: InstrumentPanel | None = None
        if len(self.controllers) > 1:
            self.instruments = InstrumentPanel(list(self.controllers))
            self.live.set_instrument_panel(self.instruments)
        self.live.orders.set_code(self.selected)
        self.live.chart.set_code(self.selected)
        self._settings_dialog: SettingsDialog | None = None
        self.book_dialog: BookReconcileDialog | None = None
        self._reconcile_event: ReconcileEvent | None = None
        self._closed = False
        self._texts = self._warning_texts()
        self._buttons = {"reconcile": self.tr("核对…"), "base": self.tr("设置底仓…"),
                         "settings": self.tr("设置…")}
        self.controls.set_mode(config.paper, config.demo)
        self.live.orders.set_mode(config.paper)
        self.live.chart.set_paper(config.paper)
        self._wire()
        self._restore()
        self._update_title(None)

    def _warning_texts(self) -> dict[str, str]:
        return {
            "stale": self.tr("行情已过期，暂停发单"),
            "link_down": self.tr("行情端失联：共享文件夹里没有新的行情，暂停发单"),
            "executor_down": self.tr("执行端离线：委托 %1 没有被执行"
                                     "（请在 Windows 中启动 miniqmt-executor）"),
            "no_quote": self.tr("还没有行情：请在 Windows 中启动 miniqmt-bridge，检查共享文件夹，"
                                "或运行 miniqmt demo 试用"),
            "paper": self.tr("模拟盘：真实执行器在本机对模拟账户撮合，不会发送到 Windows 执行端"),
            "demo": self.tr("演示：行情为回放的合成样本，券商为模拟券商，不涉及真实资金"),
        }

    # ------------------------------------------------------------------ codes

    @property
    def controller(self) -> LiveController:
        """The selected code's engine controller (the only one with a single code)."""
        return self.controllers[self.selected]

    @property
    def pnl(self) -> dict[bool, PnlTracker]:
        """The selected code's P&L trackers (paper and live)."""
        return self.pnl_by_code[self.selected]

    @property
    def several(self) -> bool:
        """True when the window runs a portfolio of several codes."""
        return len(self.controllers) > 1

    def start_engines(self) -> None:
        """Start every code's engine thread (after the window is shown)."""
        for controller in self.controllers.values():
            controller.start()

    def select_code(self, code: str) -> None:
        """Show ``code`` in the quote panel, chart, layer table and orders; the toolbar acts on it."""
        if code not in self.controllers or code == self.selected:
            return
        self.selected = code
        if self.instruments is not None and self.instruments.selected() != code:
            self.instruments.select(code)
        paper = self.controller.settings.paper
        self.live.orders.set_code(code)
        self.live.chart.set_code(code)
        self.live.orders.set_mode(paper)
        self.live.chart.set_paper(paper)
        view = self.views.get(code)
        if view is not None:
            self.on_view(view)
        else:
            self.controls.set_state(None)
            self._update_title(None)

    def _code_tag(self, code: str) -> str:
        """``"512890.SH "`` before texts about a code when several run ("" with one code)."""
        return f"{code} " if self.several else ""

    # ------------------------------------------------------------------ wiring

    def _wire(self) -> None:
        a = self.controls.action
        a("start").triggered.connect(self.start)
        a("stop").triggered.connect(lambda: self.controller.command("stop"))
        a("sell_only").triggered.connect(lambda: self.controller.command("sell_only"))
        a("halt").triggered.connect(self.halt)
        a("resume").triggered.connect(self.resume)
        a("simulate").toggled.connect(self.set_simulate)
        a("params").triggered.connect(self.edit_params)
        a("settings").triggered.connect(lambda: self.edit_settings(first_run=False))
        self.reconcile_action = self.controls.addAction(self.tr("收盘对账"))
        self.reconcile_action.triggered.connect(self.open_reconcile)
        for code, c in self.controllers.items():
            c.viewChanged.connect(lambda view, code=code: self._on_code_view(code, view))
            c.eventReceived.connect(lambda event, code=code: self._on_code_event(code, event))
            c.failed.connect(lambda error, code=code: self._on_failed(error, code))
            c.modeChanged.connect(lambda paper, code=code: self._on_mode(paper, code))
            c.fileWritten.connect(self._on_file_written)
            c.sharedChecked.connect(self._on_shared_checked)
        self.live.orders.exportRequested.connect(lambda path, text: self.controller.write_text(path, text))
        self.live.orders.journalExportRequested.connect(lambda path: self.controller.export_journal(path))
        if self.instruments is not None:
            self.instruments.codeSelected.connect(self.select_code)
            self.instruments.startAll.connect(self.start_all)
            self.instruments.stopAll.connect(self.stop_all)
        self.live.layers.manualRequested.connect(self.manual)
        self.live.banner.actionRequested.connect(self._banner_action)
        self.backtest.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    def _restore(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(*self.first_size())
        self.tabs.setCurrentIndex(int(str(self.qsettings.value("window/tab", TAB_MAIN))))

    def first_size(self) -> tuple[int, int]:
        """1440×900, or the screen's free area when it is smaller (a 13-inch 1280×800 display)."""
        screen = self.screen()
        if screen is None:
            return FIRST_SIZE
        free = screen.availableGeometry()
        return min(FIRST_SIZE[0], free.width()), min(FIRST_SIZE[1], free.height())

    # ------------------------------------------------------------------ commands

    def start(self) -> None:
        """Start trading the selected code; paper mode first asks where the simulated account starts."""
        if self.config.paper and self.config.paper_base is None and not self.choose_paper_account():
            return
        self.controller.command("start")

    def start_all(self) -> None:
        """Start trading every code (the same paper-account question first)."""
        if self.config.paper and self.config.paper_base is None and not self.choose_paper_account():
            return
        for controller in self.controllers.values():
            controller.command("start")
        self.live.log.add(self.tr("已请求全部启动"))

    def stop_all(self) -> None:
        """Stop emitting signals for every code (pending results are still applied)."""
        for controller in self.controllers.values():
            controller.command("stop")
        self.live.log.add(self.tr("已请求全部停止"))

    def halt(self) -> None:
        """Emergency halt of every code: STOP is written (the executor places nothing), nothing is emitted."""
        for controller in self.controllers.values():
            controller.command("halt")
        self.live.log.add(self.tr("已请求紧急熔断：写入 STOP 文件"), logging.WARNING)

    def resume(self) -> None:
        """Remove STOP and trade again (every code: STOP is shared), after a confirmation."""
        if self.confirm(self.tr("恢复交易"), self.tr("删除 STOP 文件并恢复自动交易？")):
            for controller in self.controllers.values():
                controller.command("resume")
            self.live.log.add(self.tr("已请求恢复：删除 STOP 文件，恢复自动交易"), logging.WARNING)

    def set_simulate(self, paper: bool) -> None:
        """Switch simulate (paper) mode of every code; refused while any engine is not stopped."""
        running = [c for c in self.controllers.values() if c.state not in (None, TradingState.STOPPED)]
        if running or not all(c.set_paper(paper) for c in self.controllers.values()):
            self.controls.set_mode(self.controller.settings.paper, self.config.demo)
            self.live.log.add(self.tr("运行中不能切换模拟/实盘，请先停止"), logging.WARNING)
            self.statusBar().showMessage(self.tr("运行中不能切换模拟/实盘，请先停止"), 8000)
            return
        self.config.paper = paper
        self._save()
        self.controls.set_mode(paper, self.config.demo)

    def choose_paper_account(self) -> bool:
        """Ask where the simulated account starts (base position or the broker's snapshot); True = set."""
        view = self.controller.view
        snapshot = None
        quote = view.snapshot.quote if view is not None else None
        if quote is not None and quote.positions_status == "ok" and quote.position is not None:
            snapshot = (quote.position.volume, quote.asset.cash if quote.asset else self.config.paper_cash)
        dialog = PaperAccountDialog(self.config.base_shares, snapshot, self.config.paper_cash, self)
        if not dialog.exec():
            return False
        shares, cash = dialog.chosen()
        self.apply_config(replace(self.config, paper_base_shares=shares, paper_cash=cash), reset_paper=True)
        text = self.tr("模拟账户从 %1 股、资金 %2 开始").replace("%1", f"{shares:,}") \
            .replace("%2", f"{cash:,.2f}")
        self.live.log.add(text)
        return True

    def edit_params(self) -> None:
        """Parameters dialog; accepted parameters go to the engine and to the config file."""
        dialog = ParamsDialog(self.params, self.config.preset, self)
        if dialog.exec():
            self.apply_params(dialog.result_params(), dialog.preset())

    def apply_params(self, params: StrategyParams, preset: str) -> None:
        """Use and save validated parameters."""
        self.params = params
        self.config.preset = preset
        for tracker in self.pnl.values():
            tracker.commission_rate, tracker.min_commission = params.commission_rate, params.min_commission
        self.controller.set_params(params)
        if self.selected != next(iter(self.controllers)):
            # strategy.toml holds the first code's parameters; the others' come from their presets
            self.live.log.add(self.tr("%1 的参数仅在本次运行有效；长期使用请在 config.toml 的 [app] presets "
                                      "中为它选择预设").replace("%1", self.selected), logging.WARNING)
            return
        self._save()
        path = params_path()
        self.controller.write_text(str(path), params_toml(params, preset))

    def edit_settings(self, first_run: bool = False, focus: str = "") -> None:
        """Settings (or first-run setup) dialog; ``focus`` = a field to start in (``base``)."""
        dialog = SettingsDialog(self.config, self.controller.check_shared, first_run, self,
                                base_suggestion=self._base_suggestion())
        self._settings_dialog = dialog
        dialog.run_check()
        if focus == "base":
            dialog.base_spin.setFocus()
        accepted = dialog.exec()
        self._settings_dialog = None
        if accepted:
            where = dialog.day_section.store_secrets()
            self.live.log.add(self.tr("通知地址已保存到：") + where)
            self.apply_config(dialog.config())
            if dialog.reset_paper:
                self.choose_paper_account()

    def _base_suggestion(self) -> tuple[int, int] | None:
        """(the real broker's position, the live book's lots) from the bridge's last trusted quote."""
        view = self.controller.view
        quote = view.snapshot.quote if view is not None else None
        if quote is None or quote.positions_status != "ok" or quote.position is None:
            return None
        paper = view.snapshot.status.paper if view is not None else True
        lots = 0 if paper or view is None else sum(lot.shares for lot in view.snapshot.book.positions)
        return quote.position.volume, lots

    def apply_config(self, new: AppConfig, reset_paper: bool = False) -> None:
        """Store new settings; the engine is rebuilt when it is stopped (otherwise: later)."""
        lang_changed = new.lang != self.config.lang
        self.config = new
        self._save()
        self.notifier.notifications_on = new.notifications
        if not self.notifier.set_speech(new.speech):
            self.live.log.add(self.tr("本机没有可用的语音引擎，语音播报不可用"), logging.WARNING)
        self.day.apply(new, new.engine_settings())
        refused = [code for code, c in self.controllers.items()
                   if not c.reconfigure(new.engine_settings_for(code), reset_paper=reset_paper)]
        if refused:
            later = self.tr("设置已保存；策略运行中，停止后重新打开设置以应用到引擎")
            self.live.log.add(later, logging.WARNING)
        if lang_changed:
            self.statusBar().showMessage(self.tr("界面语言将在重启后生效"), 10000)

    def _save(self) -> None:
        try:
            save_config(self.config)
        except (OSError, ValueError) as exc:
            self.live.log.add(self.tr("设置未能保存：") + str(exc), logging.ERROR)
            return
        self.live.log.add(self.tr("设置已保存到 ") + str(self.config.path))

    def open_reconcile(self) -> ReconcileDialog:
        """The end-of-day trade reconciliation table (non-modal)."""
        dialog = ReconcileDialog(self.day, self)
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ manual intervention

    def manual(self, action: str) -> None:
        """A manual intervention from the layer panel; each asks first and goes to the engine."""
        view = self.controller.view
        book = view.snapshot.book if view is not None else None
        if book is None:
            return
        if action == "sell":
            layer = self.live.layers.selected_layer()
            lot = next((lot for lot in book.positions if lot.layer == layer), None)
            if lot is None:
                self.statusBar().showMessage(self.tr("先在层仓表中选中一个持有的层"), 8000)
                return
            question = self.tr("以买一价卖出 L%1 的 %2 股？（作为信号发往执行端，记入决策日志）") \
                .replace("%1", str(lot.layer)).replace("%2", f"{lot.shares:,}")
            if self.confirm(self.tr("手动卖出"), question):
                self.controller.manual("sell", lot.layer)
        elif action == "cancel" and book.pending_signal is not None:
            sid = book.pending_signal.signal_id
            question = self.tr("请求执行端撤销 %1 的委托？已成交部分保留。").replace("%1", sid)
            if self.confirm(self.tr("撤单"), question):
                self.controller.manual("cancel", sid)
        elif action == "edit":
            dialog = LotsDialog(list(book.positions), self)
            if dialog.exec():
                self.controller.manual("edit", dialog.result_lots)
        elif action == "reconcile":
            self.show_book_reconcile(self._reconcile_event)

    def show_book_reconcile(self, event: ReconcileEvent | None) -> None:
        """The broker-vs-book dialog (non-modal); with no event, from the current frame's figures."""
        if event is None:
            view = self.controller.view
            if view is None or view.snapshot.account is None or view.snapshot.account.position is None:
                self.statusBar().showMessage(self.tr("还没有可信的券商持仓"), 8000)
                return
            pos = view.snapshot.account.position
            event = ReconcileEvent(pos.volume, sum(lot.shares for lot in view.snapshot.book.positions),
                                   self.controller.settings.base_shares, pos.avg_price)
        if self.book_dialog is not None:
            self.book_dialog.close()
        dialog = BookReconcileDialog(event, self)
        dialog.accepted.connect(lambda: self._book_answer(dialog))
        dialog.rejected.connect(lambda: self._book_answer(dialog))
        self.book_dialog = dialog
        dialog.show()

    def _book_answer(self, dialog: BookReconcileDialog) -> None:
        if dialog.adopted:
            self.controller.manual("adopt")
            self.live.log.add(self.tr("已选择采用券商持仓"), logging.WARNING)
        else:
            self.live.log.add(self.tr("已选择保持暂停：新的买入继续暂停，直到账本与券商持仓一致"),
                              logging.WARNING)
        self.book_dialog = None

    def _banner_action(self, action: str) -> None:
        if action == "reconcile":
            self.show_book_reconcile(self._reconcile_event)
        elif action == "base":
            self.edit_settings(focus="base")
        elif action == "settings":
            self.edit_settings()

    def _on_phone(self, address: str) -> None:
        if address.startswith("error") or address == "no asyncio loop":
            self.live.log.add(self.tr("手机查看无法启动：") + address, logging.WARNING)
        elif address:
            self.live.log.add(self.tr("手机查看已开启（局域网）"))

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ engine output

    def _on_code_view(self, code: str, view: LiveView) -> None:
        """A new frame of ``code``'s engine: the instrument list always, the panels when it is selected."""
        if self._closed:
            return
        self.views[code] = view
        if code == self.selected:
            self.on_view(view)
        else:
            self._track_pnl(code, view)
            held = warnings(view, self._texts, self.config.demo)
            self._notify_edges(code, [w for w in held if w.key in NOTIFY])
            if code == next(iter(self.controllers)):
                self.day.on_view(view)
        self._show_instruments()

    def _track_pnl(self, code: str, view: LiveView) -> Any:
        trackers = self.pnl_by_code[code]
        paper = view.snapshot.status.paper
        figures = trackers[paper].figures(view, self.controllers[code].settings.base_shares)
        self._day_pnl[code] = figures.total
        return figures

    def _show_instruments(self) -> None:
        if self.instruments is None or self.config.portfolio is None:
            return
        rows = [instrument_row(code, self.views.get(code), self._day_pnl.get(code, math.nan))
                for code in self.controllers]
        pool = self.config.portfolio.pool
        self.instruments.show_rows(rows, portfolio_totals(rows, pool.capital, pool.reserve))

    def on_view(self, view: LiveView) -> None:
        """A new frame of the selected code's engine."""
        if self._closed:  # a frame still queued while the window closed
            return
        paper = view.snapshot.status.paper
        active = self.live.set_view(view, self._texts, self._buttons, self.config.demo)
        figures = self._track_pnl(self.selected, view)
        self.live.pnl.show_figures(figures, self.pnl[paper].curve)
        self.live.set_empty_hint(self._empty_hint(view))
        self.status.update(view)
        self.controls.set_state(view.snapshot.status.state)
        self.controls.set_mode(paper, self.config.demo)
        self._notify_edges(self.selected, [w for w in active if w.key in NOTIFY])
        self._update_title(view)
        if self.selected == next(iter(self.controllers)):
            self.day.on_view(view)  # the phone view and link alerts follow the first code

    def _empty_hint(self, view: LiveView) -> str:
        s = view.snapshot.status
        if "no_quote" in s.blockers or "bad_quote" in s.blockers:
            where = str(self.controller.settings.shared_dir)
            return self.tr("还没有收到行情。\n\n共享文件夹：%1\n\n下一步：在 Windows 中启动 miniqmt-bridge"
                           "（见 docs/windows.md），确认 Parallels 共享了这个文件夹；\n"
                           "或者先运行 miniqmt demo 看完整流程。").replace("%1", where)
        return ""

    def _notify_edges(self, code: str, held: list[Any]) -> None:
        """Notify and log each warning of ``code`` once, when it starts to hold."""
        now = {w.key for w in held}
        tag = self._code_tag(code)
        for w in held:
            if w.key not in self._active_by_code[code]:
                title = w.text.split("：")[0] if "：" in w.text else w.text
                self.notifier.notify(tag + title, tag + w.text, critical=w.level == RED)
                self.live.log.add(tag + w.text, logging.ERROR if w.level == RED else logging.WARNING)
        self._active_by_code[code] = now

    def _on_code_event(self, code: str, event: Any) -> None:
        if self._closed:
            return
        if isinstance(event, ReconcileEvent) and code != self.selected:
            self.select_code(code)  # the question is about this code's book: show it before asking
        self.on_event(event, code)

    def on_event(self, event: Any, code: str | None = None) -> None:
        """An engine event of ``code`` (default: the selected one): orders, fills, log lines, reconcile."""
        if self._closed:
            return
        code = code or self.selected
        if code == next(iter(self.controllers)):
            self.day.on_event(event)  # alerts and the phone view follow the first code
        paper = self.controllers[code].settings.paper
        trackers = self.pnl_by_code[code]
        if isinstance(event, SignalEvent):
            self._signals[event.signal.signal_id] = event
            self.live.orders.add_signal(event, code)
            trackers[paper].on_signal(event)
        elif isinstance(event, ResultEvent):
            trackers[paper].on_result(event)
            self._on_result(event, paper, code)
        elif isinstance(event, LogEvent):
            self.live.log.add(self._code_tag(code) + event.message, event.level, event.time)
        elif isinstance(event, ReconcileEvent):
            self._reconcile_event = event
            self.show_book_reconcile(event)
        elif isinstance(event, StatusEvent) and "reconcile" not in event.status.blockers \
                and code == self.selected:
            self._reconcile_event = None

    def _on_result(self, event: ResultEvent, paper: bool, code: str) -> None:
        r = event.result
        self.live.orders.add_result(event, code)
        signal = self._signals.get(r.signal_id)
        direction = r.direction or (signal.signal.direction if signal else "")
        side = self.tr("买入") if direction == "BUY" else self.tr("卖出")
        tag = self._code_tag(code)
        if r.filled_shares > 0:
            # the fill happened in the market after the decision: mark it from the decision's market time
            view = self.views.get(code)
            quote = view.snapshot.quote if view is not None else None
            when = signal.market_time if signal is not None and signal.market_time is not None else \
                (quote.time if quote is not None else r.timestamp)
            self.live.chart.add_fill(Fill(when, r.avg_price, direction, paper, code))
            text = f"{tag}{side} {r.filled_shares:,} @ {r.avg_price:.3f}  ({r.signal_id})"
            self.notifier.notify(self.tr("成交：") + tag + side, text)
            self.notifier.speak(side)
        elif r.status.value in ("rejected", "cancelled"):
            word = self.tr("废单") if r.status.value == "rejected" else self.tr("已撤")
            title = self.tr("未成交（%1）：").replace("%1", word) + tag + side
            self.notifier.notify(title, f"{r.signal_id}: {r.message}", critical=True)

    def _update_title(self, view: LiveView | None) -> None:
        parts = [f"miniqmt {__version__}", self.controller.settings.code]
        if view is not None:
            status = view.snapshot.status
            mode = self.tr("模拟盘") if status.paper else self.tr("实盘")
            if self.config.demo and not status.paper:
                mode = self.tr("演示（模拟券商）")
            parts.append(mode)
            parts.append(status.reason)
            alarms = [w.text for w in self.live.warnings if w.key in TITLE]
            if alarms:
                parts.insert(0, "【" + alarms[0] + "】")
        self.setWindowTitle(" — ".join(parts))

    def _on_failed(self, error: str, code: str = "") -> None:
        if error == "running":
            self.live.log.add(self.tr("运行中不能切换模拟/实盘，请先停止"), logging.WARNING)
            return
        tag = self._code_tag(code) if code else ""
        self.live.log.add(tag + self.tr("引擎错误：") + error, logging.ERROR)
        self.notifier.notify(tag + self.tr("引擎错误"), error, critical=True)

    def _on_mode(self, paper: bool, code: str = "") -> None:
        if self._closed or (code and code != self.selected):
            return
        self.controls.set_mode(paper, self.config.demo)
        self.live.orders.set_mode(paper)
        self.live.chart.set_paper(paper)
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

    def close_question(self) -> str:
        """What closing now stops and what keeps running ("" = nothing runs: close without asking)."""
        views = [c.view for c in self.controllers.values() if c.view is not None]
        running = [v for v in views if v.snapshot.status.state in ACTIVE or v.snapshot.book.pending_signal]
        if not running:
            return ""
        view = running[0]
        s = view.snapshot.status
        pending = view.snapshot.book.pending_signal
        lines = [self.tr("策略正在运行。关闭后：")]
        lines.append(self.tr("· 停止：本程序不再发出新信号，界面与通知关闭。"))
        if pending is not None and not s.paper:
            lines.append(self.tr("· 继续：已发出的委托 %1 仍由 Windows 执行端处理，结果在下次启动时应用。")
                         .replace("%1", pending.signal_id))
        elif pending is not None:
            lines.append(self.tr("· 模拟盘的委托 %1 在下次启动时按模拟账户恢复。")
                         .replace("%1", pending.signal_id))
        if not s.paper:
            lines.append(self.tr("· 继续：Windows 中的行情端与执行端照常运行；STOP 状态不变。"))
        lines.append(self.tr("确定关闭吗？"))
        return "\n".join(lines)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask first while the strategy runs (saying what keeps running), then stop everything."""
        question = "" if self.quiet_close or self._closed else self.close_question()
        if question and not self.confirm(self.tr("关闭 miniqmt"), question):
            event.ignore()
            return
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
        if self.book_dialog is not None:
            self.book_dialog.close()
        self.backtest.shutdown()
        self.live.stop()
        for controller in self.controllers.values():
            controller.shutdown()
        self.notifier.close()
        self.day.shutdown()
        self.collector.stop()
