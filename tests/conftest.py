"""Suite-wide test set-up: Qt offscreen, and where the shared market data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before anything imports Qt: the suite never needs a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    """``../shared/data`` beside the checkout (or MINIQMT_SHARED_DATA), if present."""
    env = os.environ.get("MINIQMT_SHARED_DATA")
    candidate = Path(env) if env else REPO.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    """The shared market data folder; skips the test when it is absent."""
    folder = shared_data_dir()
    if folder is None:
        pytest.skip("shared market data (../shared/data) not present")
    return folder
