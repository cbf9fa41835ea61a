"""The two-ETF demo's preparation and the fake's replay per code (fast; the processes themselves run in
``miniqmt demo --two-etfs``, whose single-code twin the chain process tests cover)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from miniqmt_gui.rehearsal.demo.layout import APP, BRIDGE, EXECUTOR, DemoLayout
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from miniqmt_gui.rehearsal.demo.prepare import child_env, other_base_shares, prepare
from windows_bridge.brokers.factory import FakeOptions, fake_terminal
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.config import load_settings

CODES = ("159201.SZ", "512890.SH")


def test_prepare_writes_two_replays_configs_and_both_base_positions(tmp_path: Path) -> None:
    layout, options = DemoLayout(tmp_path), DemoOptions(codes=CODES, days=2)
    base = prepare(layout, options)
    second = layout.replay_csv_for(CODES[1], False)
    a, b = pd.read_csv(layout.replay_csv), pd.read_csv(second)
    assert list(a["datetime"]) == list(b["datetime"]) and not a["close"].equals(b["close"])
    for role in (BRIDGE, EXECUTOR, APP):
        cfg = load_settings(layout.config(role), env={})
        assert cfg.instrument_codes() == list(CODES) and cfg.risk.code_whitelist == list(CODES)
    app = load_settings(layout.config(APP), env={})
    others = other_base_shares(layout, options)
    assert app.base_shares == base and others[CODES[1]] > 0 and app.app.pool_reserve == options.pool_reserve
    ledger = SimBroker(layout.ledger, read_only=True)
    held = {p.code: p.volume for p in ledger.query_positions() or []}
    assert held == {CODES[0]: base, CODES[1]: others[CODES[1]]}
    env = child_env(layout, options, 0.0, BRIDGE)
    assert env["MINIQMT_REPLAY_CSVS"] == f"{CODES[1]}={second}"


def test_the_single_code_demo_is_prepared_as_before(tmp_path: Path) -> None:
    layout = DemoLayout(tmp_path)
    prepare(layout, DemoOptions(days=2))
    assert load_settings(layout.config(APP), env={}).instrument_codes() == ["159201.SZ"]
    assert "codes" not in layout.config(BRIDGE).read_text(encoding="utf-8")
    assert "MINIQMT_REPLAY_CSVS" not in child_env(layout, DemoOptions(), 0.0, BRIDGE)


def test_the_fake_serves_each_code_its_own_replay(tmp_path: Path) -> None:
    layout, options = DemoLayout(tmp_path), DemoOptions(codes=CODES, days=2)
    prepare(layout, options)
    env = child_env(layout, options, 1_000.0, BRIDGE)
    fake = replace(FakeOptions.from_env(env), start_epoch=1_000.0)
    settings = load_settings(layout.config(BRIDGE), env={})
    terminal = fake_terminal(settings, "bridge-two-etf-test", fake)
    try:
        assert terminal.xtdata is not None
        ticks = terminal.xtdata.get_full_tick(list(CODES))
        assert set(ticks) == set(CODES) and ticks[CODES[0]]["lastPrice"] != ticks[CODES[1]]["lastPrice"]
        bars = terminal.xtdata.get_instrument_detail(CODES[1])
        assert bars is not None and bars["InstrumentID"] == "512890"
    finally:
        terminal.shutdown()


def test_the_engine_takes_the_pending_timeout_of_the_options(tmp_path: Path) -> None:
    """Fast chain tests re-send a lost signal after seconds, not the engine's 120 s."""
    import argparse

    from miniqmt_gui.commands import run_cmd
    from miniqmt_gui.rehearsal.demo.runner import ChainRun

    argv = ChainRun(tmp_path, DemoOptions(codes=CODES, pending_timeout_s=5.0)).engine_argv()
    assert argv[argv.index("--pending-timeout-s") + 1] == "5.0"
    assert "--pending-timeout-s" not in ChainRun(tmp_path, DemoOptions()).engine_argv()
    parser = argparse.ArgumentParser()
    run_cmd.add_arguments(parser)
    args = parser.parse_args(["--headless", "--rehearsal", "--pending-timeout-s", "5"])
    assert run_cmd._overrides(args) == {"session_only": False, "pending_timeout_s": 5.0}
