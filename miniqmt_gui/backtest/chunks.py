"""A parameter grid cut into chunks: the unit of work that local cores or a Dask cluster run.

A :class:`Chunk` names one set of prepared bars (one per distinct indicator-window key), a bar range in
them (a whole file for a sweep, a training window for walk-forward) and some points of the grid. An
:class:`Evaluator` turns chunks into summary rows (one ``N_SUMMARY`` vector per point, as the compiled
loop returns them); :class:`LocalEvaluator` is this machine's numba ``prange`` path, and
``miniqmt_gui.backtest.cluster`` has the Dask one, which calls :func:`run_chunk` on the workers.

Nothing here imports Dask, so the default path never does.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.metrics import calendar_days, derive
from miniqmt_gui.backtest.run import fill_code
from miniqmt_gui.backtest.sweep import run_points
from miniqmt_gui.strategy.indicators import PreparedBars, prepare
from miniqmt_gui.strategy.params import MAX_LAYERS, StrategyParams
from miniqmt_gui.strategy.slots import N_SUMMARY

Progress = Callable[[int, int], None]
#: local chunks only set the progress granularity (numba spreads each chunk over all cores)
LOCAL_CHUNK = 256


@dataclass(frozen=True)
class KernelBars:
    """The arrays the compiled loop reads: what a cluster worker receives once and keeps."""

    open: np.ndarray
    close: np.ndarray
    atr: np.ndarray
    atr_avg: np.ndarray
    slope: np.ndarray
    rsi: np.ndarray
    seconds: np.ndarray
    day: np.ndarray

    @classmethod
    def of(cls, pb: PreparedBars) -> KernelBars:
        """The kernel arrays of prepared bars."""
        return cls(pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day)

    def __len__(self) -> int:
        return int(self.close.size)

    def window(self, start: int, stop: int) -> tuple[np.ndarray, ...]:
        """The eight arrays cut to ``[start, stop)``, writable and contiguous (one numba signature)."""
        out = []
        for array in dataclasses.astuple(self):
            part = array[start:stop]
            # arrays that arrived over the network may be read-only views: another numba type
            out.append(part if part.flags.writeable and part.flags.c_contiguous else part.copy())
        return tuple(out)


@dataclass(frozen=True)
class ParamMatrix:
    """Points of the grid as the kernel takes them: rule vectors, layer capitals, layer counts."""

    prms: np.ndarray
    caps: np.ndarray
    n_layers: np.ndarray

    @classmethod
    def of(cls, points: Sequence[StrategyParams]) -> ParamMatrix:
        """Pack ``points`` (capitals padded to ``MAX_LAYERS``)."""
        capitals = [p.layer_capitals() for p in points]
        padded = np.zeros((len(points), MAX_LAYERS))
        for row, c in zip(padded, capitals, strict=True):
            row[: c.size] = c
        vectors = np.stack([p.to_vector() for p in points])
        return cls(vectors, padded, np.array([c.size for c in capitals], dtype=np.int64))

    def __len__(self) -> int:
        return int(self.prms.shape[0])


@dataclass(frozen=True)
class Chunk:
    """Points ``points`` (indices into the grid) over bars ``[start, stop)`` of prepared set ``group``."""

    group: int
    start: int
    stop: int
    points: tuple[int, ...]


def run_chunk(bars: KernelBars, start: int, stop: int, matrix: ParamMatrix, fill_mode: int) -> np.ndarray:
    """Summary rows of ``matrix``'s points over bars ``[start, stop)``: the compiled loop, point by point.

    Serial on purpose: on a cluster the parallelism is one chunk per worker process, and a serial call
    cannot nest a numba thread pool inside a Dask worker thread.
    """
    from miniqmt_gui.strategy.kernel import run_bars

    kernel: Any = run_bars  # a numba dispatcher: its call signature is not visible to mypy
    arrays = bars.window(start, stop)
    out = np.zeros((len(matrix), N_SUMMARY))
    no_f, no_i = np.zeros((0, 4)), np.zeros((0, 4), dtype=np.int64)
    no_curve, no_layers = np.zeros(0), np.zeros(0, dtype=np.int64)
    for k in range(len(matrix)):
        caps = np.ascontiguousarray(matrix.caps[k, : matrix.n_layers[k]])
        out[k] = kernel(*arrays, np.ascontiguousarray(matrix.prms[k]), caps, fill_mode, False,
                          no_f, no_i, no_curve, no_layers)
    return out


def group_points(points: Sequence[StrategyParams]) -> list[list[int]]:
    """Point indices grouped by indicator windows (first-seen order): each group shares prepared bars."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, p in enumerate(points):
        groups.setdefault(p.indicator_key(), []).append(k)
    return list(groups.values())


def prepare_groups(bars: pd.DataFrame, points: Sequence[StrategyParams],
                   groups: Sequence[Sequence[int]]) -> list[PreparedBars]:
    """Indicators once per group (computed over the whole file: they only look back)."""
    return [prepare(bars, points[members[0]]) for members in groups]


