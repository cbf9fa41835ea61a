"""The installed Qt binding does not leak references to None.

PySide6 6.12 on CPython 3.11 decrements None's reference count on every Qt call that returns None,
which aborts the app ("Fatal Python error: none_dealloc") after some hours of updates. pyproject.toml
keeps such builds out; this test catches a binding with that defect if one slips in.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(5_000):
        label.setText("y")
        label.update()
        timer.stop()
    assert sys.getrefcount(None) >= before - 100  # noise from the interpreter, not 15,000 lost refs
