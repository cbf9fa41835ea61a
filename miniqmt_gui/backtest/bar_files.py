"""Bar files straight to arrays: the compiled text reader first, the general pandas reader otherwise.

:func:`load_bar_arrays` accepts every layout :mod:`miniqmt_gui.backtest.data` documents and gives
the same bars. The common files (comma-separated, a text time or xtquant's epoch-ms ``time``, plain
decimals, ``.csv`` or ``.csv.gz``) are read by the compiled reader of
:mod:`miniqmt_gui.strategy.bar_bytes` in milliseconds and without importing pandas; whatever that
reader does not handle — another layout, a stamp index, quotes, an exponent, a bad row, unsorted or
duplicate times, a non-positive price — goes to :func:`miniqmt_gui.backtest.data.load_bars`, which
reads it or words the error.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import BarArrays
from miniqmt_gui.strategy.slots import ST_OK, ST_TIME_KIND, TIME_NUMBER, TIME_TEXT

PRICE_COLUMNS = ("open", "high", "low", "close")
TIME_NAMES = ("datetime", "dt", "date", "time", "timestamp", "bar_time")
SHANGHAI_OFFSET_S = 8 * 3600  # UTC+8 all year since 1991 (earlier dates: the general reader)
FIRST_FIXED_OFFSET_S = 694_224_000  # 1992-01-01 00:00
EPOCH_MS_RANGE = (10**11, 10**13)  # the general reader's range for xtquant's ``time``


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
            return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
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
    buf = np.frombuffer(data, dtype=np.uint8)
    rows = data.count(b"\n") + 1
    values = np.zeros((rows, 5))
    times = np.zeros(rows, dtype=np.int64)
    status = np.zeros(3, dtype=np.int64)
    n = compiled.kernels().parse_bar_text(buf, head_end + 1, data[:head_end].count(b",") + 1, time_field,
                                          np.array(fields, dtype=np.int64), values, times, status)
    if not status[ST_OK] or n == 0:
        return None
    return _checked(times[:n], values[:n], int(status[ST_TIME_KIND]))


def _checked(times: np.ndarray, values: np.ndarray, kind: int) -> BarArrays | None:
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
    if (values[:, :4] <= 0).any():
        return None
    return BarArrays(utc_ns=utc_s * 1_000_000_000, local_s=local, open=values[:, 0].copy(),
                     high=values[:, 1].copy(), low=values[:, 2].copy(), close=values[:, 3].copy(),
                     volume=values[:, 4].copy())


def load_bar_arrays(path: str | Path) -> BarArrays:
    """Validated bars of a bar file (raises :class:`~miniqmt_gui.backtest.data.DataError`)."""
    fast = read_fast(path)
    if fast is not None:
        return fast
    from miniqmt_gui.backtest.data import load_bars

    return BarArrays.from_frame(load_bars(path))
