"""The phone view: a read-only web page served by the desktop app on the LAN, token-protected.

An aiohttp server on the app's asyncio loop (qasync runs asyncio inside the Qt event loop, see
``app.run_gui``), off by default. ``/`` is a small self-refreshing page, ``/api/state`` the JSON it
polls: quote, layers, P&L, today's orders and link health, from the same engine frames and events
the window shows (:class:`PhoneFeed`). There are no control actions: the server has GET routes
only. Every request needs the token (``?t=…``, compared in constant time); requests from outside
the private/loopback address ranges are refused, so a port forwarded to the internet by mistake
still shows nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import math
import secrets
import socket
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from miniqmt_gui.live.events import EngineEvent, ResultEvent, SignalEvent
from miniqmt_gui.ui.app_config import DEFAULT_PORT
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.phone_page import PAGE
from windows_bridge.contract.market_hours import SHANGHAI

MAX_ORDERS = 50


def new_token() -> str:
    """A fresh URL-safe token (128 bits)."""
    return secrets.token_urlsafe(16)


def lan_address() -> str:
    """This machine's LAN address (the one a phone on the same Wi-Fi reaches), or 127.0.0.1."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for a UDP connect
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def page_url(host: str, port: int, token: str) -> str:
    """The address to open on the phone (the QR code's content)."""
    return f"http://{host}:{port}/?t={token}"


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


@dataclass
class PhoneFeed:
    """The latest engine frame and today's orders, fed on the GUI thread (read by the server)."""

    view: LiveView | None = None
    orders: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_ORDERS))

    def on_view(self, view: LiveView) -> None:
        """A new frame."""
        self.view = view

    def on_event(self, event: EngineEvent) -> None:
        """Keep today's signals and results as order lines."""
        if isinstance(event, SignalEvent):
            s = event.signal
            self.orders.appendleft(
                {
                    "id": s.signal_id,
                    "time": s.timestamp.astimezone(SHANGHAI).strftime("%H:%M:%S"),
                    "side": s.direction,
                    "layer": s.layer,
                    "shares": s.shares,
                    "price": s.price,
                    "status": "sent",
                    "filled": 0,
                    "avg": None,
                }
            )
        elif isinstance(event, ResultEvent):
            r = event.result
            for line in self.orders:
                if line["id"] == r.signal_id:
                    line.update(status=r.status.value, filled=r.filled_shares, avg=_num(r.avg_price) or None)
                    break

    def state(self) -> dict[str, Any]:
        """What ``/api/state`` answers."""
        view = self.view
        if view is None:
            return {"ready": False, "orders": list(self.orders)}
        snap, health = view.snapshot, view.health
        q, book, status = snap.quote, snap.book, snap.status
        price = q.price if q is not None else None
        lots = [
            {
                "layer": lot.layer,
                "shares": lot.shares,
                "buy_price": lot.buy_price,
                "pnl": None if price is None else round((price - lot.buy_price) * lot.shares, 2),
            }
            for lot in book.positions
        ]
        return {
            "ready": True,
            "now": (view.now or datetime.now(SHANGHAI)).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            "code": book.code,
            "paper": status.paper,
            "state": status.state.value,
            "headline": status.headline,
            "stale": status.stale,
            "closed": "closed" in status.blockers,
            "quote": None
            if q is None
            else {
                "price": q.price,
                "pre_close": q.pre_close,
                "time": q.time.astimezone(SHANGHAI).strftime("%H:%M:%S"),
                "change_pct": _num((q.price / q.pre_close - 1) * 100) if q.pre_close else None,
            },
            "layers": {
                "held": book.hold_layers,
                "lots": lots,
                "anchor": _num(book.last_buy_price),
                "next_buy": _num(view.levels.next_buy),
            },
            "pnl": {
                "floating": round(sum(lot["pnl"] or 0.0 for lot in lots), 2) if price is not None else None,
                "cost": round(book.total_cost, 2),
            },
            "links": {
                "bridge_age_s": _num(health.bridge_age_s),
                "executor_age_s": _num(health.executor_age_s),
                "executor_alive": health.executor_alive,
                "connected": health.connected,
            },
            "orders": list(self.orders),
        }


def _allowed_peer(peer: str | None) -> bool:
    if not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


class PhoneServer:
    """Start/stop the read-only server on the running asyncio loop."""

    def __init__(
        self,
        feed: PhoneFeed,
        token: str,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        peer_allowed: Callable[[str | None], bool] = _allowed_peer,
    ) -> None:
        """Serve ``feed`` to holders of ``token`` on ``host:port`` (``port`` 0 = any free one)."""
        if len(token) < 16:
            raise ValueError("the phone view token must have at least 16 characters")
        self.feed, self.token, self.host, self.port = feed, token, host, port
        self._peer_allowed = peer_allowed
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Future[None] | None = None

    @property
    def running(self) -> bool:
        """True while the server listens."""
        return self._runner is not None

    def app(self) -> web.Application:
        """The aiohttp application (GET routes only)."""
        application = web.Application(middlewares=[self._guard])
        application.router.add_get("/", self._page)
        application.router.add_get("/api/state", self._state)
        return application

    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        if not self._peer_allowed(request.remote):
            raise web.HTTPForbidden(text="LAN only")
        given = request.query.get("t", "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPUnauthorized(text="token required")
        response = await handler(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def _page(self, request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html", charset="utf-8")

    async def _state(self, request: web.Request) -> web.Response:
        return web.Response(
            text=json.dumps(self.feed.state(), ensure_ascii=False),
            content_type="application/json",
            charset="utf-8",
        )

    async def start(self) -> int:
        """Listen; returns the port (useful with ``port=0``)."""
        if self._runner is not None:
            return self.port
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        """Stop listening (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    def stop_soon(self) -> None:
        """Schedule :meth:`stop` on the running loop (from Qt code)."""
        if self._runner is not None:
            self._stopping = asyncio.ensure_future(self.stop())
