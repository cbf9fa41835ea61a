"""The compiled bar-file reader gives exactly what the pandas reader gives, or hands the file over."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest import bar_files, text_pieces
from miniqmt_gui.backtest.bar_files import load_bar_arrays, read_fast
from miniqmt_gui.backtest.data import DataError, load_bars
from miniqmt_gui.strategy.indicators import BarArrays

from .helpers import SHARED_FILE, shared_data_dir
from .test_data_layouts import LAYOUTS, write_layout

#: layouts the compiled reader takes itself; the others go to pandas (same bars either way)
FAST = {"canonical", "dt name, no volume", "time as text", "original history (unnamed index)",
        "first column any name", "xtquant time in ms", "czsc (symbol, dt, open/close/high/low, vol)",
        "CRLF and seconds omitted", "xtquant stamp index and time"}


@pytest.fixture(params=["whole", "pieces", "pieces on one core"])
def split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Read every file in one piece, and again in pieces of a few lines (a ``.gz`` inflated 64 bytes at
    a time: seams everywhere) on two threads, and on one (as long files are read)."""
    pieces = request.param != "whole"
    if pieces:
        monkeypatch.setattr(text_pieces, "CHUNK_BYTES", 64)
        monkeypatch.setattr(bar_files.os, "cpu_count", lambda: 1 if "one core" in request.param else 2)
    return pieces


def assert_same(a: BarArrays, b: BarArrays) -> None:
    for name in ("utc_ns", "local_s", "open", "high", "low", "close", "volume"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("gz", [False, True])
def test_fast_reader_equals_pandas_or_hands_over(tmp_path: Path, name: str, gz: bool, split: bool) -> None:
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
def test_bad_files_get_the_general_readers_error(tmp_path: Path, text: str, split: bool) -> None:
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


def test_gzip_members_padding_and_truncation(tmp_path: Path, split: bool) -> None:
    """Inflated piece by piece: every member is read, zero padding after the last is allowed, a file cut
    short is handed over (never read as fewer bars)."""
    import gzip

    rows = [f"{t},1.5,1.6,1.4,1.5,{i}\n" for i, t in enumerate(_minutes(300))]
    head = "datetime,open,high,low,close,volume\n"
    first, second = (head + "".join(rows[:120])).encode(), "".join(rows[120:]).encode()
    members = gzip.compress(first) + gzip.compress(second)
    path = tmp_path / "bars.csv.gz"
    header_alone = gzip.compress(head.encode()) + gzip.compress("".join(rows).encode())  # rows appended later
    for raw in (members, members + b"\x00" * 16, header_alone):
        path.write_bytes(raw)
        fast = read_fast(path)
        assert fast is not None and len(fast.close) == 300
        assert_same(fast, BarArrays.from_frame(load_bars(path)))
    path.write_bytes(members[:-40])
    assert read_fast(path) is None
    with pytest.raises(DataError):
        load_bar_arrays(path)


MEMBERS = st.lists(st.binary(max_size=400), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MEMBERS, st.lists(st.integers(0, 40), min_size=4, max_size=4), st.integers(1, 70), st.integers(1, 300),
       st.sampled_from([b"", b"x", b"\x1f", b"\x1f\x8b", b"\x1f\x8b\x08"]), st.booleans())
def test_inflating_in_pieces_gives_what_gzip_gives(monkeypatch: pytest.MonkeyPatch, members: list[bytes],
                                                   zeros: list[int], input_bytes: int, chunk_bytes: int,
                                                   junk: bytes, lead_zero: bool) -> None:
    """Any cut of the input and output: the same text as ``gzip.decompress`` (members, zero padding
    between and after them), or an error where it fails (trailing junk, zeros before the first member)."""
    import gzip
    import zlib

    monkeypatch.setattr(text_pieces, "INPUT_BYTES", input_bytes)
    monkeypatch.setattr(text_pieces, "CHUNK_BYTES", chunk_bytes)
    raw = b"\x00" * lead_zero + b"".join(gzip.compress(m, compresslevel=1 + k % 9) + b"\x00" * zeros[k]
                                         for k, m in enumerate(members)) + junk
    try:
        expected: bytes | None = gzip.decompress(raw)
    except (OSError, EOFError, zlib.error):
        expected = None
    try:
        got: bytes | None = b"".join(text_pieces.inflate(raw))
    except text_pieces.INFLATE_ERRORS:
        got = None
    assert got == expected


def test_a_lone_cr_in_a_column_not_read_is_handed_over(tmp_path: Path, split: bool) -> None:
    """pandas ends a line at a lone CR, so this file is not what the fast reader would make of it."""
    path = tmp_path / "bars.csv"
    path.write_bytes(b"code,datetime,open,high,low,close\nA\rB,2024-01-02 09:31,1,1,1,1\n"
                     b"A,2024-01-02 09:32,1,1,1,1\r\n")
    assert read_fast(path) is None
    with pytest.raises(DataError):
        load_bar_arrays(path)


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
def test_hostile_bytes_never_crash_the_reader(tmp_path: Path, split: bool, junk: bytes) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"datetime,open,high,low,close\n2024-01-02 09:31,1,1,1,1\n" + junk)
    fast = read_fast(path)
    if fast is not None:  # then pandas must agree with it
        assert_same(fast, BarArrays.from_frame(load_bars(path)))


