"""Settings sections for push notifications and the phone view, and the phone view's QR code dialog.

The notification URLs are secrets: the section reads them from the OS keyring and writes them back
there when the dialog is accepted (:meth:`DaySettingsSection.store_secrets`), never into QSettings
or the shared folder. "发送测试" sends through a throw-away sender on its own thread; the answer comes
back through a queued signal.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.alerts import secrets
from miniqmt_gui.alerts.rules import KIND_NAMES, KINDS
from miniqmt_gui.alerts.sender import PushSender
from miniqmt_gui.ui.app_config import AppConfig
from miniqmt_gui.ui.phone_view import lan_address, page_url


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    """``text`` as a QR code picture."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class QrDialog(QDialog):
    """The phone view's address as a QR code (scan it with the phone on the same Wi-Fi)."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        """Show ``url`` as a code and as text."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("手机查看"))
        layout = QVBoxLayout(self)
        self.picture = QLabel()
        self.picture.setPixmap(qr_pixmap(url))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.picture)
        note = QLabel(self.tr("用同一 Wi-Fi 下的手机扫码打开（只读）。二维码含访问令牌，请勿外传。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        link = QLabel(url)
        link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(link)


class DaySettingsSection(QWidget):
    """Push notification and phone view settings (a section of the settings dialog)."""

    tested = Signal(bool, str)

    def __init__(self, config: AppConfig, parent: QWidget | None = None) -> None:
        """Fill in from ``config`` and the keyring."""
        super().__init__(parent)
        self._config = config
        self.urls_edit = QPlainTextEdit("\n".join(secrets.load_urls()))
        self.urls_edit.setPlaceholderText("wecombot://… / dingtalk://… / feishu://… / schan://… / "
                                          "mailto://… / tgram://…")
        self.urls_edit.setFixedHeight(70)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for kind in KINDS:
            box = QCheckBox(KIND_NAMES[kind][0] if config.lang != "en" else KIND_NAMES[kind][1])
            box.setChecked(kind in config.push_kinds)
            self.kind_boxes[kind] = box
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(1, 60)
        self.rate_spin.setValue(config.push_per_minute)
        self.rate_spin.setSuffix(self.tr(" 条/分钟"))
        self.test_button = QPushButton(self.tr("发送测试"))
        self.test_label = QLabel(self.tr("密钥保存在：") + secrets.storage_name())
        self.test_label.setWordWrap(True)
        self.phone_box = QCheckBox(self.tr("开启手机查看（只读网页，仅限局域网，需令牌）"))
        self.phone_box.setChecked(config.phone_enabled)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(config.phone_port)
        self.qr_button = QPushButton(self.tr("显示二维码"))
        self._sender: PushSender | None = None
        self._layout()
        self.test_button.clicked.connect(self.send_test)
        self.tested.connect(self._show_test)
        self.qr_button.clicked.connect(self.show_qr)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        push = QGroupBox(self.tr("推送通知（企业微信、钉钉、飞书、Server酱、邮件、Telegram…）"))
        form = QFormLayout(push)
        form.addRow(self.tr("通知地址（每行一个）"), self.urls_edit)
        kinds = QGridLayout()
        for k, box in enumerate(self.kind_boxes.values()):
            kinds.addWidget(box, k // 4, k % 4)
        form.addRow(self.tr("推送内容"), kinds)
        row = QHBoxLayout()
        row.addWidget(self.rate_spin)
        row.addWidget(self.test_button)
        row.addStretch(1)
        form.addRow(self.tr("频率上限"), row)
        form.addRow("", self.test_label)
        layout.addWidget(push)
        phone = QGroupBox(self.tr("手机查看"))
        pform = QFormLayout(phone)
        pform.addRow("", self.phone_box)
        prow = QHBoxLayout()
        prow.addWidget(self.port_spin)
        prow.addWidget(self.qr_button)
        prow.addStretch(1)
        pform.addRow(self.tr("端口"), prow)
        layout.addWidget(phone)

    def urls(self) -> list[str]:
        """The URLs as typed."""
        return [line.strip() for line in self.urls_edit.toPlainText().splitlines() if line.strip()]

    def send_test(self) -> None:
        """Send a test message to the URLs as typed (not yet saved)."""
        self.test_label.setText(self.tr("发送中…"))
        sender = PushSender(self.urls())
        self._sender = sender
        sender.start()
        lang = "en" if self._config.lang == "en" else "zh"
        sender.send_test(lambda ok, why: self.tested.emit(ok, why), lang)

    def _show_test(self, ok: bool, why: str) -> None:
        if ok:
            self.test_label.setText(self.tr("✓ 测试消息已发送"))
            self.test_label.setStyleSheet("color: #1b5e20;")
        else:
            self.test_label.setText(self.tr("✗ 发送失败：") + why)
            self.test_label.setStyleSheet("color: #c1121f;")
        if self._sender is not None:
            self._sender.stop(0.1)

    def show_qr(self) -> QrDialog:
        """The QR code of the phone view's address (with the token)."""
        from miniqmt_gui.ui.day_services import phone_token

        dialog = QrDialog(page_url(lan_address(), self.port_spin.value(), phone_token()), self)
        dialog.show()
        return dialog

    def values(self) -> dict[str, Any]:
        """The AppConfig fields this section edits."""
        return {"push_kinds": tuple(k for k, box in self.kind_boxes.items() if box.isChecked()),
                "push_per_minute": self.rate_spin.value(), "phone_enabled": self.phone_box.isChecked(),
                "phone_port": self.port_spin.value()}

    def store_secrets(self) -> str:
        """Save the URLs to the keyring; returns where they went."""
        return secrets.save_urls(self.urls())

    def apply_to(self, config: AppConfig) -> AppConfig:
        """``config`` with this section's values."""
        return replace(config, **self.values())

    def closeEvent(self, event: Any) -> None:
        """Stop a test sender still running."""
        if self._sender is not None:
            self._sender.stop(0.1)
        super().closeEvent(event)
