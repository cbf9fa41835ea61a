"""Malformed and hostile files, for every file the processes read: no crash, no order, a reason.

The corpus (``tests/chain/corpus/``, rebuilt by ``make_corpus.py``) holds ≥ 50 files per kind; the
big bombs are generated at test time. Each reader is fed every file: the engine (quotes, results,
``dashboard_state.json``, ``executed_signals.json``, done markers) and the executor (quotes,
signals — on top of the 52 cases in ``tests/bridge/test_hostile_signals.py``). Whatever a file
fails validation for, nothing acts on it and the reason is observable (log line or status).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from miniqmt_gui.live.recovery import RecoveryAction, recovery_action
from miniqmt_gui.live.routes import SharedFolderRoute
from miniqmt_gui.live.state_store import load_state
from windows_bridge.contract.atomic_io import read_message, write_message
from windows_bridge.contract.files import (
    DONE_DIR,
    EXECUTED_FILE,
    QUOTE_FILE,
    RESULT_FILE,
    SIGNAL_FILE,
    STATE_FILE,
    done_marker_name,
)
from windows_bridge.contract.messages import (
    DashboardState,
    DoneMarker,
    ExecutedSignals,
    OrderResult,
    OrderSignal,
    SharedQuote,
)

from .support import T0, Executor, corpus_cases, engine_settings, engine_with_pending, make_signal

KINDS = ("quotes", "results", "dashboard_state", "executed_signals", "done_markers", "signals")
MODELS: dict[str, type[BaseModel]] = {
    "quotes": SharedQuote, "results": OrderResult, "dashboard_state": DashboardState,
    "executed_signals": ExecutedSignals, "done_markers": DoneMarker, "signals": OrderSignal,
}


def _valid(path: Path, kind: str) -> bool:
    return read_message(path, MODELS[kind]).value is not None


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_has_at_least_50_files_per_kind(kind: str) -> None:
    cases = corpus_cases(kind)
    assert len(cases) >= 50


@pytest.mark.parametrize("kind", KINDS)
def test_readers_never_raise_and_give_a_reason(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    invalid = 0
    for name, data in corpus_cases(kind):
        path.write_bytes(data)
        read: Any = read_message(path, MODELS[kind])
        if read.value is None:
            invalid += 1
            assert read.error, name
    assert invalid >= 50


def test_hostile_quotes_engine_emits_nothing_and_shows_why(tmp_path: Path) -> None:
    for n, (name, data) in enumerate(corpus_cases("quotes")):
        from miniqmt_gui.live.factory import build_engine

        settings = engine_settings(tmp_path / str(n))
        (settings.shared_dir / QUOTE_FILE).write_bytes(data)
        engine = build_engine(settings, clock=lambda: T0)
        engine.start()
        engine.step()
        engine.step()
        assert not (settings.shared_dir / SIGNAL_FILE).exists(), name
        if not _valid(settings.shared_dir / QUOTE_FILE, "quotes"):
            assert engine.status.blockers, name  # "bad quote file" / "waiting for quotes"


def test_hostile_quotes_executor_places_nothing(tmp_path: Path) -> None:
    for n, (name, data) in enumerate(corpus_cases("quotes")):
        ex = Executor(tmp_path / str(n))
        ex.quote(data)
        write_message(ex.settings.shared_dir / SIGNAL_FILE, make_signal(token=f"{n:08x}"))
        assert ex.core.poll_once()
        result = read_message(ex.settings.shared_dir / RESULT_FILE, OrderResult).value
        assert result is not None and result.message, name
        if not _valid(ex.settings.shared_dir / QUOTE_FILE, "quotes"):
            assert ex.orders() == 0, name
            assert result.reason_code == "no_quote", name


def test_hostile_signals_executor_places_nothing(tmp_path: Path) -> None:
    ex = Executor(tmp_path)
    ex.quote()
    for name, data in corpus_cases("signals"):
        before = ex.orders()
        path = ex.settings.shared_dir / SIGNAL_FILE
        path.write_bytes(data)
        valid = _valid(path, "signals")
        ex.core.poll_once()
        assert not path.exists(), name  # consumed or quarantined, never left to loop on
        if not valid:
            assert ex.orders() == before, name
            result = read_message(ex.settings.shared_dir / RESULT_FILE, OrderResult).value
            assert result is not None and result.status.value == "rejected", name


def test_hostile_results_leave_the_book_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    for n, (name, data) in enumerate(corpus_cases("results")):
        root = tmp_path / str(n)
        signal = make_signal()
        engine = engine_with_pending(root, signal)
        shared = engine.settings.shared_dir
        sent = (shared / SIGNAL_FILE).read_bytes()
        (shared / RESULT_FILE).write_bytes(data)
        caplog.clear()
        engine.step()
        book = engine.book
        assert book.hold_layers == len(book.positions), name
        assert (shared / SIGNAL_FILE).read_bytes() == sent, name  # nothing new was emitted
        if not _valid(shared / RESULT_FILE, "results"):
            assert book.pending_signal is not None and book.pending_signal.signal_id == signal.signal_id, name
            assert any(RESULT_FILE in r.getMessage() for r in caplog.records), name


def test_hostile_state_files_load_safely(tmp_path: Path) -> None:
    for n, (name, data) in enumerate(corpus_cases("dashboard_state")):
        folder = tmp_path / str(n)
        folder.mkdir()
        path = folder / STATE_FILE
        path.write_bytes(data)
        loaded = load_state(path, "159201.SZ", "live", T0)
        state = loaded.state
        assert state.hold_layers == len(state.positions) <= 9, name
        assert all(lot.shares > 0 for lot in state.positions), name
        if loaded.kept_aside is not None:  # unusable: kept byte for byte, the engine starts empty
            assert loaded.kept_aside.read_bytes() == data, name
            assert state.positions == [] and state.pending_signal is None, name


@pytest.mark.parametrize("kind", ["executed_signals", "done_markers"])
def test_hostile_executor_records_never_crash_recovery(kind: str, tmp_path: Path) -> None:
    signal = make_signal()
    for n, (name, data) in enumerate(corpus_cases(kind)):
        shared = tmp_path / str(n)
        (shared / DONE_DIR).mkdir(parents=True)
        target = shared / EXECUTED_FILE if kind == "executed_signals" else (
            shared / DONE_DIR / done_marker_name(signal.signal_id))
        target.write_bytes(data)
        action = recovery_action(SharedFolderRoute(shared), signal)
        if kind == "executed_signals" and not _valid(target, kind):
            assert action is RecoveryAction.REEMIT, name  # same id again: the executor's journal dedups
        else:
            assert action in (RecoveryAction.WAIT, RecoveryAction.REEMIT), name
