"""Dialogs about the layer book: reconcile with the broker, correct the lots by hand, the paper account.

* :class:`BookReconcileDialog` — shown on a :class:`~miniqmt_gui.live.events.ReconcileEvent`: what the
  broker holds, what the book holds, the base; 「采用券商持仓」 adopts the broker's grid shares as lots
  (the engine's ``adopt_broker_lots``), 「保持暂停」 keeps new buys paused.
* :class:`LotsDialog` — edit the nine layers' shares and buy prices (a journaled engine command).
* :class:`PaperAccountDialog` — where the simulated account starts: the configured base position, or a
  snapshot of the broker's position and cash, confirmed by the trader.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from miniqmt_gui.live.events import ReconcileEvent
from miniqmt_gui.ui import formatting as fm
from windows_bridge.contract.messages import BookLot

N_LAYERS = 9


class BookReconcileDialog(QDialog):
    """Broker vs book after a start: adopt the broker's grid shares, or keep buys paused."""

    def __init__(self, event: ReconcileEvent, parent: QWidget | None = None) -> None:
        """Say the figures of ``event``; ``adopted`` is True after 「采用券商持仓」."""
        super().__init__(parent)
        self.setObjectName("book_reconcile_dialog")
        self.setWindowTitle(self.tr("核对账本与券商持仓"))
        self.adopted = False
        base = event.base_shares
        grid = event.broker_shares - base if base is not None else None
        text = self.tr(
            "券商持仓 %1 股（成本价 %2），其中底仓 %3 股；账本层仓 %4 股。\n\n"
            "两者不一致，新的买入已暂停（卖出照常）。\n"
            "「采用券商持仓」：把券商的网格部分（%5 股）按成本价记为层仓。\n"
            "「保持暂停」：先自行核对（例如在 QMT 中查看成交），稍后再处理。"
        ).replace("%1", fm.shares(event.broker_shares)).replace("%2", fm.price(event.broker_avg_price)) \
            .replace("%3", fm.shares(base) if base is not None else self.tr("未设置")) \
            .replace("%4", fm.shares(event.book_shares)) \
            .replace("%5", fm.shares(grid) if grid is not None else "?")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.adopt_button = QPushButton(self.tr("采用券商持仓"))
        self.adopt_button.setEnabled(base is not None and event.broker_avg_price > 0)
        self.keep_button = QPushButton(self.tr("保持暂停"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.adopt_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.adopt_button.clicked.connect(self._adopt)
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.resize(520, 240)

    def _adopt(self) -> None:
        self.adopted = True
        self.accept()


class LotsDialog(QDialog):
    """The nine layers' shares and buy prices, to correct the book by hand."""

    def __init__(self, lots: list[BookLot], parent: QWidget | None = None) -> None:
        """Prefilled with ``lots``; empty rows are empty layers."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("修正层仓"))
        self.table = QTableWidget(N_LAYERS, 2)
        self.table.setHorizontalHeaderLabels([self.tr("股数"), self.tr("买入价")])
        self.table.setVerticalHeaderLabels([f"L{i}" for i in range(1, N_LAYERS + 1)])
        by_layer = {lot.layer: lot for lot in lots}
        for i in range(N_LAYERS):
            lot = by_layer.get(i + 1)
            self.table.setItem(i, 0, QTableWidgetItem(str(lot.shares) if lot else ""))
            self.table.setItem(i, 1, QTableWidgetItem(f"{lot.buy_price:.3f}" if lot else ""))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c1121f;")
        note = QLabel(self.tr("只在确认券商持仓后修改。修改写入决策日志，新的买入等待券商持仓核对一致。"))
        note.setWordWrap(True)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.result_lots: tuple[tuple[int, int, float], ...] = ()
        self.resize(360, 420)

    def _check(self) -> None:
        lots = []
        for i in range(N_LAYERS):
            shares_item, price_item = self.table.item(i, 0), self.table.item(i, 1)
            shares_text = (shares_item.text() if shares_item is not None else "").strip()
            price_text = (price_item.text() if price_item is not None else "").strip()
            if not shares_text and not price_text:
                continue
            try:
                shares, price = int(shares_text), float(price_text)
            except ValueError:
                self.error.setText(self.tr("L%1：股数须为整数，买入价须为数字").replace("%1", str(i + 1)))
                self.table.setCurrentCell(i, 0)
                return
            if shares <= 0 or not 0 < price < 10_000:
                self.error.setText(self.tr("L%1：股数与买入价须大于 0").replace("%1", str(i + 1)))
                self.table.setCurrentCell(i, 0)
                return
            lots.append((i + 1, shares, round(price, 3)))
        self.result_lots = tuple(lots)
        self.accept()


class PaperAccountDialog(QDialog):
    """Where the simulated account starts: the base position, or the broker's position and cash."""

    def __init__(self, base_shares: int | None, broker: tuple[int, float] | None, cash: float,
                 parent: QWidget | None = None) -> None:
        """``broker`` is the latest real ``(position, cash)`` snapshot (``None`` when there is none)."""
        super().__init__(parent)
        self.setObjectName("paper_account_dialog")
        self.setWindowTitle(self.tr("模拟账户起点"))
        intro = QLabel(self.tr("模拟盘要像实盘一样卖出当天买入的层（T+1 靠底仓），所以模拟账户从底仓开始。"
                               "请确认模拟账户的初始持仓与资金（之后可在设置中重置）。"))
        intro.setWordWrap(True)
        self.base_choice = QRadioButton(self.tr("配置的底仓：%1 股").replace(
            "%1", fm.shares(base_shares) if base_shares is not None else self.tr("未设置")))
        self.base_choice.setEnabled(base_shares is not None)
        held, money = (fm.shares(broker[0]), fm.money(broker[1])) if broker else ("—", "—")
        self.broker_choice = QRadioButton(
            self.tr("券商当前持仓与资金：%1 股，资金 %2").replace("%1", held).replace("%2", money))
        self.broker_choice.setEnabled(broker is not None)
        self.manual_choice = QRadioButton(self.tr("手动输入"))
        self.shares_spin = QSpinBox()
        self.shares_spin.setRange(0, 100_000_000)
        self.shares_spin.setSingleStep(100)
        self.shares_spin.setSuffix(self.tr(" 股"))
        self.cash_spin = QDoubleSpinBox()
        self.cash_spin.setRange(0, 1e10)
        self.cash_spin.setDecimals(2)
        self.cash_spin.setValue(cash)
        self._base, self._broker = base_shares, broker
        (self.base_choice if base_shares is not None else self.broker_choice if broker else
         self.manual_choice).setChecked(True)
        for choice in (self.base_choice, self.broker_choice, self.manual_choice):
            choice.toggled.connect(self._fill)
        self._fill()
        form = QFormLayout()
        form.addRow(self.tr("初始持仓"), self.shares_spin)
        form.addRow(self.tr("初始资金"), self.cash_spin)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.base_choice, self.broker_choice, self.manual_choice):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill(self) -> None:
        manual = self.manual_choice.isChecked()
        self.shares_spin.setEnabled(manual)
        self.cash_spin.setEnabled(manual or self.base_choice.isChecked())
        if self.base_choice.isChecked() and self._base is not None:
            self.shares_spin.setValue(self._base)
        elif self.broker_choice.isChecked() and self._broker is not None:
            self.shares_spin.setValue(self._broker[0])
            self.cash_spin.setValue(self._broker[1])

    def chosen(self) -> tuple[int, float]:
        """The confirmed ``(shares, cash)``."""
        return self.shares_spin.value(), self.cash_spin.value()
