"""Config loading/validation and HMAC signatures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from windows_bridge.contract import config, signing
from windows_bridge.contract.fees import FeeSchedule
from windows_bridge.contract.market_hours import in_continuous_session, in_market_hours
from windows_bridge.contract.messages import OrderSignal, decode
from windows_bridge.contract.prices import round_to_tick

SIGNAL = {
    "signal_id": "SELL_159201.SZ_L3_0a1b2c3d",
    "code": "159201.SZ",
    "direction": "SELL",
    "price": 1.3,
    "shares": 17000,
    "timestamp": "2026-11-25T10:00:00+08:00",
    "layer": 3,
}


def test_env_overrides_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('account_id = "111"\nsimulate = false\n[risk]\nmax_orders_per_day = 5\n', encoding="utf-8")
    s = config.load_settings(
        cfg, env={"ACCOUNT_ID": "222", "ORDER_EXECUTOR_SIMULATE": "1", "SHARED_DIR": "/x"}
    )
    assert s.account_id == "222" and s.simulate is True and s.shared_dir == Path("/x")
    assert s.risk.max_orders_per_day == 5


@pytest.mark.parametrize(
    ("text", "env", "fragment"),
    [
        ("account_type = 'FUTURES'\n", {}, "account_type"),
        ("", {"ACCOUNT_TYPE": "MARGIN"}, "account_type"),
        ("poll_interval_s = -1\n", {}, "poll_interval_s"),
        ("not toml at all [\n", {}, "not valid TOML"),
        ("unknown_key = 1\n", {}, "unknown_key"),
    ],
)
def test_bad_config_says_what_to_fix(tmp_path: Path, text: str, env: dict[str, str], fragment: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError, match=fragment):
        config.load_settings(cfg, env=env)


def test_check_for_reports_missing_folder_and_qmt_settings(tmp_path: Path) -> None:
    s = config.Settings(shared_dir=tmp_path / "nope")
    problems = config.check_for(s, "executor")
    assert any("does not exist" in p for p in problems)
    assert any("QMT_USERDATA_PATH" in p for p in problems)
    assert any("ACCOUNT_ID" in p for p in problems)
    ok = config.Settings(shared_dir=tmp_path, simulate=True)
    assert config.check_for(ok, "executor") == []
    assert config.check_for(config.Settings(shared_dir=tmp_path, broker="fake"), "bridge") == []


def test_check_for_reports_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_writable", lambda folder: False)
    problems = config.check_for(config.Settings(shared_dir=tmp_path, broker="fake"), "app")
    assert problems and "not writable" in problems[0]


def test_hmac_sign_verify_and_tamper(tmp_path: Path) -> None:
    key = signing.create_key(tmp_path / "k" / signing.KEY_FILE_NAME)
    assert signing.load_key(tmp_path / "k" / signing.KEY_FILE_NAME) == key
    sig = decode(json.dumps(SIGNAL).encode(), OrderSignal)
    signed = signing.sign(sig, key)
    assert signing.verify(signed, key)
    assert not signing.verify(sig, key)  # unsigned
    tampered = signed.model_copy(update={"shares": 27000})
    assert not signing.verify(tampered, key)
    assert not signing.verify(signed, b"x" * 32)
    # survives a trip through the file format
    again = decode(json.dumps(signed.model_dump(mode="json")).encode(), OrderSignal)
    assert signing.verify(again, key)


def test_bad_key_files(tmp_path: Path) -> None:
    assert signing.load_key(tmp_path / "missing") is None
    (tmp_path / "k").write_text("zz", encoding="ascii")
    with pytest.raises(ValueError, match="hex"):
        signing.load_key(tmp_path / "k")
    (tmp_path / "k").write_text("abcd", encoding="ascii")
    with pytest.raises(ValueError, match="too short"):
        signing.load_key(tmp_path / "k")


def test_market_helpers() -> None:
    from datetime import datetime

    from windows_bridge.contract.market_hours import SHANGHAI

    assert round_to_tick(1.23449) == 1.234 and round_to_tick(1.2345) == 1.235
    day = datetime(2026, 11, 25, tzinfo=SHANGHAI)  # a Wednesday
    assert in_continuous_session(day.replace(hour=9, minute=30))
    assert not in_continuous_session(day.replace(hour=14, minute=57))
    assert not in_continuous_session(day.replace(hour=12, minute=0))
    assert in_market_hours(day.replace(hour=14, minute=58))
    assert not in_market_hours(day.replace(day=28, hour=10))  # Saturday
    with pytest.raises(ValueError):
        in_market_hours(datetime(2026, 11, 25, 10))
    fees = FeeSchedule(rate=0.0001, minimum=5.0)
    assert fees.commission(20000) == 5.0 and fees.commission(100000) == 10.0 and fees.commission(0) == 0.0
