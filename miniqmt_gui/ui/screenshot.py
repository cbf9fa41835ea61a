"""``miniqmt gui --screenshot``: render the window to a PNG after it has run a while, then quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from miniqmt_gui.ui.main_window import MainWindow


def save_and_quit(window: MainWindow, path: str) -> None:
    """Grab the window into ``path`` and close the app."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(path)
    try:
        print(f"screenshot {'written' if ok else 'FAILED'}: {path}", flush=True)
    finally:  # quit even when nobody reads stdout any more (a closed pipe): never leave the app running
        window.quiet_close = True
        window.close()
        QApplication.quit()


def schedule_screenshot(window: MainWindow, path: str, after_s: float, backtest: bool = False) -> None:
    """Take the screenshot after ``after_s`` seconds (backtest tab: after the sample backtest too)."""
    delay = int(max(after_s, 0.0) * 1000)
    if not backtest:
        QTimer.singleShot(delay, lambda: save_and_quit(window, path))
        return
    view = window.backtest
    view.source_box.setCurrentIndex(0)

    def later(*_args: object) -> None:
        QTimer.singleShot(delay, lambda: save_and_quit(window, path))

    view.runner.finished.connect(later)
    view.runner.failed.connect(later)
    QTimer.singleShot(0, view.run)
