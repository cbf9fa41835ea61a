"""Settings: shared folder (with a reachability + heartbeat check), work folder, thresholds, alerts.

Also the first-run setup: shown at start when no shared folder was ever configured. The check runs
on the engine's worker thread (the dialog never touches files) and answers via :meth:`show_check`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.app_config import AppConfig
from miniqmt_gui.ui.day_settings import DaySettingsSection
from miniqmt_gui.ui.live_model import SharedCheck


class SettingsDialog(QDialog):
    """Edit an :class:`AppConfig`; :meth:`config` returns the edited copy."""

    def __init__(self, config: AppConfig, checker: Callable[[str], None], first_run: bool = False,
                 parent: QWidget | None = None, base_suggestion: tuple[int, int] | None = None) -> None:
        """``checker(path)`` starts an asynchronous check that ends in :meth:`show_check`.

        ``base_suggestion`` = (the broker's position now, the book's lots): the base position is offered
        as their difference, for the trader to confirm (live trading needs the base known).
        """
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次设置") if first_run else self.tr("设置"))
        self._config = config
        self._checker = checker
        self.shared_edit = QLineEdit(str(config.shared_dir))
        self.work_edit = QLineEdit(str(config.work_dir))
        self.check_label = QLabel(self.tr("尚未检查"))
        self.check_label.setWordWrap(True)
        self.stale_spin = _seconds(config.stale_after_s, 5, 3600)
        self.silent_spin = _seconds(config.silent_period_s, 0, 3600)
        self.base_spin = QSpinBox()
        self.base_spin.setRange(-1, 100_000_000)
        self.base_spin.setSingleStep(100)
        self.base_spin.setSpecialValueText(self.tr("未知"))
        self.base_spin.setValue(-1 if config.base_shares is None else config.base_shares)
        self.base_suggest = QPushButton()
        self.base_suggest.setObjectName("base_suggestion")
        self.base_suggest.setVisible(base_suggestion is not None)
        if base_suggestion is not None:
            broker, lots = base_suggestion
            self.suggested_base = max(broker - lots, 0)
            text = self.tr("用券商持仓 %1 − 账本层仓 %2 = %3 股")
            self.base_suggest.setText(text.replace("%1", f"{broker:,}").replace("%2", f"{lots:,}")
                                      .replace("%3", f"{self.suggested_base:,}"))
            self.base_suggest.clicked.connect(lambda: self.base_spin.setValue(self.suggested_base))
        self.session_box = QCheckBox(self.tr("仅在连续竞价时段发单（09:30–11:30，13:00–14:57）"))
        self.session_box.setChecked(config.session_only)
        self.lang_box = QComboBox()
        self.lang_box.addItem("中文", "zh")
        self.lang_box.addItem("English", "en")
        self.lang_box.setCurrentIndex(1 if config.lang == "en" else 0)
        self.notify_box = QCheckBox(self.tr("桌面通知（成交、拒单、行情过期、熔断）"))
        self.notify_box.setChecked(config.notifications)
        self.speech_box = QCheckBox(self.tr("语音播报（买入 / 卖出）"))
        self.speech_box.setChecked(config.speech)
        self.day_section = DaySettingsSection(config, self)
        self._layout(first_run)

    def _layout(self, first_run: bool) -> None:
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(self.tr("欢迎使用 miniqmt。请先指定与 Windows 虚拟机共享的文件夹"
                                   "（Mac 上通常是 ~/Documents/miniqmt），并确认行情端已在运行。"))
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        shared_row = QHBoxLayout()
        shared_row.addWidget(self.shared_edit, 1)
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(lambda: self._browse(self.shared_edit))
        check = QPushButton(self.tr("检查"))
        check.clicked.connect(self.run_check)
        shared_row.addWidget(browse)
        shared_row.addWidget(check)
        form.addRow(self.tr("共享文件夹"), shared_row)
        form.addRow("", self.check_label)
        work_row = QHBoxLayout()
        work_row.addWidget(self.work_edit, 1)
        browse_work = QPushButton(self.tr("浏览…"))
        browse_work.clicked.connect(lambda: self._browse(self.work_edit))
        work_row.addWidget(browse_work)
        form.addRow(self.tr("本地工作文件夹"), work_row)
        form.addRow(self.tr("行情过期阈值"), self.stale_spin)
        form.addRow(self.tr("拒单后静默期"), self.silent_spin)
        self.reset_paper = False
        paper_button = QPushButton(self.tr("重新设定模拟账户起点…"))
        paper_button.setObjectName("reset_paper")
        paper_button.setToolTip(self.tr("模拟账户从底仓或券商持仓重新开始（旧的模拟账户另存）"))
        paper_button.clicked.connect(self._ask_reset_paper)
        form.addRow(self.tr("模拟盘账户"), paper_button)
        base_row = QHBoxLayout()
        base_row.addWidget(self.base_spin, 1)
        base_row.addWidget(self.base_suggest)
        form.addRow(self.tr("底仓股数（Beta）"), base_row)
        form.addRow("", self.session_box)
        form.addRow(self.tr("界面语言（重启后生效）"), self.lang_box)
        form.addRow("", self.notify_box)
        form.addRow("", self.speech_box)
        layout.addLayout(form)
        layout.addWidget(self.day_section)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(680, 700)

    def _browse(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择文件夹"), edit.text())
        if folder:
            edit.setText(folder)
            if edit is self.shared_edit:
                self.run_check()

    def run_check(self) -> None:
        """Ask for a check of the shared folder."""
        self.check_label.setText(self.tr("检查中…"))
        self._checker(self.shared_edit.text().strip())

    def show_check(self, result: SharedCheck) -> None:
        """Show a finished check (ignored when it is for another path)."""
        if result.path != self.shared_edit.text().strip():
            return
        if not result.exists:
            text, color = self.tr("✗ 文件夹不存在或无法访问（检查 Parallels 共享）"), "#c1121f"
        elif not result.writable:
            text, color = self.tr("✗ 文件夹不可写"), "#c1121f"
        elif result.bridge_age_s != result.bridge_age_s:
            text = self.tr("⚠ 可访问，但未发现行情端心跳（请在 Windows 中启动 miniqmt-bridge）")
            color = "#b5651d"
        else:
            text = self.tr("✓ 可访问；行情端心跳 %1 前").replace("%1", fm.age(result.bridge_age_s))
            color = "#1b5e20" if result.bridge_age_s < 30 else "#b5651d"
            if result.executor_age_s == result.executor_age_s:
                text += self.tr("；执行端心跳 %1 前").replace("%1", fm.age(result.executor_age_s))
            else:
                text += self.tr("；未发现执行端心跳")
        self.check_label.setText(text)
        self.check_label.setStyleSheet(f"color: {color};")

    def accept(self) -> None:
        """OK: refuse a shared folder that does not exist (offer to create it), highlighting the field."""
        folder = Path(self.shared_edit.text().strip())
        self.shared_edit.setStyleSheet("")
        if not str(folder) or not folder.is_dir():
            question = self.tr("共享文件夹 %1 不存在。\n\n如果 Windows 虚拟机通过 Parallels 共享 Mac 的"
                               "文件夹，请先检查共享设置。现在在本机创建这个文件夹吗？")
            question = question.replace("%1", str(folder))
            if not self.confirm_create(self.tr("共享文件夹不存在"), question):
                self.shared_edit.setStyleSheet("border: 2px solid #c1121f;")
                self.shared_edit.setFocus()
                self.check_label.setText(self.tr("✗ 文件夹不存在：请选择已存在的共享文件夹，或允许创建"))
                self.check_label.setStyleSheet("color: #c1121f;")
                return
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.check_label.setText(self.tr("✗ 无法创建：") + str(exc))
                return
        super().accept()

    def confirm_create(self, title: str, text: str) -> bool:
        """Ask before creating the folder (tests replace this)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_reset_paper(self) -> None:
        """Close with OK and let the window ask where the simulated account starts."""
        self.reset_paper = True
        self.accept()

    def config(self) -> AppConfig:
        """The edited configuration."""
        base = self.base_spin.value()
        return replace(
            self._config, shared_dir=Path(self.shared_edit.text().strip()),
            work_dir=Path(self.work_edit.text().strip()), stale_after_s=self.stale_spin.value(),
            silent_period_s=self.silent_spin.value(), base_shares=None if base < 0 else base,
            session_only=self.session_box.isChecked(), lang=str(self.lang_box.currentData()),
            notifications=self.notify_box.isChecked(), speech=self.speech_box.isChecked(), first_run=False,
            **self.day_section.values(),
        )


def _seconds(value: float, low: float, high: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(0)
    spin.setSuffix(" s")
    spin.setValue(value)
    return spin
