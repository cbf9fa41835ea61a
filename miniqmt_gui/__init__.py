"""miniqmt desktop side: strategy, backtester, live engine, rehearsals, UI and the ``miniqmt`` command.

Owns the Mac/Linux side of the product; its sub-packages list what each may import
(``tests/test_import_contract.py`` enforces it). The package itself imports only the version."""

from windows_bridge.contract.version import __version__

__all__ = ["__version__"]
