"""The import contract: which folder may import which, checked on the source (AST), with a self-test.

Every source file belongs to one *room* (the longest prefix below that matches its module name).
A room may import itself and the rooms listed in :data:`ALLOWED`; any other arrow is a failure that
names the file, the line and the module. Three rules ride along:

- Qt (PySide6, pyqtgraph, qasync) is imported only in ``miniqmt_gui.ui``;
- ``xtquant.xttrader`` / ``xtquant.xtdata`` are imported only in ``windows_bridge/brokers/xtquant/loader.py``;
- CLI subcommands import the UI lazily (inside functions), never at module level.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("windows_bridge", "miniqmt_gui")
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "qasync")
XT_WINDOWS_ONLY = ("xtquant.xttrader", "xtquant.xtdata", "xtquant.xtdatacenter")
XT_LOADER = REPO / "windows_bridge" / "brokers" / "xtquant" / "loader.py"

#: room → the rooms it may import (besides itself). Rooms are module-name prefixes.
ALLOWED: dict[str, set[str]] = {
    "windows_bridge.contract": set(),
    "windows_bridge.brokers.interface": {"windows_bridge.contract"},
    "windows_bridge.brokers.sim": {"windows_bridge.contract", "windows_bridge.brokers.interface"},
    "windows_bridge.brokers.xtquant": {
        "windows_bridge.contract", "windows_bridge.brokers.interface", "windows_bridge.brokers.sim",
    },
    "windows_bridge.brokers.factory": {
        "windows_bridge.contract", "windows_bridge.brokers.interface", "windows_bridge.brokers.sim",
        "windows_bridge.brokers.xtquant",
    },
    "windows_bridge.brokers": set(),  # the package's own __init__
    "windows_bridge.executor": {
        "windows_bridge.contract", "windows_bridge.brokers.interface", "windows_bridge.brokers.factory",
    },
    "windows_bridge.bridge": {
        "windows_bridge.contract", "windows_bridge.brokers.interface", "windows_bridge.brokers.xtquant",
        "windows_bridge.brokers.factory",
    },
    "windows_bridge": {"windows_bridge.contract"},  # the package's own __init__
    "miniqmt_gui.strategy": set(),
    "miniqmt_gui.backtest": {"miniqmt_gui.strategy"},
    "miniqmt_gui.live": {
        "miniqmt_gui.strategy", "windows_bridge.contract", "windows_bridge.brokers.interface",
        "windows_bridge.brokers.sim", "windows_bridge.executor",
    },
    "miniqmt_gui.rehearsal": {
        "miniqmt_gui.strategy", "miniqmt_gui.backtest", "miniqmt_gui.live", "windows_bridge.contract",
        "windows_bridge.brokers.interface", "windows_bridge.brokers.sim", "windows_bridge.executor",
        "windows_bridge.bridge",
    },
    "miniqmt_gui.ui": {
        "miniqmt_gui.strategy", "miniqmt_gui.backtest", "miniqmt_gui.live", "miniqmt_gui.daily",
        "miniqmt_gui.alerts", "windows_bridge.contract",
    },
    "miniqmt_gui.daily": {"miniqmt_gui.strategy", "miniqmt_gui.live", "windows_bridge.contract"},
    "miniqmt_gui.alerts": {"miniqmt_gui.live", "windows_bridge.contract"},
    "miniqmt_gui.commands": {
        "miniqmt_gui.strategy", "miniqmt_gui.backtest", "miniqmt_gui.live", "miniqmt_gui.rehearsal",
        "miniqmt_gui.ui", "miniqmt_gui.daily", "miniqmt_gui.alerts", "windows_bridge.contract",
    },
    "miniqmt_gui.cli": {"miniqmt_gui.commands", "windows_bridge.contract"},
    "miniqmt_gui": {"miniqmt_gui.cli", "windows_bridge.contract"},  # __init__ and __main__
}


def module_name(path: Path) -> str:
    """Dotted module name of a source file under the repository."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room_of(module: str) -> str | None:
    """The room a module belongs to: the longest :data:`ALLOWED` key that is a prefix of it."""
    matches = [r for r in ALLOWED if module == r or module.startswith(r + ".")]
    return max(matches, key=len) if matches else None


