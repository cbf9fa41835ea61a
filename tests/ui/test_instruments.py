"""Several ETFs in one window (issue 16): the instrument list steers the panels, start/stop per code and
for all, the halt stops every code, the portfolio line sums the codes and the pool.

Real engines in paper mode (the real executor in-process over simulated accounts, one per code), real
quote files per code, one shared capital pool.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from miniqmt_gui.live.events import LogEvent, ReconcileEvent, TradingState
from miniqmt_gui.strategy.params import DEFAULT_PRESET
from miniqmt_gui.strategy.pool import Pool
from miniqmt_gui.strategy.portfolio import Portfolio, make_instrument
from miniqmt_gui.ui.instrument_model import InstrumentRow, instrument_row, portfolio_totals
from miniqmt_gui.ui.layer_model import LayerState
from tests.ui.support import QuoteFeed
from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.files import quote_file_for
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import BookLot

FIRST, SECOND = "159201.SZ", "512890.SH"
CAPITAL, RESERVE = 400_000.0, 20_000.0


def _portfolio() -> Portfolio:
    # the second code trades the 159201 preset here: the synthetic bars are made for it
    instruments = (make_instrument(FIRST), make_instrument(SECOND, DEFAULT_PRESET))
    return Portfolio(instruments, Pool(CAPITAL, RESERVE))


@pytest.fixture
def second_feed(shared: Any, clock: Any) -> Iterator[QuoteFeed]:
    feed = QuoteFeed(shared, clock, code=SECOND, file_name=quote_file_for(SECOND))
    yield feed
    feed.stop()


@pytest.fixture
def two(make_window: Any) -> Any:
    risk = RiskLimits(code_whitelist=[FIRST, SECOND])
    return make_window(paper=True, base_shares=0, portfolio=_portfolio(), other_bases={SECOND: 0}, risk=risk)


def _row(window: Any, code: str) -> dict[str, Any]:
    model = window.instruments.model
    return next(r for r in model.rows() if r["code"] == code)


def test_the_list_shows_every_code_and_selects_what_the_panels_show(two, qtbot, feed, second_feed):
    window = two
    assert window.instruments is not None and window.instruments.isVisibleTo(window)
    assert [r["code"] for r in window.instruments.model.rows()] == [FIRST, SECOND]
    assert _row(window, SECOND)["name"] == "华泰柏瑞红利低波ETF"
    feed.write(price=1.010)
    second_feed.write(price=0.990)
    qtbot.waitUntil(lambda: _row(window, SECOND)["price"] == 0.990 and _row(window, FIRST)["price"] == 1.010,
                    timeout=5000)
    panel = window.live.quote_panel
    qtbot.waitUntil(lambda: panel.last_label.text() == "1.010", timeout=5000)
    assert FIRST in window.windowTitle()
    window.instruments.select(SECOND)
    assert window.selected == SECOND and window.controller is window.controllers[SECOND]
    assert panel.last_label.text() == "0.990" and SECOND in window.windowTitle()
    assert _row(window, SECOND)["state"].startswith("已停止")
    change = _row(window, SECOND)["change"]
    assert math.isclose(change, 0.990 / second_feed.quote().pre_close - 1, rel_tol=1e-9)


def test_start_stop_act_on_the_selected_code_all_on_both_and_halt_stops_all(two, qtbot, feed, second_feed):
    window = two
    window.instruments.select(SECOND)
    window.controls.action("start").trigger()
    second = window.controllers[SECOND]
    first = window.controllers[FIRST]
    qtbot.waitUntil(lambda: second.state is TradingState.RUNNING, timeout=5000)
    qtbot.wait(300)
    assert first.state is TradingState.STOPPED  # the other code was not touched
    window.controls.action("stop").trigger()
    qtbot.waitUntil(lambda: second.state is TradingState.STOPPED, timeout=5000)
    window.instruments.start_all.click()
    qtbot.waitUntil(lambda: first.state is TradingState.RUNNING and second.state is TradingState.RUNNING,
                    timeout=5000)
    window.instruments.stop_all.click()
    qtbot.waitUntil(lambda: first.state is TradingState.STOPPED and second.state is TradingState.STOPPED,
                    timeout=5000)
    window.instruments.start_all.click()
    qtbot.waitUntil(lambda: first.state is TradingState.RUNNING, timeout=5000)
    window.controls.action("halt").trigger()
    qtbot.waitUntil(lambda: first.state is TradingState.HALTED and second.state is TradingState.HALTED,
                    timeout=5000)
    qtbot.waitUntil(lambda: [_row(window, c)["state"] for c in (FIRST, SECOND)] == ["已熔断", "已熔断"],
                    timeout=5000)


def test_a_buy_of_one_code_shows_in_its_own_orders_and_the_pool_line(two, qtbot, feed, second_feed):
    window = two
    window.instruments.start_all.click()
    second = window.controllers[SECOND]
    qtbot.waitUntil(lambda: second.state is TradingState.RUNNING, timeout=5000)
    feed.write()
    second_feed.write()
    qtbot.waitUntil(lambda: second.view is not None and second.view.snapshot.book.last_buy_price > 0,
                    timeout=10_000)
    anchor = second.view.snapshot.book.last_buy_price
    second_feed.start(interval_s=0.15)
    second_feed.price = round(anchor * 0.98, 3)  # far below the second code's trigger: it buys a layer
    qtbot.waitUntil(lambda: _row(window, SECOND)["layers"] == 1, timeout=15_000)
    assert window.controllers[FIRST].view.snapshot.book.positions == []
    # the first code is on show: its orders are empty, the chart shows no fill
    chart = window.live.chart
    assert window.live.orders.model.rowCount() == 0
    qtbot.wait(400)
    assert len(chart.fill_buys.data) == 0 and window.live.layers.model.row(1).state is LayerState.EMPTY
    window.instruments.select(SECOND)
    qtbot.waitUntil(lambda: window.live.orders.model.rowCount() == 1, timeout=5000)
    assert window.live.orders.model.rows()[0]["direction"] == "BUY"
    qtbot.waitUntil(lambda: window.live.layers.model.row(1).state is LayerState.HELD, timeout=5000)
    qtbot.waitUntil(lambda: len(chart.fill_buys.data) == 1, timeout=5000)
    window.instruments.select(FIRST)
    assert window.live.orders.model.rowCount() == 0
    assert window.live.layers.model.row(1).state is LayerState.EMPTY
    qtbot.waitUntil(lambda: len(chart.fill_buys.data) == 0, timeout=5000)
    # each code's simulated account in its own folder (one paper executor journal per code)
    folders = {c.settings.paper_dir for c in window.controllers.values()}
    assert len(folders) == 2 and all((f / "executor").is_dir() for f in folders)

    def pool_line_matches_the_book() -> bool:
        free = CAPITAL - sum(lot.cost for lot in window.views[SECOND].snapshot.book.positions)
        text = window.instruments.totals.text()
        return f"可用 {free:,.0f}" in text and f"保留 {RESERVE:,.0f}" in text

    qtbot.waitUntil(pool_line_matches_the_book, timeout=5000)
    assert window.views[SECOND].snapshot.book.positions[0].cost > 0
    assert any(SECOND in title for title, _ in window.notifier.sent if title.startswith("成交"))


def test_totals_sum_the_rows_and_the_pool_frees_what_lots_do_not_hold() -> None:
    rows = [InstrumentRow("159201.SZ", "", 1.0, 0.01, 2, 20_000.0, 20_400.0, 150.0),
            InstrumentRow("512890.SH", "", math.nan, math.nan, 0, 0.0, math.nan, math.nan),
            instrument_row("512890.SH", None)]
    totals = portfolio_totals(rows, 100_000.0, 10_000.0)
    assert (totals.cost, totals.value, totals.pnl) == (20_000.0, 20_400.0, 150.0)
    assert totals.free_cash == 80_000.0 and totals.utilisation == 0.2
    assert rows[2].name == "华泰柏瑞红利低波ETF" and rows[2].state is None


def test_a_pending_sell_frees_no_pool_cash_until_its_result() -> None:
    """As the engines' pool (tests/portfolio/test_live_pool.py): the sold lots' cost stays tied up."""
    rows = [InstrumentRow("159201.SZ", "", 1.0, 0.0, 0, 0.0, 0.0, 0.0, pool_cost=20_000.0)]
    totals = portfolio_totals(rows, 100_000.0, 10_000.0)
    assert totals.cost == 0.0 and totals.free_cash == 80_000.0 and totals.utilisation == 0.2


def test_one_code_keeps_the_v1_window_without_a_list(make_window) -> None:
    window = make_window()
    assert window.instruments is None and list(window.controllers) == [FIRST]


def test_every_codes_events_reach_the_alerts_once_with_their_code(make_window, two) -> None:
    import logging

    from windows_bridge.contract.market_hours import now_shanghai

    for window, codes in ((make_window(), [FIRST]), (two, [FIRST, SECOND])):
        calls: list[Any] = []
        window.day.on_event = lambda event, code=None, calls=calls: calls.append(code)
        for controller in window.controllers.values():
            controller.eventReceived.emit(LogEvent(logging.INFO, "x", now_shanghai()))
        assert calls == codes  # one call per event, each with its own code (push alerts per code)


def _spy(window: Any) -> list[tuple[str, str, Any]]:
    calls: list[tuple[str, str, Any]] = []
    for code, c in window.controllers.items():
        c.manual = lambda name, arg=None, code=code: calls.append((code, name, arg))
        real = c.command
        c.command = lambda name, code=code, real=real: (calls.append((code, name, None)), real(name))
    return calls


def test_a_manual_sell_goes_to_the_code_it_was_asked_for(two, qtbot) -> None:
    window = two
    calls = _spy(window)
    first = window.controllers[FIRST]
    lot = BookLot(layer=1, shares=1000, buy_price=1.0, cost=1000.0, time=now_shanghai())
    view = first.view
    book = view.snapshot.book.model_copy(update={"positions": [lot]})
    first.view = replace(view, snapshot=replace(view.snapshot, book=book))
    window.live.layers.selected_layer = lambda: 1

    def confirm(title: str, text: str) -> bool:
        window.instruments.select(SECOND)  # the selection changes while the question is open
        return True

    window.confirm = confirm
    window.manual("sell")
    assert calls == [(FIRST, "sell", 1)]


def test_a_reconcile_dialog_answers_for_its_own_code(two) -> None:
    window = two
    calls = _spy(window)
    window.controllers[FIRST].eventReceived.emit(ReconcileEvent(1111, 0, 0, 1.0))
    window.controllers[SECOND].eventReceived.emit(ReconcileEvent(2222, 0, 0, 1.0))
    assert window.selected == FIRST  # nothing switched the panels behind the trader's back
    assert set(window.book_dialogs) == {FIRST, SECOND}
    second = window.book_dialogs[SECOND]
    assert SECOND in second.windowTitle() and "2,222" in second.label.text()
    second._adopt()  # answered while FIRST is on show
    assert calls == [(SECOND, "adopt", None)]
    window._banner_action("reconcile")  # the banner of the code on show opens that code's figures
    assert "1,111" in window.book_dialogs[FIRST].label.text()


def test_resume_returns_each_code_to_its_state_before_the_halt(two, qtbot) -> None:
    window = two
    calls = _spy(window)
    first, second = window.controllers[FIRST], window.controllers[SECOND]
    window.controls.action("start").trigger()  # the first code only
    qtbot.waitUntil(lambda: first.state is TradingState.RUNNING, timeout=5000)
    window.controls.action("halt").trigger()
    assert {(code, name) for code, name, _ in calls if name == "halt"} == {(FIRST, "halt"), (SECOND, "halt")}
    qtbot.waitUntil(lambda: first.state is TradingState.HALTED and second.state is TradingState.HALTED,
                    timeout=5000)
    window.resume()
    qtbot.waitUntil(lambda: first.state is TradingState.RUNNING, timeout=5000)
    qtbot.waitUntil(lambda: second.state is TradingState.STOPPED, timeout=5000)
    qtbot.wait(300)
    assert second.state is TradingState.STOPPED  # the code the trader had stopped is not started


def test_the_params_dialog_edits_the_selected_codes_parameters(two, monkeypatch) -> None:
    from miniqmt_gui.ui import main_window as mw

    window = two
    first_params, first_preset = window.params, window.config.preset
    window.instruments.select(SECOND)
    seen: dict[str, Any] = {}

    class Dialog:
        def __init__(self, params: Any, preset: str, parent: Any) -> None:
            seen["params"], seen["preset"] = params, preset

        def windowTitle(self) -> str:
            return ""

        def setWindowTitle(self, title: str) -> None:
            seen["title"] = title

        def exec(self) -> bool:
            window.instruments.select(FIRST)  # switching while the dialog is open changes nothing
            return True

        def result_params(self) -> Any:
            return replace(seen["params"], atr_factor=0.31)

        def preset(self) -> str:
            return "mine"

    monkeypatch.setattr(mw, "ParamsDialog", Dialog)
    window.edit_params()
    assert seen["params"] is not first_params and SECOND in seen["title"]
    assert window.controllers[SECOND].params.atr_factor == 0.31 and window.presets[SECOND] == "mine"
    assert window.params is first_params and window.config.preset == first_preset  # the first code's stay
    assert window.controllers[FIRST].params is first_params


def test_a_broken_portfolio_config_is_reported_and_never_overwritten(tmp_path, monkeypatch) -> None:
    from miniqmt_gui.ui.app_config import load_config, save_config
    from windows_bridge.contract.config import ConfigError

    path = tmp_path / "config.toml"
    text = (f'shared_dir = "{tmp_path / "share"}"\nbase_shares = 300000\ncodes = ["{FIRST}", "{SECOND}"]\n'
            f'[app]\npresets = {{ "{SECOND}" = "no such preset" }}\n')
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MINIQMT_CONFIG", str(path))
    config = load_config()
    assert "no such preset" in config.problem
    with pytest.raises(ConfigError, match="nothing was written"):
        save_config(config)
    assert path.read_text(encoding="utf-8") == text


def test_the_first_codes_base_is_read_and_written_where_every_reader_looks(tmp_path, monkeypatch) -> None:
    from miniqmt_gui.ui.app_config import load_config, save_config
    from windows_bridge.contract.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text(f'shared_dir = "{tmp_path}"\ncodes = ["{FIRST}", "{SECOND}"]\n'
                    f'[base_shares_by_code]\n"{FIRST}" = 300000\n"{SECOND}" = 200000\n', encoding="utf-8")
    monkeypatch.setenv("MINIQMT_CONFIG", str(path))
    config = load_config()
    assert config.base_shares == 300_000 and config.other_bases == {SECOND: 200_000}
    config.base_shares, config.other_bases = 310_000, {SECOND: 250_000}
    save_config(config)
    settings = load_settings(path, {})
    assert settings.base_shares_for(FIRST) == 310_000 and settings.base_shares_for(SECOND) == 250_000


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)])
def test_the_list_fits_beside_everything_else(two, qtbot, size) -> None:
    from PySide6.QtGui import QFontDatabase

    if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        pytest.skip("no Chinese font (Debian: fonts-noto-cjk): the Chinese layout cannot be measured")
    window = two
    window.resize(*size)
    qtbot.wait(200)
    assert window.width() <= size[0] and window.height() <= size[1]
    view = window.instruments.view
    assert view.horizontalScrollBar().maximum() == 0 and view.verticalScrollBar().maximum() == 0
    table = window.live.layers.table
    last = table.visualRect(window.live.layers.model.index(9, 0))  # the layer book's 合计 row
    assert last.isValid() and last.bottom() <= table.viewport().height()
    assert window.live.chart_stack.height() >= 180
    left = window.live.left_scroll
    for panel in (window.live.quote_panel, window.live.account, window.live.pnl):  # as with one code
        bottom = panel.mapTo(left.widget(), panel.rect().bottomLeft()).y()
        assert bottom <= left.viewport().height(), panel.objectName()
