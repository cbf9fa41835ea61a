"""Bar files straight to arrays: the compiled text reader first, the general pandas reader otherwise.

:func:`load_bar_arrays` accepts every layout :mod:`miniqmt_gui.backtest.data` documents and gives
the same bars. The common files (comma-separated, a text time or xtquant's epoch-ms ``time``, plain
decimals, ``.csv`` or ``.csv.gz``) are read by the compiled reader of
:mod:`miniqmt_gui.strategy.bar_bytes` in milliseconds and without importing pandas; whatever that
reader does not handle — another layout, a stamp index, quotes, an exponent, a bad row, unsorted or
duplicate times, a non-positive price — goes to :func:`miniqmt_gui.backtest.data.load_bars`, which
reads it or words the error.

Speed (the backtest's largest stage): ``.gz`` files are inflated by ISA-L (``isal``) when installed,
and a long text is parsed in two halves at once, the second on a helper thread (the compiled reader
holds no GIL); the rows are laid out by columns so the bars are views, not copies.
"""

from __future__ import annotations

import gzip
import os
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np

from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import BarArrays
from miniqmt_gui.strategy.slots import ST_OK, ST_TIME_KIND, TIME_NUMBER, TIME_TEXT

PRICE_COLUMNS = ("open", "high", "low", "close")
TIME_NAMES = ("datetime", "dt", "date", "time", "timestamp", "bar_time")
SHANGHAI_OFFSET_S = 8 * 3600  # UTC+8 all year since 1991 (earlier dates: the general reader)
FIRST_FIXED_OFFSET_S = 694_224_000  # 1992-01-01 00:00
EPOCH_MS_RANGE = (10**11, 10**13)  # the general reader's range for xtquant's ``time``
#: files whose text is at least this long are parsed in two halves on two threads (the reader holds no GIL)
SPLIT_BYTES = 1 << 20
#: the rows of a file are guessed from the length of the lines in its first bytes
GUESS_BYTES = 1 << 16


def _inflater() -> tuple[Callable[[bytes], bytes], tuple[type[BaseException], ...]]:
    """ISA-L's gzip inflate when installed (3-5x zlib's speed, the same bytes, multi-member aware),
    else the standard library's; and what inflating a broken file raises (the general reader words it)."""
    errors: tuple[type[BaseException], ...] = (OSError, EOFError, ValueError, zlib.error)
    try:
        from isal import igzip, isal_zlib
    except ImportError:
        return gzip.decompress, errors
    return igzip.decompress, (*errors, cast(type[BaseException], isal_zlib.IsalError))


_gunzip, _INFLATE_ERRORS = _inflater()


def _columns(header: str) -> tuple[int, list[int]] | None:
    """(time field, fields of open/high/low/close/volume) as :mod:`data` maps them; None: not handled."""
    names = [n.strip().lower() for n in header.split(",")]
    if any('"' in n or "'" in n for n in names) or len(set(names)) != len(names):
        return None
    if "volume" not in names and "vol" in names:
        names[names.index("vol")] = "volume"
    time_name = next((n for n in TIME_NAMES if n in names), names[0])
    if time_name in PRICE_COLUMNS or any(c not in names for c in PRICE_COLUMNS):
        return None
    fields = [names.index(c) if c in names else -1 for c in (*PRICE_COLUMNS, "volume")]
    return names.index(time_name), fields


def _read_bytes(path: Path) -> bytes | None:
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
        if suffix == ".gz":
            return _gunzip(raw)
    except _INFLATE_ERRORS:
        return None
    return raw if suffix in (".csv", ".txt") else None


def read_fast(path: str | Path) -> BarArrays | None:
    """The bars of ``path`` if the compiled reader handles the file completely, else None."""
    data = _read_bytes(Path(path))
    if not data:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head_end = data.find(b"\n")
    if head_end < 0:
        return None
    try:
        layout = _columns(data[:head_end].decode("utf-8").rstrip("\r"))
    except UnicodeDecodeError:
        return None
    if layout is None:
        return None
    time_field, fields = layout
    n_fields = data[:head_end].count(b",") + 1
    return _parse(data, head_end + 1, n_fields, time_field, np.array(fields, dtype=np.int64))


