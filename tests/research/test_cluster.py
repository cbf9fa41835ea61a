"""The Dask path on a LocalCluster of two worker processes: the same rows as the local path, and the
refusals (unreachable scheduler, no workers, a worker running other code). The default path never
imports Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from miniqmt_gui.backtest import cluster
from miniqmt_gui.backtest.chunks import (
    KernelBars,
    LocalEvaluator,
    ParamMatrix,
    evaluate_sweep,
    run_chunk,
    slice_prepared,
)
from miniqmt_gui.backtest.cluster import ClusterError, DaskEvaluator, open_cluster
from miniqmt_gui.backtest.run import fill_code
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.backtest.sweep import expand, run_points, run_sweep
from miniqmt_gui.backtest.walk_forward import walk_forward
from miniqmt_gui.backtest.windows import parse_walk_forward
from miniqmt_gui.cli import main
from miniqmt_gui.strategy.indicators import prepare
from miniqmt_gui.strategy.params import StrategyParams

from .support import GRID, GROUPED_GRID

REPO = Path(__file__).resolve().parents[2]
#: 24 points in two indicator groups
BIG_GRID = {**GROUPED_GRID, "atr_factor": ["0.25", "0.3", "0.38", "0.45"]}


@pytest.fixture(scope="module")
def session():
    with open_cluster("local", workers=2) as s:
        yield s


@pytest.fixture(scope="module")
def bars() -> pd.DataFrame:
    return make_sample_bars()


def test_two_workers_each_one_thread(session) -> None:
    assert sorted(session.workers().values()) == [1, 1]
    assert DaskEvaluator(session).slots == 2


@pytest.mark.parametrize("fill", ["close", "realistic"])
def test_cluster_sweep_returns_exactly_the_local_rows(session, bars, fill) -> None:
    calls: list[tuple[int, int]] = []
    remote = evaluate_sweep(bars, StrategyParams(), BIG_GRID, DaskEvaluator(session), fill,
                            lambda done, total: calls.append((done, total)))
    local = run_sweep(bars, StrategyParams(), BIG_GRID, fill)
    pd.testing.assert_frame_equal(remote, local)
    assert len(calls) >= 2 and calls[-1] == (24, 24)  # the grid went out in several chunks


def test_serial_chunk_equals_the_parallel_kernel(bars) -> None:
    """What a worker runs (point by point) equals the local prange loop, on a bar range."""
    points = expand(StrategyParams(), BIG_GRID)[:6]
    pb = prepare(bars, points[0])
    for fill in ("close", "realistic"):
        serial = run_chunk(KernelBars.of(pb), 500, len(pb) - 700, ParamMatrix.of(points), fill_code(fill))
        parallel = run_points(slice_prepared(pb, 500, len(pb) - 700), points, fill)
        np.testing.assert_array_equal(serial, parallel)


def test_read_only_arrays_from_the_network_are_accepted(bars) -> None:
    pb = prepare(bars, StrategyParams())
    shared = KernelBars.of(pb)
    for array in (shared.close, shared.open):
        array.flags.writeable = False
    try:
        rows = run_chunk(shared, 0, len(pb), ParamMatrix.of([StrategyParams()]), 0)
    finally:
        for array in (shared.close, shared.open):
            array.flags.writeable = True
    assert rows[0, 0] == run_points(pb, [StrategyParams()])[0, 0]


def test_cluster_walk_forward_equals_local(session, bars) -> None:
    spec = parse_walk_forward("20d:10d")
    remote = walk_forward(bars, StrategyParams(), GRID, spec, evaluator=DaskEvaluator(session))
    local = walk_forward(bars, StrategyParams(), GRID, spec, evaluator=LocalEvaluator())
    pd.testing.assert_frame_equal(remote.table(), local.table())
    pd.testing.assert_frame_equal(remote.summary, local.summary)
    pd.testing.assert_series_equal(remote.oos_alpha, local.oos_alpha)


def test_a_worker_with_other_code_is_refused(session, monkeypatch) -> None:
    here = cluster.environment()
    monkeypatch.setattr(cluster, "environment", lambda: {**here, "code": "0" * 16})
    with pytest.raises(ClusterError, match="differs from this machine: code"):
        session.check_and_warm()


def test_unreachable_scheduler_and_bad_address() -> None:
    with pytest.raises(ClusterError, match="cannot reach"):
        open_cluster("tcp://127.0.0.1:9", timeout_s=2)
    with pytest.raises(ClusterError, match="bad --cluster"):
        open_cluster("http://example")


@pytest.mark.filterwarnings("ignore:Port .* is already in use")
def test_a_scheduler_without_workers_is_refused() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as empty, \
            pytest.raises(ClusterError, match="no worker joined"):
        open_cluster(empty.scheduler_address, timeout_s=2)


def test_cli_sweep_on_a_local_cluster_prints_the_local_rows(capsys) -> None:
    argv = ["backtest", "--json", "--sweep", "atr_factor=0.3,0.38", "--sweep", "step_floor=0.0008,0.0012"]
    assert main(argv) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*argv, "--cluster", "local", "--workers", "2"]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote["rows"] == local["rows"] and len(local["rows"]) == 4


def test_the_default_path_never_imports_dask(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from miniqmt_gui.cli import main\n"
        f"assert main(['backtest', '--sweep', 'atr_factor=0.3,0.38', '--report', {str(tmp_path)!r}]) == 0\n"
        "assert main(['backtest', '--sweep', 'atr_factor=0.3,0.38', '--walk-forward', '20d:10d']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print('DASK', loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert "DASK []" in out.stdout


def test_a_worker_killed_mid_sweep_changes_nothing(session, bars) -> None:
    """Kill one worker process after the first chunk: Dask re-runs its chunks, the rows stay the same."""
    grid = {**BIG_GRID, "step_floor": [f"{0.0006 + 0.0001 * i:.4f}" for i in range(12)]}  # 96 points
    pids = session.client.run(os.getpid)
    killed = threading.Event()

    def progress(done: int, total: int) -> None:
        if not killed.is_set():
            killed.set()
            os.kill(next(iter(pids.values())), signal.SIGKILL)

    remote = evaluate_sweep(bars, StrategyParams(), grid, DaskEvaluator(session), "close", progress)
    assert killed.is_set()
    pd.testing.assert_frame_equal(remote, run_sweep(bars, StrategyParams(), grid, "close"))
