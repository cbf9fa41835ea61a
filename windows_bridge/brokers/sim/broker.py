"""A simulated broker that behaves like a cash account on SZSE/SSE.

Limit orders match against the latest quote fed through :meth:`SimBroker.on_quote`: a buy
fills when the quote price is at or below its limit, a sell when it is at or above, always at
the quote price. A fill is limited by the volume tradable at that quote and by ``fill_ratio``
of the order (rounded down to whole lots), so partial fills happen and the rest keeps working.
An order that is marketable when placed matches at once against the last quote.

Rules enforced at placement (a refused order still gets an id, then an
:class:`OrderErrorEvent` and an :class:`OrderEvent` with status ``REJECTED``, as QMT does):
lots of 100, price on the tick grid and inside the daily up/down stop, the continuous session
(when ``check_session``), cash for value + commission (buys freeze it), and
``can_use_volume`` for sells (T+1: shares bought today become sellable when the clock's date
changes). Working orders expire at the day change, like real A-share orders.

With a ``ledger_path`` the whole account is persisted after every change, so a restarted
process sees the same orders; a quote that changes only the last price is persisted at most once a
second (``PRICE_SAVE_S``: every quote tick meant an fsync'd rewrite under the broker's lock, in the way
of the orders); ``read_only=True`` opens a ledger another process writes and
reloads it whenever the file changes.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from time import monotonic

from windows_bridge.brokers.interface import (
    BrokerAsset,
    BrokerEvent,
    BrokerOrder,
    BrokerPositionInfo,
    BrokerTrade,
    CancelErrorEvent,
    OrderErrorEvent,
    OrderEvent,
    OrderRefused,
    OrderStatus,
    Side,
    TradeEvent,
    get_event,
)
from windows_bridge.brokers.sim.ledger import (
    Ledger,
    LedgerError,
    SimOrder,
    SimPosition,
    load_ledger,
    save_ledger,
)
from windows_bridge.contract.fees import FeeSchedule
from windows_bridge.contract.market_hours import as_shanghai, in_continuous_session, now_shanghai
from windows_bridge.contract.prices import LOT, is_on_tick

#: error ids carried by OrderErrorEvent (loosely following QMT's habit of numeric codes)
ERR_LOT = 1001
ERR_PRICE = 1002
ERR_BAND = 1003
ERR_SESSION = 1004
ERR_CASH = 1005
ERR_VOLUME = 1006
#: a last price alone (no fill, no cost seeded) is written to the ledger at most this often
PRICE_SAVE_S = 1.0


class SimBroker:
    """In-process simulated broker implementing :class:`windows_bridge.brokers.interface.Broker`."""

    def __init__(
        self,
        ledger_path: Path | None = None,
        *,
        initial_cash: float = 1_000_000.0,
        initial_positions: Mapping[str, int] | None = None,
        fees: FeeSchedule = FeeSchedule(rate=0.0001, minimum=0.0),  # noqa: B008 (frozen dataclass)
        fill_ratio: float = 1.0,
        clock: Callable[[], datetime] = now_shanghai,
        check_session: bool = False,
        read_only: bool = False,
    ) -> None:
        """Open (or create) the account; see the module docstring for the rules."""
        if not 0 < fill_ratio <= 1:
            raise ValueError("fill_ratio must be in (0, 1]")
        if read_only and ledger_path is None:
            raise ValueError("read_only needs a ledger_path to read")
        self._path = ledger_path
        self._fees = fees
        self._fill_ratio = fill_ratio
        self._clock = clock
        self._check_session = check_session
        self._read_only = read_only
        self._lock = threading.RLock()
        self._events: queue.Queue[BrokerEvent] = queue.Queue()
        self._pending: list[BrokerEvent] = []
        self._bands: dict[str, tuple[float, float]] = {}
        self._volume_left: dict[str, int | None] = {}
        self._connected = True
        self._stamp: tuple[int, int] | None = None
        self._ledger: Ledger | None = None
        self._saved_at = -math.inf  # monotonic time of the last save
        if read_only:
            self._reload_if_changed()
        else:
            self._ledger = self._open_or_create(initial_cash, initial_positions or {})

    # ------------------------------------------------------------------ set-up and persistence

    def _today(self) -> date:
        return as_shanghai(self._clock()).date()

    def _open_or_create(self, cash: float, positions: Mapping[str, int]) -> Ledger:
        ledger = load_ledger(self._path) if self._path is not None else None
        if ledger is None:
            ledger = Ledger(cash=float(cash), trading_day=self._today())
            for code, volume in positions.items():
                if volume < 0:
                    raise ValueError(f"initial position {code}: negative volume")
                ledger.positions[code] = SimPosition(volume=int(volume))
            self._save(ledger)
        return ledger

    def _save(self, ledger: Ledger) -> None:
        if self._path is not None and not self._read_only:
            save_ledger(self._path, ledger)
            self._saved_at = monotonic()

    def _reload_if_changed(self) -> None:
        assert self._path is not None
        try:
            st = self._path.stat()
        except OSError:
            self._ledger, self._stamp = None, None
            return
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp and self._ledger is not None:
            return
        try:
            self._ledger = load_ledger(self._path)
            self._stamp = stamp
        except LedgerError:
            self._ledger, self._stamp = None, None

    def _book(self) -> Ledger | None:
        """The current ledger (reloaded in read-only mode, rolled to today), or None if unreadable."""
        if self._read_only:
            self._reload_if_changed()
        if self._ledger is not None:
            self._roll_day(self._ledger)
        return self._ledger

    def _writable_book(self) -> Ledger:
        if self._read_only:
            raise OrderRefused("this SimBroker is a read-only view of another process's ledger")
        if not self._connected:
            raise OrderRefused("SimBroker is closed")
        book = self._book()
        assert book is not None
        return book

    def _commit(self, ledger: Ledger) -> None:
        """Persist the ledger, then publish the events collected during the change."""
        self._save(ledger)
        for event in self._pending:
            self._events.put(event)
        self._pending.clear()

    # ------------------------------------------------------------------ day change (T+1, expiry)

    def _roll_day(self, ledger: Ledger, today: date | None = None) -> None:
        today = today or self._today()
        if today <= ledger.trading_day:
            return
        for order in ledger.orders:
            if not order.status.is_final:
                self._finish_unfilled(order, "收盘未成交部分自动撤销 expired at the close")
        for pos in ledger.positions.values():
            pos.bought_today = 0
            pos.sold_today = 0
        ledger.orders.clear()
        ledger.trades.clear()
        ledger.trading_day = today
        self._volume_left.clear()
        if self._read_only:
            self._pending.clear()
        else:
            self._commit(ledger)

    def _finish_unfilled(self, order: SimOrder, message: str) -> None:
        order.status = OrderStatus.PART_CANCELLED if order.filled_shares else OrderStatus.CANCELLED
        order.message = message
        self._pending.append(OrderEvent(order.snapshot()))

    # ------------------------------------------------------------------ account arithmetic

    def _frozen_cash(self, ledger: Ledger) -> float:
        total = 0.0
        for o in ledger.orders:
            if o.side is Side.BUY and o.remaining:
                value = o.remaining * o.price
                total += value + self._fees.commission(value)
        return round(total, 2)

    @staticmethod
    def _selling(ledger: Ledger, code: str) -> int:
        """Shares of ``code`` frozen by working sell orders."""
        return sum(o.remaining for o in ledger.orders if o.code == code and o.side is Side.SELL)

    def _can_use(self, ledger: Ledger, code: str) -> int:
        pos = ledger.positions.get(code, SimPosition())
        return max(0, pos.volume - pos.bought_today - self._selling(ledger, code))

    def _refusal(self, ledger: Ledger, code: str, side: Side, shares: int, price: float) -> tuple[int, str]:
        """``(error_id, message)`` when the order must be rejected, else ``(0, "")``."""
        if shares <= 0 or shares % LOT:
            return (
                ERR_LOT,
                f"委托数量 {shares} 不是100股的正整数倍 shares must be a positive multiple of {LOT}",
            )
        if not math.isfinite(price) or price <= 0 or not is_on_tick(price):
            return ERR_PRICE, f"委托价格 {price} 无效或不在最小变动价位上 price is not a valid tick price"
        up, down = self._bands.get(code, (0.0, 0.0))
        if (up > 0 and price > up + 1e-9) or (down > 0 and price < down - 1e-9):
            return ERR_BAND, f"委托价格 {price} 超出涨跌停 [{down}, {up}] price outside the daily limits"
        if self._check_session and not in_continuous_session(self._clock()):
            return ERR_SESSION, "非连续竞价时段 outside the continuous trading session"
        if side is Side.BUY:
            value = shares * price
            need = value + self._fees.commission(value)
            available = ledger.cash - self._frozen_cash(ledger)
            if need > available + 1e-9:
                return ERR_CASH, f"可用资金不足 insufficient cash: need {need:.2f}, available {available:.2f}"
        elif shares > self._can_use(ledger, code):
            can_use = self._can_use(ledger, code)
            return ERR_VOLUME, f"可用股份不足 (T+1) sell {shares} > can_use_volume {can_use}"
        return 0, ""

    # ------------------------------------------------------------------ matching

    def _fill_size(self, order: SimOrder, volume_left: int | None) -> int:
        per_match = max(LOT, math.floor(order.shares * self._fill_ratio / LOT) * LOT)
        size = min(order.remaining, per_match)
        if volume_left is not None:
            size = min(size, volume_left // LOT * LOT)
        return max(0, size)

    def _crosses(self, order: SimOrder, price: float) -> bool:
        if order.side is Side.BUY:
            return price <= order.price + 1e-9
        return price >= order.price - 1e-9

    def _match(self, ledger: Ledger, code: str, when: datetime) -> None:
        price = ledger.last_prices.get(code)
        if price is None:
            return
        for order in sorted(ledger.orders, key=lambda o: o.order_id):
            if order.code != code or not order.remaining or not self._crosses(order, price):
                continue
            volume_left = self._volume_left.get(code)
            size = self._fill_size(order, volume_left)
            if size <= 0:
                break
            self._fill(ledger, order, size, price, when)
            if volume_left is not None:
                self._volume_left[code] = volume_left - size

    def _fill(self, ledger: Ledger, order: SimOrder, size: int, price: float, when: datetime) -> None:
        value = size * price
        fee = self._fees.commission(value)
        pos = ledger.positions.setdefault(order.code, SimPosition())
        if order.side is Side.BUY:
            ledger.cash = round(ledger.cash - value - fee, 2)
            pos.volume += size
            pos.bought_today += size
            pos.cost = round(pos.cost + value + fee, 4)
        else:
            pos.cost = round(pos.cost * (pos.volume - size) / pos.volume, 4) if pos.volume else 0.0
            pos.volume -= size
            pos.sold_today += size
            ledger.cash = round(ledger.cash + value - fee, 2)
        order.filled_shares += size
        order.filled_value = round(order.filled_value + value, 4)
        order.fees = round(order.fees + fee, 2)
        order.status = OrderStatus.FILLED if order.filled_shares == order.shares else OrderStatus.PARTIAL
        trade = BrokerTrade(
            trade_id=f"T{ledger.next_trade_no:08d}",
            order_id=order.order_id,
            code=order.code,
            side=order.side,
            shares=size,
            price=price,
            remark=order.remark,
            time=when,
            commission=fee,
        )
        ledger.next_trade_no += 1
        ledger.trades.append(trade)
        self._pending.append(TradeEvent(trade))
        self._pending.append(OrderEvent(order.snapshot()))

    # ------------------------------------------------------------------ Broker protocol

    @property
    def connected(self) -> bool:
        """True until :meth:`close`."""
        return self._connected

    def place_limit_order(self, code: str, side: Side, shares: int, price: float, remark: str) -> int:
        """Place a limit order; the id comes back at once, the outcome as events."""
        with self._lock:
            ledger = self._writable_book()
            error_id, message = self._refusal(ledger, code, Side(side), shares, price)
            order = SimOrder(
                order_id=ledger.next_order_id,
                code=code,
                side=Side(side),
                price=price,
                shares=shares,
                remark=remark,
                time=self._clock(),
            )
            ledger.next_order_id += 1
            ledger.orders.append(order)
            if error_id:
                order.status, order.message = OrderStatus.REJECTED, message
                self._pending.append(OrderErrorEvent(order.order_id, remark, message, error_id))
            self._pending.append(OrderEvent(order.snapshot()))
            if not error_id:
                self._match(ledger, code, self._clock())
            self._commit(ledger)
            return order.order_id

    def cancel_order(self, order_id: int) -> bool:
        """Cancel the working part; False (and a CancelErrorEvent) when it is unknown or final."""
        with self._lock:
            ledger = self._writable_book()
            order = next((o for o in ledger.orders if o.order_id == order_id), None)
            if order is None or order.status.is_final:
                why = "unknown order" if order is None else f"order is already {order.status.value}"
                self._pending.append(CancelErrorEvent(order_id, f"撤单失败 cancel refused: {why}"))
                self._commit(ledger)
                return False
            self._finish_unfilled(order, "已撤单 cancelled")
            self._commit(ledger)
            return True

    def query_orders(self) -> list[BrokerOrder] | None:
        """Today's orders (``None`` only when the ledger cannot be read)."""
        with self._lock:
            ledger = self._book()
            return None if ledger is None else [o.snapshot() for o in ledger.orders]

    def query_trades(self) -> list[BrokerTrade] | None:
        """Today's fills (``None`` only when the ledger cannot be read)."""
        with self._lock:
            ledger = self._book()
            return None if ledger is None else list(ledger.trades)

    def query_positions(self) -> list[BrokerPositionInfo] | None:
        """Every position the account has held today (``None`` only when the ledger cannot be read)."""
        with self._lock:
            ledger = self._book()
            if ledger is None:
                return None
            return [self._position_info(ledger, code, pos) for code, pos in ledger.positions.items()]

    def _position_info(self, ledger: Ledger, code: str, pos: SimPosition) -> BrokerPositionInfo:
        avg = round(pos.cost / pos.volume, 6) if pos.volume else 0.0
        price = ledger.last_prices.get(code, avg)
        return BrokerPositionInfo(
            code=code,
            volume=pos.volume,
            can_use_volume=self._can_use(ledger, code),
            avg_price=avg,
            market_value=round(pos.volume * price, 2),
            frozen_volume=self._selling(ledger, code),
            yesterday_volume=pos.yesterday_volume,
        )

    def query_asset(self) -> BrokerAsset | None:
        """Available cash, frozen cash, market value and total (``None`` if the ledger is unreadable)."""
        with self._lock:
            ledger = self._book()
            if ledger is None:
                return None
            frozen = self._frozen_cash(ledger)
            market_value = sum(
                self._position_info(ledger, c, p).market_value for c, p in ledger.positions.items()
            )
            return BrokerAsset(
                cash=round(ledger.cash - frozen, 2),
                frozen_cash=frozen,
                market_value=round(market_value, 2),
                total_asset=round(ledger.cash + market_value, 2),
            )

    def next_event(self, timeout: float) -> BrokerEvent | None:
        """The next event, waiting up to ``timeout`` seconds (thread-safe)."""
        return get_event(self._events, timeout)

    def reconnect(self, force: bool = False) -> bool:
        """Nothing to reconnect in-process: True unless :meth:`close` was called."""
        return self._connected

    def close(self) -> None:
        """Stop accepting orders and quotes; queries keep answering from the ledger."""
        self._connected = False

    def end_day(self, next_day: date | None = None) -> date:
        """Close the trading day now, as the broker's overnight clearing does; return the new day.

        Working orders expire (part-cancelled or cancelled), today's orders and trades leave the
        lists, today's buys become sellable. ``next_day`` defaults to the day after the ledger's.
        Used to put a day roll between a crash and a restart.
        """
        with self._lock:
            ledger = self._writable_book()
            target = next_day or ledger.trading_day + timedelta(days=1)
            if target <= ledger.trading_day:
                raise ValueError(f"the broker is already on {ledger.trading_day}, not before {target}")
            self._roll_day(ledger, target)
            return ledger.trading_day

    # ------------------------------------------------------------------ simulation inputs

    def on_quote(
        self,
        code: str,
        price: float,
        *,
        time: datetime,
        volume: int | None = None,
        up_stop: float = 0.0,
        down_stop: float = 0.0,
    ) -> None:
        """Feed the latest price of ``code``; working orders that cross it fill (maybe partly)."""
        if not math.isfinite(price) or price <= 0:
            raise ValueError(f"quote price must be positive, got {price!r}")
        with self._lock:
            ledger = self._writable_book()
            before = ledger.last_prices.get(code)
            moved = before != float(price)
            ledger.last_prices[code] = float(price)
            seeded = self._seed_cost(ledger, code, float(price))
            self._bands[code] = (float(up_stop), float(down_stop))
            self._volume_left[code] = None if volume is None else max(0, int(volume))
            self._match(ledger, code, time)
            due = monotonic() - self._saved_at >= PRICE_SAVE_S
            if self._pending or seeded or before is None or (moved and due):
                self._commit(ledger)

    @staticmethod
    def _seed_cost(ledger: Ledger, code: str, price: float) -> bool:
        """An initial position has no known cost: value it at the first quote seen (True when it did)."""
        pos = ledger.positions.get(code)
        if pos is not None and pos.volume > 0 and pos.cost == 0:
            pos.cost = round(pos.volume * price, 4)
            return True
        return False

    def last_price(self, code: str) -> float | None:
        """The last quoted price of ``code``, if any."""
        with self._lock:
            ledger = self._book()
            return None if ledger is None else ledger.last_prices.get(code)
