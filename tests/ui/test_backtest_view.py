"""The backtest tab: a run in a child process with progress, results, export and cancel."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from miniqmt_gui.ui.backtest_view import BacktestView


@pytest.fixture
def view(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "bt.ini"), QSettings.Format.IniFormat)
    widget = BacktestView(settings)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def test_sample_backtest_reports_progress_and_results(view, qtbot):
    progress: list[int] = []
    view.runner.progress.connect(lambda pct, stage: progress.append(pct))
    with qtbot.waitSignal(view.runner.finished, timeout=60_000) as finished:
        view.run()
        assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    payload = finished.args[0]
    assert progress == sorted(progress) and progress[-1] == 100 and len(progress) >= 3
    assert view.progress.value() == 100
    trades = payload["metrics"]["trades"]
    assert trades > 0
    assert view.metrics.values["trades"].text() == f"{trades:,}"
    qtbot.waitUntil(lambda: view.trades.rowCount() == trades, timeout=5000)
    assert len(payload["time_s"]) == payload["metrics"]["bars"]
    assert 100 < len(view.charts.price_curve.xData) <= 1300  # decimated in the child
    assert len(view.charts.buys.data) + len(view.charts.sells.data) == trades
    assert view.export_button.isEnabled() and view.run_button.isEnabled()
    assert "内置合成样本" in view.status_label.text()


def test_cancel_stops_the_child_at_once(view, qtbot):
    with qtbot.waitSignal(view.runner.cancelled, timeout=10_000):
        view.run()
        qtbot.wait(200)
        view.cancel_button.click()
    assert not view.runner.is_busy()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert "取消" in view.status_label.text()
    assert view.metrics.values["trades"].text() == "—"
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=5000)


def test_bad_csv_is_reported_not_crashed(view, qtbot, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("datetime,open,high,low,close\n2024-01-02 09:31:00,1,1,1,-1\n")
    view.source_box.setCurrentIndex(1)
    view.csv_edit.setText(str(bad))
    with qtbot.waitSignal(view.runner.failed, timeout=60_000):
        view.run()
    assert view.status_label.text().startswith("回测失败")
    assert view.run_button.isEnabled()


def test_export_writes_the_cli_report(view, qtbot, tmp_path: Path, monkeypatch):
    with qtbot.waitSignal(view.runner.finished, timeout=60_000):
        view.run()
    out = tmp_path / "report"
    monkeypatch.setattr("miniqmt_gui.ui.backtest_view.QFileDialog.getExistingDirectory",
                        lambda *args, **kwargs: str(out))
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=5000)
    with qtbot.waitSignal(view.runner.finished, timeout=60_000):
        view.export_button.click()
    for name in ("trades.csv", "metrics.json", "report.png", "report.html"):
        assert (out / name).exists(), name
    assert "报告已导出" in view.status_label.text()


def test_choices_persist(view, qtbot, tmp_path: Path) -> None:
    view.fill_box.setCurrentIndex(1)
    view.source_box.setCurrentIndex(1)
    view.csv_edit.setText(str(tmp_path / "x.csv"))
    view._remember()
    again = BacktestView(view._settings)
    qtbot.addWidget(again)
    assert again.fill_box.currentData() == "realistic"
    assert again.csv_edit.text() == str(tmp_path / "x.csv")
    again.shutdown()
