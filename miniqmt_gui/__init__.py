"""miniqmt desktop app: Qt-free core (strategy, backtest, live engine) plus the PySide6 UI."""

from windows_bridge._version import __version__

__all__ = ["__version__"]
