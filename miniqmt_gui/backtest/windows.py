"""Walk-forward windows: rolling training and test periods on calendar months or trading days.

``parse_walk_forward("6:1")`` means 6 calendar months of training, then 1 month of testing; ``6m:1m`` is
the same, ``120d:20d`` counts trading days (dates that have bars). :func:`plan_windows` lays the windows
over a bar index:

- The timeline is cut into *periods*: calendar months (Asia/Shanghai), counted from the month of the
  first bar, a month without bars still counting as a month; or trading days, the dates present in the
  data. A period starts at 00:00 of its first calendar day, so a window boundary never splits a day.
- Window ``k`` (from 0) trains on periods ``[k·TEST, k·TEST + TRAIN)`` and tests on the next ``TEST``
  periods: the test windows follow each other without gap or overlap and the training window rolls
  forward by ``TEST`` each time (a fixed length, not an expanding one).
- Windows go on while the test window holds at least one period of data; the last one may be shorter
  than ``TEST`` (``partial``) so no out-of-sample data is thrown away.

Boundaries are timestamps, not bar positions, so parameter sets with different indicator warm-ups share
the same windows (:func:`bar_range` turns a boundary pair into positions in any bar index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

UNITS = {"m": "months", "d": "days"}
_SIDE = re.compile(r"^\s*(\d+)\s*([mMdD]?)\s*$")


class WindowError(ValueError):
    """A walk-forward specification or a data span that cannot make windows; one readable line."""


@dataclass(frozen=True)
class WindowSpec:
    """Training and test lengths in one unit (``months`` or ``days``)."""

    train: int
    test: int
    unit: str = "months"

    def label(self) -> str:
        """Short text such as ``6m:1m``."""
        u = self.unit[0]
        return f"{self.train}{u}:{self.test}{u}"


@dataclass(frozen=True)
class Window:
    """One walk-forward step: train on ``[train_start, test_start)``, test on ``[test_start, test_end)``."""

    number: int
    train_start: pd.Timestamp
    test_start: pd.Timestamp
    test_end: pd.Timestamp
    partial: bool = False

    @property
    def train_end(self) -> pd.Timestamp:
        """Exclusive end of the training period (= the test start)."""
        return self.test_start


def parse_walk_forward(text: str) -> WindowSpec:
    """Parse ``TRAIN:TEST`` (``6:1``, ``6m:1m``, ``120d:20d``); a bare number means months."""
    parts = text.split(":")
    matches = [_SIDE.match(p) for p in parts]
    if len(parts) != 2 or not all(matches):
        raise WindowError(f"bad --walk-forward {text!r}; use TRAIN:TEST such as 6:1, 6m:1m or 120d:20d")
    (train, u1), (test, u2) = (m.groups() for m in matches if m)
    units = {UNITS[(u or "m").lower()] for u in (u1, u2)}
    if len(units) != 1:
        raise WindowError(f"bad --walk-forward {text!r}: both sides need the same unit (m or d)")
    spec = WindowSpec(int(train), int(test), units.pop())
    if spec.train < 1 or spec.test < 1:
        raise WindowError(f"bad --walk-forward {text!r}: lengths must be at least 1")
    return spec


def _shanghai(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if index.tz is None:
        return index.tz_localize("Asia/Shanghai")
    return index.tz_convert("Asia/Shanghai")


def period_starts(index: pd.DatetimeIndex, unit: str) -> list[pd.Timestamp]:
    """Start of every period from the first bar's on, plus the start of the period after the last bar."""
    idx = _shanghai(pd.DatetimeIndex(index))
    if len(idx) == 0:
        raise WindowError("no bars to make walk-forward windows from")
    if unit == "months":
        first = idx[0].tz_localize(None).to_period("M")
        last = idx[-1].tz_localize(None).to_period("M")
        months = pd.period_range(first, last + 1, freq="M")
        return [p.to_timestamp().tz_localize(idx.tz) for p in months]
    days = pd.DatetimeIndex(idx.normalize().unique())
    return [*days, days[-1] + pd.Timedelta(days=1)]


def plan_windows(index: pd.DatetimeIndex, spec: WindowSpec) -> list[Window]:
    """The rolling windows over ``index`` (see the module docstring for the rules)."""
    starts = period_starts(index, spec.unit)
    n_periods = len(starts) - 1
    windows: list[Window] = []
    k = 0
    while k * spec.test + spec.train < n_periods:
        a = k * spec.test
        b = a + spec.train
        c = min(b + spec.test, n_periods)
        windows.append(Window(k + 1, starts[a], starts[b], starts[c], partial=c - b < spec.test))
        k += 1
    if not windows:
        raise WindowError(f"the data spans {n_periods} {spec.unit}; walk-forward {spec.label()} needs at "
                          f"least {spec.train + 1}")
    return windows


def bar_range(index: pd.DatetimeIndex, start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int]:
    """Positions ``[a, b)`` of the bars with ``start <= time < end`` in a sorted index."""
    idx = _shanghai(pd.DatetimeIndex(index))
    return int(idx.searchsorted(start, side="left")), int(idx.searchsorted(end, side="left"))