def imported_modules(path: Path) -> list[tuple[int, str, bool]]:
    """``(line, module, at_module_level)`` for every import in a file (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    top = {id(node) for node in tree.body}
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(tree):
        level = id(node) in top
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, level) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.append((node.lineno, name, level))
            # ``from xtquant import xttrader`` names the submodule in the alias list
            found.extend((node.lineno, f"{name}.{alias.name}", level) for alias in node.names)
    return found


def sources() -> list[Path]:
    """Every Python source file of the two packages."""
    return sorted(p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py"))


def arrow_violations(files: list[Path], allowed: dict[str, set[str]] = ALLOWED) -> list[str]:
    """Imports of our own modules that cross a room boundary not listed in ``allowed``."""
    bad = []
    for path in files:
        src_room = room_of(module_name(path))
        for line, name, _ in imported_modules(path):
            if not name.startswith(PACKAGES):
                continue
            dst_room = room_of(name)
            if dst_room is None:
                continue  # ``from windows_bridge.contract import files`` also yields the parent name
            if dst_room != src_room and dst_room not in allowed.get(src_room or "", set()):
                bad.append(f"{path.relative_to(REPO)}:{line} ({src_room}) imports {name} ({dst_room})")
    return bad


def forbidden_imports(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    """Imports of any module in ``forbidden`` (or below it)."""
    bad = []
    for path in files:
        for line, name, _ in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    return bad


def test_every_source_file_has_a_room() -> None:
    assert sources(), "package sources not found"
    assert [str(p) for p in sources() if room_of(module_name(p)) is None] == []


def test_only_the_allowed_arrows_exist() -> None:
    assert arrow_violations(sources()) == []


def test_qt_only_in_the_ui() -> None:
    outside_ui = [p for p in sources() if room_of(module_name(p)) != "miniqmt_gui.ui"]
    assert forbidden_imports(outside_ui, QT_MODULES) == []


def test_windows_only_xtquant_modules_only_in_the_loader() -> None:
    assert forbidden_imports([p for p in sources() if p != XT_LOADER], XT_WINDOWS_ONLY) == []
    assert forbidden_imports([XT_LOADER], XT_WINDOWS_ONLY), "the loader should be the one importer"


def test_commands_import_the_ui_lazily() -> None:
    """CLI subcommands stay importable without Qt (the GUI command imports it inside a function)."""
    bad = []
    for path in (REPO / "miniqmt_gui" / "commands").rglob("*.py"):
        for line, name, top in imported_modules(path):
            if top and (name.split(".")[0] in QT_MODULES or name.startswith("miniqmt_gui.ui")):
                bad.append(f"{path.relative_to(REPO)}:{line} imports {name} at module level")
    assert bad == []


def test_every_folder_says_what_it_owns() -> None:
    """Each package's ``__init__`` docstring says what it owns and what it may import."""
    missing = []
    for init in sorted(p for pkg in PACKAGES for p in (REPO / pkg).rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if len(doc.strip().splitlines()) < 2 or "import" not in doc.lower():
            missing.append(str(init.relative_to(REPO)))
    assert missing == []


# --------------------------------------------------------------------------- the checker can fail


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("miniqmt_gui.strategy.x", "from miniqmt_gui.live.engine import LiveEngine\n", True),
        ("miniqmt_gui.strategy.x", "from miniqmt_gui.strategy.rules import decide\n", False),
        ("windows_bridge.contract.x", "from windows_bridge.executor.journal import Journal\n", True),
        ("windows_bridge.executor.x", "import miniqmt_gui.ui.app\n", True),
        ("miniqmt_gui.backtest.x", "from miniqmt_gui.strategy import rules\n", False),
        ("miniqmt_gui.ui.x", "from windows_bridge.executor.service import OrderExecutor\n", True),
    ],
)
def test_checker_detects_a_forbidden_arrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, source: str, expected: bool
) -> None:
    """Break the contract on purpose: the checker must report it (and stay quiet when it holds)."""
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.module_name", lambda path: module)
    monkeypatch.setattr(Path, "relative_to", lambda self, other: self)
    assert bool(arrow_violations([probe])) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import PySide6.QtCore\n", True),
        ("from PySide6 import QtWidgets\n", True),
        ("from pyqtgraph import PlotWidget\n", True),
        ("from xtquant import xttrader\n", True),
        ("import numpy\n", False),
    ],
)
def test_checker_detects_forbidden_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           source: str, expected: bool) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    monkeypatch.setattr(Path, "relative_to", lambda self, other: self)
    assert bool(forbidden_imports([probe], (*QT_MODULES, *XT_WINDOWS_ONLY))) is expected
