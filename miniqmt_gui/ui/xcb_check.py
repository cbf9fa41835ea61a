"""Before Qt opens a window on Linux: are the X11 (xcb) libraries Qt's platform plugin needs installed?

Without them Qt prints "Could not load the Qt platform plugin xcb" and aborts the process. This module
runs first (it imports no Qt): it asks the dynamic linker (``ldd``) which libraries of the plugin are
missing and names the packages that provide them on Debian/Ubuntu, Fedora and Arch, so the trader
reads one clear sentence instead of a core dump. Nothing here runs on macOS or Windows, offscreen, or
under Wayland without X11.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

#: missing shared object → (Debian/Ubuntu, Fedora, Arch) package
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
}
DISTROS = ("Debian/Ubuntu: sudo apt install", "Fedora: sudo dnf install", "Arch: sudo pacman -S")
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


@dataclass(frozen=True)
class XcbProblem:
    """Libraries the xcb plugin cannot load, and the sentence that tells the trader what to install."""

    missing: tuple[str, ...]

    def message(self) -> str:
        """Which libraries are missing and the install command for each distribution."""
        lines = ["miniqmt: the window cannot open: Qt's X11 (xcb) platform plugin is missing these "
                 "system libraries: " + ", ".join(self.missing) + "."]
        for i, how in enumerate(DISTROS):
            names = sorted({PACKAGES[lib][i] for lib in self.missing if lib in PACKAGES})
            if names:
                lines.append(f"  {how} {' '.join(names)}")
        unknown = [lib for lib in self.missing if lib not in PACKAGES]
        if unknown:
            lines.append("  (find the package that provides " + ", ".join(unknown) + " for your system)")
        lines.append("Or run without a window: miniqmt run --headless / miniqmt demo --headless. "
                     "README.md lists the packages per distribution.")
        return "\n".join(lines)


def missing_from_ldd(output: str) -> tuple[str, ...]:
    """The sonames ``ldd`` reports as ``not found`` (each once, in order)."""
    return tuple(dict.fromkeys(NOT_FOUND.findall(output)))


def plugin_path() -> Path | None:
    """Qt's xcb platform plugin inside the installed PySide6 (found without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        candidate = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if candidate.exists():
            return candidate
    return None


def run_ldd(path: Path) -> str:
    """``ldd path`` (empty when there is no ``ldd``, e.g. musl without it)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return ""
    try:
        done = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will try the xcb plugin: Linux, an X display, no other platform chosen."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def check_xcb(env: Mapping[str, str] | None = None, platform: str = sys.platform,
              ldd: Callable[[Path], str] = run_ldd, plugin: Callable[[], Path | None] = plugin_path,
              ) -> XcbProblem | None:
    """The missing libraries when Qt would use xcb and cannot load it; ``None`` when all is well."""
    if not uses_xcb(os.environ if env is None else env, platform):
        return None
    path = plugin()
    if path is None:
        return None
    missing = missing_from_ldd(ldd(path))
    return XcbProblem(missing) if missing else None
