"""The reconciliation table in the app: pick a day, reconcile, see every row and open the report."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.daily.report import PROBLEM_TEXT, describe
from windows_bridge.contract.market_hours import now_shanghai

COLUMNS = ("信号", "方向", "信号价", "委托", "结果", "程序成交", "券商成交", "成交均价", "手续费", "滑点 CNY",
           "滑点 bps", "问题")


class ReconcileDialog(QDialog):
    """Shows one day's :class:`~miniqmt_gui.daily.reconcile.Reconciliation`."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        """``services`` is the window's :class:`~miniqmt_gui.ui.day_services.DayServices`."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("收盘对账"))
        self.services = services
        self.date_edit = QDateEdit(QDate.fromString(now_shanghai().date().isoformat(), "yyyy-MM-dd"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.run_button = QPushButton(self.tr("对账"))
        self.open_button = QPushButton(self.tr("打开报告"))
        self.open_button.setEnabled(False)
        self.verdict = QLabel(self.tr("选择日期后点击“对账”"))
        self.verdict.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self._report: Any = None
        top = QHBoxLayout()
        for widget in (self.date_edit, self.run_button, self.open_button):
            top.addWidget(widget)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        self.run_button.clicked.connect(self.run)
        self.open_button.clicked.connect(self.open_report)
        services.reconciled.connect(self.show_result)
        self.resize(1100, 420)

    def run(self) -> None:
        """Reconcile the chosen day (on a background thread)."""
        from datetime import date

        self.run_button.setEnabled(False)
        self.verdict.setText(self.tr("对账中…"))
        self.services.reconcile_now(date.fromisoformat(self.date_edit.date().toString("yyyy-MM-dd")))

    def show_result(self, rec: Any, report: Any) -> None:
        """Fill the table (or show the error)."""
        self.run_button.setEnabled(True)
        if rec is None:
            self.verdict.setText(self.tr("对账失败：") + str(report))
            return
        self._report = report
        self.open_button.setEnabled(True)
        lines = [describe(a) for a in rec.alarms] or [self.tr("✓ 对账一致")]
        self.verdict.setText("\n".join(lines) + "\n" + self.tr("券商成交导出：") + rec.export_status)
        self.verdict.setStyleSheet("color: #1b5e20;" if rec.clean else "color: #c1121f;")
        rows = [*rec.rows, *rec.unexplained]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            name = r.signal_id or "#" + " ".join(map(str, r.order_ids))
            values = (name, r.direction, f"{r.signal_price:.3f}", f"{r.requested:,}", r.status,
                      f"{r.app_filled:,}", f"{r.broker_filled:,}", f"{r.broker_avg:.4f}", f"{r.fees:.2f}",
                      f"{r.slippage_cny:+.2f}", f"{r.slippage_bps:+.1f}",
                      " / ".join(PROBLEM_TEXT["zh"].get(p, p) for p in r.problems))
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if r.alarm:
                    item.setBackground(QColor("#fde2e4"))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def open_report(self) -> None:
        """Open the day's HTML report in the browser."""
        if self._report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._report.html_path)))
