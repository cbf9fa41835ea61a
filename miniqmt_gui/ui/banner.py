"""Which warning the live tab's banner shows, and which the title and notifications carry (no Qt).

One ordered list of conditions, most urgent first; the banner shows the first that holds (its colour
says how bad: red = orders are not safe or not executed, amber = the trader should act, lilac = paper,
grey-blue = demo). Each condition has a stable key: notifications fire once when a key starts to
hold, and the window title is prefixed with the red ones. docs/gui.md lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from miniqmt_gui.live.events import TradingState
from miniqmt_gui.ui.live_model import LiveView

RED, AMBER, LILAC, DEMO = "red", "amber", "lilac", "demo"


@dataclass(frozen=True)
class Warning:
    """One banner line: a stable key, its level, the text and an optional action (button) key."""

    key: str
    level: str
    text: str
    action: str = ""


def executor_down_with_order(view: LiveView) -> bool:
    """Live mode, a signal outstanding and no executor heartbeat: that order is not being executed."""
    snap = view.snapshot
    return (not snap.status.paper and snap.book.pending_signal is not None
            and not view.health.executor_alive)


def warnings(view: LiveView, texts: dict[str, str], demo: bool = False) -> list[Warning]:
    """Every warning that holds for ``view``, most urgent first (``texts`` holds the translated words)."""
    s = view.snapshot.status
    blockers = dict(zip(s.blockers, s.blocker_texts, strict=False))
    out: list[Warning] = []

    def add(hit: bool, key: str, level: str, text: str, action: str = "") -> None:
        if hit:
            out.append(Warning(key, level, text, action))

    pending = s.pending_signal_id
    add(s.state is TradingState.HALTED, "halted", RED, s.reason)
    add("not_owner" in blockers, "not_owner", AMBER, blockers.get("not_owner", ""))
    add(s.link_down, "link_down", RED, blockers.get("link_down", texts["link_down"]))
    add(executor_down_with_order(view), "executor_down", RED,
        texts["executor_down"].replace("%1", pending))
    add(s.stale, "stale", RED, texts["stale"])
    add("in_doubt" in blockers, "in_doubt", RED, blockers.get("in_doubt", ""))
    add("pending_stuck" in blockers, "pending_stuck", RED, blockers.get("pending_stuck", ""))
    add("reconcile" in blockers, "reconcile", RED, blockers.get("reconcile", ""), "reconcile")
    add(bool(s.mismatch) and "reconcile" not in blockers, "mismatch", RED,
        blockers.get("mismatch", s.mismatch))
    add("disconnected" in blockers, "disconnected", RED, blockers.get("disconnected", ""))
    add("base_unknown" in blockers, "base_unknown", AMBER, blockers.get("base_unknown", ""), "base")
    add("no_quote" in blockers, "no_quote", AMBER, texts["no_quote"], "settings")
    add("bad_quote" in blockers, "bad_quote", AMBER, blockers.get("bad_quote", ""))
    add("unverified" in blockers, "unverified", AMBER, blockers.get("unverified", ""))
    add(s.state is TradingState.SELL_ONLY, "sell_only", AMBER, s.reason)
    add(demo, "demo", DEMO, texts["demo"])
    add(s.paper and not demo, "paper", LILAC, texts["paper"])
    return out


#: warnings that also go to the title and a desktop notification when they start
NOTIFY = ("halted", "link_down", "executor_down", "stale", "in_doubt", "pending_stuck", "reconcile",
          "not_owner", "base_unknown")
TITLE = ("link_down", "executor_down", "stale", "in_doubt", "pending_stuck", "reconcile")
