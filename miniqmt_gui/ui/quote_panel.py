"""Quote panel: last price, change vs previous close, five bid/ask levels, volume, quote time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from miniqmt_gui.ui import formatting as fm
from windows_bridge.contract.market_hours import as_shanghai
from windows_bridge.contract.messages import SharedQuote

LEVELS = 5


def _label(bold: bool = False, align_right: bool = True) -> QLabel:
    label = QLabel("—")
    if align_right:
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        label.setStyleSheet("font-weight: bold;")
    return label


class QuotePanel(QGroupBox):
    """Shows the latest :class:`SharedQuote`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty panel ("—" everywhere) until the first quote."""
        super().__init__(self.tr("行情"), parent)
        self.code_label = QLabel("—")
        self.code_label.setStyleSheet("font-size: 13px; color: #555;")
        self.last_label = QLabel("—")
        self.last_label.setObjectName("quote_last")
        self.last_label.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.change_label = QLabel("—")
        self.change_label.setObjectName("quote_change")
        self.time_label = QLabel("—")
        self.volume_label = QLabel("—")
        layout = QVBoxLayout(self)
        layout.addWidget(self.code_label)
        layout.addWidget(self.last_label)
        layout.addWidget(self.change_label)
        layout.addLayout(self._book_grid())
        info = QGridLayout()
        info.addWidget(QLabel(self.tr("成交量")), 0, 0)
        info.addWidget(self.volume_label, 0, 1)
        info.addWidget(QLabel(self.tr("行情时间")), 1, 0)
        info.addWidget(self.time_label, 1, 1)
        layout.addLayout(info)
        layout.addStretch(1)

    def _book_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setVerticalSpacing(1)
        self.ask_prices, self.ask_vols, self.bid_prices, self.bid_vols = [], [], [], []
        for i in range(LEVELS):
            row = LEVELS - 1 - i
            grid.addWidget(QLabel(self.tr("卖") + str(i + 1)), row, 0)
            self.ask_prices.append(_label(bold=True))
            self.ask_vols.append(_label())
            grid.addWidget(self.ask_prices[-1], row, 1)
            grid.addWidget(self.ask_vols[-1], row, 2)
        for i in range(LEVELS):
            row = LEVELS + 1 + i
            grid.addWidget(QLabel(self.tr("买") + str(i + 1)), row, 0)
            self.bid_prices.append(_label(bold=True))
            self.bid_vols.append(_label())
            grid.addWidget(self.bid_prices[-1], row, 1)
            grid.addWidget(self.bid_vols[-1], row, 2)
        line = QLabel()
        line.setFixedHeight(1)
        line.setStyleSheet("background: #bbb;")
        grid.addWidget(line, LEVELS, 0, 1, 3)
        return grid

    def show_quote(self, quote: SharedQuote | None) -> None:
        """Display ``quote`` (``None`` clears the panel)."""
        if quote is None:
            self.last_label.setText("—")
            return
        self.code_label.setText(quote.code)
        change = quote.price - quote.pre_close if quote.pre_close > 0 else float("nan")
        color = fm.signed_color(change)
        self.last_label.setText(fm.price(quote.price))
        self.last_label.setStyleSheet(f"font-size: 26px; font-weight: bold; color: {color};")
        if change == change:
            pct = change / quote.pre_close * 100
            pre = self.tr("昨收") + f" {quote.pre_close:.3f}"
            self.change_label.setText(f"{change:+.3f}  ({pct:+.2f} %)  " + pre)
        else:
            self.change_label.setText(self.tr("昨收未知"))
        self.change_label.setStyleSheet(f"color: {color};")
        self._fill_side(self.ask_prices, self.ask_vols, quote.ask_price, quote.ask_vol, quote.pre_close)
        self._fill_side(self.bid_prices, self.bid_vols, quote.bid_price, quote.bid_vol, quote.pre_close)
        self.volume_label.setText(fm.big_number(quote.volume))
        self.time_label.setText(as_shanghai(quote.time).strftime("%Y-%m-%d %H:%M:%S"))

    @staticmethod
    def _fill_side(prices: list[QLabel], vols: list[QLabel], values: list[float], volumes: list[float],
                   pre_close: float) -> None:
        for i, (p_label, v_label) in enumerate(zip(prices, vols, strict=True)):
            p = values[i] if i < len(values) else 0.0
            v = volumes[i] if i < len(volumes) else 0.0
            p_label.setText(fm.price(p))
            color = fm.signed_color(p - pre_close) if p > 0 and pre_close > 0 else fm.FLAT
            p_label.setStyleSheet(f"font-weight: bold; color: {color};")
            v_label.setText(fm.big_number(v) if p > 0 else "")
