"""Deterministic replay of 1-minute bars as a live market (used by the xtquant fake).

A CSV of 1-minute bars (``datetime,open,high,low,close,volume``, ``datetime`` = the bar's END
time in Asia/Shanghai, also ``.csv.gz``) becomes a market that moves with the wall clock:
:class:`ReplayClock` maps wall-clock seconds since a start epoch, times a speed factor, onto
simulated seconds, and :class:`ReplaySource` walks the bars one simulated minute per bar (lunch
breaks and nights are skipped, they have no bars). Inside the current bar the price follows the
path open → low → high → close (open → high → low → close on a falling bar), linearly between
those points and rounded to the 0.001 tick. Everything is a pure function of (CSV, start epoch,
speed, skip), so two processes configured alike see the same prices at the same moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.prices import TICK, round_to_tick

BAR_SECONDS = 60
#: Bars skipped at the start of the file so that ≥ 240 completed bars exist from the first tick.
DEFAULT_SKIP_BARS = 240


class ReplayError(ValueError):
    """The replay file cannot be used; the message says why."""


@dataclass(frozen=True)
class ReplayBars:
    """1-minute bars as arrays; ``end_ms`` is each bar's end time in ms since the epoch."""

    end_ms: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    day_start: np.ndarray  # index of the first bar of each bar's day
    pre_close: np.ndarray  # previous trading day's last close, per bar

    def __len__(self) -> int:
        return len(self.end_ms)


def _parse_times(column: pd.Series) -> np.ndarray:
    """Bar end times as ms epoch: numeric columns are ms already, text is Shanghai wall time."""
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy(dtype="int64")
    stamps = pd.to_datetime(column.astype(str), format="mixed")
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize(SHANGHAI)
    return _to_ms(stamps)


def _to_ms(stamps: pd.Series) -> np.ndarray:
    """Any-resolution aware timestamps → int64 ms epoch."""
    return stamps.dt.tz_convert("UTC").dt.as_unit("ms").astype("int64").to_numpy(dtype="int64")


