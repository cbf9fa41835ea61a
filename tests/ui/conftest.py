"""GUI test fixtures: an isolated window on a temp shared folder, and a leak check on every test."""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QThread, QTimer

from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.strategy.params import StrategyParams
from miniqmt_gui.ui.app import build_window, create_application
from miniqmt_gui.ui.app_config import AppConfig
from miniqmt_gui.ui.main_window import MainWindow

from .support import MarketClock, QuoteFeed


def _running_qthreads() -> list[QThread]:
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, QThread):
            try:
                if obj.isRunning():
                    found.append(obj)
            except RuntimeError:  # C++ object already deleted
                continue
    return found


def _active_qtimers() -> list[QTimer]:
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, QTimer):
            try:
                if obj.isActive():
                    found.append(obj)
            except RuntimeError:
                continue
    return found


@pytest.fixture(autouse=True)
def no_leaks(qapp: Any) -> Iterator[None]:
    """Fail a test that leaves threads, QThreads, active QTimers or child processes behind.

    A QThread that once called into ``threading`` (e.g. logging) leaves a ``_DummyThread`` entry that
    Python never removes, even after the thread ended; those are not leaks — running QThreads are
    checked on their own below.
    """
    before = {t.ident for t in threading.enumerate()}
    yield
    # Free this test's Qt objects here, on the GUI thread: left to a later automatic collection they
    # could be destroyed on whatever thread allocates next (a feed or executor thread), which can
    # deadlock Qt against the GIL (see miniqmt_gui/ui/gui_gc.py).
    qapp.processEvents()
    gc.collect()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        qapp.processEvents()
        threads = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()
                   and not isinstance(t, threading._DummyThread)]
        children = multiprocessing.active_children()
        if not threads and not children and not _running_qthreads():
            break
        time.sleep(0.05)
    assert not threads, f"leaked threads: {threads}"
    assert not children, f"leaked child processes: {children}"
    assert not _running_qthreads(), "leaked running QThread"
    assert not _active_qtimers(), f"active QTimers left: {_active_qtimers()}"


@pytest.fixture
def clock() -> MarketClock:
    """Wall clock inside the trading session, advancing with real time."""
    return MarketClock()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """The temp shared folder."""
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


@pytest.fixture
def feed(shared: Path, clock: MarketClock) -> Iterator[QuoteFeed]:
    """The bridge stand-in writing quote files."""
    quotes = QuoteFeed(shared, clock)
    yield quotes
    quotes.stop()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    """A private INI settings store."""
    return QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: Any, tmp_path: Path, shared: Path, clock: MarketClock, qsettings: QSettings,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., MainWindow]]:
    """Build the real main window on the temp folders; closed (and checked for leaks) afterwards."""
    monkeypatch.setenv("MINIQMT_CONFIG", str(tmp_path / "no_config.toml"))
    monkeypatch.setattr("miniqmt_gui.ui.main_window.params_path", lambda: tmp_path / "strategy.toml")
    windows: list[MainWindow] = []

    engine_changes: dict[str, Any] = {}

    def factory(settings: EngineSettings, params: Any, **kw: Any) -> Any:
        return build_engine(settings.model_copy(update=engine_changes), params, clock=clock, **kw)

    def make(paper: bool = True, stale_after_s: float = 300.0, show: bool = True,
             base_shares: int | None = 0, engine: dict[str, Any] | None = None, **extra: Any) -> MainWindow:
        create_application()
        engine_changes.update(engine or {})
        config = AppConfig(shared_dir=shared, work_dir=tmp_path / "work", paper=paper,
                           stale_after_s=stale_after_s, session_only=False, base_shares=base_shares,
                           path=tmp_path / "config.toml", **extra)
        window = build_window(config, qsettings, StrategyParams(), factory, clock)
        window.confirm = lambda title, text: True
        window.quiet_close = True  # the fixture closes windows without the running-strategy question
        qtbot.addWidget(window)
        windows.append(window)
        if show:
            window.show()
        window.start_engines()
        qtbot.waitUntil(lambda: all(c.view is not None for c in window.controllers.values()), timeout=10_000)
        return window

    yield make
    for window in windows:
        window.close()
