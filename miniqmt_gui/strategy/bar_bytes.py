"""A compiled reader for the plain text of 1-minute bar files (the strategy's input), without pandas.

It handles the common case only and says so when a file is anything else, so that the caller can
fall back to the general pandas reader (which also words every error): comma-separated lines, one
time field (``YYYY-MM-DD[ T]HH:MM[:SS]``, ``/`` allowed in the date, or a whole number) and decimal
numbers (sign, digits, one point; no exponent, no quotes, no empty price).

Numbers are converted exactly as pandas' default converter does for them: the digits as an integer
``m < 2**53`` divided by ``10**k`` (``k <= 22``), one correctly rounded IEEE operation on exact
operands. Anything longer falls back.
"""

from __future__ import annotations

import numpy as np

from miniqmt_gui.strategy.jit import njit
from miniqmt_gui.strategy.slots import ST_BAD_ROW, ST_OK, ST_TIME_KIND, TIME_NUMBER, TIME_TEXT

_COMMA, _NL, _CR, _DOT, _MINUS, _PLUS, _ZERO, _NINE = 44, 10, 13, 46, 45, 43, 48, 57
_MAX_MANTISSA = 2**53
_POW10 = np.array([10.0**k for k in range(23)])


@njit(cache=True, nogil=True)
def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@njit(cache=True, nogil=True)
def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


@njit(cache=True, nogil=True)
def _digits(buf: np.ndarray, a: int, b: int) -> int:
    """Value of the decimal digits ``buf[a:b]``, or -1 if any is not a digit."""
    v = 0
    for j in range(a, b):
        c = buf[j]
        if c < _ZERO or c > _NINE:
            return -1
        v = v * 10 + (c - _ZERO)
    return v


@njit(cache=True, nogil=True)
def _parse_time_text(buf: np.ndarray, a: int, b: int) -> int:
    """``YYYY-MM-DD[ T]HH:MM[:SS]`` as seconds since 1970 of the wall-clock time; -1 if not that."""
    if b - a not in (10, 16, 19):
        return -1
    sep = buf[a + 4]
    if (sep != _MINUS and sep != 47) or buf[a + 7] != sep:
        return -1
    y, mo, d = _digits(buf, a, a + 4), _digits(buf, a + 5, a + 7), _digits(buf, a + 8, a + 10)
    if y < 0 or mo < 1 or mo > 12 or d < 1 or d > _days_in_month(y, mo):
        return -1
    seconds = _time_of_day(buf, a, b)
    if seconds < 0:
        return -1
    return _days_from_civil(y, mo, d) * 86400 + seconds


@njit(cache=True, nogil=True)
def _same_date(buf: np.ndarray, a: int, b: int) -> bool:
    """Whether the 10 date bytes at ``a`` and ``b`` are equal."""
    for k in range(10):  # noqa: SIM110 - a plain loop compiles to a few compares; all(<generator>) does not
        if buf[a + k] != buf[b + k]:
            return False
    return True


@njit(cache=True, nogil=True)
def _time_of_day(buf: np.ndarray, a: int, b: int) -> int:
    """Seconds of the ``[ T]HH:MM[:SS]`` part after a 10-byte date; -1 if it is not that."""
    if b - a == 10:
        return 0
    if b - a not in (16, 19) or (buf[a + 10] != 32 and buf[a + 10] != 84) or buf[a + 13] != 58:
        return -1
    hh, mm, ss = _digits(buf, a + 11, a + 13), _digits(buf, a + 14, a + 16), 0
    if b - a == 19:
        if buf[a + 16] != 58:
            return -1
        ss = _digits(buf, a + 17, a + 19)
    if hh < 0 or hh > 23 or mm < 0 or mm > 59 or ss < 0 or ss > 59:
        return -1
    return hh * 3600 + mm * 60 + ss


