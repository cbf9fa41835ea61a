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
def _decimal_field(buf: np.ndarray, a: int, n: int) -> tuple[float, int]:
    """The plain decimal number of the field starting at ``a`` and where the field ends (its comma,
    newline, line-ending CR or ``n``); NaN when it is anything else (or too long)."""
    j = a
    neg = False
    if j < n and (buf[j] == _MINUS or buf[j] == _PLUS):
        neg = buf[j] == _MINUS
        j += 1
    m, k, digits, point, ok = 0, 0, 0, False, True
    while j < n:
        c = buf[j]
        if _ZERO <= c <= _NINE:
            m = m * 10 + (c - _ZERO)
            digits += 1
            k += point
            if m >= _MAX_MANTISSA:
                ok = False
        elif c == _COMMA or c == _NL:  # noqa: SIM109 - two compares, no tuple in the hot loop
            break
        elif c == _DOT and not point:
            point = True
        elif c == _CR and (j + 1 == n or buf[j + 1] == _NL):
            break
        else:
            ok = False
        j += 1
    if not ok or digits == 0 or k > 22:
        return np.nan, j
    v = m / _POW10[k] if k > 0 else float(m)
    return (-v if neg else v), j


@njit(cache=True, nogil=True)
def _field_end(buf: np.ndarray, a: int, n: int) -> int:
    """Where the field starting at ``a`` ends: its comma, newline or first CR, or ``n``."""
    j = a
    while j < n and buf[j] != _COMMA and buf[j] != _NL and buf[j] != _CR:
        j += 1
    return j


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
    Each line is read once: the numbers are converted while their field is scanned.
    """
    n = stop
    n_out = value_fields.size
    column = np.full(n_fields, -1, dtype=np.int64)  # field → output column (-1: not a value)
    for c in range(n_out):
        if value_fields[c] >= 0:
            column[value_fields[c]] = c
    row, pos = 0, start
    kind = 0
    prev_a, prev_day = -1, 0  # where the last parsed text time starts, and its day in seconds
    status[ST_OK] = 0
    status[ST_TIME_KIND] = 0
    while pos < n:
        if buf[pos] == _NL:
            pos += 1
            continue
        if buf[pos] == _CR and (pos + 1 == n or buf[pos + 1] == _NL):
            pos += 2
            continue
        out = row0 + row
        if out >= row_end:
            status[ST_BAD_ROW] = row
            return row
        f, a, ta, tb = 0, pos, 0, 0
        while True:
            if f >= n_fields:
                status[ST_BAD_ROW] = row
                return row
            col = column[f]
            if col >= 0:
                v, end = _decimal_field(buf, a, n)
                if v != v:
                    status[ST_BAD_ROW] = row
                    return row
                values[col, out] = v
            else:
                end = _field_end(buf, a, n)
                if end < n and buf[end] == _CR and end + 1 < n and buf[end + 1] != _NL:
                    status[ST_BAD_ROW] = row  # a lone CR: pandas reads it as a line break
                    return row
            if f == time_field:  # (a field never ends in its line's CR)
                ta, tb = a, end
            f += 1
            if end < n and buf[end] == _COMMA:
                a = end + 1
                continue
            if end < n and buf[end] == _CR:
                end += 1  # the CR before the newline (or the buffer's end) of the last field
            break
        if f != n_fields:
            status[ST_BAD_ROW] = row
            return row
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
        times[out] = t
        for c in range(n_out):
            if value_fields[c] < 0:
                values[c, out] = 0.0
        row += 1
        pos = end + 1
    status[ST_OK] = 1
    status[ST_TIME_KIND] = kind
    return row
