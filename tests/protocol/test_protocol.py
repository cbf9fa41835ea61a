"""Schemas of the shared-folder files: what is accepted, what is refused and why."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from windows_bridge.contract import files
from windows_bridge.contract import messages as p
from windows_bridge.contract.market_hours import SHANGHAI

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)


def signal_dict(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "signal_id": "BUY_159201.SZ_L1_0a1b2c3d",
        "code": "159201.SZ",
        "direction": "BUY",
        "price": 1.234,
        "shares": 18000,
        "timestamp": T0.isoformat(),
        "reason": "grid buy",
        "layer": 1,
    }
    base.update(over)
    return base


def quote_dict(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "code": "159201.SZ",
        "time": T0.isoformat(),
        "price": 1.234,
        "seq": 7,
        "heartbeat": T0.isoformat(),
        "positions_status": "ok",
        "position": {"volume": 300000, "can_use_volume": 300000, "avg_price": 1.1, "market_value": 370200.0},
        "history": [
            {
                "time": (T0 - timedelta(minutes=2)).isoformat(),
                "open": 1.23,
                "high": 1.24,
                "low": 1.22,
                "close": 1.235,
            },
            {
                "time": (T0 - timedelta(minutes=1)).isoformat(),
                "open": 1.235,
                "high": 1.236,
                "low": 1.23,
                "close": 1.234,
            },
        ],
    }
    base.update(over)
    return base


def raw(d: dict[str, object]) -> bytes:
    return json.dumps(d).encode()


def test_valid_signal_round_trips() -> None:
    sig = p.decode(raw(signal_dict()), p.OrderSignal)
    again = p.decode(p.encode(sig), p.OrderSignal)
    assert again == sig
    assert again.timestamp.utcoffset() == timedelta(hours=8)


def test_extra_fields_are_kept() -> None:
    sig = p.decode(raw(signal_dict(note="from a newer app")), p.OrderSignal)
    assert sig.model_dump()["note"] == "from a newer app"


@pytest.mark.parametrize(
    ("over", "fragment"),
    [
        ({"signal_id": "BUY_159201.SZ_L1_XYZ"}, "signal_id"),
        ({"signal_id": "SELL_159201.SZ_L1_0a1b2c3d"}, "disagrees"),
        ({"signal_id": "BUY_159201.SZ_L2_0a1b2c3d"}, "disagrees"),
        ({"direction": "HOLD"}, "direction"),
        ({"code": "159201"}, "code"),
        ({"price": -1.0}, "price"),
        ({"price": "NaN"}, "price"),
        ({"shares": "lots"}, "shares"),
        ({"layer": 10}, "layer"),
        ({"timestamp": "2026-11-25T10:00:00"}, "timestamp"),
        ({"schema_version": 99}, "newer"),
    ],
)
def test_bad_signals_are_refused_with_a_reason(over: dict[str, object], fragment: str) -> None:
    with pytest.raises(p.ProtocolError) as err:
        p.decode(raw(signal_dict(**over)), p.OrderSignal)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("blob", "fragment"),
    [
        (b'{"signal_id": "BUY_', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "JSON object"),
        (b"x" * (p.MAX_FILE_BYTES + 1), "too large"),
        (b"[" * 100000 + b"]" * 100000, "JSON"),
    ],
)
def test_undecodable_bytes(blob: bytes, fragment: str) -> None:
    with pytest.raises(p.ProtocolError) as err:
        p.decode(blob, p.OrderSignal)
    assert fragment in str(err.value)


def test_digest_ignores_hmac_but_not_payload() -> None:
    a = p.decode(raw(signal_dict()), p.OrderSignal)
    b = a.model_copy(update={"hmac": "ff" * 32})
    c = p.decode(raw(signal_dict(shares=18100)), p.OrderSignal)
    assert a.digest() == b.digest()
    assert a.digest() != c.digest()


def test_order_remark_is_short_ascii_and_distinct() -> None:
    ids = [
        "BUY_159201.SZ_L1_0a1b2c3d",
        "SELL_159201.SZ_L1_0a1b2c3d",
        "BUY_510300.SH_L1_0a1b2c3d",
        "BUY_159201.SZ_L9_ffffffff",
    ]
    remarks = [p.order_remark(i) for i in ids]
    assert all(len(r) <= 24 and r.isascii() for r in remarks)
    assert len(set(remarks)) == len(remarks)
    assert p.order_remark(ids[0]) == p.order_remark(ids[0])
    with pytest.raises(p.ProtocolError):
        p.order_remark("not-an-id")


def test_make_signal_id() -> None:
    assert p.make_signal_id("SELL", "159201.SZ", 9, "deadbeef") == "SELL_159201.SZ_L9_deadbeef"
    with pytest.raises(p.ProtocolError):
        p.make_signal_id("SELL", "159201.SZ", 0, "deadbeef")


def test_quote_failed_positions_never_look_flat() -> None:
    q = p.decode(raw(quote_dict(positions_status="failed", position=None)), p.SharedQuote)
    assert q.position is None
    with pytest.raises(p.ProtocolError, match="must not carry"):
        p.decode(raw(quote_dict(positions_status="failed")), p.SharedQuote)
    with pytest.raises(p.ProtocolError, match="needs a position"):
        p.decode(raw(quote_dict(position=None)), p.SharedQuote)


def test_quote_history_must_be_ordered_and_consistent() -> None:
    hist = quote_dict()["history"]
    assert isinstance(hist, list)
    with pytest.raises(p.ProtocolError, match="increasing"):
        p.decode(raw(quote_dict(history=list(reversed(hist)))), p.SharedQuote)
    bad_bar = dict(hist[0], high=1.0)
    with pytest.raises(p.ProtocolError, match="OHLC"):
        p.decode(raw(quote_dict(history=[bad_bar])), p.SharedQuote)


def test_result_consistency() -> None:
    ok = {
        "signal_id": "BUY_159201.SZ_L1_0a1b2c3d",
        "status": "partially_filled",
        "requested_shares": 18000,
        "filled_shares": 9000,
        "avg_price": 1.234,
        "timestamp": T0.isoformat(),
    }
    res = p.decode(raw(ok), p.OrderResult)
    assert res.status is p.ResultStatus.PARTIALLY_FILLED
    for over, fragment in [
        ({"filled_shares": 18100}, "exceeds"),
        ({"avg_price": 0}, "avg_price"),
        ({"status": "rejected"}, "cannot carry"),
        ({"status": "maybe"}, "status"),
    ]:
        with pytest.raises(p.ProtocolError, match=fragment):
            p.decode(raw({**ok, **over}), p.OrderResult)


def test_done_marker_name() -> None:
    name = files.done_marker_name("BUY_159201.SZ_L1_0a1b2c3d")
    assert name == "order_signal_BUY_159201.SZ_L1_0a1b2c3d.done"
    with pytest.raises(p.ProtocolError):
        files.done_marker_name("../../etc/passwd")