def _minutes(count: int, start: int = 0) -> list[str]:
    return [f"2024-01-{2 + (start + i) // 240:02d} {9 + (start + i) % 240 // 60:02d}:{(start + i) % 60:02d}"
            for i in range(count)]


@pytest.mark.parametrize("case", ["short lines later", "blank lines", "one half only blank"])
def test_pieces_give_the_same_bars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool,
                                       case: str) -> None:
    """Rows are placed by a guess from the first lines (too short a guess: counted and read again);
    blank lines leave a gap between the halves that is closed."""
    monkeypatch.setattr(bar_files, "GUESS_BYTES", 2000)
    out_of_room: list[int] = []
    parse_rows = bar_files.parse_rows

    def counted(*args: object) -> bar_files.Parsed:
        parsed = parse_rows(*args)  # type: ignore[arg-type]
        room = args[4]
        out_of_room.extend([1] if parsed[0] == room and not parsed[3][0] else [])
        return parsed

    monkeypatch.setattr(bar_files, "parse_rows", counted)
    times = _minutes(400)
    if case == "short lines later":  # the first lines are long, so the room guessed is too small
        rows = [f"{t},1.000000000001,1.000000000002,1.000000000001,1.000000000001,100" for t in times[:40]]
        rows += [f"{t},1,1,1,1,1" for t in times[40:]]
    elif case == "blank lines":
        rows = [f"{t},1.5,1.6,1.4,1.5,{i}" + ("\n\r\n" if i % 7 == 0 else "") for i, t in enumerate(times)]
    else:
        rows = [f"{t},1.5,1.6,1.4,1.5,{i}" for i, t in enumerate(times[:10])] + [""] * 400
    path = tmp_path / "bars.csv"
    path.write_text("datetime,open,high,low,close,volume\n" + "\n".join(rows) + "\n")
    fast = read_fast(path)
    assert fast is not None
    assert_same(fast, BarArrays.from_frame(load_bars(path)))
    # a short guess is counted and read again (pieces of a few lines always have room to spare)
    assert bool(out_of_room) == (case == "short lines later" and not split)


def test_text_and_number_times_in_different_halves_are_handed_over(tmp_path: Path, split: bool) -> None:
    text = [f"{t},1,1,1,1" for t in _minutes(50)]
    numbers = [f"{1_704_200_000_000 + 60_000 * i},1,1,1,1" for i in range(60, 110)]
    path = tmp_path / "bars.csv"
    path.write_text("datetime,open,high,low,close\n" + "\n".join(text + numbers) + "\n")
    assert read_fast(path) is None


def test_without_isal_the_standard_library_inflates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import zlib

    monkeypatch.setitem(sys.modules, "isal", None)  # as if not installed: its import fails
    inflater, errors = text_pieces.inflater_maker()
    assert type(inflater()) is type(zlib.decompressobj()) and EOFError in errors
    monkeypatch.setattr(text_pieces, "new_inflater", inflater)
    monkeypatch.setattr(text_pieces, "INFLATE_ERRORS", errors)
    path = write_layout(tmp_path, "canonical", True)
    fast = read_fast(path)
    assert fast is not None
    assert_same(fast, BarArrays.from_frame(load_bars(path)))
    (tmp_path / "bad.csv.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert read_fast(tmp_path / "bad.csv.gz") is None
