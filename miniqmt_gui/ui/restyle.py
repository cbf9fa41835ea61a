"""Style sheets set only when they change.

``QWidget.setStyleSheet`` re-polishes the widget on every call, even with the same sheet: the style
is parsed again, the size hint recomputed, the layout redone and the widget repainted. Panels that
refresh on every engine view (a quote every 3 s) colour a few dozen labels each time; through this
helper an unchanged colour costs one string comparison (part of the idle CPU target, SPEC §6).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def set_style(widget: QWidget, sheet: str) -> None:
    """``widget.setStyleSheet(sheet)`` unless that is already its style sheet."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
