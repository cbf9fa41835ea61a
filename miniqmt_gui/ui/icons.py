"""Icons from ``resources/icons`` (an empty icon when a file is missing)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from miniqmt_gui.ui.resources_path import icon_path, resource_path


def icon(name: str) -> QIcon:
    """The SVG icon ``name`` or an empty icon."""
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    """The application icon."""
    path = resource_path("miniqmt.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
