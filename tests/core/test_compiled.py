"""The prebuilt compiled module: present after install, current, equal to the JIT, lean to import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from miniqmt_gui.backtest.run import run_backtest
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import prepare
from miniqmt_gui.strategy.params import StrategyParams


def test_install_built_the_module_from_the_current_sources() -> None:
    # scripts/_venv.sh (and so CI) and the bundle build run build_compiled; nobody waits for a compile
    assert compiled.backend() == "aot", "run: python -m miniqmt_gui.strategy.build_compiled"


def test_a_module_built_from_other_sources_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    assert compiled._aot_module() is not None
    with monkeypatch.context() as m:
        m.setattr(compiled, "source_stamp", lambda: 12345)
        assert compiled._aot_module() is None
    monkeypatch.setenv("MINIQMT_KERNELS", "jit")
    assert compiled._aot_module() is None


@pytest.mark.parametrize("fill", ["close", "realistic"])
def test_prebuilt_and_jit_give_identical_runs(fill: str) -> None:
    params = StrategyParams(time_filter=True, float_loss_stop=True, float_loss_limit=3000)
    pb = prepare(make_sample_bars(days=30), params)
    aot, jit = compiled.kernels(), compiled._jit()
    args = (pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day)
    outs = []
    for k in (aot, jit):
        n = len(pb)
        rec_f, rec_i = np.zeros((2 * n, 4)), np.zeros((2 * n, 4), dtype=np.int64)
        alpha, layers = np.zeros(n), np.zeros(n, dtype=np.int64)
        s = k.run_bars(*args, params.to_vector(), params.layer_capitals(), 0 if fill == "close" else 1, True,
                       rec_f, rec_i, alpha, layers)
        prms = np.stack([params.to_vector(), StrategyParams(atr_factor=0.2).to_vector()])
        caps = np.stack([params.layer_capitals()] * 2)
        grid = k.run_points(*args, prms, caps, np.array([9, 9]), 0 if fill == "close" else 1)
        outs.append((s, rec_f, rec_i, alpha, layers, grid))
    for a, b in zip(*outs, strict=True):
        assert np.array_equal(a, b)
    assert outs[0][0][0] > 0  # trades happened


def test_single_backtest_imports_neither_pandas_nor_numba(tmp_path: Path) -> None:
    from miniqmt_gui.backtest.data import save_bars

    save_bars(make_sample_bars(days=10), tmp_path / "bars.csv")
    code = ("import sys, json; from miniqmt_gui.cli import main; main(['backtest', '--data', sys.argv[1], "
            "'--json']); print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    env = {k: v for k, v in os.environ.items() if k != "MINIQMT_KERNELS"}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "bars.csv")], capture_output=True,
                         text=True, check=True, env=env, cwd=tmp_path).stdout.splitlines()
    result, modules = json.loads(out[0]), set(json.loads(out[1]))
    assert set(result["timings"]) == {"parse", "indicators", "loop", "metrics", "total"}
    assert result["trades"] == run_backtest(make_sample_bars(days=10)).metrics["trades"]
    assert not modules & {"pandas", "numba", "llvmlite", "pydantic", "PySide6", "matplotlib"}


def test_the_sweep_loop_releases_the_gil() -> None:
    """While one thread is inside the compiled loop, Python code runs on another (a GUI, a second slice).

    Code that holds the GIL never yields it, so this thread's short loop could only finish after the
    long call returned; here it finishes while the call is still running.
    """
    import threading

    from miniqmt_gui.backtest.sweep import _matrices

    pb = prepare(make_sample_bars(days=60), StrategyParams())
    points = [StrategyParams(atr_factor=0.2 + 0.0001 * i) for i in range(4000)]
    prms, caps, n_layers = _matrices(points)
    arrays = (pb.open, pb.close, pb.atr, pb.atr_avg, pb.slope, pb.rsi, pb.seconds, pb.day)
    started, finished = threading.Event(), threading.Event()

    def work() -> None:
        started.set()
        compiled.kernels().run_points(*arrays, prms, caps, n_layers, 0)  # about a second
        finished.set()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    total = 0
    for i in range(500_000):  # a tenth of the call; longer than a GIL switch interval
        total += i
    still_running = not finished.is_set()
    worker.join()
    assert still_running
