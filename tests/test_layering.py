"""The layering rule, checked on the source: UI → core → protocol, never the other way.

- ``windows_bridge`` (headless, runs on Windows next to QMT) imports neither Qt nor the app.
- ``miniqmt_gui.core`` (strategy, backtest, live engine) imports no Qt and not the UI layer.
- ``xtquant.xttrader`` / ``xtquant.xtdata`` (Windows-only) are imported by the adapter module only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "qasync")
XT_WINDOWS_ONLY = ("xtquant.xttrader", "xtquant.xtdata", "xtquant.xtdatacenter")
XT_ADAPTER = REPO / "windows_bridge" / "xt_adapter.py"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module name a file imports (absolute; relative imports resolved to the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(REPO) if path.is_relative_to(REPO) else Path(path.name)
    package = ".".join(rel.with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # ``from xtquant import xttrader`` names the submodule in the alias list
            found.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names)
    return found


def sources(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def _violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in files:
        for line, name in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path}:{line} imports {name}")
    return bad


def test_windows_bridge_has_no_qt_and_no_app_imports() -> None:
    assert sources("windows_bridge"), "windows_bridge sources not found"
    assert _violations(sources("windows_bridge"), (*QT_MODULES, "miniqmt_gui")) == []


@pytest.mark.parametrize("folder", ["miniqmt_gui/core", "miniqmt_gui/demo"])
def test_core_and_demo_have_no_qt_and_no_ui_imports(folder: str) -> None:
    assert sources(folder), f"{folder} sources not found"
    assert _violations(sources(folder), (*QT_MODULES, "miniqmt_gui.ui")) == []


def test_core_does_not_import_the_app_layers_above_it() -> None:
    above = ("miniqmt_gui.demo", "miniqmt_gui.commands", "miniqmt_gui.cli")
    assert _violations(sources("miniqmt_gui/core"), above) == []


def test_commands_do_not_import_qt_at_module_level() -> None:
    """CLI subcommands stay importable without Qt (the GUI command imports it lazily)."""
    bad = []
    for path in sources("miniqmt_gui/commands"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for name in names:
                    if name.split(".")[0] in QT_MODULES or name.startswith("miniqmt_gui.ui"):
                        bad.append(f"{path.relative_to(REPO)}:{node.lineno} imports {name} at module level")
    assert bad == []


def test_windows_only_xtquant_modules_only_in_adapter() -> None:
    files = [p for p in sources("windows_bridge") + sources("miniqmt_gui") if p != XT_ADAPTER]
    assert _violations(files, XT_WINDOWS_ONLY) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import PySide6.QtCore\n", True),
        ("from PySide6 import QtWidgets\n", True),
        ("from pyqtgraph import PlotWidget\n", True),
        ("import numpy\n", False),
    ],
)
def test_checker_detects_qt(tmp_path: Path, source: str, expected: bool) -> None:
    """The checker itself must be able to fail."""
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    assert bool(_violations([probe], QT_MODULES)) is expected
