"""Broker truth: a trustworthy zero clears the lots, any other mismatch blocks buys."""

from __future__ import annotations

from miniqmt_gui.live.broker_sync import BrokerSync, SyncVerdict

from .support import T0, make_quote


def test_trustworthy_zero_needs_several_snapshots():
    sync = BrokerSync(zero_snapshots=3)
    verdicts = [sync.check(make_quote(s, 1.0, T0), 1000, in_flight=False).verdict for s in (1, 1, 2, 3)]
    assert verdicts == [SyncVerdict.ZERO_PENDING] * 3 + [SyncVerdict.CLEAR_LOTS]


def test_failed_query_is_never_zero():
    sync = BrokerSync(zero_snapshots=1)
    assert sync.check(make_quote(1, 1.0, T0, volume=None), 1000, False).verdict is SyncVerdict.UNKNOWN


def test_zero_volume_with_market_value_is_not_trustworthy():
    sync = BrokerSync(zero_snapshots=1)
    report = sync.check(make_quote(1, 1.0, T0, volume=0, asset_mv=500.0), 1000, False)
    assert report.verdict is SyncVerdict.MISMATCH and report.blocks_buys


def test_no_check_while_an_order_is_in_flight():
    sync = BrokerSync(zero_snapshots=2)
    sync.check(make_quote(1, 1.0, T0), 1000, False)
    assert sync.check(make_quote(2, 1.0, T0), 1000, True).verdict is SyncVerdict.UNKNOWN
    assert sync.check(make_quote(3, 1.0, T0), 1000, False).verdict is SyncVerdict.ZERO_PENDING


def test_interrupted_zero_run_restarts():
    sync = BrokerSync(zero_snapshots=2)
    sync.check(make_quote(1, 1.0, T0), 1000, False)
    sync.check(make_quote(2, 1.0, T0, volume=1000, market_value=1000), 1000, False)
    assert sync.check(make_quote(3, 1.0, T0), 1000, False).verdict is SyncVerdict.ZERO_PENDING


def test_base_position_and_mismatches():
    sync = BrokerSync(base_shares=300_000)
    q = make_quote(1, 1.0, T0, volume=301_000, market_value=301_000, asset_mv=301_000)
    assert sync.check(q, 1000, False).verdict is SyncVerdict.AGREE
    assert sync.check(q, 2000, False).verdict is SyncVerdict.MISMATCH
    unknown_base = BrokerSync()
    assert unknown_base.check(q, 2000, False).verdict is SyncVerdict.AGREE
    low = make_quote(2, 1.0, T0, volume=500, market_value=500, asset_mv=500)
    assert unknown_base.check(low, 2000, False).verdict is SyncVerdict.MISMATCH
