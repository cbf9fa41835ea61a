"""Pieces of the backtest view: the metrics panel and the trades table model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from miniqmt_gui.ui.i18n import QT_TRANSLATE_NOOP
from miniqmt_gui.ui.plot_items import shanghai_time
from miniqmt_gui.ui.table_models import Column, RowsModel, fmt_number, pnl_color

CTX = "BacktestPanels"


def _pct(value: Any) -> str:
    return f"{value * 100:.2f} %"


def _int(value: Any) -> str:
    return f"{int(value):,}"


def _cny(value: Any) -> str:
    return f"{value:,.2f}"


METRICS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("trades", QT_TRANSLATE_NOOP("BacktestPanels", "交易次数"), _int),
    ("buys", QT_TRANSLATE_NOOP("BacktestPanels", "买入 / 卖出"), _int),
    ("alpha_cny", QT_TRANSLATE_NOOP("BacktestPanels", "Alpha 净利润 (元)"), _cny),
    ("beta_cny", QT_TRANSLATE_NOOP("BacktestPanels", "Beta 底仓盈亏 (元)"), _cny),
    ("total_cny", QT_TRANSLATE_NOOP("BacktestPanels", "合计 (元)"), _cny),
    ("max_drawdown", QT_TRANSLATE_NOOP("BacktestPanels", "Alpha 最大回撤"), _pct),
    ("flow_annualized", QT_TRANSLATE_NOOP("BacktestPanels", "Alpha 年化 (自然日)"), _pct),
    ("flow_annualized_util", QT_TRANSLATE_NOOP("BacktestPanels", "Alpha 年化 (持仓日)"), _pct),
    ("capital_utilisation", QT_TRANSLATE_NOOP("BacktestPanels", "资金利用率"), _pct),
    ("exhaust_count", QT_TRANSLATE_NOOP("BacktestPanels", "满 9 层次数"), _int),
    ("exhaust_cycles", QT_TRANSLATE_NOOP("BacktestPanels", "满仓周期 / 亏损"), _int),
    ("sharpe", QT_TRANSLATE_NOOP("BacktestPanels", "夏普比率"), lambda v: f"{v:.2f}"),
    ("win_rate", QT_TRANSLATE_NOOP("BacktestPanels", "胜率"), _pct),
    ("fees_cny", QT_TRANSLATE_NOOP("BacktestPanels", "手续费 (元)"), _cny),
    ("bars", QT_TRANSLATE_NOOP("BacktestPanels", "K 线数"), _int),
    ("elapsed_s", QT_TRANSLATE_NOOP("BacktestPanels", "逐根回测耗时"), lambda v: f"{v * 1000:.1f} ms"),
]
PAIRED = {"buys": "sells", "exhaust_cycles": "losing_cycles"}
SIGNED = {"alpha_cny", "beta_cny", "total_cny"}


def metric_text(key: str, metrics: dict[str, Any], fmt: Callable[[Any], str]) -> str:
    """Display text of one metric (pairs like buys/sells shown as ``a / b``)."""
    if key not in metrics:
        return "—"
    text = fmt(metrics[key])
    other = PAIRED.get(key)
    if other and other in metrics:
        text += f" / {fmt(metrics[other])}"
    return text


class MetricsPanel(QGroupBox):
    """Key/value list of the backtest metrics."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """All metrics shown as "—" until a result arrives."""
        super().__init__(QCoreApplication.translate("BacktestPanels", "回测指标"), parent)
        form = QFormLayout(self)
        self.values: dict[str, QLabel] = {}
        for key, label, _ in METRICS:
            value = QLabel("—")
            value.setObjectName(f"metric_{key}")
            font = value.font()
            font.setBold(True)
            value.setFont(font)
            self.values[key] = value
            form.addRow(QCoreApplication.translate(CTX, label), value)

    def show_metrics(self, metrics: dict[str, Any]) -> None:
        """Fill in ``metrics`` (the CLI's ``--json`` keys)."""
        for key, _, fmt in METRICS:
            self.values[key].setText(metric_text(key, metrics, fmt))
        for key in SIGNED:
            value = metrics.get(key)
            color = "#333333"
            if isinstance(value, float) and value != 0:
                color = "#d62828" if value > 0 else "#1b7f4b"
            self.values[key].setStyleSheet(f"color: {color};")

    def clear(self) -> None:
        """Back to "—"."""
        for label in self.values.values():
            label.setText("—")


def _time_text(value: Any) -> str:
    return shanghai_time(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _side_text(value: Any) -> str:
    buy = QCoreApplication.translate("BacktestPanels", "买入")
    return buy if value == "BUY" else QCoreApplication.translate("BacktestPanels", "卖出")


def _side_color(row: dict[str, Any]) -> str:
    return "#d62828" if row.get("side") == "BUY" else "#1b7f4b"


def trades_model(parent: Any = None) -> RowsModel:
    """The backtest trades table model."""
    def t(text: str) -> str:
        return QCoreApplication.translate("BacktestPanels", text)

    columns = [
        Column("time_s", t(QT_TRANSLATE_NOOP("BacktestPanels", "时间")), _time_text),
        Column("side", t(QT_TRANSLATE_NOOP("BacktestPanels", "方向")), _side_text, color=_side_color),
        Column("layer", t(QT_TRANSLATE_NOOP("BacktestPanels", "层")), str, numeric=True),
        Column("shares", t(QT_TRANSLATE_NOOP("BacktestPanels", "股数")), fmt_number(0), numeric=True),
        Column("price", t(QT_TRANSLATE_NOOP("BacktestPanels", "价格")), fmt_number(3), numeric=True),
        Column("fee", t(QT_TRANSLATE_NOOP("BacktestPanels", "手续费")), fmt_number(2), numeric=True),
        Column("pnl", t(QT_TRANSLATE_NOOP("BacktestPanels", "盈亏 (元)")), fmt_number(2), numeric=True,
               color=pnl_color("pnl")),
        Column("reason", t(QT_TRANSLATE_NOOP("BacktestPanels", "原因")), lambda v: reason_text(str(v))),
    ]
    return RowsModel(columns, parent)


def reason_text(reason: str) -> str:
    """Display text of a trade reason key."""
    names = {
        "grid_buy": QT_TRANSLATE_NOOP("BacktestPanels", "网格买入"),
        "take_profit": QT_TRANSLATE_NOOP("BacktestPanels", "止盈卖出"),
        "float_loss_stop": QT_TRANSLATE_NOOP("BacktestPanels", "浮亏止损"),
    }
    return QCoreApplication.translate(CTX, names[reason]) if reason in names else reason


def trade_rows(trades: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for :func:`trades_model` from the job payload's column arrays."""
    n = len(trades["side"])
    keys = ("time_s", "side", "layer", "shares", "price", "fee", "pnl", "reason")
    columns = {k: list(trades[k]) for k in keys}
    return [{k: _plain(columns[k][i]) for k in keys} for i in range(n)]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
