"""The phone view: a real HTTP client against the server running on qasync's loop inside Qt."""

from __future__ import annotations

import math
from datetime import datetime

import aiohttp
import pytest
import qasync

from miniqmt_gui.live.events import EngineSnapshot, EngineStatus, ResultEvent, SignalEvent, TradingState
from miniqmt_gui.ui.live_model import Health, LiveView
from miniqmt_gui.ui.phone_view import PhoneFeed, PhoneServer, new_token, page_url
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import (
    BookLot,
    BrokerPosition,
    DashboardState,
    OrderResult,
    OrderSignal,
    ResultStatus,
    SharedQuote,
)

T = datetime(2026, 2, 24, 10, 30, tzinfo=SHANGHAI)
CODE = "159201.SZ"


def sample_feed() -> PhoneFeed:
    """A frame with two held layers and one order filled today."""
    lots = [
        BookLot(layer=1, shares=10_000, buy_price=1.000, cost=10_001.0, time=T),
        BookLot(layer=2, shares=6_000, buy_price=0.990, cost=5_940.6, time=T),
    ]
    book = DashboardState(code=CODE, positions=lots, hold_layers=2, total_cost=15_941.6, last_buy_price=0.990)
    quote = SharedQuote(
        code=CODE,
        time=T,
        price=1.004,
        pre_close=0.998,
        seq=7,
        heartbeat=T,
        positions_status="ok",
        position=BrokerPosition(volume=316_000),
    )
    status = EngineStatus(
        state=TradingState.RUNNING, reason_key="why_user", reason="运行中", headline="运行中"
    )
    feed = PhoneFeed()
    feed.on_view(
        LiveView(
            snapshot=EngineSnapshot(book=book, status=status, quote=quote),
            health=Health(bridge_age_s=2.0, executor_age_s=3.0, executor_alive=True, connected=True),
            now=T,
        )
    )
    signal = OrderSignal(
        signal_id=f"BUY_{CODE}_L2_0000000b",
        code=CODE,
        direction="BUY",
        price=0.990,
        shares=10_000,
        timestamp=T,
        layer=2,
    )
    feed.on_event(SignalEvent(signal, "grid"))
    feed.on_event(
        ResultEvent(
            OrderResult(
                signal_id=signal.signal_id,
                status=ResultStatus.PARTIALLY_FILLED,
                direction="BUY",
                requested_shares=10_000,
                filled_shares=6_000,
                avg_price=0.990,
                timestamp=T,
            ),
            "applied",
        )
    )
    return feed


@pytest.fixture
def loop(qapp):
    """asyncio inside the Qt event loop, as the app runs it."""
    event_loop = qasync.QEventLoop(qapp)
    yield event_loop
    event_loop.run_until_complete(event_loop.shutdown_default_executor())
    event_loop.close()


def test_page_and_state_with_a_real_client(loop):
    token = new_token()
    server = PhoneServer(sample_feed(), token, host="127.0.0.1", port=0)

    async def scenario() -> dict:
        port = await server.start()
        base = f"http://127.0.0.1:{port}"
        got: dict = {}
        try:
            async with aiohttp.ClientSession() as http:
                for path in ("/", "/api/state", f"/api/state?t={token[:-1]}x"):
                    async with http.get(base + path) as r:
                        got[path] = r.status
                async with http.get(page_url("127.0.0.1", port, token)) as r:
                    got["page"] = (r.status, await r.text(), r.headers.get("Cache-Control"))
                async with http.get(f"{base}/api/state?t={token}") as r:
                    got["state"] = await r.json()
                async with http.post(f"{base}/api/state?t={token}", data=b"halt") as r:
                    got["post"] = r.status
        finally:
            await server.stop()
        return got

    got = loop.run_until_complete(scenario())
    assert got["/"] == 401 and got["/api/state"] == 401 and got[f"/api/state?t={token[:-1]}x"] == 401
    status, html, cache = got["page"]
    assert status == 200 and "今日委托" in html and "/api/state" in html and cache == "no-store"
    state = got["state"]
    assert state["quote"]["price"] == 1.004 and state["quote"]["change_pct"] == pytest.approx(
        0.6012, abs=1e-3
    )
    assert state["layers"]["held"] == 2 and [lot["pnl"] for lot in state["layers"]["lots"]] == [40.0, 84.0]
    assert state["pnl"]["floating"] == 124.0 and state["links"]["executor_alive"] is True
    assert state["orders"][0]["status"] == "partially_filled" and state["orders"][0]["filled"] == 6_000
    assert got["post"] == 405  # no control actions: GET only
    assert not server.running


def test_outside_the_lan_is_refused(loop):
    token = new_token()
    server = PhoneServer(sample_feed(), token, host="127.0.0.1", port=0, peer_allowed=lambda peer: False)

    async def scenario() -> int:
        port = await server.start()
        try:
            async with aiohttp.ClientSession() as http, http.get(page_url("127.0.0.1", port, token)) as r:
                return r.status
        finally:
            await server.stop()

    assert loop.run_until_complete(scenario()) == 403


def test_tokens_and_peers():
    from miniqmt_gui.ui.phone_view import _allowed_peer

    with pytest.raises(ValueError):
        PhoneServer(PhoneFeed(), "short")
    assert len(new_token()) >= 16 and new_token() != new_token()
    assert _allowed_peer("192.168.1.20") and _allowed_peer("127.0.0.1") and _allowed_peer("10.0.0.5")
    assert not _allowed_peer("8.8.8.8") and not _allowed_peer(None) and not _allowed_peer("junk")
    assert PhoneFeed().state() == {"ready": False, "orders": []}
    assert not math.isnan(sample_feed().state()["layers"]["anchor"])
