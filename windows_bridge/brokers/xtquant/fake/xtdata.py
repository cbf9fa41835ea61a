"""A fake ``xtquant.xtdata``: the same function names, arguments and result shapes, served by a replay.

Use an instance where code expects the ``xtdata`` module (``xtdata.get_full_tick([...])`` works
on both). What it reproduces from real xtdata:

* ``get_full_tick`` returns ``{code: dict}`` with ``time`` (ms), ``timetag`` (``"20240105 09:31:00"``),
  ``lastPrice``, ``open``/``high``/``low``, ``lastClose``, ``amount``, ``volume`` and ``pvolume``
  (``volume`` in lots of 100, ``pvolume`` in shares), five ``bidPrice``/``askPrice`` levels and
  ``bidVol``/``askVol`` in lots.
* ``get_market_data_ex`` returns ``{code: DataFrame}``; the ``time`` column is the bar's END in ms
  since the epoch, the index is the ``YYYYmmddHHMMSS`` time tag (older xtquant; newer ones use a
  naive datetime — callers must use the column), ``volume`` is in lots, and a ``field_list``
  without ``time`` drops the column as the real one does. Only bars completed by the replay's
  current moment exist: the fake never shows the future.
* ``get_instrument_detail`` with ``PreClose``, ``UpStopPrice``/``DownStopPrice`` (±10 %),
  ``PriceTick`` 0.001; ``None`` for an unknown code.
* ``subscribe_quote`` returns a positive subscription number (pushes to ``callback`` are not
  simulated); ``download_history_data`` returns ``None`` and is recorded in :attr:`downloads`.

Set :attr:`available` to ``False`` to simulate QMT being down: every call then raises, as real
xtdata does when it cannot reach the terminal.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from windows_bridge.brokers.xtquant.fake.replay import ReplaySource
from windows_bridge.contract.market_hours import SHANGHAI

BAR_FIELDS = (
    "time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "amount",
    "settelementPrice",
    "openInterest",
    "preClose",
    "suspendFlag",
)


class XtDataUnavailable(RuntimeError):
    """Raised by every call while the fake terminal is down (``available = False``)."""


def _parse_xt_time(text: str, end_of_day: bool) -> int | None:
    """``YYYYMMDD`` / ``YYYYMMDDhhmmss`` (Shanghai) → ms epoch; ``''`` → None."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) == 8:
        text += "235959" if end_of_day else "000000"
    moment = datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI)
    return int(moment.timestamp() * 1000)


def _timetag(ms: int, fmt: str) -> str:
    return datetime.fromtimestamp(ms / 1000.0, SHANGHAI).strftime(fmt)


