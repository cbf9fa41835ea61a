"""The offline stages and the ``miniqmt run`` / ``miniqmt offline-test`` commands."""

from __future__ import annotations

from miniqmt_gui.cli import main
from miniqmt_gui.rehearsal.offline_stages import make_quote, run_stages, synthetic_bars
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.files import QUOTE_FILE, STATE_FILE

from .support import T0


def test_offline_stages_all_pass(tmp_path):
    lines = []
    checklist = run_stages(tmp_path, say=lines.append)
    failed = [f"{i.stage}: {i.name} {i.detail}" for i in checklist.items if not i.ok]
    assert checklist.ok, failed
    assert {i.stage for i in checklist.items} == {1, 2, 3, 4, 5}
    assert any("trades=" in line for line in lines)  # stage 1 prints its metrics


def test_offline_test_command_exit_code(tmp_path, capsys):
    assert main(["offline-test", "--work-dir", str(tmp_path)]) == 0
    assert "ALL PASSED" in capsys.readouterr().out
    assert main(["offline-test", "--work-dir", str(tmp_path)]) == 2  # refuses a used folder


def test_run_without_headless_points_to_the_gui(capsys):
    assert main(["run"]) == 2
    assert "miniqmt gui" in capsys.readouterr().out


def test_run_headless_once_uses_the_work_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SHARED_DIR", raising=False)
    monkeypatch.setenv("MINIQMT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("DASHBOARD_WORK_DIR", str(tmp_path))
    bars = synthetic_bars(120, T0)
    write_message(tmp_path / QUOTE_FILE, make_quote(1, bars[-1].close, T0, bars))
    assert main(["run", "--headless", "--once"]) == 0
    out = capsys.readouterr().out
    assert "[status]" in out and (tmp_path / STATE_FILE).exists()


def test_set_with_several_codes_is_refused_with_the_reason(tmp_path, monkeypatch, capsys):
    """Overrides are per code: with a portfolio configured, ``--set`` would silently apply to nothing."""
    config = tmp_path / "config.toml"
    config.write_text('codes = ["159201.SZ", "512890.SH"]\n', encoding="utf-8")
    monkeypatch.delenv("SHARED_DIR", raising=False)
    monkeypatch.setenv("MINIQMT_CONFIG", str(config))
    monkeypatch.setenv("DASHBOARD_WORK_DIR", str(tmp_path))
    assert main(["run", "--headless", "--once", "--set", "atr_period=20"]) == 2
    assert "--set applies to a single code" in capsys.readouterr().err
    assert not list(tmp_path.glob("dashboard_state*.json"))
