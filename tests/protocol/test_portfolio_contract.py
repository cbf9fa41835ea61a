"""Protocol layout 2 (issue 16): per-code file names and the portfolio's configuration."""

from __future__ import annotations

import pytest

from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import CodeFiles, code_files, quote_file_for
from windows_bridge.contract.messages import ProtocolError


def test_the_primary_code_keeps_the_v1_names_and_others_get_their_own() -> None:
    first = CodeFiles("159201.SZ")
    assert (first.quote, first.signal, first.result, first.state, first.cancel_request, first.app_lock) == (
        "shared_quote.json", "order_signal.json", "order_result.json", "dashboard_state.json",
        "order_cancel_request.txt", "app.lock")
    other = code_files(["159201.SZ", "512890.SH"], "512890.SH")
    assert (other.quote, other.signal, other.result, other.state, other.cancel_request, other.app_lock) == (
        "shared_quote_512890.SH.json", "order_signal_512890.SH.json", "order_result_512890.SH.json",
        "dashboard_state_512890.SH.json", "order_cancel_request_512890.SH.txt", "app_512890.SH.lock")
    assert quote_file_for("159201.SZ") == "shared_quote_159201.SZ.json"


@pytest.mark.parametrize("bad", ["", "512890", "../x.SZ", "512890.SH/..", "５１２８９０.SH"])
def test_a_bad_code_never_becomes_a_file_name(bad: str) -> None:
    with pytest.raises(ProtocolError):
        quote_file_for(bad)
    with pytest.raises(ProtocolError):
        CodeFiles(bad)


def test_settings_list_the_codes_in_order_the_first_is_the_code() -> None:
    single = Settings()
    assert single.instrument_codes() == ["159201.SZ"] and single.base_shares_for("159201.SZ") is None
    many = Settings.model_validate({"codes": ["512890.SH", "159201.SZ"], "base_shares": 1000,
                                    "base_shares_by_code": {"159201.SZ": 500}})
    assert many.code == "512890.SH" and many.instrument_codes() == ["512890.SH", "159201.SZ"]
    assert many.base_shares_for("512890.SH") == 1000 and many.base_shares_for("159201.SZ") == 500
    with pytest.raises(ValueError):
        Settings.model_validate({"codes": ["512890"]})


def test_the_executor_refuses_to_start_with_codes_outside_its_whitelist(tmp_path) -> None:
    from windows_bridge.contract.config import check_for

    cfg = Settings(shared_dir=tmp_path, codes=["159201.SZ", "512890.SH"], broker="fake")
    assert any("code_whitelist" in p for p in check_for(cfg, "executor"))
    cfg.risk.code_whitelist = ["159201.SZ", "512890.SH"]
    assert check_for(cfg, "executor") == []
    assert check_for(Settings(shared_dir=tmp_path, broker="fake"), "executor") == []
