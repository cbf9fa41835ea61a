"""Push alerts: rules from engine events, apprise to a local HTTP endpoint, rate limits, secrets storage."""

from __future__ import annotations

import json
import math
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from miniqmt_gui.alerts import secrets
from miniqmt_gui.alerts.rules import Alert, AlertRules, report_alert
from miniqmt_gui.alerts.sender import PushSender
from miniqmt_gui.live.events import EngineStatus, ResultEvent, StatusEvent, TradingState
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import OrderResult, ResultStatus

T = datetime(2026, 2, 24, 10, 0, tzinfo=SHANGHAI)


class Endpoint:
    """A local HTTP server that records what apprise's ``json://`` posts to it (loopback only)."""

    def __init__(self, status: int = 200) -> None:
        self.posts: list[dict] = []
        self.got = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", 0))
                outer.posts.append(json.loads(self.rfile.read(size)))
                self.send_response(status)
                self.end_headers()
                outer.got.set()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/push"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.close()


def _result(
    status: ResultStatus, filled: int, requested: int = 10_000, direction: str = "BUY"
) -> ResultEvent:
    r = OrderResult(
        signal_id=f"{direction}_159201.SZ_L1_0000000a",
        status=status,
        direction=direction,
        requested_shares=requested,
        filled_shares=filled,
        avg_price=1.001 if filled else 0.0,
        timestamp=T,
        message="资金不足" if not filled else "",
    )
    return ResultEvent(r, "applied")


def _status(stale: bool = False, state: TradingState = TradingState.RUNNING) -> StatusEvent:
    return StatusEvent(
        EngineStatus(
            state=state,
            reason_key="why_user",
            reason="已熔断：用户操作" if state is TradingState.HALTED else "运行中",
            stale=stale,
            quote_age_s=312.0,
        )
    )


def test_rules_turn_events_into_alerts():
    rules = AlertRules("159201.SZ")
    fill = rules.on_event(_result(ResultStatus.PARTIALLY_FILLED, 6_000))
    assert [a.kind for a in fill] == ["fill"] and "部成" in fill[0].title and "6,000/10,000" in fill[0].body
    rejected = rules.on_event(_result(ResultStatus.REJECTED, 0))
    assert rejected[0].kind == "rejected" and "废单" in rejected[0].title and rejected[0].critical
    assert rules.on_event(_result(ResultStatus.IN_DOUBT, 0))[0].kind == "in_doubt"
    # states alert on their edges only
    assert [a.title for a in rules.on_event(_status(stale=True))] == ["行情已过期，暂停发单"]
    assert rules.on_event(_status(stale=True)) == []
    assert [a.title for a in rules.on_event(_status(stale=False))] == ["行情恢复"]
    assert [a.kind for a in rules.on_event(_status(state=TradingState.HALTED))] == ["halted"]
    assert rules.on_event(_status(state=TradingState.HALTED)) == []


def test_links_down_only_while_the_market_is_open():
    rules = AlertRules("159201.SZ")
    assert rules.on_health(math.nan, False, paper=False, market_open=False) == []  # a holiday evening
    down = rules.on_health(math.nan, False, paper=False, market_open=True)
    assert sorted(a.kind for a in down) == ["bridge_down", "executor_down"]
    assert rules.on_health(120.0, False, paper=False, market_open=True) == []  # still down: no repeat
    back = rules.on_health(2.0, True, paper=False, market_open=True)
    assert sorted(a.title for a in back) == ["执行端已恢复", "行情端已恢复"]
    assert AlertRules("x").on_health(2.0, False, paper=True, market_open=True) == []  # paper: no executor


def test_delivered_through_apprise_to_a_local_endpoint(endpoint):
    sender = PushSender([endpoint.url])
    sender.start()
    rules = AlertRules("159201.SZ")
    for alert in rules.on_event(_result(ResultStatus.FILLED, 10_000)):
        assert sender.push(alert)
    assert endpoint.got.wait(10)
    sender.stop()
    post = endpoint.posts[0]
    assert post["title"] == "成交：买入 159201.SZ" and "10,000/10,000 @ 1.001" in post["message"]
    assert post["type"] == "info" and sender.stats.sent == 1


