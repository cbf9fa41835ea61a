"""Every pre-trade check of SPEC §4, one by one and through ``run_checks``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.signing import sign
from windows_bridge.executor import pretrade as pt

from .executor_support import T0, make_quote, make_signal

KEY = b"k" * 32
RISK = RiskLimits()


def inputs(**over: object) -> pt.CheckInputs:
    base = pt.CheckInputs(
        signal=make_signal(),
        now=T0,
        risk=RISK,
        quote=make_quote(),
        account=pt.AccountView(available_cash=100_000.0, can_use_volume=50_000),
    )
    return replace(base, **over)  # type: ignore[arg-type]


def test_a_good_signal_passes() -> None:
    assert pt.run_checks(inputs()) is None


def test_kill_switch() -> None:
    assert pt.check_kill_switch(False) is None
    refusal = pt.check_kill_switch(True)
    assert refusal is not None and refusal.reason_code == "kill_switch" and "STOP" in refusal.message


def test_hmac_only_when_a_key_is_configured() -> None:
    sig = make_signal()
    assert pt.check_hmac(sig, None) is None
    missing = pt.check_hmac(sig, KEY)
    assert missing is not None and missing.reason_code == "missing_hmac"
    assert pt.check_hmac(sign(sig, KEY), KEY) is None
    bad = pt.check_hmac(sign(sig, b"x" * 32), KEY)
    assert bad is not None and bad.reason_code == "bad_hmac"
    tampered = sign(sig, KEY).model_copy(update={"shares": 2000})
    assert pt.check_hmac(tampered, KEY) is not None


def test_whitelist() -> None:
    assert pt.check_whitelist(make_signal(), ["159201.SZ"]) is None
    other = make_signal(code="510300.SH")
    refusal = pt.check_whitelist(other, ["159201.SZ"])
    assert refusal is not None and refusal.reason_code == "code_not_allowed"


@pytest.mark.parametrize(
    ("shares", "ok"), [(100, True), (18000, True), (150, False), (0, False), (-100, False)]
)
def test_lots(shares: int, ok: bool) -> None:
    refusal = pt.check_lots(make_signal(shares=shares))
    assert (refusal is None) is ok
    if not ok:
        assert refusal is not None and refusal.reason_code == "bad_lot"


def test_order_size_caps() -> None:
    risk = RiskLimits(max_shares_per_order=5000, max_value_per_order=10_000.0)
    assert pt.check_order_size(make_signal(shares=5000, price=1.0), risk) is None
    too_many = pt.check_order_size(make_signal(shares=5100, price=1.0), risk)
    assert too_many is not None and too_many.reason_code == "too_many_shares"
    too_big = pt.check_order_size(make_signal(shares=5000, price=2.001), risk)
    assert too_big is not None and too_big.reason_code == "order_value_too_large"


@pytest.mark.parametrize(("price", "ok"), [(1.234, True), (1.0, True), (1.2345, False), (0.0001, False)])
def test_tick(price: float, ok: bool) -> None:
    assert (pt.check_tick(make_signal(price=price)) is None) is ok


def test_signal_age_and_future_timestamps() -> None:
    sig = make_signal(timestamp=T0)
    assert pt.check_signal_age(sig, T0 + timedelta(seconds=119), 120) is None
    old = pt.check_signal_age(sig, T0 + timedelta(seconds=121), 120)
    assert old is not None and old.reason_code == "signal_too_old"
    assert pt.check_signal_age(sig, T0 - timedelta(seconds=10), 120) is None  # small skew is fine
    future = pt.check_signal_age(sig, T0 - timedelta(minutes=5), 120)
    assert future is not None and future.reason_code == "signal_from_future"


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [
        (9, 29, False),
        (9, 30, True),
        (11, 29, True),
        (11, 30, False),
        (12, 59, False),
        (13, 0, True),
        (14, 56, True),
        (14, 57, False),
    ],
)
def test_session(hour: int, minute: int, inside: bool) -> None:
    moment = T0.replace(hour=hour, minute=minute)
    assert (pt.check_session(moment, True) is None) is inside
    assert pt.check_session(moment, False) is None  # switched off (simulate default)


def test_session_weekend() -> None:
    saturday = T0 + timedelta(days=5)
    refusal = pt.check_session(saturday, True)
    assert refusal is not None and refusal.reason_code == "outside_session"


def test_quote_missing_wrong_code_or_stale() -> None:
    sig = make_signal()
    missing = pt.check_quote(sig, None, "missing", T0, RISK)
    assert missing is not None and missing.reason_code == "no_quote"
    invalid = pt.check_quote(sig, None, "not valid JSON", T0, RISK)
    assert invalid is not None and "not valid JSON" in invalid.message
    other = pt.check_quote(sig, make_quote(code="510300.SH"), "", T0, RISK)
    assert other is not None and other.reason_code == "quote_code_mismatch"
    assert pt.check_quote(sig, make_quote(), "", T0 + timedelta(seconds=599), RISK) is None
    dead = pt.check_quote(sig, make_quote(), "", T0 + timedelta(seconds=601), RISK)
    assert dead is not None and dead.reason_code == "stale_quote"


def test_quote_time_only_matters_during_market_hours() -> None:
    sig = make_signal()
    night = T0.replace(hour=21)
    frozen = make_quote(time=T0.replace(hour=15)).model_copy(update={"heartbeat": night})
    assert pt.check_quote(sig, frozen, "", night, RISK) is None  # market closed: price legitimately still
    trading = T0.replace(hour=10, minute=30)
    stuck = make_quote(time=T0.replace(hour=10, minute=0)).model_copy(update={"heartbeat": trading})
    refusal = pt.check_quote(sig, stuck, "", trading, RISK)
    assert refusal is not None and refusal.reason_code == "stale_quote"


def test_collar() -> None:
    quote = make_quote(price=1.0)
    assert pt.check_collar(make_signal(price=1.02), quote, 0.02) is None
    assert pt.check_collar(make_signal(price=0.98), quote, 0.02) is None
    high = pt.check_collar(make_signal(price=1.021), quote, 0.02)
    assert high is not None and high.reason_code == "price_outside_collar"
    assert pt.check_collar(make_signal(price=0.979), quote, 0.02) is not None


def test_daily_limits() -> None:
    quote = make_quote(up_stop=1.01, down_stop=0.99)
    assert pt.check_daily_limits(make_signal(price=1.01), quote) is None
    up = pt.check_daily_limits(make_signal(price=1.011), quote)
    assert up is not None and up.reason_code == "price_outside_limits"
    assert pt.check_daily_limits(make_signal(price=0.989), quote) is not None
    assert pt.check_daily_limits(make_signal(price=1.5), make_quote()) is None  # limits unknown (0)


def test_orders_per_day() -> None:
    assert pt.check_orders_per_day(59, 60) is None
    refusal = pt.check_orders_per_day(60, 60)
    assert refusal is not None and refusal.reason_code == "orders_per_day"


def test_cash_and_can_use_volume() -> None:
    buy = make_signal(shares=10_000, price=1.0)
    assert pt.check_account(buy, pt.AccountView(10_000.0, 0), "") is None
    short = pt.check_account(buy, pt.AccountView(9_999.99, 0), "")
    assert short is not None and short.reason_code == "insufficient_cash"
    sell = make_signal(direction="SELL", shares=1000)
    assert pt.check_account(sell, pt.AccountView(0.0, 1000), "") is None
    t1 = pt.check_account(sell, pt.AccountView(0.0, 900), "")
    assert t1 is not None and t1.reason_code == "insufficient_volume" and "T+1" in t1.message
    unknown = pt.check_account(buy, None, "broker query failed")
    assert unknown is not None and unknown.reason_code == "account_unknown"


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"stop_present": True}, "kill_switch"),
        ({"hmac_key": KEY}, "missing_hmac"),
        ({"signal": make_signal(shares=150)}, "bad_lot"),
        ({"signal": make_signal(shares=200_000)}, "too_many_shares"),
        ({"signal": make_signal(price=1.0005)}, "price_off_tick"),
        ({"now": T0 + timedelta(minutes=10)}, "signal_too_old"),
        (
            {"now": T0.replace(hour=12), "signal": make_signal(timestamp=T0.replace(hour=12))},
            "outside_session",
        ),
        ({"quote": None}, "no_quote"),
        ({"quote": make_quote(price=1.1)}, "price_outside_collar"),
        ({"quote": make_quote(up_stop=0.999)}, "price_outside_limits"),
        ({"orders_today": 60}, "orders_per_day"),
        ({"account": None}, "account_unknown"),
        ({"account": pt.AccountView(10.0, 0)}, "insufficient_cash"),
    ],
)
def test_run_checks_reports_each_refusal(over: dict[str, object], code: str) -> None:
    refusal = pt.run_checks(inputs(**over))
    assert refusal is not None and refusal.reason_code == code
    assert refusal.message


def test_kill_switch_comes_first() -> None:
    refusal = pt.run_checks(inputs(stop_present=True, signal=make_signal(shares=150), quote=None))
    assert refusal is not None and refusal.reason_code == "kill_switch"


def test_session_check_off_lets_a_lunchtime_signal_through() -> None:
    lunch = T0.replace(hour=12)
    quote = make_quote(time=lunch)
    sig = make_signal(timestamp=lunch)
    assert pt.run_checks(inputs(now=lunch, quote=quote, signal=sig, check_session=False)) is None
