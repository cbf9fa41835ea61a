"""Tray icon, desktop notifications and the optional spoken alert (买入 / 卖出).

Notifications go through ``QSystemTrayIcon.showMessage`` when a system tray exists (offscreen
tests have none: messages are then only counted). Speech uses QtTextToSpeech when the module and
an engine are available and the trader switched it on; otherwise it is silently skipped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon, QWidget


class Notifier:
    """Shows desktop notifications and speaks short alerts."""

    def __init__(self, icon: QIcon, parent: QWidget) -> None:
        """Create the tray icon when the platform has a tray."""
        self.tray: QSystemTrayIcon | None = None
        self.sent: list[tuple[str, str]] = []
        self.notifications_on = True
        self._speech: Any = None
        self._speech_on = False
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, parent)
            self.tray.setToolTip("miniqmt")
            self.tray.show()

    def notify(self, title: str, message: str, critical: bool = False) -> None:
        """A desktop notification (also recorded in :attr:`sent`)."""
        self.sent.append((title, message))
        if self.tray is not None and self.notifications_on:
            kind = QSystemTrayIcon.MessageIcon
            icon = kind.Critical if critical else kind.Information
            self.tray.showMessage(title, message, icon, 8000)

    def set_speech(self, on: bool) -> bool:
        """Switch the spoken alert on/off; False when text-to-speech is unavailable."""
        self._speech_on = on
        if on and self._speech is None:
            self._speech = _make_speech()
        return self._speech is not None or not on

    def speak(self, text: str) -> None:
        """Say ``text`` when speech is on and available."""
        if self._speech_on and self._speech is not None:
            self._speech.say(text)

    def close(self) -> None:
        """Hide the tray icon and stop speaking."""
        if self.tray is not None:
            self.tray.hide()
        if self._speech is not None:
            self._speech.stop()


def _make_speech() -> Any:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None
    if not QTextToSpeech.availableEngines():
        return None
    speech = QTextToSpeech()
    return speech if speech.state() != QTextToSpeech.State.Error else None