def _day_arrays(end_ms: np.ndarray, close: np.ndarray, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per bar: index of its day's first bar, and the previous day's last close."""
    days = (end_ms + 8 * 3600 * 1000) // 86_400_000  # Shanghai calendar day number
    new_day = np.ones(len(days), dtype=bool)
    new_day[1:] = days[1:] != days[:-1]
    starts = np.flatnonzero(new_day)
    day_start = starts[np.cumsum(new_day) - 1]
    pre_close = np.empty(len(days), dtype="float64")
    prev_close = np.where(day_start > 0, close[np.maximum(day_start - 1, 0)], open_[day_start])
    pre_close[:] = prev_close
    return day_start, pre_close


def load_bars(path: Path) -> ReplayBars:
    """Read a bar CSV (first column = bar end time, then open/high/low/close, optional volume)."""
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ReplayError(f"cannot read replay file {path}: {exc}") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = {"open", "high", "low", "close"} - set(frame.columns)
    if missing or frame.empty:
        raise ReplayError(f"{path}: needs columns open, high, low, close and at least one row")
    end_ms = _parse_times(frame.iloc[:, 0])
    order = np.argsort(end_ms, kind="stable")
    cols = {c: frame[c].to_numpy(dtype="float64")[order] for c in ("open", "high", "low", "close")}
    volume = frame["volume"].to_numpy(dtype="float64")[order] if "volume" in frame else np.zeros(len(frame))
    end_ms = end_ms[order]
    day_start, pre_close = _day_arrays(end_ms, cols["close"], cols["open"])
    return ReplayBars(
        end_ms, cols["open"], cols["high"], cols["low"], cols["close"], volume, day_start, pre_close
    )


class ReplayClock:
    """Simulated seconds elapsed: ``(wall − start_epoch) × speed``, never negative."""

    def __init__(
        self, start_epoch: float, speed: float = 60.0, wall: Callable[[], float] = time.time
    ) -> None:
        if speed <= 0:
            raise ReplayError(f"replay speed must be > 0, got {speed}")
        self.start_epoch = float(start_epoch)
        self.speed = float(speed)
        self._wall = wall

    def elapsed(self) -> float:
        """Simulated seconds since the replay started."""
        return max(0.0, (self._wall() - self.start_epoch) * self.speed)


@dataclass(frozen=True)
class ReplayTick:
    """The replayed market at one moment (volumes in shares)."""

    time: datetime
    price: float
    open: float
    high: float
    low: float
    pre_close: float
    volume: float
    amount: float
    bar_index: int
    ended: bool


def _path_points(o: float, h: float, low: float, c: float) -> tuple[float, float, float, float]:
    """The intra-bar path: low first on a rising bar, high first on a falling one."""
    return (o, low, h, c) if c >= o else (o, h, low, c)


def _interp(points: tuple[float, float, float, float], frac: float) -> float:
    """Linear interpolation along the 4-point path at ``frac`` in [0, 1]."""
    pos = min(max(frac, 0.0), 1.0) * 3.0
    seg = min(int(pos), 2)
    a, b = points[seg], points[seg + 1]
    return a + (b - a) * (pos - seg)


class ReplaySource:
    """The replayed market: current tick, completed bars, instrument limits."""

    def __init__(
        self, bars: ReplayBars, clock: ReplayClock, *, skip_bars: int = DEFAULT_SKIP_BARS, tick: float = TICK
    ) -> None:
        self.bars = bars
        self.clock = clock
        self.skip_bars = max(0, min(skip_bars, len(bars) - 1))
        self.tick = tick

    @classmethod
    def from_csv(
        cls, path: Path, start_epoch: float, speed: float = 60.0, *, skip_bars: int = DEFAULT_SKIP_BARS
    ) -> ReplaySource:
        """Load ``path`` and replay it from ``start_epoch`` at ``speed``."""
        return cls(load_bars(path), ReplayClock(start_epoch, speed), skip_bars=skip_bars)

    def position(self) -> tuple[int, float]:
        """(current bar index, fraction of that bar elapsed); (last, 1.0) once the file has ended."""
        pos = self.skip_bars + self.clock.elapsed() / BAR_SECONDS
        index = int(pos)
        if index >= len(self.bars):
            return len(self.bars) - 1, 1.0
        return index, pos - index

    def now(self) -> datetime:
        """The simulated time: inside the current bar (its end time once the file has ended)."""
        index, frac = self.position()
        moment_ms = int(self.bars.end_ms[index]) - round((1.0 - frac) * BAR_SECONDS * 1000)
        return datetime.fromtimestamp(moment_ms // 1000, SHANGHAI)

    def price_at(self, index: int, frac: float) -> float:
        """The price inside bar ``index`` after ``frac`` of it, on the tick grid."""
        b = self.bars
        points = _path_points(b.open[index], b.high[index], b.low[index], b.close[index])
        return round_to_tick(_interp(points, frac), self.tick)

    def _partial_range(self, index: int, frac: float) -> tuple[float, float]:
        """High and low of bar ``index`` so far."""
        b = self.bars
        points = _path_points(b.open[index], b.high[index], b.low[index], b.close[index])
        seen = [p for k, p in enumerate(points) if k / 3.0 <= frac] + [self.price_at(index, frac)]
        return max(seen), min(seen)

    def snapshot(self) -> ReplayTick:
        """The market now."""
        index, frac = self.position()
        b = self.bars
        start = int(b.day_start[index])
        hi, lo = self._partial_range(index, frac)
        if index > start:
            hi = max(hi, float(b.high[start:index].max()))
            lo = min(lo, float(b.low[start:index].min()))
        done_vol = float(b.volume[start:index].sum())
        done_amt = float((b.volume[start:index] * b.close[start:index]).sum())
        part_vol = float(np.floor(b.volume[index] * frac / 100.0) * 100.0)
        price = self.price_at(index, frac)
        moment_ms = int(b.end_ms[index]) - round((1.0 - frac) * BAR_SECONDS * 1000)
        return ReplayTick(
            time=datetime.fromtimestamp(moment_ms // 1000, SHANGHAI),
            price=price,
            open=float(b.open[start]),
            high=hi,
            low=lo,
            pre_close=float(b.pre_close[index]),
            volume=done_vol + part_vol,
            amount=round(done_amt + part_vol * price, 2),
            bar_index=index,
            ended=index == len(b) - 1 and frac >= 1.0,
        )

    def completed_count(self) -> int:
        """How many bars (from the file's start) have completed by now."""
        index, frac = self.position()
        return index + 1 if frac >= 1.0 else index

    def bar_slice(self, start_ms: int | None, end_ms: int | None, count: int) -> slice:
        """Completed bars with ``start_ms ≤ end time ≤ end_ms``; the last ``count`` when count > 0."""
        stop = self.completed_count()
        ends = self.bars.end_ms[:stop]
        lo = 0 if start_ms is None else int(np.searchsorted(ends, start_ms, side="left"))
        hi = stop if end_ms is None else int(np.searchsorted(ends, end_ms, side="right"))
        if count > 0:
            lo = max(lo, hi - count)
        return slice(lo, max(lo, hi))

    def limits(self) -> tuple[float, float, float]:
        """(pre_close, up_stop, down_stop) for today: ±10 % of the previous close, on the tick."""
        index, _ = self.position()
        pre = float(self.bars.pre_close[index])
        return pre, round_to_tick(pre * 1.1, self.tick), round_to_tick(pre * 0.9, self.tick)
