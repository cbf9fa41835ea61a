"""miniQMT through ``xtquant``: :class:`XtBroker` (trading) and :class:`XtMarketData` (quotes, bars).

This is the only module that imports ``xtquant.xttrader`` / ``xtquant.xtdata``, and only inside
functions (they load Windows DLLs). Both classes take the xtquant object injected — the trader
class via a factory, the xtdata module as an object — so tests and the offline demo run them over
``windows_bridge.xt_fake`` through exactly the same code.

How xtquant behaves, and what this module does about it:

* ``XtQuantTrader(path, session)`` → ``register_callback`` → ``start`` → ``connect`` (0 = ok) →
  ``subscribe(StockAccount)`` (0 = ok). There is no automatic reconnect: after
  ``on_disconnected`` or repeated failed calls :meth:`XtBroker.reconnect` builds a NEW trader
  with a NEW session id (with backoff), connects, subscribes; the caller then re-queries and
  reconciles by ``order_remark``.
* Callbacks run on xtquant's single worker thread, which also delivers the answers to synchronous
  calls: a sync call from a callback deadlocks. The callbacks here only convert and enqueue.
* Queries answer ``None`` when they fail; that stays ``None`` (failed), never ``[]`` (empty).
* Order status comes from ``xtconstant.ORDER_*``; the pushed ``price_type`` is not the one sent
  (50 is seen for FIX_PRICE orders), so nothing relies on it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from xtquant import xtconstant
from xtquant.xttype import StockAccount

from windows_bridge.broker import (
    BrokerAsset,
    BrokerError,
    BrokerEvent,
    BrokerOrder,
    BrokerPositionInfo,
    BrokerTrade,
    CancelErrorEvent,
    DisconnectedEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderStatus,
    Side,
    TradeEvent,
    get_event,
)
from windows_bridge.market import SHANGHAI
from windows_bridge.protocol import Bar

log = logging.getLogger(__name__)

TraderFactory = Callable[[str, int], Any]

#: seconds to wait before reconnect attempt n (the last one repeats)
DEFAULT_BACKOFF_S: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)

STATUS_MAP: dict[int, OrderStatus] = {
    xtconstant.ORDER_UNREPORTED: OrderStatus.PENDING,
    xtconstant.ORDER_WAIT_REPORTING: OrderStatus.PENDING,
    xtconstant.ORDER_REPORTED: OrderStatus.PENDING,
    xtconstant.ORDER_REPORTED_CANCEL: OrderStatus.PENDING,
    # 52 部成待撤: part filled, cancel on the way — more fills may still come, so not final yet
    xtconstant.ORDER_PARTSUCC_CANCEL: OrderStatus.PARTIAL,
    xtconstant.ORDER_PART_CANCEL: OrderStatus.PART_CANCELLED,
    xtconstant.ORDER_CANCELED: OrderStatus.CANCELLED,
    xtconstant.ORDER_PART_SUCC: OrderStatus.PARTIAL,
    xtconstant.ORDER_SUCCEEDED: OrderStatus.FILLED,
    xtconstant.ORDER_JUNK: OrderStatus.REJECTED,
    xtconstant.ORDER_UNKNOWN: OrderStatus.UNKNOWN,
}

ACCOUNT_STATUS_TEXT: dict[int, str] = {
    xtconstant.ACCOUNT_STATUS_INVALID: "invalid",
    xtconstant.ACCOUNT_STATUS_OK: "ok",
    xtconstant.ACCOUNT_STATUS_WAITING_LOGIN: "waiting_login",
    xtconstant.ACCOUNT_STATUSING: "logging_in",
    xtconstant.ACCOUNT_STATUS_FAIL: "failed",
    xtconstant.ACCOUNT_STATUS_INITING: "initialising",
    xtconstant.ACCOUNT_STATUS_CORRECTING: "correcting",
    xtconstant.ACCOUNT_STATUS_CLOSED: "closed",
}


# --------------------------------------------------------------------------- lazy real xtquant


def real_trader_factory(path: str, session: int) -> Any:
    """A real ``xtquant.xttrader.XtQuantTrader`` (Windows only; imported here, lazily)."""
    from xtquant.xttrader import XtQuantTrader

    return XtQuantTrader(path, session)


def real_xtdata() -> Any:
    """The real ``xtquant.xtdata`` module (Windows only; imported here, lazily)."""
    from xtquant import xtdata

    return xtdata


class SessionIds:
    """Session ids unique per process and per reconnect (xtquant refuses a session id in use)."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        """A new id: ms clock mixed with the pid, strictly increasing in this process."""
        with self._lock:
            candidate = (int(time.time() * 1000) * 7 + os.getpid()) % 2_000_000_000
            self._last = max(candidate, self._last + 1)
            return self._last


# --------------------------------------------------------------------------- conversions


def _moment(epoch_s: Any) -> datetime | None:
    try:
        value = float(epoch_s)
    except (TypeError, ValueError):
        return None
    if value <= 0:
        return None
    if value > 1e11:  # some builds report ms
        value /= 1000.0
    return datetime.fromtimestamp(value, SHANGHAI)


def _side(order_type: Any) -> Side:
    return Side.BUY if order_type == xtconstant.STOCK_BUY else Side.SELL


def map_status(order_status: Any) -> OrderStatus:
    """``xtconstant.ORDER_*`` → :class:`OrderStatus` (unknown codes → UNKNOWN)."""
    try:
        return STATUS_MAP.get(int(order_status), OrderStatus.UNKNOWN)
    except (TypeError, ValueError):
        return OrderStatus.UNKNOWN


def order_from_xt(o: Any) -> BrokerOrder:
    """``XtOrder`` → :class:`BrokerOrder`."""
    return BrokerOrder(
        order_id=int(o.order_id),
        code=str(o.stock_code),
        side=_side(o.order_type),
        price=float(o.price),
        shares=int(o.order_volume),
        filled_shares=int(o.traded_volume or 0),
        avg_price=float(o.traded_price or 0.0),
        status=map_status(o.order_status),
        remark=str(o.order_remark or ""),
        message=str(o.status_msg or ""),
        time=_moment(o.order_time),
    )


def trade_from_xt(t: Any) -> BrokerTrade:
    """``XtTrade`` → :class:`BrokerTrade`."""
    return BrokerTrade(
        trade_id=str(t.traded_id),
        order_id=int(t.order_id),
        code=str(t.stock_code),
        side=_side(t.order_type),
        shares=int(t.traded_volume),
        price=float(t.traded_price),
        remark=str(t.order_remark or ""),
        time=_moment(t.traded_time),
    )


def position_from_xt(p: Any) -> BrokerPositionInfo:
    """``XtPosition`` → :class:`BrokerPositionInfo` (``avg_price`` falls back to ``open_price``)."""
    avg = float(getattr(p, "avg_price", 0.0) or getattr(p, "open_price", 0.0) or 0.0)
    return BrokerPositionInfo(
        code=str(p.stock_code),
        volume=int(p.volume),
        can_use_volume=int(p.can_use_volume),
        avg_price=avg,
        market_value=float(p.market_value or 0.0),
    )


def asset_from_xt(a: Any) -> BrokerAsset:
    """``XtAsset`` → :class:`BrokerAsset`."""
    return BrokerAsset(
        cash=float(a.cash),
        frozen_cash=float(a.frozen_cash),
        market_value=float(a.market_value),
        total_asset=float(a.total_asset),
    )


# --------------------------------------------------------------------------- callbacks


class _Callback:
    """xtquant callback: converts and enqueues, nothing else (no sync call may happen here)."""

    def __init__(self, owner: XtBroker, generation: int) -> None:
        self._owner = owner
        self._generation = generation

    def _put(self, make: Callable[[], BrokerEvent]) -> None:
        try:
            self._owner._events.put(make())
        except Exception:
            log.exception("cannot convert an xtquant push")

    def on_connected(self) -> None:
        """Nothing to do: :meth:`XtBroker.reconnect` knows."""

    def on_disconnected(self) -> None:
        """Mark the session lost and tell the consumer."""
        if self._owner._session_lost(self._generation):
            self._owner._events.put(DisconnectedEvent("QMT connection lost (on_disconnected)"))

    def on_account_status(self, status: Any) -> None:
        """Remember the account status (plain attribute write)."""
        self._owner._account_status = getattr(status, "status", None)

    def on_stock_order(self, order: Any) -> None:
        """Order changed."""
        self._put(lambda: OrderEvent(order_from_xt(order)))

    def on_stock_trade(self, trade: Any) -> None:
        """A fill."""
        self._put(lambda: TradeEvent(trade_from_xt(trade)))

    def on_order_error(self, order_error: Any) -> None:
        """The order was refused."""
        self._put(
            lambda: OrderErrorEvent(
                order_id=int(order_error.order_id),
                remark=str(getattr(order_error, "order_remark", "") or ""),
                message=str(order_error.error_msg or ""),
                error_id=int(order_error.error_id or 0),
            )
        )

    def on_cancel_error(self, cancel_error: Any) -> None:
        """A cancel was refused."""
        self._put(lambda: CancelErrorEvent(int(cancel_error.order_id), str(cancel_error.error_msg or "")))

    def on_stock_asset(self, asset: Any) -> None:
        """Ignored: the bridge queries the asset."""

    def on_stock_position(self, position: Any) -> None:
        """Ignored: the bridge queries positions."""

    def on_order_stock_async_response(self, response: Any) -> None:
        """Ignored: only synchronous ``order_stock`` is used."""

    def on_cancel_order_stock_async_response(self, response: Any) -> None:
        """Ignored: only synchronous ``cancel_order_stock`` is used."""

    def on_smt_appointment_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_bank_transfer_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_ctp_internal_transfer_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_smart_algo_order_async_response(self, response: Any) -> None:
        """Ignored."""

    def on_operate_smart_task_async_response(self, response: Any) -> None:
        """Ignored."""


# --------------------------------------------------------------------------- trading


class XtBroker:
    """:class:`windows_bridge.broker.Broker` over an ``XtQuantTrader`` (real or fake)."""

    def __init__(
        self,
        path: str,
        account_id: str,
        account_type: str = "STOCK",
        *,
        trader_factory: TraderFactory | None = None,
        session_ids: Callable[[], int] | None = None,
        strategy_name: str = "miniqmt",
        backoff_s: Sequence[float] = DEFAULT_BACKOFF_S,
        failure_threshold: int = 3,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Nothing connects until :meth:`connect`/:meth:`reconnect`."""
        self.path = path
        self.account = StockAccount(account_id, account_type)
        self.strategy_name = strategy_name
        self._factory = trader_factory or real_trader_factory
        self._session_ids = session_ids or SessionIds()
        self._backoff = tuple(backoff_s) or (1.0,)
        self._threshold = max(1, failure_threshold)
        self._monotonic = monotonic
        self._events: queue.Queue[BrokerEvent] = queue.Queue()
        self._lock = threading.RLock()
        self._trader: Any = None
        self._generation = 0
        self._up = False
        self._failures = 0
        self._attempts = 0
        self._next_attempt = 0.0
        self._account_status: int | None = None
        self.session_id: int | None = None
        self.last_error = ""

    # ------------------------------------------------------------------ connection

    @property
    def connected(self) -> bool:
        """True while the session is up (no disconnect push, no run of failed calls)."""
        return self._up

    @property
    def account_status(self) -> str:
        """The last pushed account status as text (``""`` before any push)."""
        if self._account_status is None:
            return ""
        return ACCOUNT_STATUS_TEXT.get(self._account_status, f"status {self._account_status}")

    def connect(self) -> bool:
        """Connect now, ignoring the backoff."""
        return self.reconnect(force=True)

    def reconnect(self, force: bool = False) -> bool:
        """One attempt with a NEW trader and session id; False at once while backing off."""
        with self._lock:
            if not force and self._monotonic() < self._next_attempt:
                return False
            self._drop_trader()
            ok = self._open_session()
            if ok:
                self._attempts, self._failures, self._next_attempt = 0, 0, 0.0
                log.info("connected to QMT at %s, session %s", self.path, self.session_id)
            else:
                delay = self._backoff[min(self._attempts, len(self._backoff) - 1)]
                self._attempts += 1
                self._next_attempt = self._monotonic() + delay
                log.warning("QMT connect failed (%s); next try in %.0f s", self.last_error, delay)
            return ok

    def _open_session(self) -> bool:
        self._generation += 1
        self.session_id = self._session_ids()
        try:
            trader = self._factory(self.path, self.session_id)
            trader.register_callback(_Callback(self, self._generation))
            trader.start()
            self._trader = trader
            result = trader.connect()
            if result != 0:
                self.last_error = f"connect() returned {result} (is QMT running and logged in?)"
                return False
            result = trader.subscribe(self.account)
            if result != 0:
                self.last_error = f"subscribe({self.account.account_id}) returned {result}"
                return False
        except Exception as exc:  # the real client raises on a missing path, DLL trouble, …
            self.last_error = f"{type(exc).__name__}: {exc}"
            return False
        self._up = True
        self.last_error = ""
        return True

    def _drop_trader(self) -> None:
        trader, self._trader, self._up = self._trader, None, False
        if trader is None:
            return
        try:
            trader.stop()
        except Exception as exc:
            log.debug("stopping the old trader failed: %s", exc)

    def _session_lost(self, generation: int) -> bool:
        """Called from the callback thread: mark the current session down (attribute writes only)."""
        if generation != self._generation:
            return False
        self._up = False
        self.last_error = "QMT connection lost (on_disconnected)"
        return True

    def _failed(self, what: str) -> None:
        self._failures += 1
        self.last_error = what
        if self._failures >= self._threshold and self._up:
            self._up = False
            log.warning("%d failed calls in a row (%s): session considered lost", self._failures, what)

    def _call(self, name: str, *args: Any) -> tuple[bool, Any]:
        """Call ``trader.name(*args)``; (False, None) when not connected or it raised."""
        trader = self._trader
        if trader is None or not self._up:
            return False, None
        try:
            return True, getattr(trader, name)(*args)
        except Exception as exc:
            self._failed(f"{name} raised {type(exc).__name__}: {exc}")
            return False, None

    # ------------------------------------------------------------------ Broker protocol

    def place_limit_order(self, code: str, side: Side, shares: int, price: float, remark: str) -> int:
        """``order_stock`` with FIX_PRICE; the order id, or BrokerError when it was not sent."""
        order_type = xtconstant.STOCK_BUY if Side(side) is Side.BUY else xtconstant.STOCK_SELL
        ok, result = self._call(
            "order_stock",
            self.account,
            code,
            order_type,
            int(shares),
            xtconstant.FIX_PRICE,
            float(price),
            self.strategy_name,
            remark,
        )
        if not ok:
            raise BrokerError(f"order not sent: not connected to QMT ({self.last_error or 'no session'})")
        if result is None or int(result) <= 0:
            self._failed(f"order_stock returned {result}")
            raise BrokerError(f"order not sent: order_stock returned {result}")
        self._failures = 0
        return int(result)

    def cancel_order(self, order_id: int) -> bool:
        """``cancel_order_stock``: True when the request was accepted (0)."""
        ok, result = self._call("cancel_order_stock", self.account, int(order_id))
        return ok and result == 0

    def _query(self, name: str, *args: Any) -> Any:
        ok, result = self._call(name, self.account, *args)
        if not ok:
            return None
        if result is None:
            self._failed(f"{name} answered None")
            return None
        self._failures = 0
        return result

    def query_orders(self) -> list[BrokerOrder] | None:
        """Today's orders, or ``None`` when the query failed."""
        result = self._query("query_stock_orders", False)
        return None if result is None else [order_from_xt(o) for o in result]

    def query_trades(self) -> list[BrokerTrade] | None:
        """Today's fills, or ``None``."""
        result = self._query("query_stock_trades")
        return None if result is None else [trade_from_xt(t) for t in result]

    def query_positions(self) -> list[BrokerPositionInfo] | None:
        """All positions, or ``None`` (never ``[]`` for a failure)."""
        result = self._query("query_stock_positions")
        return None if result is None else [position_from_xt(p) for p in result]

    def query_asset(self) -> BrokerAsset | None:
        """The asset summary, or ``None``."""
        result = self._query("query_stock_asset")
        return None if result is None else asset_from_xt(result)

    def next_event(self, timeout: float) -> BrokerEvent | None:
        """The next pushed event, waiting up to ``timeout`` seconds."""
        return get_event(self._events, timeout)

    def close(self) -> None:
        """Stop the session."""
        with self._lock:
            self._drop_trader()


# --------------------------------------------------------------------------- market data


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

    def __init__(self, xtdata: Any = None, *, loader: Callable[[], Any] = real_xtdata) -> None:
        """``xtdata`` is used as given; without it the real module is loaded on first use."""
        self._xtdata = xtdata
        self._loader = loader
        self._subscribed: set[str] = set()
        self.last_error = ""

    @property
    def xtdata(self) -> Any:
        """The xtdata object (loads the real module lazily)."""
        if self._xtdata is None:
            self._xtdata = self._loader()
        return self._xtdata

    def _safe(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            result = fn()
        except Exception as exc:  # xtdata raises when QMT is not reachable
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

    def download_history(self, code: str, period: str, start: str, end: str = "") -> bool:
        """``download_history_data`` (blocking in real xtquant); False when it raised."""
        self._safe(
            "download_history_data", lambda: self.xtdata.download_history_data(code, period, start, end)
        )
        return not self.last_error

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
