"""Where the app's resources (icons, translations) live, in a checkout and in a frozen bundle.

The repository keeps them in ``resources/`` at its root; the PyInstaller spec copies that folder
to ``resources`` inside the bundle, which is unpacked under ``sys._MEIPASS``. This module imports no Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: ``sys._MEIPASS/resources`` when frozen, else ``<repo>/resources``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder (it may not exist: callers degrade gracefully)."""
    return resources_root().joinpath(*parts)


def icon_path(name: str) -> Path:
    """The SVG icon ``name`` (without extension) under ``resources/icons``."""
    return resource_path("icons", f"{name}.svg")
