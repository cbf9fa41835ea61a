"""Strategy parameters dialog: preset choice plus every field, validated by ``StrategyParams``.

Each field is a text box (numbers, ``HH:MM`` times, comma-separated layer weights) or a check box;
OK runs the whole set through core's validation and refuses to close on an error, which it shows
in red under the form. The dialog never writes files: the caller saves what it returns.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.strategy.params import ParamError, StrategyParams, get_preset, preset_names
from miniqmt_gui.ui.i18n import QT_TRANSLATE_NOOP

CTX = "ParamsDialog"
GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (QT_TRANSLATE_NOOP("ParamsDialog", "资金与费用"), [
        ("base_capital", QT_TRANSLATE_NOOP("ParamsDialog", "底仓资金 Beta (元)")),
        ("flow_capital", QT_TRANSLATE_NOOP("ParamsDialog", "流动资金 Alpha (元)")),
        ("layer_weights", QT_TRANSLATE_NOOP("ParamsDialog", "各层权重 (逗号分隔)")),
        ("commission_rate", QT_TRANSLATE_NOOP("ParamsDialog", "佣金费率")),
        ("min_commission", QT_TRANSLATE_NOOP("ParamsDialog", "最低佣金 (元)")),
    ]),
    (QT_TRANSLATE_NOOP("ParamsDialog", "网格步长与止盈"), [
        ("atr_factor", QT_TRANSLATE_NOOP("ParamsDialog", "ATR 系数")),
        ("step_floor", QT_TRANSLATE_NOOP("ParamsDialog", "最小步长")),
        ("layer_step_bonus", QT_TRANSLATE_NOOP("ParamsDialog", "每层附加步长")),
        ("take_profit", QT_TRANSLATE_NOOP("ParamsDialog", "止盈比例")),
        ("take_profit_mult", QT_TRANSLATE_NOOP("ParamsDialog", "止盈倍数")),
    ]),
    (QT_TRANSLATE_NOOP("ParamsDialog", "趋势因子"), [
        ("up_step_factor", QT_TRANSLATE_NOOP("ParamsDialog", "上升趋势 步长×")),
        ("up_tp_factor", QT_TRANSLATE_NOOP("ParamsDialog", "上升趋势 止盈×")),
        ("up_size_factor", QT_TRANSLATE_NOOP("ParamsDialog", "上升趋势 仓位×")),
        ("down_step_factor", QT_TRANSLATE_NOOP("ParamsDialog", "下降趋势 步长×")),
        ("down_tp_factor", QT_TRANSLATE_NOOP("ParamsDialog", "下降趋势 止盈×")),
        ("down_size_factor", QT_TRANSLATE_NOOP("ParamsDialog", "下降趋势 仓位×")),
    ]),
    (QT_TRANSLATE_NOOP("ParamsDialog", "熔断与冷却"), [
        ("breaker_mult", QT_TRANSLATE_NOOP("ParamsDialog", "ATR 熔断倍数")),
        ("cooldown_bars", QT_TRANSLATE_NOOP("ParamsDialog", "冷却 K 线数")),
        ("cooldown_bars_oversold", QT_TRANSLATE_NOOP("ParamsDialog", "超卖时冷却 K 线数")),
        ("oversold_rsi", QT_TRANSLATE_NOOP("ParamsDialog", "超卖 RSI")),
    ]),
    (QT_TRANSLATE_NOOP("ParamsDialog", "可选规则"), [
        ("float_loss_stop", QT_TRANSLATE_NOOP("ParamsDialog", "浮亏止损")),
        ("float_loss_limit", QT_TRANSLATE_NOOP("ParamsDialog", "浮亏止损额 (元)")),
        ("time_filter", QT_TRANSLATE_NOOP("ParamsDialog", "时间过滤")),
        ("no_first_layer_from", QT_TRANSLATE_NOOP("ParamsDialog", "禁开首层 自")),
        ("no_first_layer_until", QT_TRANSLATE_NOOP("ParamsDialog", "禁开首层 至")),
        ("no_buy_after", QT_TRANSLATE_NOOP("ParamsDialog", "此后不买入")),
    ]),
    (QT_TRANSLATE_NOOP("ParamsDialog", "指标窗口与成交模型"), [
        ("atr_period", QT_TRANSLATE_NOOP("ParamsDialog", "ATR 周期")),
        ("ma_period", QT_TRANSLATE_NOOP("ParamsDialog", "均线周期")),
        ("slope_lag", QT_TRANSLATE_NOOP("ParamsDialog", "斜率间隔")),
        ("slope_span", QT_TRANSLATE_NOOP("ParamsDialog", "斜率 EMA 跨度")),
        ("atr_avg_period", QT_TRANSLATE_NOOP("ParamsDialog", "ATR 均值周期")),
        ("rsi_period", QT_TRANSLATE_NOOP("ParamsDialog", "RSI 周期")),
        ("lot_size", QT_TRANSLATE_NOOP("ParamsDialog", "每手股数")),
        ("tick", QT_TRANSLATE_NOOP("ParamsDialog", "最小价位")),
        ("slippage_ticks", QT_TRANSLATE_NOOP("ParamsDialog", "滑点 (跳)")),
        ("free_cash", QT_TRANSLATE_NOOP("ParamsDialog", "额外可用现金 (元)")),
    ]),
]


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def field_text(value: Any) -> str:
    """How a parameter value is shown in its text box."""
    if isinstance(value, tuple | list):
        return ", ".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


class ParamsDialog(QDialog):
    """Edit a :class:`StrategyParams`; :meth:`result_params` holds the validated choice."""

    def __init__(self, params: StrategyParams, preset: str, parent: QWidget | None = None) -> None:
        """Start from ``params`` (shown under preset name ``preset``)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("策略参数"))
        self._params = params
        self._edits: dict[str, QLineEdit | QCheckBox] = {}
        self._labels: dict[str, str] = {}
        self.preset_box = QComboBox()
        self.preset_box.addItems(preset_names())
        if preset in preset_names():
            self.preset_box.setCurrentText(preset)
        self.preset_box.activated.connect(self._load_preset)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #d62828; font-weight: bold;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self._fill(params)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("预设方案：")))
        top.addWidget(self.preset_box, 1)
        body = QWidget()
        columns = QHBoxLayout(body)
        halves = (GROUPS[:3], GROUPS[3:])
        for half in halves:
            col = QVBoxLayout()
            for title, fields in half:
                col.addWidget(self._group(title, fields))
            col.addStretch(1)
            columns.addLayout(col)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(760, 640)

    def _group(self, title: str, fields: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(_t(title))
        form = QFormLayout(box)
        for name, label in fields:
            self._labels[name] = label
            editor: QLineEdit | QCheckBox
            if isinstance(getattr(self._params, name), bool):
                editor = QCheckBox()
            else:
                editor = QLineEdit()
                editor.setObjectName(f"param_{name}")
            self._edits[name] = editor
            form.addRow(_t(label), editor)
        return box

    def _fill(self, params: StrategyParams) -> None:
        for name, editor in self._edits.items():
            value = getattr(params, name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            else:
                editor.setText(field_text(value))
        self.error_label.clear()

    def _load_preset(self) -> None:
        self._fill(get_preset(self.preset_box.currentText()))

    def editor(self, name: str) -> QLineEdit | QCheckBox:
        """The editor of parameter ``name`` (tests and tooling)."""
        return self._edits[name]

    def values(self) -> dict[str, Any]:
        """The raw entries (strings and booleans), as typed."""
        return {name: (e.isChecked() if isinstance(e, QCheckBox) else e.text().strip())
                for name, e in self._edits.items()}

    def validate(self) -> StrategyParams | None:
        """Validated parameters, or ``None`` with the reason shown in the trader's words: the field's own
        label (最小步长, not ``step_floor``), and the field highlighted and focused."""
        for edit in self._edits.values():
            edit.setStyleSheet("")
        values = self.values()
        try:
            params = StrategyParams().updated(values)
        except ParamError as exc:
            name = self._failing_field(values)
            if name is None:
                self.error_label.setText(self.tr("参数无效：") + str(exc))
                return None
            edit = self._edits[name]
            edit.setStyleSheet("border: 2px solid #d62828;")
            edit.setFocus()
            self.error_label.setText(self.tr("参数无效：%1 — %2").replace("%1", _t(self._labels[name]))
                                     .replace("%2", self._why(values[name], str(exc))))
            return None
        self.error_label.clear()
        return params

    def _failing_field(self, values: dict[str, Any]) -> str | None:
        """The first field that is invalid on its own (the others at their defaults)."""
        base = StrategyParams()
        for name, value in values.items():
            try:
                base.updated({name: value})
            except ParamError:
                return name
        return None

    def _why(self, value: Any, detail: str) -> str:
        text = str(value).strip()
        if text == "":
            return self.tr("不能为空")
        rule = re.search(r"must be (.+)$", detail)
        if rule:
            return self.tr("须 %1").replace("%1", rule.group(1).replace(">=", "≥").replace("<=", "≤"))
        if "greater than" in detail or "less than" in detail:
            return self.tr("超出允许范围") + f"（{detail.split(': ', 1)[-1]}）"
        if "expected a number" in detail or "expected a whole number" in detail:
            return self.tr("请输入数字")
        return detail.split(": ", 1)[-1]

    def preset(self) -> str:
        """The chosen preset's name."""
        return self.preset_box.currentText()

    def result_params(self) -> StrategyParams:
        """The parameters accepted with OK (the initial ones before that)."""
        return self._params

    def accept(self) -> None:
        """OK: close only when the parameters validate."""
        params = self.validate()
        if params is None:
            return
        self._params = params
        super().accept()
