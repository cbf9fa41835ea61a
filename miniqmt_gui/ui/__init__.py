"""PySide6/pyqtgraph user interface. The only layer that imports Qt."""
