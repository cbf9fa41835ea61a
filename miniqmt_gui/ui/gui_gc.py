"""Python's cyclic garbage collector, run on the GUI thread only while the window lives.

Why: any allocation on any thread can start a collection, and a collection frees whatever cycles it
finds on the thread that started it. When those cycles hold Qt objects (widgets, timers, signal
connections of a closed dialog), their C++ destructors run on a worker thread (the engine's QThread,
the paper executor, the alert sender) while holding the GIL; a destructor that needs a Qt lock the
GUI thread holds, while the GUI thread waits for the GIL, freezes the whole app for good. Seen as a
hung window in the test suite. The fix is the one long-lived PyQt apps use: switch automatic
collection off and collect on a GUI-thread timer instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: how often the GUI thread looks at the collector's counters (a young collection takes well under 1 ms)
CHECK_INTERVAL_MS = 500


def generation_due() -> int | None:
    """The oldest generation whose allocation count passed its threshold (Python's own rule), or None."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = None
    for generation in range(3):
        threshold = thresholds[generation] if generation < len(thresholds) else 0
        if threshold > 0 and counts[generation] > threshold:
            due = generation
    return due


class GuiThreadCollector(QObject):
    """Disable automatic collection and collect from a timer on the thread that owns this object."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        """Create the timer (not started: call :meth:`start`)."""
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()
        self.collections = 0

    def start(self) -> None:
        """Collect on the GUI thread from now on (a first full collection clears what start-up left)."""
        self._was_enabled = gc.isenabled()
        gc.disable()
        gc.collect()
        self._timer.start()

    def collect_due(self) -> None:
        """Run the collection Python would have run by now, here on the GUI thread."""
        generation = generation_due()
        if generation is not None:
            gc.collect(generation)
            self.collections += 1

    def stop(self) -> None:
        """Stop the timer, collect everything once more on this thread, and give collection back."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
