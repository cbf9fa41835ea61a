"""The bridge producer over the xtquant fake: quote file, seq, failures, outages, replay CLI, export."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from datetime import datetime

import pandas as pd
import pytest

from windows_bridge.bridge.main import main
from windows_bridge.bridge.producer import SEQ_FILE, BridgeProducer
from windows_bridge.brokers.interface import Side
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.execution import XtBroker
from windows_bridge.brokers.xtquant.fake import FakeQmt, XtQuantTrader
from windows_bridge.brokers.xtquant.fake.replay import ReplayClock, ReplaySource, load_bars
from windows_bridge.brokers.xtquant.market_data import XtMarketData
from windows_bridge.contract.atomic_io import read_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import SharedQuote

from .xtfake_helpers import ACCOUNT, CODE, FakeMonotonic, collect, wait_for, write_bars_csv

T0 = 1_700_000_000.0


class Wall:
    """Hand-driven wall clock for the replay."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def env(tmp_path):
    """Folders, a replay 1 h into day 2, an executor-side fake owning the ledger, a bridge-side reader."""
    shared, state = tmp_path / "share", tmp_path / "state"
    shared.mkdir()
    settings = Settings(shared_dir=shared, state_dir=state, broker="fake", history_bars=120)
    csv = write_bars_csv(tmp_path / "bars.csv")
    wall = Wall(T0 + 60.0)
    replay = ReplaySource(load_bars(csv), ReplayClock(T0, 60.0, wall=wall))
    ledger = tmp_path / "ledger.json"
    owner = FakeQmt(SimBroker(ledger, clock=replay.now), account_id=ACCOUNT, replay=replay)
    owner.install(f"exec-qmt://{tmp_path}")
    reader = FakeQmt(
        SimBroker(ledger, clock=replay.now, read_only=True),
        account_id=ACCOUNT,
        replay=replay,
        feed_quotes=False,
    ).install(f"bridge-qmt://{tmp_path}")
    clock = FakeMonotonic()
    broker = XtBroker(reader._path, ACCOUNT, trader_factory=XtQuantTrader, monotonic=clock, backoff_s=(5.0,))
    assert broker.connect()
    assert wait_for(lambda: broker.account_status != "")  # the status push is asynchronous
    ns = type("Env", (), {})()
    ns.settings, ns.csv, ns.wall, ns.replay, ns.owner, ns.reader = settings, csv, wall, replay, owner, reader
    ns.broker, ns.clock, ns.market = broker, clock, XtMarketData(reader.xtdata)
    yield ns
    broker.close()
    owner.shutdown()
    reader.shutdown()


def producer(env, **kwargs) -> BridgeProducer:
    p = BridgeProducer(env.settings, env.broker, env.market, **kwargs)
    p.start()
    assert p.warmup.join(timeout=30.0)  # the history download runs on its own thread
    return p


def read_quote(env) -> SharedQuote:
    result = read_message(env.settings.shared_dir / QUOTE_FILE, SharedQuote)
    assert result.ok, result.error
    return result.value


def test_quote_file_contents(env):
    quote = producer(env).tick()
    assert quote is not None
    on_disk = read_quote(env)
    assert on_disk.seq == quote.seq == 1
    snap = env.replay.snapshot()
    assert on_disk.code == CODE and on_disk.price == snap.price and on_disk.time == snap.time
    assert on_disk.pre_close == snap.pre_close
    assert len(on_disk.history) == 120
    assert on_disk.history[-1].time <= on_disk.time
    assert on_disk.history[-1].close == env.replay.bars.close[env.replay.completed_count() - 1]
    assert on_disk.positions_status == "ok"
    assert on_disk.position is not None and on_disk.position.volume == 0  # flat, and known to be flat
    assert on_disk.asset is not None and on_disk.asset.cash == 1_000_000
    assert on_disk.connected and on_disk.account_status == "ok"
    assert on_disk.up_stop_price == pytest.approx(round(snap.pre_close * 1.1, 3))
    assert on_disk.bid_vol[0] == 12_000  # lots converted to shares


