"""Paper mode: the real executor in-process over a simulated account; its own book and folder.

The paper executor runs on its own thread (as the real one runs in its own process), so the tests
step the engine until the awaited state is there, with a generous bound (a liveness bound, not a timing
assertion).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from miniqmt_gui.live.engine import LiveEngine
from miniqmt_gui.live.paper import PAPER_DIR, PaperRoute, open_paper_broker
from miniqmt_gui.live.settings import PAPER_STATE_FILE, EngineSettings
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.files import DONE_DIR, RESULT_FILE, SIGNAL_FILE, STATE_FILE
from windows_bridge.contract.messages import OrderResult, ResultStatus
from windows_bridge.executor.journal import JOURNAL_FILE

from .support import ScriptedDecider, make_quote, simple_grid, write_quote

LIVENESS_S = 20.0


def _paper_engine(tmp_path, shared, clock, fill_ratio=1.0, timeout=30.0, risk=None, **kwargs):
    settings = EngineSettings(shared_dir=shared, work_dir=tmp_path / "work", paper=True,
                              paper_order_timeout_s=timeout, risk=risk or RiskLimits(), owner_lock=False)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    broker = open_paper_broker(settings.paper_ledger_path, initial_cash=100_000.0, base_shares=None,
                               code="159201.SZ", fill_ratio=fill_ratio, clock=clock.wall)
    route = PaperRoute(settings, broker, clock=clock.wall, monotonic=clock.monotonic)
    tokens = iter(f"{n:08x}" for n in range(len(list(settings.work_dir.iterdir())) * 100 + 1, 100_000))
    engine = LiveEngine(settings, ScriptedDecider(simple_grid), route=route, clock=clock.wall,
                        monotonic=clock.monotonic, token=lambda: next(tokens), **kwargs)
    engine.start()
    return engine, settings


@pytest.fixture
def engines():
    """Close every paper engine a test built (joins the executor threads)."""
    built: list[LiveEngine] = []
    yield built
    for engine in built:
        engine.close()


def _tick(engine, shared, clock, seq, price, volume=0):
    clock.advance(3)
    write_quote(shared, make_quote(seq, price, clock.now, volume=volume))
    engine.step()


def _step_until(engine: LiveEngine, done: Callable[[], bool],
                tick: Callable[[], None] = lambda: None) -> None:
    """Step the engine (calling ``tick`` before each step) until ``done()``."""
    deadline = time.monotonic() + LIVENESS_S
    while not done():
        assert time.monotonic() < deadline, "the paper executor did not answer"
        time.sleep(0.005)
        tick()
        engine.step()


def _settled(engine: LiveEngine) -> Callable[[], bool]:
    return lambda: engine.book.pending_signal is None


def test_paper_buy_goes_through_the_real_executor_and_keeps_books_apart(tmp_path, shared, clock, engines):
    engine, settings = _paper_engine(tmp_path, shared, clock)
    engines.append(engine)
    _tick(engine, shared, clock, 1, 1.0)
    _tick(engine, shared, clock, 2, 0.985)
    _step_until(engine, _settled(engine))
    b = engine.book
    assert b.mode == "paper" and b.positions[0].shares == 1000
    paper = settings.work_dir / PAPER_DIR
    result = read_message(paper / "shared" / RESULT_FILE, OrderResult).value
    assert result is not None and result.status is ResultStatus.FILLED and result.order_id is not None
    assert (paper / "shared" / DONE_DIR).is_dir() and (paper / "executor" / JOURNAL_FILE).exists()
    assert not (shared / SIGNAL_FILE).exists() and not (shared / STATE_FILE).exists()
    assert (settings.work_dir / PAPER_STATE_FILE).exists()
    # the real account (quote position 0) is not the paper truth: no clearing of paper lots
    for seq in (3, 4, 5, 6):
        _tick(engine, shared, clock, seq, 0.985, volume=0)
    assert engine.book.hold_layers == 1 and "mismatch" not in engine.status.blockers


def test_paper_orders_pass_the_executors_pretrade_checks(tmp_path, shared, clock, engines):
    """A buy above the configured value limit is refused by the executor, as it would be live."""
    engine, _ = _paper_engine(tmp_path, shared, clock, risk=RiskLimits(max_value_per_order=500.0))
    engines.append(engine)
    _tick(engine, shared, clock, 1, 1.0)
    _tick(engine, shared, clock, 2, 0.985)
    _step_until(engine, _settled(engine))
    assert engine.book.hold_layers == 0  # rolled back
    assert engine.snapshot().last_result is not None
    assert engine.snapshot().last_result.reason_code != ""
    assert engine._route.broker.query_orders() in (None, [])


def test_paper_partial_fill_is_cancelled_after_the_timeout(tmp_path, shared, clock, engines):
    engine, _ = _paper_engine(tmp_path, shared, clock, fill_ratio=0.5, timeout=10.0)
    engines.append(engine)
    _tick(engine, shared, clock, 1, 1.0)
    _tick(engine, shared, clock, 2, 0.985)
    orders = engine._route.broker.query_orders
    _step_until(engine, lambda: bool(orders()) and orders()[0].filled_shares == 500)
    assert engine.book.pending_signal is not None  # half filled, the rest still working
    start = clock.mono
    _step_until(engine, _settled(engine), tick=lambda: clock.advance(0.25))  # time passes
    assert clock.mono - start >= 10.0  # not before the order timeout
    b = engine.book
    assert b.positions[0].shares == 500 and b.pending_buy_shares == 500


def test_paper_crash_after_placing_does_not_place_twice(tmp_path, shared, clock, engines):
    def crash(name):
        if name == "after_signal":
            raise RuntimeError(name)

    engine, _ = _paper_engine(tmp_path, shared, clock, checkpoint=crash)
    _tick(engine, shared, clock, 1, 1.0)
    with pytest.raises(RuntimeError):
        _tick(engine, shared, clock, 2, 0.985)
    first_orders = engine._route.broker.query_orders
    _step_until(engine, lambda: bool(first_orders()))
    engine.close()
    again, _ = _paper_engine(tmp_path, shared, clock)
    engines.append(again)
    _step_until(again, _settled(again))
    orders = again._route.broker.query_orders()
    assert len(orders) == 1
    assert again.book.positions[0].shares == 1000


def test_each_code_of_a_portfolio_has_its_own_paper_executor_folder(tmp_path: Path) -> None:
    from miniqmt_gui.live.paper import paper_executor_settings

    first = EngineSettings(shared_dir=tmp_path / "s", work_dir=tmp_path / "w", paper=True)
    second = first.model_copy(update={"code": "512890.SH", "primary": False})
    assert first.paper_dir == tmp_path / "w" / PAPER_DIR  # v1.0.0's folder unchanged
    a, b = paper_executor_settings(first), paper_executor_settings(second)
    # two paper executors in one folder would share one journal and one signal file
    assert a.state_dir != b.state_dir and a.shared_dir != b.shared_dir
    assert first.paper_ledger_path != second.paper_ledger_path
