"""Quotes and 1-minute bars through ``xtquant.xtdata`` (or the fake)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from windows_bridge.brokers.xtquant.loader import real_xtdata
from windows_bridge.brokers.xtquant.watchdog import DEFAULT_LIMIT_S, DEFAULT_MAX_ABANDONED, CallWatchdog
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import Bar

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Tick:
    """The latest snapshot of one code (volumes in shares)."""

    code: str
    time: datetime
    price: float
    pre_close: float
    open: float
    high: float
    low: float
    volume: float
    amount: float
    bid_price: list[float]
    bid_vol: list[float]
    ask_price: list[float]
    ask_vol: list[float]


@dataclass(frozen=True)
class InstrumentInfo:
    """Daily instrument facts from ``get_instrument_detail``."""

    code: str
    name: str
    price_tick: float
    up_stop: float
    down_stop: float
    pre_close: float


BAR_COLUMNS = ("time", "open", "high", "low", "close")


LOT_SHARES = 100  # xtdata reports stock/ETF volumes in lots (手)


TIMETAG_FORMATS = ("%Y%m%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S", "%Y%m%d")


def tick_time(raw: dict[str, Any]) -> datetime | None:
    """The tick's time: ``time`` in ms since the epoch, else the ``timetag`` text (Shanghai)."""
    ms = raw.get("time")
    if isinstance(ms, int | float) and ms > 0:
        return datetime.fromtimestamp(float(ms) / 1000.0, SHANGHAI)
    tag = str(raw.get("timetag") or "").strip()
    for fmt in TIMETAG_FORMATS:
        try:
            return datetime.strptime(tag, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    return None


def _levels(raw: dict[str, Any], key: str, scale: float = 1.0) -> list[float]:
    values = raw.get(key) or []
    return [float(v) * scale for v in list(values)[:10] if v is not None and float(v) >= 0]


def tick_from_xt(code: str, raw: dict[str, Any]) -> Tick | None:
    """A ``get_full_tick`` entry → :class:`Tick`; ``None`` without a positive price and a time."""
    moment = tick_time(raw)
    price = float(raw.get("lastPrice") or 0.0)
    if moment is None or price <= 0:
        return None
    return Tick(
        code=code,
        time=moment,
        price=price,
        pre_close=float(raw.get("lastClose") or 0.0),
        open=float(raw.get("open") or 0.0),
        high=float(raw.get("high") or 0.0),
        low=float(raw.get("low") or 0.0),
        volume=float(raw.get("volume") or 0.0) * LOT_SHARES,
        amount=float(raw.get("amount") or 0.0),
        bid_price=_levels(raw, "bidPrice"),
        bid_vol=_levels(raw, "bidVol", LOT_SHARES),
        ask_price=_levels(raw, "askPrice"),
        ask_vol=_levels(raw, "askVol", LOT_SHARES),
    )


def bars_from_frame(frame: pd.DataFrame, until: datetime | None = None) -> list[Bar]:
    """Completed bars from a ``get_market_data_ex`` frame, by its ``time`` column (bar end, ms).

    Bars ending after ``until`` are still forming and are left out; invalid rows are skipped.
    """
    if frame is None or frame.empty or "time" not in frame.columns:
        return []
    limit_ms = None if until is None else until.timestamp() * 1000.0
    cols = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64") for c in BAR_COLUMNS}
    volume = (
        pd.to_numeric(frame["volume"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
        if "volume" in frame.columns
        else [0.0] * len(frame)
    )
    bars: list[Bar] = []
    for i, end_ms in enumerate(cols["time"]):
        if limit_ms is not None and end_ms > limit_ms:
            continue
        try:
            bar = Bar(
                time=datetime.fromtimestamp(float(end_ms) / 1000.0, SHANGHAI),
                open=float(cols["open"][i]),
                high=float(cols["high"][i]),
                low=float(cols["low"][i]),
                close=float(cols["close"][i]),
                volume=float(volume[i]) * LOT_SHARES,
            )
        except (ValueError, TypeError, OverflowError, OSError):
            continue
        if bars and bar.time <= bars[-1].time:
            continue
        bars.append(bar)
    return bars


class XtMarketData:
    """Quotes, bars and instrument facts through an ``xtdata``-like object (real module or fake)."""

    BAR_FIELDS = ("time", "open", "high", "low", "close", "volume")

    def __init__(
        self,
        xtdata: Any = None,
        *,
        loader: Callable[[], Any] = real_xtdata,
        call_limit_s: float = DEFAULT_LIMIT_S,
        max_hung_calls: int = DEFAULT_MAX_ABANDONED,
    ) -> None:
        """``xtdata`` is used as given; without it the real module is loaded on first use.

        Every call except the history download runs under a watchdog of ``call_limit_s``.
        """
        self._xtdata = xtdata
        self._loader = loader
        self._subscribed: set[str] = set()
        self._watchdog = CallWatchdog("xtdata-call", call_limit_s, max_hung_calls)
        self.last_error = ""

    @property
    def fatal(self) -> str:
        """Why this process's xtdata client cannot be trusted any more (``""`` while it can)."""
        if self._watchdog.exhausted:
            return f"{self._watchdog.abandoned} xtdata calls hung; restart the process"
        return ""

    @property
    def xtdata(self) -> Any:
        """The xtdata object (loads the real module lazily)."""
        if self._xtdata is None:
            self._xtdata = self._loader()
        return self._xtdata

    def _safe(self, what: str, fn: Callable[[], Any]) -> Any:
        """``fn()`` under the watchdog; ``None`` (and :attr:`last_error`) when it raised or hung."""
        try:
            result = self._watchdog.call(what, fn)
        except Exception as exc:  # xtdata raises when QMT is not reachable; CallTimeout when it hangs
            self.last_error = f"{what}: {type(exc).__name__}: {exc}"
            return None
        self.last_error = ""
        return result

    def subscribe(self, code: str) -> bool:
        """Subscribe tick and 1-minute data for ``code``; True when both were accepted."""
        ok = all([self._subscribe_period(code, period) for period in ("tick", "1m")])
        if ok:
            self._subscribed.add(code)
        return ok

    def _subscribe_period(self, code: str, period: str) -> bool:
        seq = self._safe("subscribe_quote", lambda: self.xtdata.subscribe_quote(code, period=period, count=0))
        return isinstance(seq, int) and seq > 0

    def reconnect(self) -> bool:
        """Reconnect xtdata to QMT (when the module offers it) and subscribe again."""
        fn = getattr(self.xtdata, "reconnect", None)
        if fn is not None:
            self._safe("reconnect", fn)
            if self.last_error:
                return False
        codes, self._subscribed = set(self._subscribed), set()
        return all([self.subscribe(code) for code in codes])

    def latest_tick(self, code: str) -> Tick | None:
        """The latest tick of ``code``, or ``None`` (no data, QMT unreachable)."""
        data = self._safe("get_full_tick", lambda: self.xtdata.get_full_tick([code]))
        raw = (data or {}).get(code)
        return tick_from_xt(code, raw) if isinstance(raw, dict) else None

    def recent_bars(self, code: str, count: int, until: datetime | None = None) -> list[Bar] | None:
        """The last ``count`` completed 1-minute bars (ending at or before ``until``), or ``None``."""
        data = self._safe(
            "get_market_data_ex",
            lambda: self.xtdata.get_market_data_ex(
                list(self.BAR_FIELDS), [code], period="1m", count=count + 1
            ),
        )
        if data is None:
            return None
        frame = data.get(code)
        return None if frame is None else bars_from_frame(frame, until)[-count:]

    def instrument(self, code: str) -> InstrumentInfo | None:
        """Tick size and today's limits, or ``None``."""
        raw = self._safe("get_instrument_detail", lambda: self.xtdata.get_instrument_detail(code))
        if not isinstance(raw, dict):
            return None
        return InstrumentInfo(
            code=code,
            name=str(raw.get("InstrumentName") or ""),
            price_tick=float(raw.get("PriceTick") or 0.001),
            up_stop=float(raw.get("UpStopPrice") or 0.0),
            down_stop=float(raw.get("DownStopPrice") or 0.0),
            pre_close=float(raw.get("PreClose") or 0.0),
        )

    def download_history(
        self,
        code: str,
        period: str,
        start: str,
        end: str = "",
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Download bars into QMT's local cache (they cannot be read before); False when it failed.

        Blocking, and not under the watchdog (a first download can take minutes): callers run it
        on their own thread. ``progress(finished, total)`` is called as xtdata reports it
        (``download_history_data2``; the older ``download_history_data`` reports nothing).
        """

        def on_progress(data: Any) -> None:
            if progress is not None and isinstance(data, dict):
                with contextlib.suppress(TypeError, ValueError):
                    progress(int(data.get("finished", 0)), int(data.get("total", 0)))

        try:
            download2 = getattr(self.xtdata, "download_history_data2", None)
            if download2 is not None:
                download2([code], period, start, end, on_progress)
            else:
                self.xtdata.download_history_data(code, period, start, end)
        except Exception as exc:  # QMT unreachable, connection lost mid-download
            self.last_error = f"download_history_data: {type(exc).__name__}: {exc}"
            return False
        self.last_error = ""
        return True

    def history_frame(self, code: str, period: str, start: str, end: str = "") -> pd.DataFrame | None:
        """Bars as a backtest-ready frame: ``datetime`` (bar end, Shanghai), OHLC, ``volume`` in shares."""
        data = self._safe(
            "get_market_data_ex",
            lambda: self.xtdata.get_market_data_ex(
                list(self.BAR_FIELDS), [code], period=period, start_time=start, end_time=end, count=-1
            ),
        )
        if data is None or data.get(code) is None:
            return None
        bars = bars_from_frame(data[code])
        return pd.DataFrame(
            {
                "datetime": [b.time.strftime("%Y-%m-%d %H:%M:%S") for b in bars],
                "open": [b.open for b in bars],
                "high": [b.high for b in bars],
                "low": [b.low for b in bars],
                "close": [b.close for b in bars],
                "volume": [int(b.volume) for b in bars],
            }
        )
