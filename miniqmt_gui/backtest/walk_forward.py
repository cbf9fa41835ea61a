"""Walk-forward analysis: choose the best grid point on each training window, trade it on the next one.

``walk_forward(bars, base, grid, parse_walk_forward("6:1"))`` plans the rolling windows
(:mod:`miniqmt_gui.backtest.windows`), sweeps the grid on every training window (through an
:class:`~miniqmt_gui.backtest.chunks.Evaluator`: this machine's cores by default, a Dask cluster when
given), picks the point with the highest ``score`` column (ties go to the first point in grid order),
backtests it on the test window and chains the test windows into one out-of-sample Alpha curve. The
base parameters are run on the same test windows as a reference.

No look-ahead, by construction:

- Indicators are computed once over the whole file. They only look back (rolling means, a one-bar
  shift, an EWM without adjustment), so a value at bar t depends on bars up to t only: a training window
  sees nothing of its test window, and a test window starts with indicators warmed up on the bars
  before it — the past, which a live trader has too. Only the file's first ``warmup_rows`` bars (74
  with the default windows) are dropped, from the first training window.
- Every window's run starts flat with the window's first close as its anchor; lots still open at its
  end are marked at its last close, exactly as Alpha is defined for a whole backtest. The chained curve
  adds each test window's Alpha to the sum of the windows before it. For a grid that holds lots through
  a fall this restart matters (the next window buys all its layers again), so the base parameters are
  reported both chained under the same rule — the like-for-like reference — and as one continuous run
  over the same span, which shows the size of the restart effect.
- With the ``realistic`` fill model a decision on a window's last bar is not filled (there is no next
  bar inside the window), so no window trades at a price from the next one.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.chunks import (
    Chunk,
    Evaluator,
    LocalEvaluator,
    Progress,
    chunk_size,
    group_points,
    prepare_groups,
    slice_prepared,
    split,
    window_metrics,
)
from miniqmt_gui.backtest.metrics import SCORES, calendar_days, derive, to_scalars
from miniqmt_gui.backtest.run import fill_code, simulate
from miniqmt_gui.backtest.sweep import expand
from miniqmt_gui.backtest.windows import Window, WindowSpec, bar_range, plan_windows
from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.indicators import PreparedBars, prepare
from miniqmt_gui.strategy.params import StrategyParams

#: metrics a walk-forward may rank by (higher is better for each)
#: rows of the in-sample / out-of-sample comparison
SUMMARY_ROWS = ("score", "flow_annualized", "flow_annualized_util", "max_drawdown", "sharpe", "win_rate",
                "alpha_per_month_cny", "trades_per_month")
DAYS_PER_MONTH = 365.25 / 12
#: summary slots that add up over consecutive windows (max drawdown is taken from the chained curve)
ADDITIVE = (L.S_TRADES, L.S_BUYS, L.S_SELLS, L.S_ALPHA, L.S_FEES, L.S_EXHAUST, L.S_EXHAUST_CYCLES,
            L.S_LOSING_CYCLES, L.S_CYCLES, L.S_DAYS_UTIL, L.S_DAYS, L.S_WINS, L.S_UTIL_SUM, L.S_RET_N,
            L.S_RET_SUM, L.S_RET_SQ, L.S_FORCED, L.S_BLOCKED_T1, L.S_BLOCKED_CASH)


class WalkForwardError(ValueError):
    """A walk-forward that cannot run (unknown score, a window without bars); one readable line."""


@dataclass(frozen=True)
class Run:
    """One backtest over one window: metrics, summary vector and the per-bar Alpha."""

    metrics: dict[str, Any]
    summary: np.ndarray
    alpha: pd.Series


@dataclass(frozen=True)
class WindowResult:
    """The choice made on one training window and how it did on the test window."""

    window: Window
    choice: dict[str, Any]
    params: StrategyParams
    train: dict[str, Any]
    test: Run
    base_test: Run
    train_scores: np.ndarray
    train_bars: int


@dataclass
class WalkForwardResult:
    """Everything a walk-forward produced (see :func:`walk_forward`)."""

    spec: WindowSpec
    score: str
    fill: str
    grid: dict[str, list[Any]]
    windows: list[WindowResult]
    oos_alpha: pd.Series
    base_alpha: pd.Series
    base_continuous: pd.Series
    summary: pd.DataFrame
    skipped: list[tuple[int, str]]
    elapsed_s: float

    def table(self) -> pd.DataFrame:
        """One row per window: periods, the chosen values, in-sample and out-of-sample figures."""
        rows = []
        for w in self.windows:
            win = w.window
            rows.append({
                "window": win.number,
                "train_from": win.train_start.date(), "train_to": _last_day(win.train_end),
                "test_from": win.test_start.date(), "test_to": _last_day(win.test_end),
                **w.choice,
                f"is_{self.score}": w.train[self.score], f"oos_{self.score}": w.test.metrics[self.score],
                "is_alpha_per_month_cny": _per_month(w.train["alpha_cny"], w.train["days"]),
                "oos_alpha_cny": w.test.metrics["alpha_cny"],
                "oos_max_drawdown": w.test.metrics["max_drawdown"],
                "oos_trades": w.test.metrics["trades"],
                "base_oos_alpha_cny": w.base_test.metrics["alpha_cny"],
                "train_bars": w.train_bars, "test_bars": w.test.metrics["bars"],
                "partial": win.partial,
            })
        return pd.DataFrame(rows).set_index("window")

    def efficiency(self) -> float:
        """Out-of-sample over in-sample annualised Alpha (means of the windows); NaN when IS ≤ 0."""
        annualised = self.summary.to_dict("index")["flow_annualized"]
        is_ann, oos_ann = float(annualised["in_sample"]), float(annualised["out_of_sample"])
        return oos_ann / is_ann if is_ann > 0 else float("nan")


def _last_day(end: pd.Timestamp) -> Any:
    return (end - pd.Timedelta(days=1)).date()


def _per_month(value: float, days: float) -> float:
    return value * DAYS_PER_MONTH / days if days > 0 else 0.0


def _run(pb: PreparedBars, a: int, b: int, params: StrategyParams, fill: str) -> Run:
    """Backtest ``params`` on bars ``[a, b)`` of ``pb`` with the per-bar Alpha recorded."""
    part = slice_prepared(pb, a, b)
    summary, _, _, alpha, _ = simulate(part, params, fill, record=True)
    m = to_scalars({k: v[0] for k, v in window_metrics(pb, a, b, [params], summary[None, :]).items()})
    m["bars"] = b - a
    m["days"] = calendar_days(part.index[0], part.index[-1])
    return Run(m, summary, pd.Series(alpha, index=part.index, name="alpha"))


def _training_chunks(windows: Sequence[Window], prepared: Sequence[PreparedBars],
                     groups: Sequence[Sequence[int]], size: int) -> tuple[list[Chunk], list[int]]:
    """Chunks of every training window (and the window index of each chunk)."""
    chunks: list[Chunk] = []
    owner: list[int] = []
    for i, w in enumerate(windows):
        for g, members in enumerate(groups):
            a, b = bar_range(prepared[g].index, w.train_start, w.train_end)
            if b - a < 2:
                continue  # the indicator warm-up ate this group's training window
            part = split(members, g, a, b, size)
            chunks += part
            owner += [i] * len(part)
    return chunks, owner


def _training_metrics(n_windows: int, n_points: int, chunks: Sequence[Chunk], owner: Sequence[int],
                      summaries: Sequence[np.ndarray], prepared: Sequence[PreparedBars],
                      points: Sequence[StrategyParams]) -> list[dict[str, np.ndarray]]:
    """Per window: metric name → values over all points (NaN where a point had no training bars)."""
    tables: list[dict[str, np.ndarray]] = [{} for _ in range(n_windows)]
    for c, i, summary in zip(chunks, owner, summaries, strict=True):
        m = window_metrics(prepared[c.group], c.start, c.stop, [points[k] for k in c.points], summary)
        m["days"] = np.full(len(c.points), calendar_days(prepared[c.group].index[c.start],
                                                         prepared[c.group].index[c.stop - 1]))
        m["bars"] = np.full(len(c.points), c.stop - c.start)
        for name, values in m.items():
            column = tables[i].setdefault(name, np.full(n_points, np.nan))
            column[list(c.points)] = values
    return tables


def _chain(runs: Sequence[Run]) -> pd.Series:
    """Test-window Alpha curves end to end: each starts from the sum of the windows before it."""
    parts, offset = [], 0.0
    for run in runs:
        parts.append(run.alpha + offset)
        offset += float(run.summary[L.S_ALPHA])
    return pd.concat(parts) if parts else pd.Series(dtype=np.float64, name="alpha")


def chained_metrics(runs: Sequence[Run], curve: pd.Series, close: pd.Series, params: StrategyParams,
                    ) -> dict[str, Any]:
    """Metrics of consecutive runs as one run: additive figures summed, drawdown from the chained curve.

    ``close`` is the file's close series (for Beta over the chained span)."""
    total = np.zeros(L.N_SUMMARY)
    for run in runs:
        total[list(ADDITIVE)] += run.summary[list(ADDITIVE)]
    equity = params.flow_capital + params.base_capital + curve.to_numpy() - float(curve.iloc[0])
    first, last = float(close.loc[curve.index[0]]), float(close.loc[curve.index[-1]])
    total[L.S_MAX_DD] = float(np.min(equity / np.maximum.accumulate(equity) - 1.0))
    total[L.S_OPEN_LOTS] = runs[-1].summary[L.S_OPEN_LOTS]
    days = calendar_days(curve.index[0], curve.index[-1])
    m = to_scalars(derive(total, first, last, len(curve), days, params.flow_capital, params.base_capital))
    m["bars"], m["days"] = len(curve), days
    return m


