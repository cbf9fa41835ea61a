"""``miniqmt selfcheck`` verdicts on real folders and heartbeat files."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from miniqmt_gui.cli import main
from miniqmt_gui.rehearsal import selfcheck
from miniqmt_gui.rehearsal.checklist import CheckItem
from windows_bridge.contract.market_hours import SHANGHAI


def _env(tmp_path: Path, shared: Path) -> dict[str, str]:
    return {
        "SHARED_DIR": str(shared),
        "MINIQMT_STATE_DIR": str(tmp_path / "state"),
        "MINIQMT_CONFIG": str(tmp_path / "none.toml"),
    }


def _write_beats(shared: Path, skew_s: float = 0.0) -> None:
    now = datetime.now(SHANGHAI) - timedelta(seconds=skew_s)
    (shared / "shared_quote.json").write_text(json.dumps({"heartbeat": now.isoformat()}), encoding="utf-8")
    (shared / "executor_heartbeat.json").write_text(json.dumps({"time": now.isoformat()}), encoding="utf-8")


def by_name(checks: list[CheckItem]) -> dict[str, CheckItem]:
    return {c.name: c for c in checks}


def test_healthy_installation(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (tmp_path / "state").mkdir()
    _write_beats(shared)
    checks = by_name(selfcheck.run_checks(_env(tmp_path, shared)))
    assert {n: c.verdict for n, c in checks.items()} == {
        "config": "ok",
        "shared folder": "ok",
        "state folder": "ok",
        "bridge": "ok",
        "executor": "ok",
        "compiled loops": "ok",
        "clock skew": "ok",
        "kill switch": "ok",
        "HMAC key": "ok",
    }


def test_missing_folder_and_processes_say_what_to_fix(tmp_path: Path) -> None:
    checks = by_name(selfcheck.run_checks(_env(tmp_path, tmp_path / "nowhere")))
    assert checks["shared folder"].verdict == "fail"
    assert "SHARED_DIR" in checks["shared folder"].fix
    assert checks["state folder"].verdict == "fail"


def test_stale_heartbeats_skew_and_stop(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (tmp_path / "state").mkdir()
    _write_beats(shared, skew_s=120)  # Windows clock two minutes behind
    (shared / "STOP").write_text("halt", encoding="utf-8")
    checks = by_name(selfcheck.run_checks(_env(tmp_path, shared)))
    assert checks["bridge"].verdict == "warn"
    assert checks["clock skew"].verdict == "fail" and "+1" in checks["clock skew"].detail
    assert checks["kill switch"].verdict == "warn"


def test_old_quote_file_cannot_measure_skew(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    _write_beats(shared)
    old = time.time() - 3600
    os.utime(shared / "shared_quote.json", (old, old))
    assert selfcheck.check_clock_skew(shared / "shared_quote.json", time.time()).verdict == "warn"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_key_permissions(tmp_path: Path) -> None:
    key = tmp_path / "k"
    key.write_text("00" * 32, encoding="ascii")
    key.chmod(0o644)
    assert selfcheck.check_key_permissions(key).verdict == "warn"
    key.chmod(0o600)
    assert selfcheck.check_key_permissions(key).verdict == "ok"


def test_bad_config_fails(tmp_path: Path) -> None:
    env = _env(tmp_path, tmp_path)
    env["ACCOUNT_TYPE"] = "FUTURES"
    checks = selfcheck.run_checks(env)
    assert [c.verdict for c in checks] == ["fail"]


def test_cli_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for k, v in _env(tmp_path, tmp_path / "nowhere").items():
        monkeypatch.setenv(k, v)
    assert main(["selfcheck"]) == 1
    report = capsys.readouterr().out
    assert "共享文件夹" in report and "不存在" in report  # Chinese by default
    assert main(["selfcheck", "--lang", "en"]) == 1
    assert "shared folder" in capsys.readouterr().out
    shared = tmp_path / "shared"
    shared.mkdir()
    (tmp_path / "state").mkdir()
    assert main(["selfcheck", "--shared-dir", str(shared), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["name"] == "config"


def test_loops_that_are_not_prebuilt_are_a_warning_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from miniqmt_gui.strategy import compiled

    monkeypatch.setattr(compiled, "backend", lambda: "jit")
    check = selfcheck.check_compiled_loops()
    assert check.verdict == "warn" and "build_compiled" in check.fix