def slice_prepared(pb: PreparedBars, start: int, stop: int) -> PreparedBars:
    """Bars ``[start, stop)`` of ``pb`` (views; indicator values are kept as computed on the whole file)."""
    cut = {f.name: getattr(pb, f.name)[start:stop] for f in dataclasses.fields(pb)
           if isinstance(getattr(pb, f.name), np.ndarray)}
    return dataclasses.replace(pb, **cut)


def split(members: Sequence[int], group: int, start: int, stop: int, size: int) -> list[Chunk]:
    """Chunks of at most ``size`` points of ``members`` over one bar range."""
    return [Chunk(group, start, stop, tuple(members[i:i + size])) for i in range(0, len(members), size)]


def chunk_size(n_points: int, slots: int) -> int:
    """Points per chunk: about eight chunks per worker slot (balance), 8–512 points each."""
    return int(min(512, max(8, -(-n_points // max(8 * slots, 1)))))


def window_metrics(pb: PreparedBars, start: int, stop: int, points: Sequence[StrategyParams],
                   summary: np.ndarray) -> dict[str, np.ndarray]:
    """Metric arrays of ``points`` run over bars ``[start, stop)`` of ``pb`` (each with its own capitals)."""
    if stop <= start:
        raise ValueError("an empty bar range has no metrics")
    # per-point capitals (a sweep may vary them); derive broadcasts arrays like scalars
    flow: Any = np.array([p.flow_capital for p in points])
    base: Any = np.array([p.base_capital for p in points])
    days = calendar_days(pb.index[start], pb.index[stop - 1])
    m = derive(summary, float(pb.close[start]), float(pb.close[stop - 1]), stop - start, days, flow, base)
    return {name: np.asarray(v) for name, v in m.items()}


class Evaluator(Protocol):
    """Runs chunks and returns their summary rows in the order of ``chunks``."""

    slots: int

    def evaluate(self, prepared: Sequence[PreparedBars], points: Sequence[StrategyParams],
                 chunks: Sequence[Chunk], fill: str, progress: Progress | None = None) -> list[np.ndarray]:
        """Summary rows (``len(chunk.points) × N_SUMMARY``) of every chunk."""
        ...


class LocalEvaluator:
    """This machine's cores: each chunk runs the parallel numba loop (``sweep.run_points``)."""

    def __init__(self) -> None:
        """Chunks are sized for one slot: numba parallelises inside each chunk."""
        self.slots = 1

    def evaluate(self, prepared: Sequence[PreparedBars], points: Sequence[StrategyParams],
                 chunks: Sequence[Chunk], fill: str, progress: Progress | None = None) -> list[np.ndarray]:
        """Run the chunks one after another, each over all cores."""
        total = sum(len(c.points) for c in chunks)
        done, out = 0, []
        for c in chunks:
            pb = slice_prepared(prepared[c.group], c.start, c.stop)
            out.append(np.asarray(run_points(pb, [points[k] for k in c.points], fill)))
            done += len(c.points)
            if progress:
                progress(done, total)
        return out


def sweep_chunks(prepared: Sequence[PreparedBars], groups: Sequence[Sequence[int]], size: int) -> list[Chunk]:
    """Chunks covering every point over the whole file of its group."""
    chunks: list[Chunk] = []
    for g, members in enumerate(groups):
        chunks += split(members, g, 0, len(prepared[g]), size)
    return chunks


def sweep_table(points: Sequence[StrategyParams], grid: Mapping[str, Sequence[object]],
                prepared: Sequence[PreparedBars], chunks: Sequence[Chunk], summaries: Sequence[np.ndarray],
                elapsed: float) -> pd.DataFrame:
    """The ranked sweep table (same layout as ``sweep.run_sweep``) from chunk summaries."""
    columns: dict[str, Any] = {key: [getattr(p, key) for p in points] for key in grid}
    metrics: dict[str, np.ndarray] = {}
    for c, summary in zip(chunks, summaries, strict=True):
        m = window_metrics(prepared[c.group], c.start, c.stop, [points[k] for k in c.points], summary)
        for name, values in m.items():
            if name not in metrics:
                metrics[name] = np.zeros(len(points), dtype=values.dtype)
            metrics[name][list(c.points)] = values
    table = pd.DataFrame({**columns, **metrics})
    table = table.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    table.index = table.index + 1
    table.index.name = "rank"
    table.attrs["elapsed_s"] = elapsed
    return table


def evaluate_sweep(bars: pd.DataFrame, base: StrategyParams, grid: Mapping[str, Sequence[object]],
                   evaluator: Evaluator, fill: str = "close", progress: Progress | None = None,
                   ) -> pd.DataFrame:
    """A sweep through any :class:`Evaluator` (the cluster path; the local one is ``sweep.run_sweep``)."""
    from miniqmt_gui.backtest.sweep import expand

    fill_code(fill)
    points = expand(base, grid)
    groups = group_points(points)
    prepared = prepare_groups(bars, points, groups)
    chunks = sweep_chunks(prepared, groups, chunk_size(len(points), evaluator.slots))
    start = time.perf_counter()
    summaries = evaluator.evaluate(prepared, points, chunks, fill, progress)
    return sweep_table(points, grid, prepared, chunks, summaries, time.perf_counter() - start)
