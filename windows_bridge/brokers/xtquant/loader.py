"""The one place that imports the Windows-only ``xtquant.xttrader`` / ``xtquant.xtdata`` (lazily)."""

from __future__ import annotations

from typing import Any


def real_trader_factory(path: str, session: int) -> Any:
    """A real ``xtquant.xttrader.XtQuantTrader`` (Windows only; imported here, lazily)."""
    from xtquant.xttrader import XtQuantTrader

    return XtQuantTrader(path, session)


def real_xtdata() -> Any:
    """The real ``xtquant.xtdata`` module (Windows only; imported here, lazily)."""
    from xtquant import xtdata

    return xtdata