@njit(cache=True, nogil=True)
def _parse_decimal(buf: np.ndarray, a: int, b: int) -> float:
    """A plain decimal number in ``buf[a:b]``; NaN when it is anything else (or too long)."""
    if a >= b:
        return np.nan
    neg = buf[a] == _MINUS
    if neg or buf[a] == _PLUS:
        a += 1
    m, k, digits, point = 0, 0, 0, False
    for j in range(a, b):
        c = buf[j]
        if c == _DOT and not point:
            point = True
        elif _ZERO <= c <= _NINE:
            m = m * 10 + (c - _ZERO)
            digits += 1
            k += point
            if m >= _MAX_MANTISSA:
                return np.nan
        else:
            return np.nan
    if digits == 0 or k > 22:
        return np.nan
    v = m / _POW10[k] if k > 0 else float(m)
    return -v if neg else v


@njit(cache=True, nogil=True)
def parse_bar_text(buf: np.ndarray, start: int, stop: int, n_fields: int, time_field: int,
                   value_fields: np.ndarray, values: np.ndarray, times: np.ndarray, row0: int, row_end: int,
                   status: np.ndarray) -> int:
    """Parse the lines of ``buf[start:stop]`` into rows ``row0…row_end-1`` of the outputs; returns the rows.

    ``start`` is the first byte of a line and ``stop`` the end of the buffer or one past a newline, so
    a file may be read in several pieces (one thread each; this function holds no Python object).
    ``values[j, row]`` is output column ``j``, taken from field ``value_fields[j]`` (-1: absent, 0).
    On success ``status[ST_OK] = 1`` and ``status[ST_TIME_KIND]`` says how ``times`` are to be read
    (0: no rows); otherwise ``status[ST_BAD_ROW]`` is the first row (0-based in this piece) this
    reader does not handle, or the row that found no room (then the return value is ``row_end - row0``).
    """
    n = stop
    n_out = value_fields.size
    fields = np.empty((n_fields, 2), dtype=np.int64)
    row, pos = 0, start
    kind = 0
    prev_a, prev_day = -1, 0  # where the last parsed text time starts, and its day in seconds
    status[ST_OK] = 0
    status[ST_TIME_KIND] = 0
    while pos < n:
        # one pass to the end of the line, noting where each field starts and ends
        f, a, end = 0, pos, pos
        while end < n and buf[end] != _NL:
            if buf[end] == _COMMA:
                if f < n_fields:
                    fields[f, 0] = a
                    fields[f, 1] = end
                f += 1
                a = end + 1
            end += 1
        line_end = end - 1 if end > pos and buf[end - 1] == _CR else end
        if line_end > pos:
            if f < n_fields:
                fields[f, 0] = a
                fields[f, 1] = line_end
            f += 1
            if row0 + row >= row_end or f != n_fields:
                status[ST_BAD_ROW] = row
                return row
            ta, tb = fields[time_field, 0], fields[time_field, 1]
            t = _digits(buf, ta, tb) if tb - ta <= 18 else -1
            this_kind = TIME_NUMBER if t >= 0 and tb > ta else TIME_TEXT
            if this_kind == TIME_TEXT:
                # most rows share the previous row's date: then only the time of day is read
                if prev_a >= 0 and tb - ta >= 10 and _same_date(buf, prev_a, ta):
                    t = _time_of_day(buf, ta, tb)
                    t = prev_day + t if t >= 0 else -1
                else:
                    t = _parse_time_text(buf, ta, tb)
                if t >= 0:
                    prev_a, prev_day = ta, t - t % 86400
            if t < 0 or (kind != 0 and this_kind != kind):
                status[ST_BAD_ROW] = row
                return row
            kind = this_kind
            out = row0 + row
            times[out] = t
            for c in range(n_out):
                fi = value_fields[c]
                if fi < 0:
                    values[c, out] = 0.0
                    continue
                v = _parse_decimal(buf, fields[fi, 0], fields[fi, 1])
                if v != v:
                    status[ST_BAD_ROW] = row
                    return row
                values[c, out] = v
            row += 1
        pos = end + 1
    status[ST_OK] = 1
    status[ST_TIME_KIND] = kind
    return row
