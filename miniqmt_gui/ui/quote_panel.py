"""Quote panel: last price and change, five bid/ask levels, the day's open/high/low, volume (shares)
and turnover, the daily limits, IOPV and premium (when the bridge reads them), quote time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from miniqmt_gui.ui import formatting as fm
from miniqmt_gui.ui.restyle import set_style
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
        self.code_label.setStyleSheet("color: #555;")
        self.last_label = QLabel("—")
        self.last_label.setObjectName("quote_last")
        self.last_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.change_label = QLabel("—")
        self.change_label.setObjectName("quote_change")
        self.time_label = QLabel("—")
        self.time_label.setStyleSheet("color: #555;")
        head = QGridLayout()
        head.addWidget(self.last_label, 0, 0)
        head.addWidget(self.code_label, 0, 1, alignment=Qt.AlignmentFlag.AlignRight)
        head.addWidget(self.change_label, 1, 0)
        head.addWidget(self.time_label, 1, 1, alignment=Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addLayout(self._book_grid())
        layout.addLayout(self._fields_grid())

    def _book_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setVerticalSpacing(0)
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

    def _fields_grid(self) -> QGridLayout:
        names = [("open", self.tr("今开")), ("high", self.tr("最高")), ("low", self.tr("最低")),
                 ("pre_close", self.tr("昨收")), ("volume", self.tr("成交量")),
                 ("amount", self.tr("成交额")), ("up_stop", self.tr("涨停")),
                 ("down_stop", self.tr("跌停")), ("iopv", self.tr("IOPV")), ("premium", self.tr("溢价率"))]
        grid = QGridLayout()
        grid.setVerticalSpacing(0)
        grid.setHorizontalSpacing(4)
        self.fields: dict[str, QLabel] = {}
        self.field_names: dict[str, QLabel] = {}
        for n, (key, text) in enumerate(names):
            row, col = divmod(n, 2)
            name = QLabel(text)
            name.setStyleSheet("color: #555;")
            self.field_names[key] = name
            grid.addWidget(name, row, col * 2)
            self.fields[key] = _label()
            self.fields[key].setMinimumWidth(self.fields[key].fontMetrics().horizontalAdvance("9999.9万元"))
            grid.addWidget(self.fields[key], row, col * 2 + 1)
        self.volume_label = self.fields["volume"]
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
        set_style(self.last_label, f"font-size: 22px; font-weight: bold; color: {color};")
        if change == change:
            pct = change / quote.pre_close * 100
            self.change_label.setText(f"{change:+.3f}  ({pct:+.2f} %)")
        else:
            self.change_label.setText(self.tr("昨收未知"))
        set_style(self.change_label, f"color: {color};")
        self._fill_side(self.ask_prices, self.ask_vols, quote.ask_price, quote.ask_vol, quote.pre_close)
        self._fill_side(self.bid_prices, self.bid_vols, quote.bid_price, quote.bid_vol, quote.pre_close)
        self._fill_fields(quote)
        self.time_label.setText(as_shanghai(quote.time).strftime("%Y-%m-%d %H:%M:%S"))
        self.time_label.setToolTip(self.tr("行情时间"))

    def _fill_fields(self, quote: SharedQuote) -> None:
        f = self.fields
        for key in ("open", "high", "low", "pre_close"):
            value = float(getattr(quote, key))
            f[key].setText(fm.price(value))
            if key != "pre_close":
                color = fm.signed_color(value - quote.pre_close) if value else fm.FLAT
                set_style(f[key], f"color: {color};")
        f["volume"].setText(fm.big_number(quote.volume) + self.tr("股"))
        f["amount"].setText(fm.big_number(quote.amount) + self.tr("元") if quote.amount else "—")
        f["up_stop"].setText(fm.price(quote.up_stop_price))
        set_style(f["up_stop"], f"color: {fm.UP};")
        f["down_stop"].setText(fm.price(quote.down_stop_price))
        set_style(f["down_stop"], f"color: {fm.DOWN};")
        known = quote.iopv > 0  # IOPV and premium only when the bridge reads them
        for key in ("iopv", "premium"):
            f[key].setVisible(known)
            self.field_names[key].setVisible(known)
        if known:
            premium = (quote.price / quote.iopv - 1) * 100
            f["iopv"].setText(f"{quote.iopv:.4f}")
            f["premium"].setText(f"{premium:+.2f}%")
            set_style(f["premium"], f"color: {fm.signed_color(premium)};")

    @staticmethod
    def _fill_side(prices: list[QLabel], vols: list[QLabel], values: list[float], volumes: list[float],
                   pre_close: float) -> None:
        for i, (p_label, v_label) in enumerate(zip(prices, vols, strict=True)):
            p = values[i] if i < len(values) else 0.0
            v = volumes[i] if i < len(volumes) else 0.0
            p_label.setText(fm.price(p))
            color = fm.signed_color(p - pre_close) if p > 0 and pre_close > 0 else fm.FLAT
            set_style(p_label, f"font-weight: bold; color: {color};")
            v_label.setText(fm.big_number(v) if p > 0 else "")