def test_send_test_reports_success_and_failure(endpoint):
    sender = PushSender([endpoint.url])
    answers: list[tuple[bool, str]] = []
    sender.send_test(lambda ok, why: answers.append((ok, why)))
    sender.drain()
    assert answers == [(True, "")] and endpoint.posts[0]["title"] == "miniqmt 测试消息"
    refused = Endpoint(status=500)
    try:
        failing = PushSender([refused.url])
        failing.send_test(lambda ok, why: answers.append((ok, why)))
        failing.drain()
    finally:
        refused.close()
    assert answers[-1][0] is False and failing.stats.failed == 1
    nothing = PushSender([])
    nothing.send_test(lambda ok, why: answers.append((ok, why)))
    assert answers[-1] == (False, "no notification URL configured")


def test_a_dead_service_never_raises_and_push_never_waits_for_it():
    calls: list[str] = []

    def deliver(urls, alert, timeout):
        calls.append(alert.title)
        raise OSError("network unreachable")

    sender = PushSender(["json://127.0.0.1:9/x"], deliver=deliver)
    for k in range(500):  # nothing is sending (thread not started): the bounded queue keeps the newest
        assert sender.push(Alert("fill", f"#{k}", ""))
    assert sender.stats.dropped == 500 - 200
    sender.start()
    sender.push(Alert("fill", "last", ""))
    sender.stop(timeout_s=30)
    assert calls[:2] == ["#300", "#301"]  # the thread survived the first failure and went on
    assert sender.stats.failed == len(calls) and "network unreachable" in sender.stats.last_error


def test_rate_limits_hold_back_and_say_so():
    clock = [0.0]
    delivered: list[Alert] = []
    sender = PushSender(
        ["json://x"],
        per_minute=3,
        clock=lambda: clock[0],
        deliver=lambda urls, alert, t: (delivered.append(alert) or True, ""),
    )
    for k in range(5):
        sender.push(Alert("fill", f"fill {k}", "b"))
    sender.push(Alert("stale", "stale", "b"))
    sender.drain()
    assert [a.title for a in delivered] == ["fill 0", "fill 1", "fill 2"] and sender.stats.held_back == 3
    clock[0] = 61.0
    sender.push(Alert("stale", "stale again", "b"))
    sender.push(Alert("stale", "stale thrice", "b"))  # inside the kind's 10-minute gap
    sender.drain()
    assert delivered[-1].title == "stale again" and "+3" in delivered[-1].body
    assert len(delivered) == 4


def test_switched_off_kinds_are_not_queued():
    sender = PushSender(["json://x"], enabled_kinds=["fill"])
    assert sender.push(Alert("fill", "t", "b")) and not sender.push(Alert("stale", "t", "b"))


def test_daily_report_alert():
    alert = report_alert(
        {
            "day": "2026-02-24",
            "clean": False,
            "alarms": ["unexplained:100004"],
            "alpha": 287.4,
            "beta": 2033.5,
            "slippage_cny": -30.0,
            "slippage_bps": -11.5,
            "fees": 2.6,
        }
    )
    assert (
        alert.kind == "daily_report" and "对账告警 1 项" in alert.title and "unexplained:100004" in alert.body
    )


def test_secrets_never_in_the_shared_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(secrets, "_keyring", lambda: None)  # no keyring backend (like CI)
    monkeypatch.setattr(secrets, "fallback_path", lambda: tmp_path / "config" / "push_secrets.txt")
    where = secrets.save_urls(["wecombot://AAAA-BBBB", " ", "tgram://123:abc/456"])
    assert where.endswith("push_secrets.txt")
    assert secrets.load_urls() == ["wecombot://AAAA-BBBB", "tgram://123:abc/456"]
    assert (tmp_path / "config" / "push_secrets.txt").stat().st_mode & 0o077 == 0  # owner only
    secrets.set_secret(secrets.PHONE_TOKEN_KEY, "tok")
    assert secrets.get_secret(secrets.PHONE_TOKEN_KEY) == "tok" and len(secrets.load_urls()) == 2


def test_the_real_fallback_lives_in_the_config_folder(monkeypatch, tmp_path):
    from windows_bridge.contract.config import config_dir

    monkeypatch.setenv("SHARED_DIR", str(tmp_path / "share"))
    assert secrets.fallback_path().parent == config_dir()
    assert tmp_path / "share" not in secrets.fallback_path().parents
