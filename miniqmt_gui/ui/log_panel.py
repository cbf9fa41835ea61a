"""Log panel: engine log events and app messages, newest at the bottom, bounded in size."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from windows_bridge.contract.market_hours import as_shanghai, now_shanghai

MAX_LINES = 5000
LEVEL_COLORS = {logging.DEBUG: "#888888", logging.INFO: "#222222", logging.WARNING: "#b5651d",
                logging.ERROR: "#c1121f", logging.CRITICAL: "#c1121f"}


class LogPanel(QPlainTextEdit):
    """Read-only, bounded log view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty log."""
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_LINES)
        self.setObjectName("log_panel")

    def add(self, message: str, level: int = logging.INFO, moment: datetime | None = None) -> None:
        """Append one line (time, level colour); the view follows it unless the reader scrolled up."""
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 2
        when = as_shanghai(moment or now_shanghai()).strftime("%H:%M:%S")
        color = LEVEL_COLORS.get(level, "#222222")
        self.appendHtml(f'<span style="color:#777">{when}</span> '
                        f'<span style="color:{color}">{html.escape(message)}</span>')
        if following:
            bar.setValue(bar.maximum())

    def lines(self) -> list[str]:
        """The plain text lines (tests)."""
        return self.toPlainText().splitlines()
