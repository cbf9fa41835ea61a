"""broker_factory: the fake wiring used by the executor and the bridge processes."""

from __future__ import annotations

import time

import pytest

from windows_bridge.brokers.factory import (
    FactoryError,
    FakeOptions,
    create_broker,
    create_market_data,
    fake_terminal,
    shared_replay_start,
)
from windows_bridge.brokers.interface import OrderEvent, Side
from windows_bridge.contract.config import Settings

from .xtfake_helpers import CODE, collect, write_bars_csv


def test_env_is_required_and_parsed():
    with pytest.raises(FactoryError, match="MINIQMT_REPLAY_CSV"):
        FakeOptions.from_env({})
    opts = FakeOptions.from_env(
        {
            "MINIQMT_REPLAY_CSV": "x.csv",
            "MINIQMT_REPLAY_SPEED": "120",
            "MINIQMT_REPLAY_START": "5",
            "MINIQMT_SIM_CASH": "5000",
            "MINIQMT_SIM_FILL_RATIO": "0.5",
        }
    )
    assert (opts.speed, opts.start_epoch, opts.initial_cash, opts.fill_ratio) == (120.0, 5.0, 5000.0, 0.5)
    with pytest.raises(FactoryError):
        FakeOptions.from_env({"MINIQMT_REPLAY_CSV": "x.csv", "MINIQMT_REPLAY_SPEED": "fast"})


def test_replay_start_is_shared_through_the_state_folder(tmp_path):
    first = shared_replay_start(tmp_path)
    assert shared_replay_start(tmp_path) == first


def test_executor_and_bridge_share_one_simulated_account(tmp_path):
    settings = Settings(shared_dir=tmp_path, state_dir=tmp_path / "state", broker="fake")
    fake = FakeOptions(write_bars_csv(tmp_path / "bars.csv"), speed=60.0, start_epoch=time.time() - 20)
    executor = create_broker(settings, "executor", fake=fake)
    bridge = create_broker(settings, "bridge", fake=fake)
    assert executor.connected and bridge.connected and executor.session_id != bridge.session_id
    tick = create_market_data(settings, "executor", fake=fake).latest_tick(CODE)
    assert tick is not None
    executor.place_limit_order(CODE, Side.BUY, 500, round(tick.price + 0.01, 3), "F1")
    events = collect(
        executor, lambda ev: any(isinstance(e, OrderEvent) and e.order.status.is_final for e in ev)
    )
    assert [e.order.filled_shares for e in events if isinstance(e, OrderEvent)][-1] == 500
    positions = bridge.query_positions()
    assert positions is not None and {p.code: p.volume for p in positions}[CODE] == 500
    with pytest.raises(Exception, match="order not sent"):
        bridge.place_limit_order(CODE, Side.BUY, 100, tick.price, "nope")  # the bridge's view is read-only
    executor.close()
    bridge.close()
    for role in ("executor", "bridge"):
        fake_terminal(settings, role, fake).shutdown()  # stops the executor-side pump thread
