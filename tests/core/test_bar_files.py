"""The compiled bar-file reader gives exactly what the pandas reader gives, or hands the file over."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest.bar_files import load_bar_arrays, read_fast
from miniqmt_gui.backtest.data import DataError, load_bars
from miniqmt_gui.strategy.indicators import BarArrays

from .helpers import SHARED_FILE, shared_data_dir
from .test_data_layouts import LAYOUTS, write_layout

#: layouts the compiled reader takes itself; the others go to pandas (same bars either way)
FAST = {"canonical", "dt name, no volume", "time as text", "original history (unnamed index)",
        "first column any name", "xtquant time in ms", "czsc (symbol, dt, open/close/high/low, vol)",
        "CRLF and seconds omitted", "xtquant stamp index and time"}


def assert_same(a: BarArrays, b: BarArrays) -> None:
    for name in ("utc_ns", "local_s", "open", "high", "low", "close", "volume"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("gz", [False, True])
def test_fast_reader_equals_pandas_or_hands_over(tmp_path: Path, name: str, gz: bool) -> None:
    path = write_layout(tmp_path, name, gz)
    fast = read_fast(path)
    reference = BarArrays.from_frame(load_bars(path))
    assert (fast is not None) == (name in FAST)
    if fast is not None:
        assert_same(fast, reference)
    assert_same(load_bar_arrays(path), reference)


@pytest.mark.shared_data
def test_fast_reader_equals_pandas_on_market_data() -> None:
    path = shared_data_dir() / SHARED_FILE
    if not path.exists():
        pytest.skip("shared market data not present")
    fast = read_fast(path)
    assert fast is not None
    assert_same(fast, BarArrays.from_frame(load_bars(path)))


@pytest.mark.parametrize("text", [
    "datetime,open,high,low,close\n2024-01-02 09:32,1,1,1,1\n2024-01-02 09:31,1,1,1,1\n",  # unsorted
    "datetime,open,high,low,close\n2024-01-02 09:31,1,1,1,1\n2024-01-02 09:31,1,1,1,1\n",  # duplicate
    "datetime,open,high,low,close\n2024-01-02 09:31,1,1,1,0\n",  # non-positive
    "datetime,open,high,low,close\n2024-01-02 09:31,1,1,1,\n",  # empty price
    "datetime,open,high,low,close\n2024-02-30 09:31,1,1,1,1\n",  # no such day
    "datetime,open,high,low,close\n2024-01-02 09:31,1,1,1\n",  # short row
    "datetime,open,high,low\n2024-01-02 09:31,1,1,1\n",  # missing column
    "",
])
def test_bad_files_get_the_general_readers_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bars.csv"
    path.write_text(text)
    assert read_fast(path) is None
    with pytest.raises(DataError):
        load_bar_arrays(path)


def test_missing_and_corrupt_gzip_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        load_bar_arrays(tmp_path / "none.csv.gz")
    (tmp_path / "bad.csv.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert read_fast(tmp_path / "bad.csv.gz") is None
    with pytest.raises(DataError):
        load_bar_arrays(tmp_path / "bad.csv.gz")


DECIMALS = st.builds(lambda i, f, k: f"{i}.{str(f).zfill(k)[:k]}" if k else str(i),
                     st.integers(0, 10**7), st.integers(0, 10**9), st.integers(0, 9))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(DECIMALS, min_size=4, max_size=4))
def test_numbers_convert_exactly_like_pandas(tmp_path: Path, numbers: list[str]) -> None:
    path = tmp_path / "n.csv"
    values = [n if float(n) > 0 else "1" for n in numbers]
    path.write_text("datetime,open,high,low,close\n2024-01-02 09:31:00," + ",".join(values) + "\n")
    fast = read_fast(path)
    if fast is None:  # handed over only when a mantissa needs more than 53 bits
        assert max(int(v.replace(".", "")) for v in values) >= 2**53
        return
    assert_same(fast, BarArrays.from_frame(load_bars(path)))
    assert [fast.open[0], fast.high[0], fast.low[0], fast.close[0]] == [float(v) for v in values]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_hostile_bytes_never_crash_the_reader(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"datetime,open,high,low,close\n2024-01-02 09:31,1,1,1,1\n" + junk)
    fast = read_fast(path)
    if fast is not None:  # then pandas must agree with it
        assert_same(fast, BarArrays.from_frame(load_bars(path)))
