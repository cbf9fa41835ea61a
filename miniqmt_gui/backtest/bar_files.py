"""Bar files straight to arrays: the compiled text reader first, the general pandas reader otherwise.

:func:`load_bar_arrays` accepts every layout :mod:`miniqmt_gui.backtest.data` documents and gives
the same bars. The common files (comma-separated, a text time or xtquant's epoch-ms ``time``, plain
decimals, ``.csv`` or ``.csv.gz``) are read by the compiled reader of
:mod:`miniqmt_gui.strategy.bar_bytes` in milliseconds and without importing pandas; whatever that
reader does not handle — another layout, a stamp index, quotes, an exponent, a bad row, unsorted or
duplicate times, a non-positive price — goes to :func:`miniqmt_gui.backtest.data.load_bars`, which
reads it or words the error.

Speed (the backtest's largest stage): the text comes in pieces of whole lines
(:mod:`miniqmt_gui.backtest.text_pieces`: a ``.gz`` is inflated a piece at a time) and the pieces are
parsed on two threads (the compiled reader holds no GIL): a helper thread parses the pieces already
inflated while the caller inflates the rest, then both share the pieces still waiting. The rows are
laid out by columns so the bars are views, not copies.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from miniqmt_gui.backtest import text_pieces
from miniqmt_gui.backtest.text_pieces import Piece
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import BarArrays
from miniqmt_gui.strategy.slots import ST_OK, ST_TIME_KIND, TIME_NUMBER, TIME_TEXT

PRICE_COLUMNS = ("open", "high", "low", "close")
TIME_NAMES = ("datetime", "dt", "date", "time", "timestamp", "bar_time")
SHANGHAI_OFFSET_S = 8 * 3600  # UTC+8 all year since 1991 (earlier dates: the general reader)
FIRST_FIXED_OFFSET_S = 694_224_000  # 1992-01-01 00:00
EPOCH_MS_RANGE = (10**11, 10**13)  # the general reader's range for xtquant's ``time``
#: the rows of a piece are guessed from the length of the lines in its first bytes
GUESS_BYTES = 1 << 16
BOM = b"\xef\xbb\xbf"

#: what the compiled reader made of a piece: (rows, times, values by column, status)
Parsed = tuple[int, np.ndarray, np.ndarray, np.ndarray]


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


def read_fast(path: str | Path) -> BarArrays | None:
    """The bars of ``path`` if the compiled reader handles the file completely, else None."""
    chunks = text_pieces.texts(Path(path))
    try:
        first = next(chunks, b"")
        start = len(BOM) if first.startswith(BOM) else 0
        head_end = first.find(b"\n", start)
        if head_end < 0:
            return None
        try:
            layout = _columns(first[start:head_end].decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError:
            return None
        if layout is None:
            return None
        time_field, fields = layout
        reader = _PieceReader(first.count(b",", start, head_end) + 1, time_field,
                              np.array(fields, dtype=np.int64))
        parsed = reader.read_all(text_pieces.pieces(chunks, first, head_end + 1))
    except text_pieces.INFLATE_ERRORS:
        return None
    return _joined(parsed) if parsed is not None else None


class _PieceReader:
    """Runs the compiled reader over pieces as they come, on a helper thread and, once the pieces stop
    coming, on the calling thread as well."""

    def __init__(self, n_fields: int, time_field: int, fields: np.ndarray) -> None:
        self.n_fields, self.time_field, self.fields = n_fields, time_field, fields
        self.parse = compiled.kernels().parse_bar_text
        self.results: dict[int, Parsed] = {}

    def read_all(self, pieces: Iterator[Piece]) -> list[Parsed] | None:
        """Every piece's rows in text order (``None`` if a piece could not be read)."""
        if (os.cpu_count() or 1) < 2:
            return [self.read(piece) for piece in pieces]
        todo: queue.SimpleQueue[tuple[int, Piece] | None] = queue.SimpleQueue()
        helper = threading.Thread(target=self._work, args=(todo,), name="miniqmt-bar-reader", daemon=True)
        helper.start()
        count = 0
        try:
            for count, piece in enumerate(pieces, start=1):
                todo.put((count - 1, piece))
            self._help(todo)
        finally:
            todo.put(None)
            helper.join()
        if len(self.results) != count:
            return None
        return [self.results[k] for k in range(count)]

    def _work(self, todo: queue.SimpleQueue[tuple[int, Piece] | None]) -> None:
        while (item := todo.get()) is not None:
            self.results[item[0]] = self.read(item[1])

    def _help(self, todo: queue.SimpleQueue[tuple[int, Piece] | None]) -> None:
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            if item is not None:  # (the stop signal is only put after this returns)
                self.results[item[0]] = self.read(item[1])

    def read(self, piece: Piece) -> Parsed:
        """The rows of one piece; a piece with more lines than guessed is counted and read again."""
        buf, start, stop = piece
        layout = (self.n_fields, self.time_field, self.fields)
        sample = min(stop - start, GUESS_BYTES)  # the rows are guessed from the piece's first lines
        per_line = max(1, sample) / max(1, buf.count(b"\n", start, start + sample))
        room = int((stop - start) / per_line * 1.25) + 16
        parsed = parse_rows(self.parse, buf, start, stop, room, *layout)
        if parsed[0] == room and not parsed[3][ST_OK]:
            parsed = parse_rows(self.parse, buf, start, stop, buf.count(b"\n", start, stop) + 1, *layout)
        return parsed


def parse_rows(parse: Callable[..., int], buf: bytes, start: int, stop: int, room: int, n_fields: int,
               time_field: int, fields: np.ndarray) -> Parsed:
    """One call of the compiled reader over ``buf[start:stop]`` with room for ``room`` rows."""
    values = np.empty((5, room))
    times = np.empty(room, dtype=np.int64)
    status = np.zeros(3, dtype=np.int64)
    rows = parse(np.frombuffer(buf, dtype=np.uint8), start, stop, n_fields, time_field, fields, values, times,
                 0, room, status)
    return rows, times, values, status


def _joined(parsed: list[Parsed]) -> BarArrays | None:
    """The pieces' rows as one set of bars, if every piece was read and they agree on the time kind."""
    if not all(p[3][ST_OK] for p in parsed):
        return None  # a row this reader does not handle
    kinds = {int(p[3][ST_TIME_KIND]) for p in parsed if p[3][ST_TIME_KIND]}
    if len(kinds) != 1:
        return None  # no rows, or text and number times mixed
    full = [p for p in parsed if p[0]]
    if len(full) == 1:
        rows, times, values, _ = full[0]
        return _checked(times[:rows], values[:, :rows], kinds.pop())
    times = np.concatenate([p[1][:p[0]] for p in full])
    values = np.concatenate([p[2][:, :p[0]] for p in full], axis=1)
    return _checked(times, values, kinds.pop())


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
