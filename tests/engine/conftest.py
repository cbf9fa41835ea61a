"""Fixtures for the live-engine tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.settings import EngineSettings

from .support import FakeClock, ScriptedDecider, simple_grid


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path, shared: Path) -> EngineSettings:
    # engines are rebuilt inside one process to simulate restarts: the owner lock has its own tests
    return EngineSettings(shared_dir=shared, work_dir=tmp_path / "work", owner_lock=False, base_shares=0)


@pytest.fixture
def make_engine(settings: EngineSettings, clock: FakeClock) -> Callable[..., LiveEngine]:
    """Build an engine on the test folders (a fresh one per call = a restart)."""

    tokens = iter(f"{n:08x}" for n in range(1, 100_000))  # shared by restarts: ids never repeat

    def build(decider: Any = None, **kwargs: Any) -> LiveEngine:
        cfg = kwargs.pop("settings", settings)
        kwargs.setdefault("token", lambda: next(tokens))
        return LiveEngine(cfg, decider or ScriptedDecider(simple_grid), clock=clock.wall,
                          monotonic=clock.monotonic, **kwargs)

    return build
