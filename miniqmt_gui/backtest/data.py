"""Load and validate 1-minute bar files (CSV, also ``.csv.gz``).

Accepted layouts:

- ``datetime,open,high,low,close[,volume]`` (also ``dt``/``date``/``time``/``timestamp`` as the name);
- the original plan's ``history_159201_1m.csv``: the first column is the time index, whatever its name;
- xtquant exports: ``time`` in milliseconds since the epoch (converted to Asia/Shanghai), or only the
  frame's ``YYYYMMDDHHMMSS`` index as the first column (what ``field_list`` without ``time`` gives);
  numeric times are told apart by size and anything else numeric is refused, never guessed;
- ``vol`` is accepted for ``volume``; other columns are ignored.

Naive times are taken as Asia/Shanghai; the result has a timezone-aware ``DatetimeIndex`` and float
columns ``open, high, low, close, volume``. Every problem raises :class:`DataError` with one line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.bar_files import EPOCH_MS_RANGE, PRICE_COLUMNS, TIME_NAMES
from miniqmt_gui.strategy.indicators import TZ


class DataError(ValueError):
    """A bar file that cannot be used; the message is one readable line."""


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: file is empty") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, EOFError) as exc:
        raise DataError(f"{path}: cannot read CSV ({exc})") from None
    if frame.empty:
        raise DataError(f"{path}: file has no rows")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _time_column(frame: pd.DataFrame) -> str:
    for name in TIME_NAMES:
        if name in frame.columns:
            return name
    first = str(frame.columns[0])
    if first in PRICE_COLUMNS:
        raise DataError("no time column (expected datetime/dt/time or the time as the first column)")
    return first


# numeric time layouts, told apart by magnitude (ms since 1973-03 .. 2286-11; 14-digit stamps)
STAMP_RANGE = (10**13, 10**14)


def _numeric_times(values: pd.Series) -> pd.DatetimeIndex:
    raw = values.to_numpy(dtype=np.float64)
    if np.isnan(raw).any() or (raw != np.floor(raw)).any():
        raise DataError("numeric times must be whole numbers (epoch ms or YYYYMMDDHHMMSS)")
    lo, hi = int(raw.min()), int(raw.max())
    ints = raw.astype(np.int64)
    if STAMP_RANGE[0] <= lo and hi < STAMP_RANGE[1]:
        try:
            idx = pd.DatetimeIndex(pd.to_datetime(ints.astype(str), format="%Y%m%d%H%M%S"))
        except ValueError:
            raise DataError(f"times look like YYYYMMDDHHMMSS but are not valid dates ({lo} … {hi})") from None
        return idx.tz_localize(TZ)
    if EPOCH_MS_RANGE[0] <= lo and hi < EPOCH_MS_RANGE[1]:
        return pd.DatetimeIndex(pd.to_datetime(ints, unit="ms", utc=True)).tz_convert(TZ)
    raise DataError(f"numeric times {lo} … {hi} are neither epoch milliseconds (xtquant 'time') nor "
                    "YYYYMMDDHHMMSS stamps; write them as text like 2024-01-02 09:31:00")


def to_shanghai_index(values: pd.Series) -> pd.DatetimeIndex:
    """Parse times: numbers are epoch ms or YYYYMMDDHHMMSS (by size), text is parsed; naive = Shanghai."""
    if pd.api.types.is_numeric_dtype(values):
        return _numeric_times(values)
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(values, format="mixed"))
    except (ValueError, TypeError) as exc:
        raise DataError(f"unparseable time values ({exc})") from None
    return idx.tz_localize(TZ) if idx.tz is None else idx.tz_convert(TZ)


def validate_bars(frame: pd.DataFrame, source: str = "data") -> pd.DataFrame:
    """Check a bar frame (time index, OHLC columns) and return a clean float copy."""
    missing = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{source}: missing column(s): {', '.join(missing)}")
    if len(frame) == 0:
        raise DataError(f"{source}: no rows")
    out = pd.DataFrame(index=frame.index)
    for col in (*PRICE_COLUMNS, "volume"):
        raw = frame[col] if col in frame.columns else pd.Series(0.0, index=frame.index)
        values = pd.to_numeric(raw, errors="coerce")
        if col in PRICE_COLUMNS and values.isna().any():
            raise DataError(f"{source}: non-numeric or empty {col} at row {int(values.isna().argmax()) + 1}")
        out[col] = values.fillna(0.0).astype(np.float64)
    bad = (out[list(PRICE_COLUMNS)] <= 0).any(axis=1)
    if bad.any():
        raise DataError(f"{source}: non-positive price at {out.index[int(bad.argmax())]}")
    idx = pd.DatetimeIndex(out.index)
    if idx.has_duplicates:
        raise DataError(f"{source}: duplicate time {idx[idx.duplicated()][0]}")
    if not idx.is_monotonic_increasing:
        pos = int(np.argmax(np.diff(idx.asi8) < 0)) + 1
        raise DataError(f"{source}: times not sorted ascending at {idx[pos]}")
    return out


def load_bars(path: str | Path) -> pd.DataFrame:
    """Load a 1-minute bar CSV (see module docstring) into a validated, Asia/Shanghai-indexed frame."""
    p = Path(path)
    frame = _read(p)
    if "volume" not in frame.columns and "vol" in frame.columns:
        frame = frame.rename(columns={"vol": "volume"})
    time_col = _time_column(frame)
    index = to_shanghai_index(frame[time_col])
    frame = frame.drop(columns=[time_col])
    frame.index = index
    frame.index.name = "datetime"
    return validate_bars(frame, str(p))


def save_bars(bars: pd.DataFrame, path: str | Path) -> None:
    """Write bars in the canonical ``datetime,open,high,low,close,volume`` layout (local time)."""
    out = bars[[*PRICE_COLUMNS, "volume"]].copy()
    out.index = pd.DatetimeIndex(out.index).tz_localize(None)
    out.index.name = "datetime"
    out.to_csv(path)
