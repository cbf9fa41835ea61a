"""Walk-forward window arithmetic: calendar months and trading days, rolling, disjoint, no look-ahead."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest.sample import session_times
from miniqmt_gui.backtest.windows import (
    WindowError,
    WindowSpec,
    bar_range,
    parse_walk_forward,
    plan_windows,
)

TZ = "Asia/Shanghai"


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def _two_years() -> pd.DatetimeIndex:
    """Minute bars on every weekday of 2015–2016 (first bar 2015-01-01 09:31, last 2016-12-30 15:00)."""
    days = len(pd.bdate_range("2015-01-01", "2016-12-30"))
    return session_times(days, start="2015-01-01")


@pytest.mark.parametrize(("text", "spec"), [
    ("6:1", WindowSpec(6, 1, "months")), ("6m:1m", WindowSpec(6, 1, "months")),
    ("6M:2M", WindowSpec(6, 2, "months")), (" 120d : 20d ", WindowSpec(120, 20, "days")),
])
def test_parse(text: str, spec: WindowSpec) -> None:
    assert parse_walk_forward(text) == spec


@pytest.mark.parametrize("text", ["6", "6:", ":1", "6:0", "0:1", "6m:1d", "a:b", "6:1:1", "-6:1", "6w:1w",
                                  ""])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(WindowError):
        parse_walk_forward(text)


def test_six_months_train_one_month_test_over_two_years() -> None:
    index = _two_years()
    windows = plan_windows(index, parse_walk_forward("6:1"))
    assert len(windows) == 18
    first, last = windows[0], windows[-1]
    assert (first.train_start, first.test_start, first.test_end) == (
        _ts("2015-01-01"), _ts("2015-07-01"), _ts("2015-08-01"))
    assert (last.train_start, last.test_start, last.test_end) == (
        _ts("2016-06-01"), _ts("2016-12-01"), _ts("2017-01-01"))
    assert not any(w.partial for w in windows)
    for w, nxt in itertools.pairwise(windows):
        assert w.test_end == nxt.test_start  # test windows tile the out-of-sample span
        assert nxt.train_start == w.train_start + pd.DateOffset(months=1)  # rolling, fixed length
    for w in windows:
        assert w.train_end == w.test_start == w.train_start + pd.DateOffset(months=6)
        assert w.test_start.hour == w.test_start.minute == 0 and w.test_start.day == 1


def test_no_test_bar_falls_in_its_training_window() -> None:
    index = _two_years()
    for spec in ("6:1", "3:2", "120d:20d", "5d:1d"):
        for w in plan_windows(index, parse_walk_forward(spec)):
            a, b = bar_range(index, w.train_start, w.train_end)
            c, d = bar_range(index, w.test_start, w.test_end)
            assert a < b <= c < d, spec
            assert b == c  # adjacent: nothing between training and test is lost
            assert index[b - 1] < w.test_start <= index[c]
            assert index[a] >= w.train_start and index[d - 1] < w.test_end
            if a > 0:
                assert index[a - 1] < w.train_start


def test_a_short_last_test_window_is_kept_and_marked() -> None:
    windows = plan_windows(_two_years(), parse_walk_forward("6:4"))
    assert [w.test_start.strftime("%Y-%m") for w in windows] == ["2015-07", "2015-11", "2016-03", "2016-07",
                                                                  "2016-11"]
    assert [w.partial for w in windows] == [False] * 4 + [True]
    assert windows[-1].test_end == _ts("2017-01-01")


def test_trading_days() -> None:
    index = session_times(20, start="2024-01-02")  # 20 weekdays: Jan 2 .. Jan 29
    windows = plan_windows(index, parse_walk_forward("5d:2d"))
    assert len(windows) == 8
    days = pd.DatetimeIndex(index.normalize().unique())
    for k, w in enumerate(windows):
        assert w.train_start == days[2 * k] and w.test_start == days[2 * k + 5]
    assert windows[0].test_end == days[7]
    # a weekend never splits a test window: the window after a Friday ends at Monday 00:00
    assert windows[-1].partial and windows[-1].test_end == days[-1] + pd.Timedelta(days=1)
    a, b = bar_range(index, windows[0].test_start, windows[0].test_end)
    assert b - a == 2 * 240


def test_months_start_at_the_first_bars_month_and_count_empty_months() -> None:
    days = pd.bdate_range("2024-01-17", "2024-06-28")
    index = session_times(len(days), start="2024-01-17")
    index = index[(index.month != 3)]  # March has no bars at all
    windows = plan_windows(index, parse_walk_forward("1:1"))
    assert windows[0].train_start == _ts("2024-01-01")  # a part month counts as a month
    assert [w.test_start.month for w in windows] == [2, 3, 4, 5, 6]
    c, d = bar_range(index, windows[1].test_start, windows[1].test_end)
    assert c == d  # the empty month is a window without bars (walk-forward skips it)


def test_naive_times_are_shanghai() -> None:
    index = session_times(40, start="2024-01-02").tz_localize(None)
    w = plan_windows(index, parse_walk_forward("1:1"))[0]
    assert str(w.test_start.tz) == TZ and w.test_start == _ts("2024-02-01")


def test_too_little_data() -> None:
    with pytest.raises(WindowError, match="needs at least 7"):
        plan_windows(session_times(100, start="2024-01-02"), parse_walk_forward("6:1"))
    with pytest.raises(WindowError):
        plan_windows(pd.DatetimeIndex([], tz=TZ), parse_walk_forward("1:1"))


@settings(max_examples=60, deadline=None)
@given(train=st.integers(1, 8), test=st.integers(1, 6), months=st.integers(2, 30))
def test_window_count_and_tiling(train: int, test: int, months: int) -> None:
    """Any spec over any span: ⌈(months − train) / test⌉ windows tiling the months after the first train."""
    stamps = pd.date_range("2020-01-01 10:00", periods=months, freq="MS", tz=TZ)
    spec = WindowSpec(train, test, "months")
    if months <= train:
        with pytest.raises(WindowError):
            plan_windows(pd.DatetimeIndex(stamps), spec)
        return
    windows = plan_windows(pd.DatetimeIndex(stamps), spec)
    assert len(windows) == -(-(months - train) // test)
    assert windows[0].test_start == _ts("2020-01-01") + pd.DateOffset(months=train)
    assert windows[-1].test_end == _ts("2020-01-01") + pd.DateOffset(months=months)
    for w, nxt in itertools.pairwise(windows):
        assert w.test_end == nxt.test_start and not w.partial
    assert windows[-1].partial == ((months - train) % test != 0)