def _pieces(data: bytes, start: int) -> list[tuple[int, int]]:
    """Byte ranges of whole lines: two halves of a long text when there is a second core, else one."""
    size = len(data)
    if size - start < SPLIT_BYTES or (os.cpu_count() or 1) < 2:
        return [(start, size)]
    newline = data.find(b"\n", start + (size - start) // 2)
    if newline < 0:
        return [(start, size)]
    return [(start, newline + 1), (newline + 1, size)]


def _room(data: bytes, start: int, pieces: list[tuple[int, int]]) -> list[int]:
    """Rows to make room for in each piece, guessed from the first lines' length (a guess that is
    short only costs a second reading with exact counts)."""
    sample = data[start:start + GUESS_BYTES]
    per_line = len(sample) / max(1, sample.count(b"\n"))
    return [int((b - a) / per_line * 1.25) + 16 for a, b in pieces]


def _parse(data: bytes, start: int, n_fields: int, time_field: int, fields: np.ndarray) -> BarArrays | None:
    """The compiled reader over the pieces of the text (the second on its own thread), rows joined."""
    pieces = _pieces(data, start)
    room = _room(data, start, pieces)
    read = _read_pieces(data, pieces, room, n_fields, time_field, fields)
    if read is None:  # a piece had more lines than guessed: count them and read again
        room = [data.count(b"\n", a, b) + 1 for a, b in pieces]
        read = _read_pieces(data, pieces, room, n_fields, time_field, fields)
    if not isinstance(read, tuple):
        return None
    times, values, kind = read
    return _checked(times, values, kind)


def _read_pieces(data: bytes, pieces: list[tuple[int, int]], room: list[int], n_fields: int, time_field: int,
                 fields: np.ndarray) -> tuple[np.ndarray, np.ndarray, int] | bool | None:
    """(times, values by column, time kind); None: out of room; False: not for this reader."""
    k = compiled.kernels()
    buf = np.frombuffer(data, dtype=np.uint8)
    firsts = [sum(room[:i]) for i in range(len(pieces))]
    values = np.empty((5, sum(room)))
    times = np.empty(sum(room), dtype=np.int64)
    status = np.zeros((len(pieces), 3), dtype=np.int64)
    counts = [0] * len(pieces)

    def piece(i: int) -> None:
        counts[i] = k.parse_bar_text(buf, pieces[i][0], pieces[i][1], n_fields, time_field, fields, values,
                                     times, firsts[i], firsts[i] + room[i], status[i])

    helpers = [threading.Thread(target=piece, args=(i,), name="miniqmt-bar-reader")
               for i in range(1, len(pieces))]
    for helper in helpers:
        helper.start()
    piece(0)
    for helper in helpers:
        helper.join()
    if any(counts[i] == room[i] and not status[i, ST_OK] for i in range(len(pieces))):
        return None
    kinds = {int(s[ST_TIME_KIND]) for s in status if s[ST_TIME_KIND]}
    if not status[:, ST_OK].all() or len(kinds) != 1:
        return False  # a row this reader does not handle, no rows, or text and number times mixed
    n = counts[0]
    for i in range(1, len(pieces)):  # the rows of the next piece follow on
        rows = slice(firsts[i], firsts[i] + counts[i])
        values[:, n:n + counts[i]] = values[:, rows].copy()
        times[n:n + counts[i]] = times[rows].copy()
        n += counts[i]
    return times[:n], values[:, :n], kinds.pop()


def _checked(times: np.ndarray, values: np.ndarray, kind: int) -> BarArrays | None:
    """The bars of ``times`` and ``values`` (columns open, high, low, close, volume by row), if plausible."""
    if kind == TIME_NUMBER:
        lo, hi = int(times.min()), int(times.max())
        if not (EPOCH_MS_RANGE[0] <= lo and hi < EPOCH_MS_RANGE[1]) or (times % 1000).any():
            return None  # stamps, seconds, sub-second ms: the general reader decides
        utc_s = times // 1000
        local = utc_s + SHANGHAI_OFFSET_S
    elif kind == TIME_TEXT:
        local = times
        utc_s = times - SHANGHAI_OFFSET_S
    else:
        return None
    if int(local.min()) < FIRST_FIXED_OFFSET_S or (np.diff(local) <= 0).any():
        return None
    if (values[:4] <= 0).any():
        return None
    return BarArrays(utc_ns=utc_s * 1_000_000_000, local_s=local, open=values[0], high=values[1],
                     low=values[2], close=values[3], volume=values[4])


def load_bar_arrays(path: str | Path) -> BarArrays:
    """Validated bars of a bar file (raises :class:`~miniqmt_gui.backtest.data.DataError`)."""
    fast = read_fast(path)
    if fast is not None:
        return fast
    from miniqmt_gui.backtest.data import load_bars

    return BarArrays.from_frame(load_bars(path))
