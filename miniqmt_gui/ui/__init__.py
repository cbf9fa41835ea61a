"""PySide6/pyqtgraph user interface: thin widgets over Qt models, one engine worker thread.

Owns everything on screen; the only package that imports Qt. May import strategy, backtest, live and
``windows_bridge.contract``."""
