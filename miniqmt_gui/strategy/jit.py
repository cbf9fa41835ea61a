"""``njit`` for the strategy's compiled functions, or plain Python where numba is not installed.

A desktop bundle ships the backtest loops built ahead of time (:mod:`compiled`) and leaves numba and
llvmlite out (about 170 MB). There the live path's few rule calls per quote run as ordinary Python —
the same source, the same IEEE arithmetic — and nothing is ever compiled on a user's machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    from numba import njit
except ImportError:  # the bundle: no numba

    def njit(*args: Any, **_options: Any) -> Any:  # type: ignore[no-redef]
        """Return the function unchanged (``@njit`` and ``@njit(...)`` alike); keeps ``py_func``."""

        def plain(func: Callable[..., Any]) -> Callable[..., Any]:
            func.py_func = func  # type: ignore[attr-defined]  # as numba's dispatchers have it
            return func

        if len(args) == 1 and callable(args[0]):
            return plain(args[0])
        return plain


__all__ = ["njit"]
