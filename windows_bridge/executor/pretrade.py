"""The executor's pre-trade checks (SPEC §4), one small function per rule.

Each check returns a :class:`Refusal` (a stable ``reason_code`` plus a message in Chinese and
English that a trader can act on) or ``None`` when the signal passes. :func:`run_checks` runs
them in a fixed order and returns the first refusal. Nothing here touches the broker or files:
the executor gathers the inputs (:class:`CheckInputs`) and the checks only judge them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from windows_bridge.contract.calendar import format_session_start, next_session_start
from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.market_hours import (
    as_shanghai,
    in_continuous_session,
    in_market_hours,
    is_trading_day,
)
from windows_bridge.contract.messages import OrderSignal, SharedQuote
from windows_bridge.contract.prices import LOT, TICK, is_lot_multiple, is_on_tick
from windows_bridge.contract.signing import verify

#: a signal stamped further than this in the future means a wrong clock or a forged file
MAX_FUTURE_SKEW_S = 30.0


@dataclass(frozen=True)
class Refusal:
    """Why a signal is not executed."""

    reason_code: str
    message: str


@dataclass(frozen=True)
class AccountView:
    """What the account can do right now: available cash and sellable shares of the signal's code."""

    available_cash: float
    can_use_volume: int


@dataclass(frozen=True)
class CheckInputs:
    """Everything the checks judge a signal against."""

    signal: OrderSignal
    now: datetime
    risk: RiskLimits
    quote: SharedQuote | None = None
    quote_problem: str = ""
    hmac_key: bytes | None = None
    check_session: bool = True
    orders_today: int = 0
    account: AccountView | None = None
    account_problem: str = ""
    stop_present: bool = False
    #: the kill-switch entry found in the shared folder (``STOP``, ``stop.txt``, …), for the message
    stop_name: str = ""
    #: the highest quote ``seq`` seen before (-1 = none): a lower one means a replayed or stale file
    quote_seq_floor: int = -1
    #: hold the quote's market ``time`` to the wall clock too (off in rehearsals: a replayed market's
    #: time is not today's; the producer's ``heartbeat`` is always checked)
    quote_time_is_wall_clock: bool = True


def check_kill_switch(stop_present: bool, name: str = "STOP") -> Refusal | None:
    """A STOP entry in the shared folder (any case, any extension, any kind) refuses every signal."""
    if stop_present:
        return Refusal(
            "kill_switch", f"急停文件 {name or 'STOP'} 存在，不下单 kill switch: {name or 'STOP'} is present"
        )
    return None


def check_hmac(signal: OrderSignal, key: bytes | None) -> Refusal | None:
    """With a key configured, the signal must carry a valid HMAC."""
    if key is None:
        return None
    if not signal.hmac:
        return Refusal("missing_hmac", "信号缺少签名 signal has no HMAC but a key is configured")
    if not verify(signal, key):
        return Refusal("bad_hmac", "信号签名不符 signal HMAC does not match its content")
    return None


def check_whitelist(signal: OrderSignal, whitelist: list[str]) -> Refusal | None:
    """Only whitelisted codes are traded."""
    if signal.code not in whitelist:
        return Refusal("code_not_allowed", f"代码 {signal.code} 不在白名单 {whitelist} code not whitelisted")
    return None


def check_lots(signal: OrderSignal) -> Refusal | None:
    """Shares must be a positive multiple of 100."""
    if not is_lot_multiple(signal.shares):
        return Refusal(
            "bad_lot",
            f"数量 {signal.shares} 不是{LOT}股的正整数倍 shares must be a positive multiple of {LOT}",
        )
    return None


def check_order_size(signal: OrderSignal, risk: RiskLimits) -> Refusal | None:
    """Per-order caps on shares and on value."""
    if signal.shares > risk.max_shares_per_order:
        return Refusal(
            "too_many_shares",
            f"数量 {signal.shares} 超过单笔上限 {risk.max_shares_per_order} shares above the cap",
        )
    value = signal.shares * signal.price
    if value > risk.max_value_per_order:
        return Refusal(
            "order_value_too_large",
            f"金额 {value:.2f} 超过单笔上限 {risk.max_value_per_order:.2f} order value above the cap",
        )
    return None


def check_tick(signal: OrderSignal) -> Refusal | None:
    """The price must sit on the 0.001 tick grid."""
    if not math.isfinite(signal.price) or not is_on_tick(signal.price, TICK):
        return Refusal(
            "price_off_tick", f"价格 {signal.price} 不在最小变动价位 {TICK} 上 price is off the tick grid"
        )
    return None


def check_signal_age(signal: OrderSignal, now: datetime, max_age_s: float) -> Refusal | None:
    """Old signals are refused; so are signals stamped in the future (wrong clock, forged file)."""
    age = (now - signal.timestamp).total_seconds()
    if age > max_age_s:
        return Refusal("signal_too_old", f"信号已过期 {age:.0f}s > {max_age_s:.0f}s signal is too old")
    if age < -MAX_FUTURE_SKEW_S:
        return Refusal("signal_from_future", f"信号时间在未来 {-age:.0f}s signal timestamp is in the future")
    return None


def check_session(now: datetime, enabled: bool) -> Refusal | None:
    """Orders only in SZ continuous trading (09:30–11:30, 13:00–14:57) on an exchange trading day."""
    if enabled and not is_trading_day(as_shanghai(now).date()):
        when = format_session_start(next_session_start(now), now)
        return Refusal("outside_session", f"今日休市，下一交易时段 {when} the exchange is closed today")
    if enabled and not in_continuous_session(now):
        return Refusal(
            "outside_session", "非连续竞价时段 (09:30–11:30, 13:00–14:57) outside the trading session"
        )
    return None


