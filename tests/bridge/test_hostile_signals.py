"""Malformed and hostile ``order_signal.json`` files: each one gets a REJECTED result and no order.

Files that cannot be trusted (unparseable, invalid, failing HMAC) are moved byte for byte into
``order_signal_rejected/``; well-formed signals refused by a pre-trade check are consumed and
journaled. In every case the broker sees nothing and the executor keeps working.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from windows_bridge.contract.files import DONE_DIR, SIGNAL_FILE, done_marker_name
from windows_bridge.contract.messages import MAX_FILE_BYTES, OrderSignal, ResultStatus, encode
from windows_bridge.contract.signing import sign
from windows_bridge.executor.intake import REJECTED_DIR

from .executor_support import (
    CODE,
    T0,
    Clock,
    make_broker,
    make_executor,
    make_settings,
    make_signal,
    read_result,
)
from .executor_support import signal_dict as valid_dict
from .executor_support import write_quote as write_quote_file

KEY = bytes(range(32))
SID = make_signal().signal_id
SELL_SID = make_signal(direction="SELL").signal_id


def j(**over: Any) -> bytes:
    return json.dumps(valid_dict(**over)).encode()


def without(field: str) -> bytes:
    data = valid_dict()
    data.pop(field)
    return json.dumps(data).encode()


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    reason: str
    signal_id: str = ""
    quarantined: bool = True
    with_key: bool = False


INVALID = "invalid_signal"
HUGE = b'{"signal_id": "' + SID.encode() + b'", "pad": "' + b"a" * (MAX_FILE_BYTES + 1024) + b'"}'

CASES = [
    Case("truncated_json", j()[:40], INVALID),
    Case("missing_closing_brace", j()[:-1], INVALID, SID),  # the id can still be read
    Case("empty_file", b"", INVALID),
    Case("whitespace_only", b"  \n\t  ", INVALID),
    Case(
        "non_utf8_gbk",
        json.dumps(valid_dict(reason="网格买入"), ensure_ascii=False).encode("gbk"),
        INVALID,
        SID,
    ),
    Case("random_binary", bytes(range(256)) * 8, INVALID),
    Case("huge_file", HUGE, INVALID, SID),
    Case("json_array", b"[1, 2, 3]", INVALID),
    Case("json_string", b'"BUY 159201.SZ"', INVALID),
    Case("json_null", b"null", INVALID),
    Case("json_number", b"42", INVALID),
    Case("nested_garbage_id", j(signal_id={"a": [{"b": [1, {"c": None}]}]}), INVALID),
    Case("deep_nesting", b"[" * 100_000 + b"]" * 100_000, INVALID),
    Case("shares_not_a_number", j(shares="abc"), INVALID, SID),
    Case("shares_fractional", j(shares=100.5), INVALID, SID),
    Case("shares_150", j(shares=150), "bad_lot", SID, quarantined=False),
    Case("shares_zero", j(shares=0), "bad_lot", SID, quarantined=False),
    Case("shares_negative", j(shares=-100), "bad_lot", SID, quarantined=False),
    Case("price_negative", j(price=-1.0), INVALID, SID),
    Case("price_zero", j(price=0), INVALID, SID),
    Case("price_nan", j(price=float("nan")), INVALID, SID),
    Case("price_infinity", j(price=float("inf")), INVALID, SID),
    Case("price_text", j(price="cheap"), INVALID, SID),
    Case("price_off_tick", j(price=1.0005), "price_off_tick", SID, quarantined=False),
    Case("price_outside_collar", j(price=1.05), "price_outside_collar", SID, quarantined=False),
    Case(
        "code_not_whitelisted",
        j(code="510300.SH", signal_id="BUY_510300.SH_L1_0a1b2c3d"),
        "code_not_allowed",
        "BUY_510300.SH_L1_0a1b2c3d",
        quarantined=False,
    ),
    Case("code_malformed", j(code="159201"), INVALID, SID),
    Case("direction_hold", j(direction="HOLD"), INVALID, SID),
    Case("id_disagrees_with_direction", j(direction="SELL"), INVALID, SID),
    Case("id_malformed", j(signal_id="BUY_159201.SZ_L1_xyz"), INVALID),  # never echo a bad id
    Case("id_path_traversal", j(signal_id="../../etc/passwd"), INVALID),
    Case("missing_price", without("price"), INVALID, SID),
    Case("missing_timestamp", without("timestamp"), INVALID, SID),
    Case(
        "stale_timestamp",
        j(timestamp=(T0 - timedelta(hours=1)).isoformat()),
        "signal_too_old",
        SID,
        quarantined=False,
    ),
    Case(
        "future_timestamp",
        j(timestamp=(T0 + timedelta(hours=1)).isoformat()),
        "signal_from_future",
        SID,
        quarantined=False,
    ),
    Case("naive_timestamp", j(timestamp="2026-01-05T10:00:00"), INVALID, SID),
    Case("garbage_timestamp", j(timestamp="yesterday"), INVALID, SID),
    Case("schema_version_from_the_future", j(schema_version=99), INVALID, SID),
    Case("utf8_bom", b"\xef\xbb\xbf" + j(), INVALID, SID),
    Case("utf16", json.dumps(valid_dict()).encode("utf-16"), INVALID, SID),
    Case("trailing_garbage", j() + b" xyz", INVALID, SID),
    Case("layer_10", j(layer=10, signal_id="BUY_159201.SZ_L10_0a1b2c3d"), INVALID),
    Case("reason_too_long", j(reason="x" * 1000), INVALID, SID),
    Case("hmac_wrong_type", j(hmac=123), INVALID, SID),
    Case("too_many_shares", j(shares=200_000), "too_many_shares", SID, quarantined=False),
    Case("order_value_too_large", j(shares=70_000), "order_value_too_large", SID, quarantined=False),
    Case(
        "sell_beyond_can_use_volume",
        j(direction="SELL", signal_id=SELL_SID, shares=50_100, price=1.0),
        "insufficient_volume",
        SELL_SID,
        quarantined=False,
    ),
    Case("bad_hmac", j(hmac="00" * 32), "bad_hmac", SID, with_key=True),
    Case("missing_hmac", j(), "missing_hmac", SID, with_key=True),
    Case(
        "hmac_from_another_key",
        encode(sign(make_signal(), b"another key 1234")),
        "bad_hmac",
        SID,
        with_key=True,
    ),
]


def setup(tmp_path: Path) -> tuple[Any, Clock, Any]:
    settings = make_settings(tmp_path)
    clock = Clock()
    broker = make_broker(settings, clock)
    broker.on_quote(CODE, 1.0, time=T0)
    write_quote_file(settings)
    return settings, clock, broker


def follow_up(key: bytes | None) -> OrderSignal:
    sig = make_signal(token="cafef00d")
    return sign(sig, key) if key else sig


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_signal_is_rejected_without_an_order(tmp_path: Path, case: Case) -> None:
    settings, clock, broker = setup(tmp_path)
    key = KEY if case.with_key else None
    path = settings.shared_dir / SIGNAL_FILE
    path.write_bytes(case.raw)
    ex = make_executor(settings, broker, clock, hmac_key=key)
    assert ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.REJECTED
    assert res.reason_code == case.reason, res.message
    assert res.signal_id == case.signal_id
    assert res.message
    assert broker.query_orders() == []
    assert not path.exists()
    rejected_dir = settings.shared_dir / REJECTED_DIR
    kept = sorted(rejected_dir.iterdir()) if rejected_dir.exists() else []
    if case.quarantined:
        assert len(kept) == 1 and kept[0].read_bytes() == case.raw  # nothing is lost
    else:
        assert kept == []
        assert (settings.shared_dir / DONE_DIR / done_marker_name(case.signal_id)).exists()
    assert not (tmp_path / "etc").exists()
    # the executor is still fine and trades the next good signal
    path.write_bytes(encode(follow_up(key)))
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED


def test_replayed_id_with_another_payload(tmp_path: Path) -> None:
    settings, clock, broker = setup(tmp_path)
    ex = make_executor(settings, broker, clock)
    path = settings.shared_dir / SIGNAL_FILE
    path.write_bytes(j())
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED
    path.write_bytes(j(shares=5000))
    ex.poll_once()
    res = read_result(settings)
    assert (
        res.status is ResultStatus.REJECTED and res.reason_code == "payload_conflict" and res.signal_id == SID
    )
    orders = broker.query_orders()
    assert orders is not None and len(orders) == 1 and orders[0].shares == 1000


def test_forged_file_does_not_burn_the_real_signal_id(tmp_path: Path) -> None:
    settings, clock, broker = setup(tmp_path)
    ex = make_executor(settings, broker, clock, hmac_key=KEY)
    path = settings.shared_dir / SIGNAL_FILE
    path.write_bytes(j(shares=5000, hmac="ab" * 32))  # forged, with the real id
    ex.poll_once()
    assert read_result(settings).reason_code == "bad_hmac"
    path.write_bytes(encode(sign(make_signal(), KEY)))
    ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED


def test_rejections_are_logged_with_the_reason(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings, clock, broker = setup(tmp_path)
    (settings.shared_dir / SIGNAL_FILE).write_bytes(b"[1, 2")
    with caplog.at_level(logging.WARNING):
        make_executor(settings, broker, clock).poll_once()
    assert "rejected unreadable signal file" in caplog.text and "not valid JSON" in caplog.text


def test_quarantine_never_overwrites(tmp_path: Path) -> None:
    settings, clock, broker = setup(tmp_path)
    ex = make_executor(settings, broker, clock)
    path = settings.shared_dir / SIGNAL_FILE
    for i in range(3):
        path.write_bytes(b"garbage %d" % i)
        ex.poll_once()  # same clock reading every time: names must still not collide
    kept = sorted(p.read_bytes() for p in (settings.shared_dir / REJECTED_DIR).iterdir())
    assert kept == [b"garbage 0", b"garbage 1", b"garbage 2"]
