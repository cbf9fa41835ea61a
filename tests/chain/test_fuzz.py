"""Hypothesis on top of the corpus: random bytes and random field values for every file read.

No reader raises; nothing that fails validation reaches the broker or the book.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from miniqmt_gui.live.state_store import load_state
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.files import QUOTE_FILE, RESULT_FILE, SIGNAL_FILE, STATE_FILE
from windows_bridge.contract.messages import (
    DashboardState,
    DoneMarker,
    ExecutedSignals,
    OrderResult,
    OrderSignal,
    SharedQuote,
)

from .make_corpus import VALID
from .support import T0, Executor, engine_with_pending, make_signal

MODELS: list[type[BaseModel]] = [
    SharedQuote, OrderResult, DashboardState, ExecutedSignals, DoneMarker, OrderSignal,
]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def mutated(kind: str) -> st.SearchStrategy[bytes]:
    """The valid document of ``kind`` with random fields replaced by random JSON values."""
    valid = VALID[kind]
    return st.dictionaries(st.sampled_from(sorted(valid)), JSON_VALUES, max_size=3).map(
        lambda changes: json.dumps({**valid, **changes}, allow_nan=True).encode())


_ROOT = tempfile.TemporaryDirectory(prefix="miniqmt-fuzz-")  # removed when the session ends


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(dir=_ROOT.name))


@FAST
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_raise(raw: bytes) -> None:
    path = _scratch() / "f.json"
    path.write_bytes(raw)
    for model in MODELS:
        read: Any = read_message(path, model)
        assert read.value is not None or read.error
    state = load_state(path, "159201.SZ", "live", T0).state
    assert state.hold_layers == len(state.positions)


@FAST
@given(raw=mutated("signals"))
def test_mutated_signals_only_valid_ones_reach_the_broker(raw: bytes) -> None:
    ex = Executor(_scratch())
    ex.quote()
    path = ex.settings.shared_dir / SIGNAL_FILE
    path.write_bytes(raw)
    valid = read_message(path, OrderSignal).value is not None
    ex.core.poll_once()
    assert not path.exists()
    if not valid:
        assert ex.orders() == 0


@FAST
@given(raw=mutated("quotes"))
def test_mutated_quotes_never_let_a_signal_through_unchecked(raw: bytes) -> None:
    ex = Executor(_scratch())
    ex.quote(raw)
    valid = read_message(ex.settings.shared_dir / QUOTE_FILE, SharedQuote).value is not None
    (ex.settings.shared_dir / SIGNAL_FILE).write_bytes(make_signal().model_dump_json().encode())
    ex.core.poll_once()
    if not valid:
        assert ex.orders() == 0


@FAST
@given(raw=mutated("results"))
def test_mutated_results_keep_the_book_consistent(raw: bytes) -> None:
    engine = engine_with_pending(_scratch(), make_signal())
    (engine.settings.shared_dir / RESULT_FILE).write_bytes(raw)
    valid: Any = read_message(engine.settings.shared_dir / RESULT_FILE, OrderResult).value
    engine.step()
    book = engine.book
    assert book.hold_layers == len(book.positions)
    if valid is None:
        assert book.pending_signal is not None


@FAST
@given(raw=mutated("dashboard_state"))
def test_mutated_state_loads_as_a_consistent_book(raw: bytes) -> None:
    path = _scratch() / STATE_FILE
    path.write_bytes(raw)
    state = load_state(path, "159201.SZ", "live", T0).state
    assert state.hold_layers == len(state.positions) <= 9
    assert all(lot.shares > 0 for lot in state.positions)