def _with_rates(m: Mapping[str, Any]) -> dict[str, float]:
    out = {k: float(m[k]) for k in SUMMARY_ROWS if k in m}
    out["alpha_per_month_cny"] = _per_month(float(m["alpha_cny"]), float(m["days"]))
    out["trades_per_month"] = _per_month(float(m["trades"]), float(m["days"]))
    return out


def _summary(results: Sequence[WindowResult], oos: Mapping[str, Any], base: Mapping[str, Any],
             continuous: Mapping[str, Any]) -> pd.DataFrame:
    """Rows :data:`SUMMARY_ROWS`; columns: in-sample and out-of-sample (means of windows), the chained
    out-of-sample figures, the base parameters chained the same way and run once over the whole span."""
    frame = pd.DataFrame({
        "in_sample": pd.DataFrame([_with_rates(r.train) for r in results]).mean(),
        "out_of_sample": pd.DataFrame([_with_rates(r.test.metrics) for r in results]).mean(),
        "out_of_sample_chained": pd.Series(_with_rates(oos)),
        "base_chained": pd.Series(_with_rates(base)),
        "base_continuous": pd.Series(_with_rates(continuous)),
    })
    return frame.loc[list(SUMMARY_ROWS)]


@dataclass(frozen=True)
class _Grid:
    """The grid's points, their indicator groups and the bars prepared once per group."""

    bars: pd.DataFrame
    points: list[StrategyParams]
    groups: list[list[int]]
    prepared: list[PreparedBars]
    others: dict[tuple[int, ...], PreparedBars] = field(default_factory=dict)

    @classmethod
    def of(cls, bars: pd.DataFrame, base: StrategyParams, grid: Mapping[str, Sequence[object]]) -> _Grid:
        points = expand(base, grid)
        groups = group_points(points)
        return cls(bars, points, groups, prepare_groups(bars, points, groups))

    def prepared_for(self, params: StrategyParams) -> PreparedBars:
        """The prepared bars with ``params``' indicator windows (computed once if no group has them)."""
        key = params.indicator_key()
        for members, pb in zip(self.groups, self.prepared, strict=True):
            if self.points[members[0]].indicator_key() == key:
                return pb
        if key not in self.others:
            self.others[key] = prepare(self.bars, params)
        return self.others[key]