def check_quote(
    signal: OrderSignal,
    quote: SharedQuote | None,
    problem: str,
    now: datetime,
    risk: RiskLimits,
    seq_floor: int = -1,
    time_is_wall_clock: bool = True,
) -> Refusal | None:
    """A usable, fresh ``shared_quote.json`` for the signal's code must exist (no price, no order).

    A quote stamped in the future (``time`` or ``heartbeat`` beyond :data:`MAX_FUTURE_SKEW_S`) or
    whose ``seq`` went below one seen before cannot be trusted either.
    """
    if quote is None:
        return Refusal(
            "no_quote", f"没有可用行情，无法核对价格 no usable shared_quote.json ({problem or 'missing'})"
        )
    if quote.code != signal.code:
        return Refusal(
            "quote_code_mismatch",
            f"行情代码 {quote.code} 与信号 {signal.code} 不符 quote is for another code",
        )
    ahead = (quote.heartbeat - now).total_seconds()
    if time_is_wall_clock:
        ahead = max(ahead, (quote.time - now).total_seconds())
    if ahead > MAX_FUTURE_SKEW_S:
        return Refusal(
            "quote_from_future",
            f"行情时间超前 {ahead:.0f}s（时钟不一致或伪造）quote time/heartbeat {ahead:.0f}s in the future",
        )
    if quote.seq < seq_floor:
        return Refusal(
            "quote_seq_backwards",
            f"行情序号倒退 {quote.seq} < {seq_floor}（旧文件或伪造）quote seq went backwards",
        )
    producer_age = (now - quote.heartbeat).total_seconds()
    if producer_age > risk.max_quote_age_s:
        return Refusal(
            "stale_quote", f"行情程序心跳已 {producer_age:.0f}s 未更新 quote producer heartbeat is stale"
        )
    quote_age = (now - quote.time).total_seconds()
    if in_market_hours(now) and quote_age > risk.max_quote_age_s:
        return Refusal(
            "stale_quote", f"行情时间已 {quote_age:.0f}s 未推进 quote time is stale during market hours"
        )
    return None


def check_collar(signal: OrderSignal, quote: SharedQuote, collar: float) -> Refusal | None:
    """The limit price must be within ``collar`` (a fraction) of the latest quote price."""
    deviation = abs(signal.price - quote.price) / quote.price
    if deviation > collar + 1e-9:
        return Refusal(
            "price_outside_collar",
            f"价格 {signal.price} 偏离最新价 {quote.price} {deviation:.2%} > {collar:.2%} "
            "price outside the collar",
        )
    return None


def check_daily_limits(signal: OrderSignal, quote: SharedQuote) -> Refusal | None:
    """The limit price must be inside today's up/down stop (when the quote knows them)."""
    up, down = quote.up_stop_price, quote.down_stop_price
    if (up > 0 and signal.price > up + 1e-9) or (down > 0 and signal.price < down - 1e-9):
        return Refusal(
            "price_outside_limits",
            f"价格 {signal.price} 超出涨跌停 [{down}, {up}] price outside daily limits",
        )
    return None


def check_orders_per_day(orders_today: int, cap: int) -> Refusal | None:
    """At most ``cap`` orders a day."""
    if orders_today >= cap:
        return Refusal(
            "orders_per_day", f"今日已下 {orders_today} 单，达到上限 {cap} daily order cap reached"
        )
    return None


def check_account(signal: OrderSignal, account: AccountView | None, problem: str) -> Refusal | None:
    """Buys need the cash; sells need ``can_use_volume`` (T+1). Unknown account → refuse, never guess."""
    if account is None:
        return Refusal(
            "account_unknown", f"无法获取资金/持仓，不猜测 account state unknown ({problem or 'no data'})"
        )
    if signal.direction == "BUY":
        value = signal.shares * signal.price
        if value > account.available_cash + 1e-9:
            return Refusal(
                "insufficient_cash",
                f"可用资金不足 need {value:.2f} > available {account.available_cash:.2f} insufficient cash",
            )
    elif signal.shares > account.can_use_volume:
        return Refusal(
            "insufficient_volume",
            f"可用持仓不足 (T+1) sell {signal.shares} > can_use_volume {account.can_use_volume}",
        )
    return None


def run_checks(inputs: CheckInputs) -> Refusal | None:
    """Run every check in order; the first refusal wins."""
    s, q = inputs.signal, inputs.quote
    checks: list[Callable[[], Refusal | None]] = [
        lambda: check_kill_switch(inputs.stop_present, inputs.stop_name),
        lambda: check_hmac(s, inputs.hmac_key),
        lambda: check_whitelist(s, inputs.risk.code_whitelist),
        lambda: check_lots(s),
        lambda: check_order_size(s, inputs.risk),
        lambda: check_tick(s),
        lambda: check_signal_age(s, inputs.now, inputs.risk.max_signal_age_s),
        lambda: check_session(inputs.now, inputs.check_session),
        lambda: check_quote(
            s,
            q,
            inputs.quote_problem,
            inputs.now,
            inputs.risk,
            inputs.quote_seq_floor,
            inputs.quote_time_is_wall_clock,
        ),
        lambda: check_collar(s, q, inputs.risk.price_collar) if q else None,
        lambda: check_daily_limits(s, q) if q else None,
        lambda: check_orders_per_day(inputs.orders_today, inputs.risk.max_orders_per_day),
        lambda: check_account(s, inputs.account, inputs.account_problem),
    ]
    for check in checks:
        refusal = check()
        if refusal is not None:
            return refusal
    return None