def test_position_written_by_the_executor_side_shows_up(env):
    exec_broker = XtBroker(env.owner._path, ACCOUNT, trader_factory=XtQuantTrader)
    assert exec_broker.connect()
    price = env.replay.snapshot().price
    exec_broker.place_limit_order(CODE, Side.BUY, 1000, price, "B1")
    collect(exec_broker, lambda ev: any(getattr(e, "order", None) and e.order.status.is_final for e in ev))
    quote = producer(env).tick()
    assert quote.position.volume == 1000 and quote.position.can_use_volume == 0
    cost = 1000 * price + round(1000 * price * 0.0001, 2)  # value + commission, in fen
    assert quote.position.avg_price == pytest.approx(cost / 1000)
    assert quote.asset.cash < 1_000_000
    exec_broker.close()


def test_seq_grows_and_survives_a_restart(env):
    p = producer(env)
    seqs = []
    for _ in range(3):
        env.wall.now += 3.0
        seqs.append(p.tick().seq)
    assert seqs == [1, 2, 3]
    assert producer(env).tick().seq == 4  # restart: from the state file
    (env.settings.state_dir / SEQ_FILE).unlink()
    assert producer(env).tick().seq == 5  # state lost: seeded from the quote file


def test_failed_position_query_is_reported_as_failed_without_a_position(env):
    exec_broker = XtBroker(env.owner._path, ACCOUNT, trader_factory=XtQuantTrader)
    assert exec_broker.connect()
    exec_broker.place_limit_order(CODE, Side.BUY, 1000, env.replay.snapshot().price, "B1")
    collect(exec_broker, lambda ev: any(getattr(e, "order", None) and e.order.status.is_final for e in ev))
    exec_broker.close()
    p = producer(env)
    # QMT answers None for "failed" and for "no positions": with shares held (asset market value > 0)
    # the None can only be a failure, and it must never look flat
    env.reader.fail_queries = 1
    quote = p.tick()
    assert quote.positions_status == "failed" and quote.position is None
    raw = json.loads((env.settings.shared_dir / QUOTE_FILE).read_text(encoding="utf-8"))
    assert raw["positions_status"] == "failed" and raw["position"] is None
    assert p.tick().positions_status == "ok"


def test_shared_folder_removed_and_restored(env, caplog):
    p = producer(env)
    first = p.tick().seq
    shutil.rmtree(env.settings.shared_dir)
    with caplog.at_level(logging.WARNING, logger="windows_bridge.bridge"):
        assert p.tick() is None
        assert p.tick() is None
    outage_logs = [r for r in caplog.records if "cannot write" in r.getMessage()]
    assert len(outage_logs) == 1  # logged once per outage
    env.settings.shared_dir.mkdir()
    quote = p.tick()
    assert quote is not None and quote.seq > first
    assert read_quote(env).seq == quote.seq


def test_disconnect_is_visible_then_the_bridge_reconnects_with_backoff(env, caplog):
    p = producer(env)
    assert p.tick().connected
    env.reader.disconnect("QMT restarted", down=True)
    collect(env.broker, lambda ev: bool(ev), 0.5)
    with caplog.at_level(logging.WARNING, logger="windows_bridge.bridge"):
        down = p.tick()
    assert down is not None and not down.connected
    assert down.positions_status == "failed" and down.position is None
    assert any("not connected" in r.getMessage() for r in caplog.records)
    env.reader.running = True
    old_session = env.broker.session_id
    assert not p.tick().connected  # still inside the backoff window
    env.clock.now += 10.0
    back = p.tick()
    assert back.connected and back.positions_status == "ok"
    assert env.broker.session_id != old_session