def _window_result(g: _Grid, w: Window, table: Mapping[str, np.ndarray], score: str, keys: Sequence[str],
                   base: StrategyParams, fill: str) -> WindowResult | str:
    """Choose on the training window and trade the choice on the test window; a reason when impossible."""
    scores = table.get(score)
    if scores is None or np.all(np.isnan(scores)):
        return "no training bars (a gap in the data, or the indicator warm-up)"
    best = int(np.nanargmax(scores))
    chosen = g.points[best]
    pb, base_pb = g.prepared_for(chosen), g.prepared_for(base)
    a, b = bar_range(pb.index, w.test_start, w.test_end)
    ba, bb = bar_range(base_pb.index, w.test_start, w.test_end)
    if b - a < 1 or bb - ba < 1:
        return "no bars in the test window"
    return WindowResult(window=w, choice={k: getattr(chosen, k) for k in keys}, params=chosen,
                        train={k: v[best].item() for k, v in table.items()},
                        test=_run(pb, a, b, chosen, fill), base_test=_run(base_pb, ba, bb, base, fill),
                        train_scores=scores, train_bars=int(table["bars"][best]))


def walk_forward(bars: pd.DataFrame, base: StrategyParams, grid: Mapping[str, Sequence[object]],
                 spec: WindowSpec, score: str = "score", fill: str = "close",
                 evaluator: Evaluator | None = None, progress: Progress | None = None) -> WalkForwardResult:
    """Run the walk-forward (see the module docstring); ``progress(done, total)`` counts point-windows."""
    if score not in SCORES:
        raise WalkForwardError(f"unknown score {score!r}; use one of {', '.join(SCORES)}")
    fill_code(fill)
    started = time.perf_counter()
    evaluator = evaluator or LocalEvaluator()
    g = _Grid.of(bars, base, grid)
    windows = plan_windows(pd.DatetimeIndex(bars.index), spec)
    size = chunk_size(len(g.points) * len(windows), evaluator.slots)
    chunks, owner = _training_chunks(windows, g.prepared, g.groups, size)
    summaries = evaluator.evaluate(g.prepared, g.points, chunks, fill, progress)
    tables = _training_metrics(len(windows), len(g.points), chunks, owner, summaries, g.prepared, g.points)
    results: list[WindowResult] = []
    skipped: list[tuple[int, str]] = []
    for w, table in zip(windows, tables, strict=True):
        outcome = _window_result(g, w, table, score, list(grid), base, fill)
        if isinstance(outcome, str):
            skipped.append((w.number, outcome))
        else:
            results.append(outcome)
    if not results:
        raise WalkForwardError("no window has both training and test bars; "
                               + "; ".join(f"window {n}: {why}" for n, why in skipped))
    oos = _chain([r.test for r in results])
    base_curve = _chain([r.base_test for r in results])
    close = bars["close"]
    base_pb = g.prepared_for(base)
    a, b = bar_range(base_pb.index, results[0].window.test_start, results[-1].window.test_end)
    continuous = _run(base_pb, a, b, base, fill)
    summary = _summary(results, chained_metrics([r.test for r in results], oos, close, base),
                       chained_metrics([r.base_test for r in results], base_curve, close, base),
                       continuous.metrics)
    return WalkForwardResult(spec=spec, score=score, fill=fill, grid={k: list(v) for k, v in grid.items()},
                             windows=results, oos_alpha=oos, base_alpha=base_curve,
                             base_continuous=continuous.alpha, summary=summary, skipped=skipped,
                             elapsed_s=time.perf_counter() - started)
