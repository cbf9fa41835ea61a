"""The control toolbar: Start / Stop, Sell-only, emergency Halt, Resume, Simulate, parameters, settings.

Which actions are enabled follows the engine's trading state (from each view); the Simulate
toggle is only enabled while the engine is stopped. The mode badge always shows 模拟 or 实盘.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar, QWidget

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.icons import icon
from miniqmt_gui.ui.restyle import set_style

BADGE = "QLabel {{ background: {}; color: white; font-weight: bold; padding: 3px 10px; border-radius: 4px; }}"
PAPER_STYLE = BADGE.format("#7b2cbf")
LIVE_STYLE = BADGE.format("#c1121f")
DEMO_STYLE = BADGE.format("#1d3557")

ENABLED = {
    TradingState.STOPPED: {"start", "sell_only", "halt", "simulate"},
    TradingState.RUNNING: {"stop", "sell_only", "halt"},
    TradingState.SELL_ONLY: {"start", "stop", "halt"},
    TradingState.HALTED: {"resume"},
}


class ControlBar(QToolBar):
    """Toolbar with the trading controls; :attr:`actions_by_name` maps names to actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the actions (all disabled until the first engine view)."""
        super().__init__(self.tr("控制"), parent)
        self.setObjectName("controls")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setMovable(False)
        specs = [
            ("start", self.tr("启动"), "start", None),
            ("stop", self.tr("停止"), "stop", None),
            ("sell_only", self.tr("只卖不买"), "sell_only", None),
            ("halt", self.tr("紧急熔断"), "halt", "Ctrl+Shift+H"),
            ("resume", self.tr("恢复"), "resume", None),
        ]
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, icon_name, shortcut in specs:
            action = self.addAction(icon(icon_name), text)
            action.setObjectName(f"action_{name}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(False)
            self.actions_by_name[name] = action
        self.addSeparator()
        simulate = self.addAction(icon("simulate"), self.tr("模拟"))
        simulate.setCheckable(True)
        simulate.setObjectName("action_simulate")
        simulate.setToolTip(self.tr("模拟盘：在本机按实时行情撮合，不向执行端发单；仅在停止时可切换"))
        self.actions_by_name["simulate"] = simulate
        self.mode_label = QLabel()
        self.mode_label.setObjectName("mode_badge")
        self.addWidget(self.mode_label)
        self.addSeparator()
        for name, text, icon_name in (("params", self.tr("策略参数"), "params"),
                                      ("settings", self.tr("设置"), "settings")):
            action = self.addAction(icon(icon_name), text)
            action.setObjectName(f"action_{name}")
            self.actions_by_name[name] = action

    def action(self, name: str) -> QAction:
        """The action called ``name``."""
        return self.actions_by_name[name]

    def set_mode(self, paper: bool, demo: bool = False) -> None:
        """Show the mode badge (演示 for a demo: its broker is simulated) and the Simulate check state."""
        simulate = self.actions_by_name["simulate"]
        simulate.blockSignals(True)
        simulate.setChecked(paper)
        simulate.blockSignals(False)
        if demo and not paper:
            self.mode_label.setText(self.tr("演示 · 模拟券商"))
            set_style(self.mode_label, DEMO_STYLE)
            return
        self.mode_label.setText(self.tr("模拟盘") if paper else self.tr("实盘"))
        set_style(self.mode_label, PAPER_STYLE if paper else LIVE_STYLE)

    def set_state(self, state: TradingState | None) -> None:
        """Enable the actions that make sense in ``state``."""
        enabled = ENABLED.get(state, set()) if state is not None else set()
        for name in ("start", "stop", "sell_only", "halt", "resume", "simulate"):
            self.actions_by_name[name].setEnabled(name in enabled)
