"""Settings dialog (shared-folder check through the worker), persistence, and ``miniqmt gui --screenshot``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from miniqmt_gui.ui.settings_dialog import SettingsDialog


def test_shared_folder_check_runs_on_the_worker(make_window, qtbot, feed, tmp_path: Path):
    window = make_window()
    feed.write()
    dialog = SettingsDialog(window.config, window.controller.check_shared, first_run=True)
    qtbot.addWidget(dialog)
    window._settings_dialog = dialog
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.check_label.text().startswith("✓"), timeout=5000)
    assert "行情端心跳" in dialog.check_label.text()
    dialog.shared_edit.setText(str(tmp_path / "nowhere"))
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.check_label.text().startswith("✗"), timeout=5000)
    window._settings_dialog = None


def test_new_settings_rebuild_the_stopped_engine(make_window, qtbot):
    window = make_window()
    window.apply_config(replace(window.config, stale_after_s=42.0))
    qtbot.waitUntil(lambda: window.controller.settings.stale_after_s == 42.0, timeout=5000)
    assert window.qsettings.value("stale_after_s") is None  # Qt settings keep only the geometry


def test_one_configuration_file_for_the_app_selfcheck_and_the_engine(make_window, qtbot, tmp_path: Path,
                                                                       monkeypatch):
    from miniqmt_gui.rehearsal.selfcheck import run_checks
    from miniqmt_gui.ui.app_config import load_config
    from windows_bridge.contract.config import load_settings

    cfg = tmp_path / "config.toml"
    cfg.write_text("# my notes stay\n[risk]\nmax_orders_per_day = 7\n", encoding="utf-8")
    window = make_window()
    folder = tmp_path / "my_share"
    folder.mkdir()
    window.apply_config(replace(window.config, shared_dir=folder, stale_after_s=42.0, base_shares=12_300))
    qtbot.waitUntil(lambda: window.controller.settings.stale_after_s == 42.0, timeout=5000)
    text = cfg.read_text(encoding="utf-8")
    assert "# my notes stay" in text and "max_orders_per_day = 7" in text  # the trader's file is kept
    env = {"MINIQMT_CONFIG": str(cfg)}
    settings = load_settings(env=env)  # what selfcheck, the engine and the Windows processes read
    assert settings.shared_dir == folder and settings.base_shares == 12_300
    assert settings.app.stale_after_s == 42.0 and settings.risk.max_orders_per_day == 7
    checks = run_checks(env)
    assert any(item.name == "shared folder" and item.verdict == "ok" and str(folder) in item.detail
               for item in checks.items)
    again = load_config(env=env)  # the app's next start reads the same
    assert again.shared_dir == folder and again.stale_after_s == 42.0 and not again.first_run


def test_geometry_and_tab_persist(make_window, qtbot):
    window = make_window()
    window.tabs.setCurrentIndex(1)
    window.close()
    assert window.qsettings.value("window/geometry") is not None
    assert int(str(window.qsettings.value("window/tab"))) == 1


def test_gui_command_writes_a_screenshot(tmp_path: Path):
    png = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MINIQMT_CONFIG=str(tmp_path / "none.toml"))
    done = subprocess.run(
        [sys.executable, "-m", "miniqmt_gui", "--lang", "en", "--work-dir", str(tmp_path / "work"),
         "--shared-dir", str(tmp_path / "shared"), "--screenshot", str(png),
         "--after", "0.3"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 10_000
    assert "first window shown" in done.stdout


def test_a_screenshot_run_ends_even_when_nobody_reads_its_output(tmp_path: Path):
    # `miniqmt gui --screenshot … | head -1`: the pipe closes after the first line; the last print used to
    # raise inside a Qt slot before the window closed, and the process ran on with its engine thread
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MINIQMT_CONFIG=str(tmp_path / "none.toml"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "miniqmt_gui", "gui", "--work-dir", str(tmp_path / "work"),
         "--shared-dir", str(tmp_path / "shared"), "--screenshot", str(tmp_path / "shot.png"),
         "--after", "0.5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None and "first window shown" in proc.stdout.readline()
        proc.stdout.close()  # the reader goes away
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (tmp_path / "shot.png").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_gui_command_closes_cleanly_on_ctrl_c_and_sigterm(tmp_path: Path, signum: int):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MINIQMT_CONFIG=str(tmp_path / "none.toml"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "miniqmt_gui", "gui", "--work-dir", str(tmp_path / "work"),
         "--shared-dir", str(tmp_path / "shared")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        ledger = tmp_path / "work" / "paper_ledger.json"  # the engine thread built its engine
        while not ledger.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ledger.exists()
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(signum)
        code = proc.wait(timeout=20)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, proc.stdout.read()[-2000:] if proc.stdout else ""
    assert took < 8  # the window closes at once; the engine thread is joined without waiting out a timeout


def test_an_older_versions_qt_settings_move_into_config_toml_once(tmp_path: Path, qapp):
    from PySide6.QtCore import QSettings

    from miniqmt_gui.ui.app import migrate_settings
    from miniqmt_gui.ui.app_config import load_config

    old = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    for key, value in (("shared_dir", str(tmp_path / "share")), ("base_shares", 4200), ("paper", "false"),
                       ("stale_after_s", 120.0), ("lang", "en")):
        old.setValue(key, value)
    env = {"MINIQMT_CONFIG": str(tmp_path / "config.toml")}
    config = migrate_settings(old, load_config(env=env))
    assert config.shared_dir == tmp_path / "share" and config.base_shares == 4200 and not config.paper
    assert not old.contains("shared_dir")  # moved, not copied
    again = load_config(env=env)
    assert again.shared_dir == tmp_path / "share" and again.stale_after_s == 120.0 and again.lang == "en"
    assert not again.first_run