class FakeXtData:
    """The replay served through xtdata's API for the codes in ``codes``."""

    def __init__(self, replay: ReplaySource, codes: Sequence[str], name: str = "模拟ETF") -> None:
        self.replay = replay
        self.codes = tuple(codes)
        self.name = name
        self.available = True
        self.downloads: list[tuple[str, str, str, str]] = []
        self.subscriptions: dict[int, tuple[str, str]] = {}
        self._seq = itertools.count(1)

    def _check(self) -> None:
        if not self.available:
            raise XtDataUnavailable("无法连接xtquant服务，请检查QMT-投研版或QMT-极简版是否开启")

    # ------------------------------------------------------------------ subscriptions

    def subscribe_quote(
        self,
        stock_code: str,
        period: str = "1d",
        start_time: str = "",
        end_time: str = "",
        count: int = 0,
        callback: Callable[[dict[str, Any]], None] | None = None,
    ) -> int:
        """Subscribe ``stock_code``; returns the subscription number (> 0), or -1 for unknown codes."""
        self._check()
        if stock_code not in self.codes:
            return -1
        seq = next(self._seq)
        self.subscriptions[seq] = (stock_code, period)
        return seq

    def unsubscribe_quote(self, seq: int) -> None:
        """Drop a subscription."""
        self.subscriptions.pop(seq, None)

    # ------------------------------------------------------------------ ticks

    def get_full_tick(self, code_list: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Snapshot of each known code in ``code_list``."""
        self._check()
        return {code: self._tick_dict() for code in code_list if code in self.codes}

    def _tick_dict(self) -> dict[str, Any]:
        snap = self.replay.snapshot()
        tick = self.replay.tick
        price = snap.price
        bids = [round(price - tick * i, 3) for i in range(5)]
        asks = [round(price + tick * (i + 1), 3) for i in range(5)]
        ms = int(snap.time.timestamp() * 1000)
        return {
            "time": ms,
            "timetag": _timetag(ms, "%Y%m%d %H:%M:%S"),
            "lastPrice": price,
            "open": snap.open,
            "high": snap.high,
            "low": snap.low,
            "lastClose": snap.pre_close,
            "amount": snap.amount,
            "volume": int(snap.volume // 100),
            "pvolume": int(snap.volume),
            "stockStatus": 0,
            "openInt": 15 if snap.ended else 13,
            "transactionNum": 0,
            "lastSettlementPrice": 0.0,
            "settlementPrice": 0.0,
            "pe": 0.0,
            "askPrice": asks,
            "bidPrice": bids,
            "askVol": [100 + 37 * i for i in range(5)],
            "bidVol": [120 + 41 * i for i in range(5)],
            "volRatio": 0.0,
            "speed1Min": 0.0,
            "speed5Min": 0.0,
        }

    # ------------------------------------------------------------------ bars

    def get_market_data_ex(
        self,
        field_list: Sequence[str] = (),
        stock_list: Sequence[str] = (),
        period: str = "1d",
        start_time: str = "",
        end_time: str = "",
        count: int = -1,
        dividend_type: str = "none",
        fill_data: bool = True,
    ) -> dict[str, pd.DataFrame]:
        """Completed 1-minute bars per code (other periods: empty frames, not simulated)."""
        self._check()
        result: dict[str, pd.DataFrame] = {}
        for code in stock_list:
            if code not in self.codes:
                continue
            frame = self._bar_frame(start_time, end_time, count) if period == "1m" else pd.DataFrame()
            if field_list and not frame.empty:
                frame = frame[list(field_list)]
            result[code] = frame
        return result

    def _bar_frame(self, start_time: str, end_time: str, count: int) -> pd.DataFrame:
        part = self.replay.bar_slice(
            _parse_xt_time(start_time, False), _parse_xt_time(end_time, True), count if count > 0 else 0
        )
        b = self.replay.bars
        close = b.close[part]
        lots = (b.volume[part] // 100).astype("int64")
        frame = pd.DataFrame(
            {
                "time": b.end_ms[part].astype("int64"),
                "open": b.open[part],
                "high": b.high[part],
                "low": b.low[part],
                "close": close,
                "volume": lots,
                "amount": (lots * 100 * close).round(2),
                "settelementPrice": 0.0,
                "openInterest": 15,
                "preClose": b.pre_close[part],
                "suspendFlag": 0,
            },
            columns=list(BAR_FIELDS),
        )
        frame.index = [_timetag(int(ms), "%Y%m%d%H%M%S") for ms in frame["time"]]
        return frame

    def download_history_data(
        self,
        stock_code: str,
        period: str,
        start_time: str = "",
        end_time: str = "",
        incrementally: bool | None = None,
    ) -> None:
        """Record the request (the replay already holds every bar)."""
        self._check()
        self.downloads.append((stock_code, period, start_time, end_time))

    # ------------------------------------------------------------------ instrument

    def get_instrument_detail(self, stock_code: str, iscomplete: bool = False) -> dict[str, Any] | None:
        """Instrument facts for a known code, else ``None``."""
        self._check()
        if stock_code not in self.codes:
            return None
        pre, up, down = self.replay.limits()
        symbol, _, market = stock_code.partition(".")
        return {
            "ExchangeID": market,
            "InstrumentID": symbol,
            "InstrumentName": self.name,
            "ProductType": "",
            "ExchangeCode": market,
            "UniCode": symbol,
            "OpenDate": "20240101",
            "ExpireDate": "99999999",
            "TradingDay": self.replay.now().strftime("%Y%m%d"),
            "PreClose": pre,
            "SettlementPrice": 0.0,
            "UpStopPrice": up,
            "DownStopPrice": down,
            "FloatVolume": 1.0e9,
            "TotalVolume": 1.0e9,
            "PriceTick": self.replay.tick,
            "VolumeMultiple": 1,
            "InstrumentStatus": 0,
            "IsTrading": True,
        }
