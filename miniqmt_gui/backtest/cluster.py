"""Sweeps and walk-forward on a Dask cluster: ``--cluster local`` or ``--cluster tcp://host:8786``.

Imported only when a cluster is asked for (Dask is the optional ``cluster`` extra). :func:`open_cluster`
starts a :class:`distributed.LocalCluster` (worker processes on this machine, bound to 127.0.0.1) or
connects to a running scheduler, waits for a worker, checks that every worker runs the same strategy code
and library versions as this process (a skewed worker would silently compute other numbers) and loads the
compiled loop on each of them, so compile time never counts as sweep time.

:class:`DaskEvaluator` scatters each set of prepared bars to every worker once, submits one task per
:class:`~miniqmt_gui.backtest.chunks.Chunk` (the points of the chunk packed as matrices) and collects
results as they finish, reporting progress. A lost worker's chunks are re-run elsewhere by Dask (the tasks
have no side effects); Ctrl+C or an error cancels what is still queued.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import platform
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from distributed import Client, KilledWorker, LocalCluster, as_completed

from miniqmt_gui.backtest.chunks import Chunk, KernelBars, ParamMatrix, Progress, run_chunk
from miniqmt_gui.backtest.run import fill_code
from miniqmt_gui.strategy.indicators import PreparedBars
from miniqmt_gui.strategy.params import StrategyParams

SCHEMES = ("tcp://", "tls://")
CONNECT_TIMEOUT_S = 10
#: modules whose source decides the numbers a worker computes
CODE_MODULES = ("miniqmt_gui.strategy.kernel", "miniqmt_gui.strategy.rules", "miniqmt_gui.strategy.slots",
                "miniqmt_gui.backtest.chunks")
VERSIONED = ("numpy", "numba", "dask", "distributed")


class ClusterError(RuntimeError):
    """The cluster cannot be used (unreachable, no workers, mismatched workers, all workers lost)."""


def code_fingerprint() -> str:
    """SHA-256 over the source of the modules that compute the summary rows."""
    import importlib

    digest = hashlib.sha256()
    for name in CODE_MODULES:
        module = importlib.import_module(name)
        path = Path(str(module.__file__))
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()[:16]


def environment() -> dict[str, str]:
    """What must match between the client and every worker."""
    env = {"python": ".".join(platform.python_version_tuple()[:2]), "code": code_fingerprint()}
    for package in VERSIONED:
        try:
            env[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            env[package] = "missing"
    return env


def prepare_worker() -> dict[str, Any]:
    """Run on each worker: load (or compile) the per-bar loop and describe the environment."""
    from miniqmt_gui.backtest.run import warm_up

    return {"compile_s": warm_up(), **environment()}


class ClusterSession:
    """A connected client (and the local cluster it started, if any); close it when done."""

    def __init__(self, client: Client, cluster: LocalCluster | None, description: str) -> None:
        """Wrap an already connected ``client``."""
        self.client = client
        self.cluster = cluster
        self.description = description
        self.compile_s = 0.0

    def workers(self) -> dict[str, int]:
        """Worker address → threads."""
        return {address: int(info.get("nthreads", 1))
                for address, info in self.client.scheduler_info()["workers"].items()}

    def check_and_warm(self) -> None:
        """Refuse workers that differ from this process; load the compiled loop on each of them."""
        mine = environment()
        reports = self.client.run(prepare_worker)
        for address, report in reports.items():
            diff = [f"{k} {report.get(k)} (here {v})" for k, v in mine.items() if report.get(k) != v]
            if diff:
                raise ClusterError(f"worker {address} differs from this machine: {', '.join(diff)}; "
                                   "install the same miniqmt, Python and library versions on every machine")
        self.compile_s = max((float(r["compile_s"]) for r in reports.values()), default=0.0)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this session started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> ClusterSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_cluster(spec: str, workers: int | None = None, timeout_s: float = 30.0) -> ClusterSession:
    """``local``: start a LocalCluster of ``workers`` processes (default one per core); else connect."""
    if spec == "local":
        n = workers or os.cpu_count() or 1
        with warnings.catch_warnings():
            # the scheduler's small HTTP server (loopback) takes another port when 8787 is taken: fine
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            try:
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=logging.ERROR)
            except (OSError, RuntimeError, TimeoutError) as exc:
                raise ClusterError(f"cannot start a local Dask cluster: {exc}") from None
        session = ClusterSession(Client(cluster), cluster, "local Dask cluster")
    elif spec.startswith(SCHEMES):
        try:
            client = Client(spec, timeout=min(timeout_s, CONNECT_TIMEOUT_S))
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {spec}: {exc}") from None
        session = ClusterSession(client, None, f"Dask scheduler {spec}")
    else:
        raise ClusterError(f"bad --cluster {spec!r}; use 'local' or a scheduler address tcp://host:8786")
    try:
        session.client.wait_for_workers(1, timeout=timeout_s)
        session.check_and_warm()
    except (TimeoutError, OSError) as exc:
        session.close()
        raise ClusterError(f"no worker joined {spec} within {timeout_s:.0f} s ({exc})") from None
    except ClusterError:
        session.close()
        raise
    return session


class DaskEvaluator:
    """Runs chunks as Dask tasks over bars scattered once to every worker."""

    def __init__(self, session: ClusterSession) -> None:
        """Chunks are sized for the cluster's total worker threads."""
        self.session = session
        self.slots = max(sum(session.workers().values()), 1)

    def evaluate(self, prepared: Sequence[PreparedBars], points: Sequence[StrategyParams],
                 chunks: Sequence[Chunk], fill: str, progress: Progress | None = None) -> list[np.ndarray]:
        """Submit every chunk, gather the rows as they finish (in ``chunks`` order)."""
        client = self.session.client
        mode = fill_code(fill)
        shared = [client.scatter(KernelBars.of(pb), broadcast=True, hash=False) for pb in prepared]
        futures = [client.submit(run_chunk, shared[c.group], c.start, c.stop,
                                 ParamMatrix.of([points[k] for k in c.points]), mode, pure=False)
                   for c in chunks]
        where = {f.key: i for i, f in enumerate(futures)}
        out: list[np.ndarray] = [np.zeros(0)] * len(chunks)
        total, done = sum(len(c.points) for c in chunks), 0
        try:
            for future in as_completed(futures):
                i = where[future.key]
                out[i] = np.asarray(future.result())
                done += len(chunks[i].points)
                if progress:
                    progress(done, total)
        except BaseException as exc:
            client.cancel(futures)
            if isinstance(exc, KilledWorker):
                raise ClusterError(f"workers kept dying while running a chunk: {exc}") from None
            raise
        finally:
            client.cancel(shared)
        return out