def test_history_is_downloaded_at_start_with_visible_progress(env, caplog):
    xtdata = env.reader.xtdata
    release = threading.Event()
    real = xtdata.download_history_data2

    def slow_download(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    xtdata.download_history_data2 = slow_download
    p = BridgeProducer(env.settings, env.broker, env.market)
    with caplog.at_level(logging.INFO, logger="windows_bridge.bridge"):
        p.start()
        warming = p.tick()
        # published at once, not silent: the download is in progress and says so
        assert warming is not None and warming.warmup.startswith("下载历史数据")
        assert len(warming.history) < 120  # QMT has no minute bars before the download
        release.set()
        assert p.warmup.join(timeout=30)
    done = p.tick()
    assert done.warmup == "" and len(done.history) == 120
    assert xtdata.downloads and xtdata.downloads[0][:2] == (CODE, "1m")
    text = caplog.text
    assert "history warm-up" in text and "2/2 (100%)" in text


def test_history_is_downloaded_again_after_a_reconnect(env):
    p = producer(env)
    before = len(env.reader.xtdata.downloads)
    env.reader.disconnect("QMT restarted")
    collect(env.broker, lambda ev: bool(ev), 0.5)
    env.clock.now += 10.0
    assert p.tick().connected or p.tick().connected
    assert p.warmup.join(timeout=30)
    assert len(env.reader.xtdata.downloads) > before


def test_market_data_outage_republishes_the_last_quote_as_not_connected(env):
    p = producer(env)
    good = p.tick()
    env.reader.xtdata.available = False
    env.wall.now += 30
    stale = p.tick()
    assert stale is not None and stale.seq > good.seq
    assert stale.time == good.time and not stale.connected
    env.reader.xtdata.available = True
    assert p.tick().time > good.time


def test_daily_reinitialisation_before_the_open(env):
    moments = iter(
        [
            datetime(2024, 1, 3, 8, 50, tzinfo=SHANGHAI),
            datetime(2024, 1, 3, 9, 5, tzinfo=SHANGHAI),
            datetime(2024, 1, 3, 9, 11, tzinfo=SHANGHAI),
            datetime(2024, 1, 3, 9, 20, tzinfo=SHANGHAI),
        ]
    )
    p = producer(env, clock=lambda: next(moments))
    sessions = []
    for _ in range(4):
        p.tick()
        sessions.append(env.broker.session_id)
    assert sessions[0] == sessions[1]
    assert sessions[2] != sessions[1]  # 09:10 passed: new session
    assert sessions[3] == sessions[2]  # once a day


# ---------------------------------------------------------------- command line (replay mode, export)


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    shared, state = tmp_path / "share", tmp_path / "state"
    shared.mkdir()
    monkeypatch.setenv("SHARED_DIR", str(shared))
    monkeypatch.setenv("MINIQMT_STATE_DIR", str(state))
    monkeypatch.setenv("MINIQMT_CONFIG", str(tmp_path / "absent.toml"))
    for var in ("MINIQMT_REPLAY_CSV", "MINIQMT_REPLAY_START", "MINIQMT_SIM_LEDGER", "MINIQMT_BROKER"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_replay_mode_once_writes_a_quote_through_the_fake(cli_env):
    import time

    csv = write_bars_csv(cli_env / "bars.csv.gz")
    start = time.time() - 30  # 30 s × 60 → 30 minutes into day 2
    rc = main(["--once", "--replay", str(csv), "--speed", "60", "--replay-start", str(start)])
    assert rc == 0
    quote = read_message(cli_env / "share" / QUOTE_FILE, SharedQuote).value
    assert quote is not None and quote.connected and quote.positions_status == "ok"
    assert quote.time.date().isoformat() == "2024-01-03"
    assert 240 >= len(quote.history) >= 120
    assert (cli_env / "state" / "sim_ledger.json").exists()


def test_export_history_writes_a_backtest_csv(cli_env):
    csv = write_bars_csv(cli_env / "bars.csv")
    rc = main(
        [
            *("--export-history", CODE, "--period", "1m", "--start", "20240103", "--end", "20240103"),
            *("--replay", str(csv), "--replay-start", str(T0)),  # long ago: the whole file has played
        ]
    )
    assert rc == 0
    out = cli_env / "share" / "history_159201_1m.csv"
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["datetime", "open", "high", "low", "close", "volume"]
    assert len(frame) == 240
    assert (
        frame["datetime"].iloc[0] == "2024-01-03 09:31:00"
        and frame["datetime"].iloc[-1] == "2024-01-03 15:00:00"
    )
    source = pd.read_csv(csv)
    day = source[source["datetime"].str.startswith("2024-01-03")].reset_index(drop=True)
    assert (frame["close"] == day["close"]).all()
    assert (frame["volume"] == day["volume"] // 100 * 100).all()


def test_export_fails_cleanly_for_an_unknown_code(cli_env):
    csv = write_bars_csv(cli_env / "bars.csv")
    rc = main(
        ["--export-history", "600000.SH", "--start", "20240102", "--replay", str(csv), "--replay-start", "1"]
    )
    assert rc == 1
