"""The window's services around the strategy: push alerts, the phone view and the daily report.

:class:`DayServices` reads what the window reads (engine frames and events, on the GUI thread) and
only hands work on: alerts go to the push sender's own thread, the phone view serves from the
asyncio loop that qasync runs inside Qt, reconciliation runs on a plain Python thread and reports
back through a queued Qt signal. Nothing here can hold up the engine or the window. After the close
on a trading day, once the bridge's trades export for today is there, the day is reconciled once
and its report is pushed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import date
from datetime import time as dtime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from miniqmt_gui.alerts import secrets
from miniqmt_gui.alerts.rules import AlertRules, report_alert
from miniqmt_gui.alerts.sender import PushSender
from miniqmt_gui.live.events import EngineEvent
from miniqmt_gui.ui.app_config import AppConfig
from miniqmt_gui.ui.live_model import LiveView
from miniqmt_gui.ui.phone_view import PhoneFeed, PhoneServer, lan_address, new_token, page_url
from windows_bridge.contract.files import TRADES_DIR
from windows_bridge.contract.market_hours import in_market_hours, is_trading_day, now_shanghai
from windows_bridge.contract.trades_export import trades_export_name

log = logging.getLogger(__name__)
REPORT_AFTER = dtime(15, 10)
HEALTH_EVERY_S = 10.0


def phone_token() -> str:
    """The phone view's token from the keyring, made (and stored) on first use."""
    token = secrets.get_secret(secrets.PHONE_TOKEN_KEY)
    if len(token) < 16:
        token = new_token()
        secrets.set_secret(secrets.PHONE_TOKEN_KEY, token)
    return token


class DayServices(QObject):
    """Push alerts, phone view, daily report; see the module doc."""

    reconciled = Signal(object, object)  # (Reconciliation | None, DailyReport | str error)
    phoneChanged = Signal(str)  # the phone view's address, "" when off, or an error text

    def __init__(self, config: AppConfig, engine_settings: Any, parent: QObject | None = None) -> None:
        """Build the sender and the feed; call :meth:`apply` to start what ``config`` switches on."""
        super().__init__(parent)
        self.config, self.engine_settings = config, engine_settings
        self.feed = PhoneFeed()
        self.rules = AlertRules(engine_settings.code, config.lang)
        #: a portfolio's other codes: their own edge-triggered rules (the phone view shows the first code)
        self.code_rules: dict[str, AlertRules] = {}
        self.pusher = PushSender(secrets.load_urls(), enabled_kinds=config.push_kinds,
                                 per_minute=config.push_per_minute)
        self.pusher.start()
        self.phone: PhoneServer | None = None
        #: the asyncio loop running inside Qt (qasync), set by ``app.run_gui``; the phone view needs it
        self.loop: asyncio.AbstractEventLoop | None = None
        self.phone_url = ""
        self._reported: date | None = None
        self._last_health = -1e18
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self._after_close)
        self._timer.start()
        self.reconciled.connect(self._on_reconciled)

    # ------------------------------------------------------------------ fed by the window

    def on_view(self, view: LiveView) -> None:
        """A new engine frame: the phone view's data; link alerts every few seconds."""
        self.feed.on_view(view)
        mono = time.monotonic()
        if mono - self._last_health < HEALTH_EVERY_S:
            return
        self._last_health = mono
        now = view.now or now_shanghai()
        health = view.health
        for alert in self.rules.on_health(health.bridge_age_s, health.executor_alive,
                                          view.snapshot.status.paper, in_market_hours(now)):
            self.pusher.push(alert)

    def on_event(self, event: EngineEvent, code: str | None = None) -> None:
        """An engine event of ``code`` (default: the first code): orders for the phone view (first code
        only), alerts for the push sender (every code; 熔断 once — STOP is shared by all codes)."""
        if code is None or code == self.rules.code:
            self.feed.on_event(event)
            alerts = self.rules.on_event(event)
        else:
            rules = self.code_rules.setdefault(code, AlertRules(code, self.rules.lang))
            alerts = [a for a in rules.on_event(event) if a.kind != "halted"]
        for alert in alerts:
            self.pusher.push(alert)

    # ------------------------------------------------------------------ settings

    def apply(self, config: AppConfig, engine_settings: Any) -> None:
        """Use new settings: push kinds and limits, URLs from the keyring, phone view on/off."""
        self.config, self.engine_settings = config, engine_settings
        self.rules.code, self.rules.lang = engine_settings.code, config.lang
        for rules in self.code_rules.values():
            rules.lang = config.lang
        self.pusher.urls = secrets.load_urls()
        self.pusher.enabled_kinds = set(config.push_kinds)
        self.pusher.per_minute = config.push_per_minute
        self._phone(config)

    def _phone(self, config: AppConfig) -> None:
        wanted = config.phone_enabled
        server = self.phone
        if server is not None and (not wanted or server.port != config.phone_port):
            server.stop_soon()
            self.phone, self.phone_url = None, ""
            self.phoneChanged.emit("")
        if wanted and self.phone is None:
            self._start_phone(config.phone_port)

    def _start_phone(self, port: int) -> None:
        loop = self.loop
        if loop is None:  # no asyncio loop inside Qt (tests, a window built without run_gui)
            self.phoneChanged.emit("no asyncio loop")
            return
        server = PhoneServer(self.feed, phone_token(), host="0.0.0.0", port=port)
        self.phone = server

        async def start() -> None:
            try:
                await server.start()
            except OSError as exc:
                self.phone = None
                self.phoneChanged.emit(f"error: {exc}")
                return
            self.phone_url = page_url(lan_address(), server.port, server.token)
            self.phoneChanged.emit(self.phone_url)

        self._start_task = loop.create_task(start())

    # ------------------------------------------------------------------ daily report

    def reconcile_now(self, day: date | None = None) -> None:
        """Reconcile ``day`` (today) on a background thread; ``reconciled`` answers."""
        settings, target = self.engine_settings, day or now_shanghai().date()

        def work() -> None:
            from miniqmt_gui.daily.run import reconcile_day

            try:
                rec, report = reconcile_day(settings, target)
            except Exception as exc:  # the window shows it; the engine is untouched
                log.exception("reconciliation failed")
                self.reconciled.emit(None, f"{type(exc).__name__}: {exc}")
                return
            self.reconciled.emit(rec, report)

        threading.Thread(target=work, name="miniqmt-reconcile", daemon=True).start()

    def _after_close(self) -> None:
        now = now_shanghai()
        today = now.date()
        if self._reported == today or now.time() < REPORT_AFTER or not is_trading_day(today):
            return
        if self.engine_settings.paper:
            return
        if not (self.engine_settings.shared_dir / TRADES_DIR / trades_export_name(today)).exists():
            return
        self._reported = today
        self.reconcile_now(today)

    def _on_reconciled(self, rec: Any, report: Any) -> None:
        if rec is not None and report.day == self._reported:
            self.pusher.push(report_alert(report.summary, self.config.lang))

    def shutdown(self) -> None:
        """Stop the timer, the phone view and the sender thread."""
        self._timer.stop()
        if self.phone is not None:
            self.phone.stop_soon()
            self.phone = None
        self.pusher.stop()
