"""PySide6/pyqtgraph user interface. The only layer that imports Qt."""

from miniqmt_gui.ui.pyside_guard import protect_none

protect_none()
