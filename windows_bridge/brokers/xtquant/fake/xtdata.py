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
* Minute history must be downloaded before it can be read, as in QMT: ``get_market_data_ex`` serves
  only bars in the local cache — the span given to ``download_history_data`` /
  ``download_history_data2`` (recorded in :attr:`downloads`) — plus the bars completed since the
  code's 1-minute subscription. ``download_history_data2`` reports progress to its ``callback``
  (``{"finished", "total", "stockcode", "message"}``, one step per trading day) and returns the
  per-code summary; ``download_history_data`` returns ``None``.
* ``subscribe_quote`` returns a positive subscription number (pushes to ``callback`` are not
  simulated).

Set :attr:`available` to ``False`` to simulate QMT being down: every call then raises, as real
xtdata does when it cannot reach the terminal.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
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


def _as_dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000.0, SHANGHAI)


def _timetag(ms: int, fmt: str) -> str:
    return datetime.fromtimestamp(ms / 1000.0, SHANGHAI).strftime(fmt)


class FakeXtData:
    """The replay served through xtdata's API for the codes in ``codes``."""

    def __init__(self, replay: ReplaySource, codes: Sequence[str], name: str = "模拟ETF",
                 replays: Mapping[str, ReplaySource] | None = None) -> None:
        """``replay`` serves every code without its own entry in ``replays`` (all on one replay clock)."""
        self.replay = replay
        self._replays = dict(replays or {})
        self.codes = tuple(codes)
        self.name = name
        self.available = True
        self.downloads: list[tuple[str, str, str, str]] = []
        self.subscriptions: dict[int, tuple[str, str]] = {}
        self._seq = itertools.count(1)
        #: per code: the downloaded span of 1-minute bars (bar end ms, inclusive) — QMT's local cache
        self._cached: dict[str, tuple[int, int]] = {}
        #: per code: bars ending at or after this ms arrived through the 1-minute subscription
        self._live_from: dict[str, int] = {}

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
        if period == "1m" and stock_code not in self._live_from:
            self._live_from[stock_code] = int(self.replay.now().timestamp() * 1000)
        return seq

    def reconnect(self, ip: str = "", port: int | None = None, remember_if_success: bool = True) -> Any:
        """Reconnect to the terminal: raises while it is down, as the real one does."""
        self._check()
        return self

    def unsubscribe_quote(self, seq: int) -> None:
        """Drop a subscription."""
        self.subscriptions.pop(seq, None)

    # ------------------------------------------------------------------ ticks

    def get_full_tick(self, code_list: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Snapshot of each known code in ``code_list``."""
        self._check()
        return {code: self._tick_dict(code) for code in code_list if code in self.codes}

    def _replay_of(self, code: str) -> ReplaySource:
        """The replay serving ``code``."""
        return self._replays.get(code, self.replay)

    def _tick_dict(self, code: str) -> dict[str, Any]:
        replay = self._replay_of(code)
        snap = replay.snapshot()
        tick = replay.tick
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
        field_list: Sequence[str] = [],  # xtquant's own defaults (never mutated)
        stock_list: Sequence[str] = [],
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
            frame = self._bar_frame(code, start_time, end_time, count) if period == "1m" else pd.DataFrame()
            if field_list and not frame.empty:
                frame = frame[list(field_list)]
            result[code] = frame
        return result

    def _readable(self, code: str, part: slice) -> np.ndarray:
        """Indices of the bars in ``part`` that are in the local cache or came by subscription."""
        ends = self._replay_of(code).bars.end_ms[part]
        lo, hi = self._cached.get(code, (1, 0))
        live_from = self._live_from.get(code)
        keep = (ends >= lo) & (ends <= hi)
        if live_from is not None:
            keep |= ends >= live_from
        return np.arange(part.start, part.stop)[keep]

    def _bar_frame(self, code: str, start_time: str, end_time: str, count: int) -> pd.DataFrame:
        replay = self._replay_of(code)
        whole = replay.bar_slice(_parse_xt_time(start_time, False), _parse_xt_time(end_time, True), 0)
        part = self._readable(code, whole)
        if count > 0:
            part = part[-count:]
        b = replay.bars
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
        """Put the span's completed bars into the local cache (blocking, like the real one)."""
        self._check()
        self._download(stock_code, period, start_time, end_time)

    def download_history_data2(
        self,
        stock_list: Sequence[str],
        period: str,
        start_time: str = "",
        end_time: str = "",
        callback: Callable[[dict[str, Any]], None] | None = None,
        incrementally: bool | None = None,
    ) -> dict[str, dict[str, Any]]:
        """:meth:`download_history_data` for several codes, reporting progress to ``callback``."""
        self._check()
        codes = [stock_list] if isinstance(stock_list, str) else list(stock_list)
        spans = {code: self._download(code, period, start_time, end_time) for code in codes}
        steps = [(code, day) for code in codes for day in spans[code][2]] or [(code, 0) for code in codes]
        for done, (code, _day) in enumerate(steps, start=1):
            if callback is not None:
                callback({"finished": done, "total": len(steps), "stockcode": code, "message": ""})
        return {
            code: {"start_time": _as_dt(lo), "end_time": _as_dt(hi)}
            for code, (lo, hi, _) in spans.items()
            if hi >= lo
        }

    def _download(self, code: str, period: str, start_time: str, end_time: str) -> tuple[int, int, list[int]]:
        """Cache the completed 1-minute bars of ``code`` in the span; (first ms, last ms, their days)."""
        self.downloads.append((code, period, start_time, end_time))
        if period != "1m" or code not in self.codes:
            return 1, 0, []
        replay = self._replay_of(code)
        part = replay.bar_slice(_parse_xt_time(start_time, False), _parse_xt_time(end_time, True), 0)
        ends = replay.bars.end_ms[part]
        if not len(ends):
            return 1, 0, []
        lo, hi = int(ends[0]), int(ends[-1])
        old_lo, old_hi = self._cached.get(code, (lo, hi))
        self._cached[code] = (min(lo, old_lo), max(hi, old_hi))
        days = sorted({int((ms + 8 * 3_600_000) // 86_400_000) for ms in ends})
        return lo, hi, days

    # ------------------------------------------------------------------ instrument

    def get_instrument_detail(self, stock_code: str, iscomplete: bool = False) -> dict[str, Any] | None:
        """Instrument facts for a known code, else ``None``."""
        self._check()
        if stock_code not in self.codes:
            return None
        replay = self._replay_of(stock_code)
        pre, up, down = replay.limits()
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
            "PriceTick": replay.tick,
            "VolumeMultiple": 1,
            "InstrumentStatus": 0,
            "IsTrading": True,
        }
