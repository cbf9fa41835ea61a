"""Every bar-file layout the docs list reads to the same bars; numeric times are never guessed."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miniqmt_gui.backtest.data import DataError, load_bars

TIMES = ["2024-01-02 09:31:00", "2024-01-02 09:32:00", "2024-01-02 13:01:00", "2024-01-03 15:00:00"]
OHLCV = [(1.001, 1.003, 1.0, 1.002, 100), (1.002, 1.004, 1.001, 1.003, 0),
         (1.003, 1.003, 0.998, 0.999, 2500), (0.999, 1.01, 0.999, 1.007, 7)]
WANT_INDEX = pd.DatetimeIndex(TIMES).tz_localize("Asia/Shanghai")


def _ms(text: str) -> int:
    return int(pd.Timestamp(text, tz="Asia/Shanghai").timestamp() * 1000)


def _stamp(text: str) -> str:
    return pd.Timestamp(text).strftime("%Y%m%d%H%M%S")


def _rows(fmt) -> str:  # type: ignore[no-untyped-def]
    return "".join(fmt(t, *v) + "\n" for t, v in zip(TIMES, OHLCV, strict=True))


def _plain(t: str, o: float, h: float, lo: float, c: float, v: int) -> str:
    return f"{t},{o},{h},{lo},{c},{v}"


PLAIN = _rows(_plain)
LAYOUTS = {
    "canonical": "datetime,open,high,low,close,volume\n" + PLAIN,
    "dt name, no volume": "dt,open,high,low,close\n"
    + _rows(lambda t, o, h, lo, c, v: _plain(t, o, h, lo, c, v).rsplit(",", 1)[0]),
    "time as text": "time,open,high,low,close,volume\n" + PLAIN,
    "original history (unnamed index)": ",open,high,low,close,volume\n" + PLAIN,
    "first column any name": "Bar,Open,High,Low,Close,Vol\n" + PLAIN,
    "xtquant time in ms": "time,open,high,low,close,volume\n"
    + _rows(lambda t, o, h, lo, c, v: _plain(str(_ms(t)), o, h, lo, c, v)),
    "xtquant stamp index and time": ",time,open,high,low,close,volume\n"
    + _rows(lambda t, o, h, lo, c, v: f"{_stamp(t)}," + _plain(str(_ms(t)), o, h, lo, c, v)),
    "xtquant stamp index only": ",open,high,low,close,volume,amount\n"
    + _rows(lambda t, o, h, lo, c, v: _plain(_stamp(t), o, h, lo, c, v) + f",{v * c}"),
    "czsc (symbol, dt, open/close/high/low, vol)": "symbol,dt,open,close,high,low,vol\n"
    + _rows(lambda t, o, h, lo, c, v: f"000001.XSHG,{t},{o},{c},{h},{lo},{v}"),
    "CRLF and seconds omitted": ("datetime,open,high,low,close,volume\n"
                                 + _rows(lambda t, o, h, lo, c, v: _plain(t[:16], o, h, lo, c, v))
                                 ).replace("\n", "\r\n"),
}


def write_layout(folder: Path, name: str, gz: bool) -> Path:
    """The layout ``name`` as a file in ``folder`` (gzip-compressed when ``gz``)."""
    data = LAYOUTS[name].encode()
    path = folder / ("bars.csv.gz" if gz else "bars.csv")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("gz", [False, True])
def test_every_layout_reads_the_same_bars(tmp_path: Path, name: str, gz: bool) -> None:
    bars = load_bars(write_layout(tmp_path, name, gz))
    assert (bars.index == WANT_INDEX).all() and str(bars.index.tz) == "Asia/Shanghai"
    want = np.array(OHLCV, dtype=np.float64)
    assert (bars[["open", "high", "low", "close"]].to_numpy() == want[:, :4]).all()
    assert (bars["volume"].to_numpy() == (0 if name == "dt name, no volume" else want[:, 4])).all()


@pytest.mark.parametrize(
    ("first", "message"),
    [
        ("1704159060", "neither epoch milliseconds"),  # epoch seconds: refused, not dated 1970
        ("20240102", "neither epoch milliseconds"),  # a date without time
        ("20241399093100", "not valid dates"),  # looks like a stamp, is not one
        ("1704159060000000000", "neither epoch milliseconds"),  # nanoseconds
        ("1.5", "whole numbers"),
    ],
)
def test_numeric_times_that_are_no_known_layout_are_refused(tmp_path: Path, first: str, message: str) -> None:
    path = tmp_path / "bars.csv"
    path.write_text(f",open,high,low,close\n{first},1,1,1,1\n")
    with pytest.raises(DataError, match=message):
        load_bars(path)


def test_mixed_ms_and_stamps_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bars.csv"
    path.write_text(f"time,open,high,low,close\n{_ms(TIMES[0])},1,1,1,1\n{_stamp(TIMES[1])},1,1,1,1\n")
    with pytest.raises(DataError, match="neither"):
        load_bars(path)
