"""The backtest tab: choose data, preset, parameters and fill model; run off the GUI thread.

The run happens in a child process (:class:`BacktestRunner`); this widget only shows progress,
the metrics, the charts and the trades, and remembers the last choices in ``QSettings``.
"Export report" re-runs the same request with a report folder, so the files are exactly what
``miniqmt backtest --report DIR`` writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QSettings, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.strategy.params import StrategyParams, get_preset, preset_names
from miniqmt_gui.ui.backtest_charts import BacktestCharts
from miniqmt_gui.ui.backtest_job import BacktestRequest
from miniqmt_gui.ui.backtest_panels import MetricsPanel, trade_rows, trades_model
from miniqmt_gui.ui.backtest_runner import BacktestRunner
from miniqmt_gui.ui.params_dialog import ParamsDialog
from miniqmt_gui.ui.research_view import ResearchView
from miniqmt_gui.ui.table_models import SORT_ROLE

SOURCE_SAMPLE, SOURCE_CSV = 0, 1
STAGE_DELAY_MS = 25
ROWS_PER_STAGE = 100  # trades added to the table per event-loop turn


def param_changes(params: StrategyParams, preset: str) -> dict[str, Any]:
    """The fields where ``params`` differs from ``preset`` (what the request sends)."""
    base = get_preset(preset).model_dump()
    return {k: v for k, v in params.model_dump().items() if base.get(k) != v}


class BacktestView(QWidget):
    """Backtest controls, progress, metrics, charts and trades."""

    message = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        """Build the view; last choices come from ``settings``."""
        super().__init__(parent)
        self._settings = settings
        self._preset = str(settings.value("backtest/preset", preset_names()[0]))
        if self._preset not in preset_names():
            self._preset = preset_names()[0]
        self._params = get_preset(self._preset)
        self._last_request: BacktestRequest | None = None
        self._exporting = False
        self._have_result = False
        self._stages: list[Callable[[], None]] = []
        self._started_at = time.monotonic()
        self._runs_done = 0
        self._stage_timer = QTimer(self)
        self._stage_timer.setSingleShot(True)
        self._stage_timer.setInterval(STAGE_DELAY_MS)
        self._stage_timer.timeout.connect(self._next_stage)
        self.runner = BacktestRunner(self)
        self._build_controls()
        self._build_results()
        self._wire()
        self._restore()

    def _build_controls(self) -> None:
        self.source_box = QComboBox()
        self.source_box.addItems([self.tr("内置样本（合成数据）"), self.tr("CSV 文件")])
        self.csv_edit = QLineEdit()
        self.csv_edit.setPlaceholderText(self.tr("1 分钟 K 线 CSV：datetime,open,high,low,close[,volume]"))
        self.browse_button = QPushButton(self.tr("浏览…"))
        self.preset_box = QComboBox()
        self.preset_box.addItems(preset_names())
        self.params_button = QPushButton(self.tr("参数…"))
        self.fill_box = QComboBox()
        self.fill_box.addItem(self.tr("收盘价成交 (close，原方案)"), "close")
        self.fill_box.addItem(self.tr("真实成交 (realistic：次开盘+滑点、T+1、资金)"), "realistic")
        self.run_button = QPushButton(self.tr("开始回测"))
        self.run_button.setObjectName("backtest_run")
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.export_button = QPushButton(self.tr("导出报告…"))
        self.export_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status_label = QLabel(self.tr("就绪"))
        self.status_label.setWordWrap(True)

    def _controls_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("回测设置"))
        form = QFormLayout(box)
        form.addRow(self.tr("数据"), self.source_box)
        csv_row = QHBoxLayout()
        csv_row.addWidget(self.csv_edit, 1)
        csv_row.addWidget(self.browse_button)
        form.addRow("", csv_row)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset_box, 1)
        preset_row.addWidget(self.params_button)
        form.addRow(self.tr("预设"), preset_row)
        form.addRow(self.tr("成交模型"), self.fill_box)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.export_button):
            buttons.addWidget(button)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.status_label)
        return box

    def _build_results(self) -> None:
        self.metrics = MetricsPanel()
        self.charts = BacktestCharts()
        self.trades = trades_model(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.trades)
        proxy.setSortRole(SORT_ROLE)
        self.trades_view = QTableView()
        self.trades_view.setModel(proxy)
        self.trades_view.setSortingEnabled(True)
        self.trades_view.verticalHeader().setVisible(False)
        self.trades_view.setAlternatingRowColors(True)
        self.trades_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((130, 50, 40, 80, 70, 70, 90)):
            self.trades_view.setColumnWidth(column, width)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._controls_box())
        left_layout.addWidget(self.metrics, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.charts)
        right.addWidget(self.trades_view)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setSizes([600, 240])
        # the robustness sweep lives in its own widget and tab (it uses the controls on the left)
        self.research = ResearchView(self.request)
        self.result_tabs = QTabWidget()
        self.result_tabs.addTab(right, self.tr("回测结果"))
        self.result_tabs.addTab(self.research, self.tr("参数稳健性"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.result_tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _wire(self) -> None:
        self.browse_button.clicked.connect(self._browse)
        self.source_box.currentIndexChanged.connect(self._source_changed)
        self.preset_box.activated.connect(self._preset_chosen)
        self.params_button.clicked.connect(self._edit_params)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.export_button.clicked.connect(self._export)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.busyChanged.connect(self._set_busy)

    def _restore(self) -> None:
        s = self._settings
        self.csv_edit.setText(str(s.value("backtest/csv", "")))
        self.source_box.setCurrentIndex(int(str(s.value("backtest/source", SOURCE_SAMPLE))))
        self.preset_box.setCurrentText(self._preset)
        index = self.fill_box.findData(str(s.value("backtest/fill", "close")))
        self.fill_box.setCurrentIndex(max(index, 0))
        self._source_changed()

    def _remember(self) -> None:
        s = self._settings
        s.setValue("backtest/csv", self.csv_edit.text())
        s.setValue("backtest/source", self.source_box.currentIndex())
        s.setValue("backtest/preset", self._preset)
        s.setValue("backtest/fill", self.fill_box.currentData())

    def _source_changed(self) -> None:
        use_csv = self.source_box.currentIndex() == SOURCE_CSV
        self.csv_edit.setEnabled(use_csv)
        self.browse_button.setEnabled(use_csv)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择 K 线数据"), self.csv_edit.text(),
                                              self.tr("K 线 CSV (*.csv *.csv.gz);;所有文件 (*)"))
        if path:
            self.csv_edit.setText(path)
            self.source_box.setCurrentIndex(SOURCE_CSV)

    def _preset_chosen(self) -> None:
        self._preset = self.preset_box.currentText()
        self._params = get_preset(self._preset)

    def _edit_params(self) -> None:
        dialog = ParamsDialog(self._params, self._preset, self)
        if dialog.exec():
            self._params = dialog.result_params()
            self._preset = dialog.preset()
            self.preset_box.setCurrentText(self._preset)

    def request(self, report_dir: str | None = None) -> BacktestRequest:
        """The request the current choices describe."""
        csv = self.csv_edit.text().strip() if self.source_box.currentIndex() == SOURCE_CSV else ""
        return BacktestRequest(csv_path=csv or None, preset=self._preset,
                               changes=param_changes(self._params, self._preset),
                               fill=str(self.fill_box.currentData()), report_dir=report_dir)

    def run(self) -> None:
        """Start a backtest with the current choices."""
        if self.source_box.currentIndex() == SOURCE_CSV and not self.csv_edit.text().strip():
            self.status_label.setText(self.tr("请先选择 CSV 文件，或改用内置样本"))
            return
        self._remember()
        self._start(self.request(), exporting=False)

    def _start(self, request: BacktestRequest, exporting: bool) -> None:
        if not self.runner.start(request):
            return
        self._exporting = exporting
        if not exporting:
            self._last_request = request
            self._have_result = False
            self._stage_timer.stop()
            self._stages = []
            self.metrics.clear()
            self.charts.clear_result()
            self.trades.set_rows([])
        self.progress.setValue(0)
        self._started_at = time.monotonic()
        self.status_label.setText(self.tr("启动回测进程…"))

    def _export(self) -> None:
        if self._last_request is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("报告保存到"))
        if folder:
            base = self._last_request
            self._start(BacktestRequest(base.csv_path, base.preset, base.changes, base.fill, folder),
                        exporting=True)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.run_button, self.source_box, self.csv_edit, self.browse_button,
                       self.preset_box, self.params_button, self.fill_box, self.export_button):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self._source_changed()
            self.export_button.setEnabled(self._have_result)

    def _on_progress(self, percent: int, stage: str) -> None:
        names = {"loading": self.tr("读取数据"), "indicators": self.tr("计算指标"),
                 "simulating": self.tr("逐根 K 线回测"), "report": self.tr("生成报告"),
                 "done": self.tr("完成")}
        self.progress.setValue(percent)
        note = ""
        if stage in ("indicators", "simulating") and not self._runs_done:
            # the first run of a fresh install loads (or compiles) the compiled rules: say why it waits
            note = self.tr("（首次运行：正在准备编译代码，只需一次）")
        self.status_label.setText(names.get(stage, stage) + "…" + note)

    def _on_finished(self, payload: dict[str, Any]) -> None:
        self.progress.setValue(100)
        if self._exporting:
            text = self.tr("报告已导出到 %1").replace("%1", str(payload.get("report_dir", "")))
            self.status_label.setText(text)
            self.message.emit(text)
            return
        m = payload["metrics"]
        self._have_result = True
        self.export_button.setEnabled(not self.runner.is_busy())
        self.metrics.show_metrics(m)
        label = str(payload["label"])
        if label == "synthetic":
            label = self.tr("内置合成样本")
        label = label.replace("\\", "/").rsplit("/", 1)[-1]
        self._runs_done += 1
        total = time.monotonic() - self._started_at
        text = self.tr("回测完成：%1，%2 根 K 线，%3 笔交易；"
                       "总耗时 %4 s（含启动与读取，逐根回测 %5 ms）") \
            .replace("%1", label).replace("%2", f"{m.get('bars', 0):,}") \
            .replace("%3", str(m.get("trades", 0))).replace("%4", f"{total:.1f}") \
            .replace("%5", f"{float(m.get('elapsed_s', 0.0)) * 1000:.1f}")
        self.status_label.setText(text)
        self.message.emit(text)
        # charts and table are drawn in separate event-loop turns, each painted before the next starts,
        # the table ROWS_PER_STAGE rows at a time, so showing a result never blocks the GUI thread for long
        self._stages = [lambda: self.charts.show_result(payload), lambda: self._table_stages(payload)]
        self._stage_timer.start()

    def _table_stages(self, payload: dict[str, Any]) -> None:
        """Empty the trades table, then queue its rows in chunks (the next stages)."""
        self.trades.set_rows([])
        rows = trade_rows(payload["trades"])
        self._stages += [partial(self.trades.extend_rows, rows[k:k + ROWS_PER_STAGE])
                         for k in range(0, len(rows), ROWS_PER_STAGE)]

    def _next_stage(self) -> None:
        if self._stages:
            self._stages.pop(0)()
        if self._stages:
            self._stage_timer.start()

    def _on_failed(self, error: str) -> None:
        self.progress.setValue(0)
        self.status_label.setText(self.tr("回测失败：") + error)
        self.message.emit(self.tr("回测失败：") + error)

    def _on_cancelled(self) -> None:
        self.progress.setValue(0)
        self.status_label.setText(self.tr("回测已取消"))

    def shutdown(self) -> None:
        """Stop any running backtest and pending drawing (window closing)."""
        self._stage_timer.stop()
        self._stages = []
        self.runner.shutdown()
        self.research.shutdown()
