"""The replay source: CSV loading, deterministic clock, intra-bar path, completed bars, limits."""

from __future__ import annotations

import pytest

from windows_bridge.brokers.xtquant.fake.replay import ReplayClock, ReplayError, ReplaySource, load_bars
from windows_bridge.contract.prices import is_on_tick

from .xtfake_helpers import write_bars_csv

T0 = 1_700_000_000.0


@pytest.fixture
def csv(tmp_path):
    return write_bars_csv(tmp_path / "bars.csv")


def source(csv, wall, speed=60.0, skip=240):
    return ReplaySource(load_bars(csv), ReplayClock(T0, speed, wall=lambda: wall), skip_bars=skip)


def test_loads_plain_and_gzip_files_with_end_times(tmp_path, csv):
    gz = write_bars_csv(tmp_path / "bars.csv.gz")
    a, b = load_bars(csv), load_bars(gz)
    assert len(a) == len(b) == 720
    assert (a.close == b.close).all()
    assert a.end_ms[0] == 1704159060000  # 2024-01-02 09:31 Shanghai = bar END
    assert a.pre_close[240] == a.close[239]  # day 2 starts from day 1's last close


def test_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("when,price\n2024-01-02 09:31:00,1.0\n")
    with pytest.raises(ReplayError, match="open, high, low, close"):
        load_bars(bad)


def test_clock_maps_wall_seconds_times_speed_onto_bars(csv):
    src = source(csv, wall=T0 + 30.0)  # 30 s × 60 = 30 simulated minutes
    assert src.position() == (270, 0.0)
    assert src.now().strftime("%Y-%m-%d %H:%M") == "2024-01-03 10:00"
    assert source(csv, wall=T0 - 100).position() == (240, 0.0)  # before the start: first bar
    assert source(csv, wall=T0 + 1e6).position() == (719, 1.0)  # after the end: stays at the end


def test_two_processes_with_the_same_settings_see_the_same_prices(csv):
    walls = [T0 + k * 0.37 for k in range(60)]
    a = [source(csv, w).snapshot().price for w in walls]
    b = [source(csv, w).snapshot().price for w in walls]
    assert a == b
    assert len(set(a)) > 10  # it moves
    assert a != [source(csv, w, speed=120).snapshot().price for w in walls]


def test_intra_bar_path_runs_open_to_close_inside_the_range_on_the_tick(csv):
    src = source(csv, wall=T0)
    bars = src.bars
    for i in (240, 300, 500):
        assert src.price_at(i, 0.0) == pytest.approx(bars.open[i])
        assert src.price_at(i, 1.0) == pytest.approx(bars.close[i])
        for k in range(31):
            p = src.price_at(i, k / 30)
            assert bars.low[i] - 1e-9 <= p <= bars.high[i] + 1e-9
            assert is_on_tick(p)


def test_only_completed_bars_are_served(csv):
    src = source(csv, wall=T0 + 10.5)  # 10.5 simulated minutes into day 2
    part = src.bar_slice(None, None, 120)
    assert part.stop == 250 and part.stop - part.start == 120
    snap = src.snapshot()
    assert src.bars.end_ms[part.stop - 1] <= snap.time.timestamp() * 1000 < src.bars.end_ms[part.stop]


def test_snapshot_has_day_stats_and_limits(csv):
    src = source(csv, wall=T0 + 60.0)
    snap = src.snapshot()
    day = slice(240, snap.bar_index)
    assert snap.open == src.bars.open[240]
    assert snap.high >= src.bars.high[day].max() and snap.low <= src.bars.low[day].min()
    assert snap.volume >= src.bars.volume[day].sum()
    pre, up, down = src.limits()
    assert pre == snap.pre_close == src.bars.close[239]
    assert up == pytest.approx(round(pre * 1.1, 3)) and down == pytest.approx(round(pre * 0.9, 3))
