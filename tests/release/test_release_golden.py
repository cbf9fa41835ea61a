"""The newest release's recorded golden results still come out of the code.

A deliberate change of results means cutting a new release folder with
``python scripts/record_golden.py releases/vX.Y.Z``; an accidental one fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from miniqmt_gui.strategy.params import StrategyParams, load_params

REPO = Path(__file__).resolve().parents[2]
RELEASES = REPO / "releases"


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.name))


def newest_release() -> Path:
    folders = [p for p in RELEASES.glob("v*") if (p / "golden.json").exists()]
    assert folders, "no release folder with golden.json"
    return max(folders, key=_version_key)


def _load_recorder():  # the recorder script is the single definition of what is golden
    import importlib.util

    spec = importlib.util.spec_from_file_location("record_golden", REPO / "scripts" / "record_golden.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("fill", ["close", "realistic"])
def test_newest_release_golden_results(fill: str) -> None:
    golden = json.loads((newest_release() / "golden.json").read_text(encoding="utf-8"))
    now = _load_recorder().golden_results()
    assert now["data"] == golden["data"]
    for key, want in golden[fill].items():
        got = now[fill][key]
        if isinstance(want, int):
            assert got == want, f"{fill}.{key}"
        else:
            tol = 0.005 if key.endswith("_cny") else 1e-7  # to the fen; ratios to 1e-7
            assert got == pytest.approx(want, abs=tol), f"{fill}.{key}"


def test_release_preset_is_the_default() -> None:
    assert load_params(newest_release() / "preset.toml") == StrategyParams()


def test_release_notes_exist() -> None:
    notes = newest_release() / "RELEASE_NOTES.md"
    assert notes.exists() and "golden" in notes.read_text(encoding="utf-8").lower()
