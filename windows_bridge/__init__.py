"""Headless Windows-side processes of miniqmt and the shared-folder protocol they serve.

Nothing in this package imports Qt or the desktop app; ``xtquant`` is imported lazily by
``windows_bridge.xt_adapter`` only.
"""

from windows_bridge._version import __version__

__all__ = ["__version__"]
