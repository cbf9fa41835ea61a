"""The robustness tab of the backtest view: sweep two or more parameters and see plateau or spike.

The user picks value ranges (parameter, from, to, count) and the score; the sweep runs in a child process
(:mod:`research_job`, through the backtest's :class:`BacktestRunner`) with progress and cancel, on the
data, preset, parameters and fill model chosen in the backtest controls. The result shows the score
heatmap over any two swept parameters (the others at the winner's values) with hover values, the
sensitivity curve of the horizontal parameter and the winner's neighbourhood.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.backtest.metrics import SCORES
from miniqmt_gui.backtest.ranges import ParamRange, sweepable
from miniqmt_gui.backtest.robustness import neighbourhood, varied
from miniqmt_gui.ui.backtest_job import BacktestRequest
from miniqmt_gui.ui.backtest_runner import BacktestRunner
from miniqmt_gui.ui.research_charts import RobustnessCharts
from miniqmt_gui.ui.research_job import SweepRequest, grid_of, run_job

DEFAULT_RANGES = (("atr_factor", 0.2, 0.56, 10), ("step_floor", 0.0006, 0.0024, 10))
COL_NAME, COL_FROM, COL_TO, COL_COUNT = range(4)


class ResearchView(QWidget):
    """Ranges, score, run/cancel and progress on the left; the robustness charts on the right."""

    message = Signal(str)

    def __init__(self, request_provider: Callable[[], BacktestRequest],
                 parent: QWidget | None = None) -> None:
        """``request_provider`` gives the backtest choices (data, preset, changes, fill) at run time."""
        super().__init__(parent)
        self._request_provider = request_provider
        self._table: pd.DataFrame | None = None
        self._keys: list[str] = []
        self._score = "score"
        self.runner = BacktestRunner(self)
        self._build()
        for name, start, stop, count in DEFAULT_RANGES:
            self.add_range(name, start, stop, count)
        self._wire()

    def _build(self) -> None:
        self.ranges_table = QTableWidget(0, 4)
        self.ranges_table.setHorizontalHeaderLabels([self.tr("参数"), self.tr("起始"), self.tr("结束"),
                                                     self.tr("点数")])
        self.ranges_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ranges_table.verticalHeader().setVisible(False)
        self.ranges_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = QPushButton(self.tr("添加参数"))
        self.remove_button = QPushButton(self.tr("删除参数"))
        self.score_box = QComboBox()
        self.score_box.addItems(list(SCORES))
        self.run_button = QPushButton(self.tr("开始扫描"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status_label = QLabel(self.tr("在左侧回测设置中选择数据、预设和成交模型"))
        self.status_label.setWordWrap(True)
        self.best_label = QLabel("")
        self.best_label.setWordWrap(True)
        self.best_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.x_box = QComboBox()
        self.y_box = QComboBox()
        self.charts = RobustnessCharts()
        box = QGroupBox(self.tr("参数扫描"))
        form = QFormLayout(box)
        form.addRow(self.ranges_table)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        form.addRow(row)
        form.addRow(self.tr("评分"), self.score_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.status_label)
        form.addRow(self.tr("横轴"), self.x_box)
        form.addRow(self.tr("纵轴"), self.y_box)
        form.addRow(self.best_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(box)
        left_layout.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.charts)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def _wire(self) -> None:
        self.add_button.clicked.connect(lambda: self.add_range("cooldown_bars", 5, 25, 5))
        self.remove_button.clicked.connect(self._remove_selected)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.x_box.activated.connect(self._redraw)
        self.y_box.activated.connect(self._redraw)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.busyChanged.connect(self._set_busy)

    def add_range(self, name: str, start: float, stop: float, count: int) -> None:
        """Append a row: ``count`` values of ``name`` from ``start`` to ``stop``."""
        row = self.ranges_table.rowCount()
        self.ranges_table.insertRow(row)
        names = QComboBox()
        names.addItems(list(sweepable()))
        names.setCurrentText(name)
        self.ranges_table.setCellWidget(row, COL_NAME, names)
        spins = []
        for column, value in ((COL_FROM, start), (COL_TO, stop)):
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 1e9)
            spin.setDecimals(6)
            spin.setValue(value)
            self.ranges_table.setCellWidget(row, column, spin)
            spins.append(spin)
        names.currentTextChanged.connect(lambda text: self._set_decimals(spins, text))
        self._set_decimals(spins, name)
        points = QSpinBox()
        points.setRange(1, 200)
        points.setValue(count)
        self.ranges_table.setCellWidget(row, COL_COUNT, points)

    @staticmethod
    def _set_decimals(spins: list[QDoubleSpinBox], name: str) -> None:
        """Whole numbers for integer parameters (bar counts, periods)."""
        for spin in spins:
            spin.setDecimals(0 if sweepable().get(name) is int else 6)

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.ranges_table.selectedIndexes()}, reverse=True)
        for row in rows or [self.ranges_table.rowCount() - 1]:
            if row >= 0:
                self.ranges_table.removeRow(row)

    def ranges(self) -> tuple[ParamRange, ...]:
        """The ranges as entered."""
        out = []
        for row in range(self.ranges_table.rowCount()):
            widgets: list[Any] = [self.ranges_table.cellWidget(row, c) for c in range(4)]
            out.append(ParamRange(widgets[COL_NAME].currentText(), widgets[COL_FROM].value(),
                                  widgets[COL_TO].value(), widgets[COL_COUNT].value()))
        return tuple(out)

    def run(self) -> None:
        """Start the sweep with the current ranges, score and backtest choices."""
        request = SweepRequest(self._request_provider(), self.ranges(), self.score_box.currentText())
        try:
            points = 1
            for values in grid_of(request.ranges).values():
                points *= len(values)
        except ValueError as exc:
            self.status_label.setText(self.tr("参数范围有误：") + str(exc))
            return
        if not self.runner.start(request, run_job):
            return
        self._table = None
        self.charts.clear_result()
        self.best_label.setText("")
        self.progress.setValue(0)
        self.status_label.setText(self.tr("扫描 %1 组参数…").replace("%1", f"{points:,}"))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.run_button, self.add_button, self.remove_button, self.ranges_table,
                       self.score_box):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _on_progress(self, percent: int, stage: str) -> None:
        self.progress.setValue(percent)
        names = {"loading": self.tr("读取数据"), "sweeping": self.tr("扫描参数"), "done": self.tr("完成")}
        self.status_label.setText(names.get(stage, stage) + f"… {percent}%")

    def _on_finished(self, payload: dict[str, Any]) -> None:
        self.progress.setValue(100)
        table = pd.DataFrame(payload["columns"])
        table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
        self._table, self._score = table, str(payload["score"])
        self._keys = varied(table, payload["keys"]) or list(payload["keys"])
        for box, default in ((self.x_box, 0), (self.y_box, 1)):
            box.clear()
            box.addItems(self._keys)
            box.setCurrentIndex(min(default, len(self._keys) - 1))
        self.y_box.setEnabled(len(self._keys) > 1)
        label = str(payload["label"]).replace("\\", "/").rsplit("/", 1)[-1]
        label = self.tr("内置合成样本") if label == "synthetic" else label
        text = self.tr("扫描完成：%1 组参数，用时 %2 秒").replace("%1", f"{payload['points']:,}") \
            .replace("%2", f"{payload['elapsed_s']:.2f}") + f"（{label}）"
        self.status_label.setText(text)
        self.message.emit(text)
        self._redraw()

    def _redraw(self) -> None:
        table = self._table
        if table is None:
            return
        x = self.x_box.currentText()
        y = self.y_box.currentText() if len(self._keys) > 1 else None
        if y == x:
            y = next(k for k in self._keys if k != x)
        self.charts.show_table(table, self._keys, self._score, x, y)
        best = table.iloc[0]
        nb = neighbourhood(table, self._keys, self._score)
        values = ", ".join(f"{k} = {best[k]:.6g}" for k in self._keys)
        text = self.tr("最优点：%1；%2 = %3").replace("%1", values).replace("%2", self._score) \
            .replace("%3", f"{best[self._score]:.4f}")
        ring = nb.ring(1)
        if ring["count"] > 0:
            text += self.tr("；相邻一步 %1 个点，中位数 %2，最差 %3").replace("%1", str(int(ring["count"]))) \
                .replace("%2", f"{ring['median']:.4f}").replace("%3", f"{ring['min']:.4f}")
        self.best_label.setText(text)

    def _on_failed(self, error: str) -> None:
        self.progress.setValue(0)
        self.status_label.setText(self.tr("扫描失败：") + error)

    def _on_cancelled(self) -> None:
        self.progress.setValue(0)
        self.status_label.setText(self.tr("扫描已取消"))

    def shutdown(self) -> None:
        """Stop a running sweep (window closing)."""
        self.runner.shutdown()
