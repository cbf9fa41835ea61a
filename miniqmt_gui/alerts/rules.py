"""Which engine events and link states become a push alert, and what it says.

:class:`AlertRules` is fed the engine's events (the same ones the window gets) and, once in a
while, the link health; it returns :class:`Alert` objects and remembers edges, so a stale quote,
a halt or a dead executor alerts once when it starts and once when it ends, not on every frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from miniqmt_gui.live.events import EngineEvent, ResultEvent, StatusEvent, TradingState

Kind = Literal["fill", "rejected", "in_doubt", "stale", "halted", "executor_down", "bridge_down",
               "daily_report", "test"]
KINDS: tuple[Kind, ...] = ("fill", "rejected", "in_doubt", "stale", "halted", "executor_down", "bridge_down",
                           "daily_report")
#: how long a link may be silent before it counts as down
BRIDGE_DOWN_S = 60.0

KIND_NAMES = {
    "fill": ("成交", "fills"), "rejected": ("拒单 / 撤单", "rejections"),
    "in_doubt": ("结果存疑", "in doubt"),
    "stale": ("行情过期（交易时段内）", "stale quotes (in session)"), "halted": ("熔断", "halts"),
    "executor_down": ("执行端离线", "executor down"), "bridge_down": ("行情端离线", "bridge down"),
    "daily_report": ("每日报告", "daily report"),
}


@dataclass(frozen=True)
class Alert:
    """One push message; ``critical`` ones use the services' failure/warning style."""

    kind: Kind
    title: str
    body: str
    critical: bool = False


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


class AlertRules:
    """Engine events and health → alerts (edge-triggered where a state persists)."""

    def __init__(self, code: str, lang: str = "zh") -> None:
        """Alerts for the traded ``code`` in ``lang`` (``zh`` or ``en``)."""
        self.code, self.lang = code, lang
        self._stale = False
        self._halted = False
        self._down: dict[Kind, bool] = {"executor_down": False, "bridge_down": False}

    def on_event(self, event: EngineEvent) -> list[Alert]:
        """Alerts caused by one engine event."""
        if isinstance(event, ResultEvent):
            return self._result(event)
        if isinstance(event, StatusEvent):
            return self._status(event)
        return []

    def _result(self, event: ResultEvent) -> list[Alert]:
        r, lang = event.result, self.lang
        side = _zh(lang, "买入" if r.direction == "BUY" else "卖出", r.direction or "")
        status = r.status.value
        if status == "in_doubt":
            return [Alert("in_doubt", _zh(lang, f"⚠ 结果存疑 {self.code}", f"⚠ result in doubt {self.code}"),
                          f"{r.signal_id}: {r.message}", critical=True)]
        if r.filled_shares > 0:
            part = "" if r.filled_shares >= r.requested_shares else _zh(lang, "（部成）", " (partial)")
            title = _zh(lang, f"成交：{side} {self.code}{part}", f"filled: {side} {self.code}{part}")
            body = f"{side} {r.filled_shares:,}/{r.requested_shares:,} @ {r.avg_price:.3f}\n{r.signal_id}"
            return [Alert("fill", title, body)]
        if status in ("rejected", "cancelled"):
            word = _zh(lang, "废单" if status == "rejected" else "已撤", status)
            title = _zh(lang, f"未成交（{word}）{self.code}", f"not filled ({word}) {self.code}")
            return [Alert("rejected", title, f"{r.signal_id}: {r.message}", critical=True)]
        return []

    def _status(self, event: StatusEvent) -> list[Alert]:
        s, lang, out = event.status, self.lang, []
        if s.stale != self._stale:
            self._stale = s.stale
            if s.stale:  # the engine only calls quotes stale during market hours
                out.append(Alert("stale", _zh(lang, "行情已过期，暂停发单", "quotes stale, no orders"),
                                 _zh(lang, f"行情 {s.quote_age_s:.0f} 秒未更新",
                                     f"no progress for {s.quote_age_s:.0f} s"),
                                 critical=True))
            else:
                out.append(Alert("stale", _zh(lang, "行情恢复", "quotes flowing again"), self.code))
        halted = s.state is TradingState.HALTED
        if halted != self._halted:
            self._halted = halted
            title = _zh(lang, "已熔断", "halted") if halted else _zh(lang, "熔断解除", "halt lifted")
            out.append(Alert("halted", title, s.reason, critical=halted))
        return out

    def on_health(self, bridge_age_s: float, executor_alive: bool, paper: bool, market_open: bool,
                  ) -> list[Alert]:
        """Alerts for the links: the bridge's heartbeat (NaN = never seen) and the executor's."""
        bridge_down = bridge_age_s != bridge_age_s or bridge_age_s > BRIDGE_DOWN_S  # NaN: never seen
        states: dict[Kind, bool] = {"bridge_down": bridge_down and market_open,
                  "executor_down": not executor_alive and not paper and market_open}
        out = []
        for kind, down in states.items():
            if down == self._down[kind]:
                continue
            self._down[kind] = down
            who = _zh(self.lang, "行情端" if kind == "bridge_down" else "执行端",
                      "bridge" if kind == "bridge_down" else "executor")
            if down:
                out.append(Alert(kind, _zh(self.lang, f"⚠ {who}离线", f"⚠ {who} down"),
                                 _zh(self.lang, "请检查 Windows 虚拟机中的进程",
                                     "check the process in the Windows VM"),
                                 critical=True))
            else:
                out.append(Alert(kind, _zh(self.lang, f"{who}已恢复", f"{who} back"), self.code))
        return out


def report_alert(summary: dict[str, Any], lang: str = "zh") -> Alert:
    """The daily report's summary as a push message."""
    clean = bool(summary.get("clean"))
    alarms = [str(a) for a in summary.get("alarms") or []]
    alpha, beta = summary.get("alpha"), summary.get("beta")
    head = _zh(lang, "对账一致" if clean else f"对账告警 {len(alarms)} 项",
               "reconciled" if clean else f"{len(alarms)} alarms")
    body = (f"Alpha {alpha if alpha is not None else '?'} · Beta {beta if beta is not None else '?'}\n"
            f"{_zh(lang, '滑点', 'slippage')} {summary.get('slippage_cny')} CNY "
            f"({summary.get('slippage_bps')} bps)"
            f" · {_zh(lang, '手续费', 'fees')} {summary.get('fees')}")
    if alarms:
        body += "\n" + "\n".join(alarms[:5])
    return Alert("daily_report", _zh(lang, f"每日报告 {summary.get('day')}：{head}",
                                     f"daily report {summary.get('day')}: {head}"), body, critical=not clean)
