"""The demo supervises its processes like launchd / Task Scheduler: a crashed child is started again,
a report shows only what the last run wrote, and a child that keeps crashing is given up on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from miniqmt_gui.rehearsal.demo import supervisor as sv
from miniqmt_gui.rehearsal.demo.supervisor import Child, Supervisor

# prints which run it is (counted in a file), then crashes on the first run only
CRASH_ONCE = """
import pathlib, sys, time
count = pathlib.Path(sys.argv[1])
n = int(count.read_text()) + 1 if count.exists() else 1
count.write_text(str(n))
print(f"run {n} says hello", flush=True)
if n == 1:
    print("run 1 is about to crash", flush=True)
    sys.exit(7)
time.sleep(60)
"""


@pytest.fixture(autouse=True)
def fast_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sv, "THROTTLE_S", 0.0)


def _child(tmp_path: Path, code: str, role: str = "bridge") -> Child:
    return Child(role, [sys.executable, "-c", code, str(tmp_path / "count")], {}, tmp_path / f"{role}.log")


def test_a_crashed_child_is_restarted_and_the_watch_goes_on(tmp_path: Path) -> None:
    sup = Supervisor()
    child = sup.add(_child(tmp_path, CRASH_ONCE))
    try:
        sup.watch(4.0, [False], step_s=0.05, restart=True)
        assert child.starts == 2 and child.alive()
        assert [(d.role, d.code) for _, d in sup.restarts] == [("bridge", 7)]
        assert "run 1 is about to crash" in sup.restarts[0][1].tail
        # the tail of the running (second) run holds none of the first run's lines
        assert "run 2 says hello" in child.tail()
        assert "run 1 says hello" not in child.tail()
    finally:
        sup.stop_all(grace_s=2)


def test_a_child_that_keeps_crashing_is_given_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sv, "MAX_RESTARTS", 2)
    sup = Supervisor()
    sup.add(_child(tmp_path, "import sys; print('boom', flush=True); sys.exit(9)", role="executor"))
    death = sup.watch(30.0, [False], step_s=0.05, restart=True)
    assert death is not None and death.role == "executor" and death.code == 9
    assert len(sup.restarts) == 2
    assert "exit code 9" in death.describe()
    assert death.tail.splitlines()[0].startswith(sv.START_MARK + "3")  # the last run's lines only
    sup.stop_all(grace_s=1)


def test_the_app_closed_by_the_user_ends_the_watch(tmp_path: Path) -> None:
    sup = Supervisor()
    sup.add(_child(tmp_path, "print('bye')", role="app"))
    death = sup.watch(10.0, [False], step_s=0.05, restart=True, final=("app",))
    assert death is not None and death.role == "app" and death.code == 0
    assert sup.restarts == []
    sup.stop_all(grace_s=1)


def test_a_signal_is_named() -> None:
    assert "SIGKILL" in sv.Death("bridge", -9, "").describe()
