"""Status bar contents: mode, trading state and reason, bridge heartbeat, quote age, executor."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.live_model import LiveView

GOOD, WARN, BAD, CLOSED = "#1b5e20", "#b5651d", "#c1121f", "#555555"
BRIDGE_WARN_S = 15.0
STATE_COLORS = {TradingState.RUNNING: GOOD, TradingState.STOPPED: "#555555",
                TradingState.SELL_ONLY: WARN, TradingState.HALTED: BAD}


def _chip(name: str) -> QLabel:
    label = QLabel("—")
    label.setObjectName(name)
    label.setContentsMargins(6, 0, 6, 0)
    return label


class StatusStrip(QObject):
    """Permanent widgets in the window's status bar."""

    def __init__(self, bar: QStatusBar, parent: QWidget) -> None:
        """Add the widgets to ``bar``."""
        super().__init__(parent)
        self.state = _chip("status_state")
        self.bridge = _chip("status_bridge")
        self.quote = _chip("status_quote")
        self.executor = _chip("status_executor")
        bar.addWidget(self.state, 1)
        for chip in (self.bridge, self.quote, self.executor):
            bar.addPermanentWidget(chip)

    def update(self, view: LiveView) -> None:
        """Refresh every chip from ``view``."""
        status = view.snapshot.status
        text = status.reason
        if status.headline and status.headline != status.reason:
            text += "  ·  " + status.headline
        _set(self.state, text, STATE_COLORS.get(status.state, "#555555"))
        health = view.health
        bridge_ok = health.bridge_age_s == health.bridge_age_s and health.bridge_age_s < BRIDGE_WARN_S
        bridge_text = self.tr("行情端心跳 ") + fm.age(health.bridge_age_s)
        if view.snapshot.quote is not None and not health.connected:
            bridge_text += self.tr("（未连接 QMT）")
            bridge_ok = False
        _set(self.bridge, bridge_text, GOOD if bridge_ok else BAD)
        if "closed" in status.blockers and not status.stale:
            # a closed market is not a fault: no red, and when the next session starts (with its date)
            _set(self.quote, status.blocker_texts[status.blockers.index("closed")], CLOSED)
        else:
            quote_text = self.tr("行情停滞 ") + fm.age(status.quote_age_s)
            _set(self.quote, quote_text, BAD if status.stale else GOOD)
        self._executor(view)

    def _executor(self, view: LiveView) -> None:
        health = view.health
        if view.snapshot.status.paper:
            _set(self.executor, self.tr("执行端：模拟盘不需要"), "#7b2cbf")
        elif health.executor_alive:
            _set(self.executor, self.tr("执行端在线 ") + fm.age(health.executor_age_s), GOOD)
        else:
            _set(self.executor, self.tr("执行端离线 ") + fm.age(health.executor_age_s), BAD)


def _set(label: QLabel, text: str, color: str) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {color}; font-weight: bold;")
