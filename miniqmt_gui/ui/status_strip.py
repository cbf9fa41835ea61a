"""Status bar contents: trading state and reason, the bridge link, quote age, executor, book, owner."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.restyle import set_style

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
        self.book = _chip("status_book")
        self.owner = _chip("status_owner")
        bar.addWidget(self.state, 1)
        for chip in (self.bridge, self.quote, self.executor, self.book, self.owner):
            bar.addPermanentWidget(chip)

    def update(self, view: LiveView) -> None:
        """Refresh every chip from ``view``."""
        status = view.snapshot.status
        text = status.reason
        if status.headline and status.headline != status.reason:
            text += "  ·  " + status.headline
        _set(self.state, text, STATE_COLORS.get(status.state, "#555555"))
        health = view.health
        snap = view.snapshot
        if snap.quote is None:
            _set(self.bridge, self.tr("行情端：未见"), WARN)
        elif status.link_down:
            _set(self.bridge, self.tr("行情端失联 ") + fm.age(snap.link_age_s), BAD)
        elif not health.connected:
            _set(self.bridge, self.tr("行情端在线（未连接 QMT）"), BAD)
        else:
            _set(self.bridge, self.tr("行情端在线 ") + fm.age(snap.link_age_s), GOOD)
        if "closed" in status.blockers and not status.stale:
            # a closed market is not a fault: no red, and when the next session starts (with its date)
            _set(self.quote, status.blocker_texts[status.blockers.index("closed")], CLOSED)
        else:
            quote_text = self.tr("行情停滞 ") + fm.age(status.quote_age_s)
            _set(self.quote, quote_text, BAD if status.stale else GOOD)
        self._executor(view)
        self._book_chip(view)
        blockers = dict(zip(status.blockers, status.blocker_texts, strict=False))
        if "not_owner" in blockers:
            _set(self.owner, self.tr("仅观察"), WARN)
            self.owner.setToolTip(blockers["not_owner"])
        else:
            _set(self.owner, self.tr("本程序交易"), GOOD)
            self.owner.setToolTip("")

    def _book_chip(self, view: LiveView) -> None:
        blockers = view.snapshot.status.blockers
        for key, text, color in (("in_doubt", self.tr("账本：委托状态不明"), BAD),
                                 ("pending_stuck", self.tr("账本：信号无回报"), BAD),
                                 ("reconcile", self.tr("账本：需核对"), BAD),
                                 ("mismatch", self.tr("账本：与券商不一致"), BAD),
                                 ("base_unknown", self.tr("账本：底仓未设置"), WARN),
                                 ("unverified", self.tr("账本：等待券商核对"), WARN)):
            if key in blockers:
                _set(self.book, text, color)
                return
        _set(self.book, self.tr("账本：已核对 ✓"), GOOD)

    def _executor(self, view: LiveView) -> None:
        health = view.health
        if view.snapshot.status.paper:
            _set(self.executor, self.tr("执行端：本机模拟"), "#7b2cbf")
        elif health.executor_alive:
            _set(self.executor, self.tr("执行端在线 ") + fm.age(health.executor_age_s), GOOD)
        else:
            _set(self.executor, self.tr("执行端离线 ") + fm.age(health.executor_age_s), BAD)


def _set(label: QLabel, text: str, color: str) -> None:
    label.setText(text)
    set_style(label, f"color: {color}; font-weight: bold;")
