"""Qt objects in garbage cycles are destroyed on the GUI thread, never on a worker that happened to
allocate (the cause of a hung window: a Qt destructor on a worker deadlocking against the GIL)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from miniqmt_gui.ui.gui_gc import GuiThreadCollector, generation_due


class _Cycle:
    """A garbage cycle that owns a QObject; records the thread that collected it (and so deleted it)."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.qobject = QObject()
        weakref.finalize(self, lambda: seen.append(threading.current_thread().name))


def _allocate_on_a_worker() -> None:
    def churn() -> None:
        for _ in range(5_000):  # garbage cycles (refcounting frees none): passes gen-0's threshold
            loop: list[object] = []
            loop.append(loop)

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


def test_without_the_collector_a_worker_destroys_the_qt_object(qapp):
    """The hazard itself: the premise of the fix (if Python changed this, the guard would be moot)."""
    gc.collect()
    assert gc.isenabled()
    seen: list[str] = []
    _Cycle(seen)
    _allocate_on_a_worker()
    gc.collect()  # whatever the worker did not collect
    assert seen == ["worker"]


def test_with_the_collector_the_gui_thread_destroys_it(qapp):
    collector = GuiThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        seen: list[str] = []
        _Cycle(seen)
        _allocate_on_a_worker()
        assert seen == []  # the worker collected nothing
        assert generation_due() is not None
        collector.collect_due()
        assert collector.collections == 1
        gc.collect()
        assert seen == [threading.current_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()


def test_the_window_collects_on_the_gui_thread_while_it_lives(make_window):
    window = make_window(paper=True)
    assert not gc.isenabled()
    window.close()
    assert gc.isenabled()
