"""Live = backtest, proven on real bars: the real live engine with the real decider trades what the
``close`` backtest trades.

Each bar's close becomes a real ``shared_quote.json``; the real :class:`LiveEngine` reads it on a simulated
clock, the real :class:`GridDecider` decides, fills are instant at the signal price (the ``close`` model).
With ``prepared`` indicators (the backtest's own arrays) the trade lists must be identical.

The documented live difference — one intent per evaluation — cannot change a trade under these rules,
and the test counts it to show so: the buy trigger is evaluated *before* the sells against the anchor,
the anchor never exceeds the lowest held lot's price (it moves only to a new, lower buy or to the price of
a full exit), and any sale needs the price above a lot's price × (1 + take-profit). So no bar both sells
and buys, and what remains of the difference is that several lots sold on one bar go out as ONE signal —
each such signal is listed and checked against the backtest's per-lot trades, line by line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.rehearsal.live_replay import Comparison, compare, prepare_bars
from miniqmt_gui.strategy.params import StrategyParams
from tests.core.helpers import SHARED_FILE, shared_data_dir
from windows_bridge.contract.messages import SIGNAL_ID_RE


def _fast_tmp(tmp_path: Path) -> Path:
    """A RAM-backed folder when there is one (a replay writes two files per bar)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        import tempfile

        return Path(tempfile.mkdtemp(prefix="miniqmt-replay-", dir=shm))
    return tmp_path


def _explain(c: Comparison) -> str:
    lines = [f"backtest {len(c.backtest)} trades, live {len(c.live)}; "
             f"bars that sold and bought: {len(c.same_bar_sell_and_buy)}; "
             f"multi-lot SELL signals: {len(c.multi_lot_sells)}"]
    for bar, sid, layers, shares in c.multi_lot_sells:
        lines.append(f"  bar {bar}: live signal {sid} sells layers {layers} ({shares} shares) = "
                     f"{len(layers)} backtest trades")
    lines += c.differences[:20]
    return "\n".join(lines)


def _check(c: Comparison) -> None:
    report = _explain(c)
    print(report)
    assert c.same_bar_sell_and_buy == [], report
    assert c.identical, report
    for bar, sid, layers, shares in c.multi_lot_sells:
        at_bar = [t for t in c.backtest if t.bar == bar and t.side == "SELL"]
        assert sorted(t.layer for t in at_bar) == sorted(layers), report
        assert sum(t.shares for t in at_bar) == shares, report
        match = SIGNAL_ID_RE.match(sid)
        assert match is not None and int(match.group(3)) == max(layers), report  # named after the top layer


def test_embedded_sample_through_the_live_engine(tmp_path: Path) -> None:
    params = StrategyParams()
    pb = prepare_bars(make_sample_bars(days=40), params)
    c = compare(pb, params, _fast_tmp(tmp_path) / "replay")
    _check(c)
    assert len(c.backtest) > 100


@pytest.mark.shared_data
def test_shared_2015_2016_file_through_the_live_engine(tmp_path: Path) -> None:
    path = shared_data_dir() / SHARED_FILE
    if not path.exists():
        pytest.skip(f"{path} not present")
    params = StrategyParams()
    pb = prepare_bars(load_bars(path), params)
    c = compare(pb, params, _fast_tmp(tmp_path) / "replay")
    _check(c)
    assert len(c.backtest) == 375 and len(c.multi_lot_sells) > 0
