"""Guard against a reference-count bug seen with PySide6 6.12 on CPython 3.11 (no Qt imported here).

Measured in this project: every call of a Qt method that returns ``None`` (``update()``,
``setText()``, ``QTimer.stop()`` …) *decrements* ``None``'s reference count by one without the
matching increment. CPython 3.12+ made ``None`` immortal, so there it is harmless; on 3.11 the count
drifts towards zero during a trading day and the interpreter aborts with "Fatal Python error:
none_dealloc" (reproduced by the GUI test suite within minutes). Until PySide6 is fixed or the
project requires Python ≥ 3.12, :func:`protect_none` gives ``None`` a reference count so large
that no realistic number of calls can exhaust it — the same idea as 3.12's immortal objects.
"""

from __future__ import annotations

import ctypes
import sys

#: added once to None's reference count (≈ 10^12 calls of headroom; far below the 2^63 limit)
HEADROOM = 1 << 40


def none_refcount() -> int:
    """``None``'s current reference count (as ``sys.getrefcount`` reports it)."""
    return sys.getrefcount(None)


def protect_none() -> bool:
    """Raise ``None``'s reference count on CPython < 3.12 (once); True when it was raised now."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if none_refcount() >= HEADROOM // 2:
        return False
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    count.value += HEADROOM
    return True
