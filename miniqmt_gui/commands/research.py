"""Parameter research options of ``miniqmt backtest``: ``--walk-forward``, ``--score``, ``--cluster``.

Not a subcommand of its own: :mod:`backtest_cmd` registers these options and hands sweeps and
walk-forward runs here. Without ``--cluster`` the grid runs on this machine's cores and Dask is never
imported; with it, :mod:`miniqmt_gui.backtest.cluster` is loaded (the optional ``cluster`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a plain backtest must not pay for pandas at import
    import pandas as pd

Progress = Callable[[int, int], None]


class ResearchError(ValueError):
    """Bad research options or an unusable cluster; the command prints it and exits with 2."""


def add_research_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the walk-forward, score and cluster options."""
    from miniqmt_gui.backtest.metrics import SCORES

    parser.add_argument("--walk-forward", metavar="TRAIN:TEST",
                        help="walk-forward over the --sweep grid: 6:1 = 6 months train, 1 month test "
                             "(rolling); 120d:20d counts trading days")
    parser.add_argument("--score", default="score", choices=SCORES,
                        help="metric that ranks the grid points (higher is better; default: score)")
    parser.add_argument("--cluster", metavar="local|tcp://HOST:8786",
                        help="run the grid on a Dask cluster: 'local' starts one on this machine "
                             "(needs the 'cluster' extra)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="worker processes for --cluster local (default: one per core)")


def check_options(args: argparse.Namespace) -> None:
    """Refuse option combinations that cannot work, before any data is loaded; write out
    ``--sweep key=FROM..TO:COUNT`` ranges as value lists (in ``args.sweep``)."""
    from miniqmt_gui.backtest.ranges import expand_ranges

    args.sweep = expand_ranges(args.sweep)
    if (args.walk_forward or args.cluster) and not args.sweep:
        what = "--walk-forward" if args.walk_forward else "--cluster"
        raise ResearchError(f"{what} needs a grid: add --sweep key=v1,v2,...")
    if args.cluster and args.cluster != "local" and not args.cluster.startswith(("tcp://", "tls://")):
        raise ResearchError(f"bad --cluster {args.cluster!r}; use 'local' or a scheduler address tcp://host:8786")
    if args.workers is not None and (args.cluster != "local" or args.workers < 1):
        raise ResearchError("--workers N (N ≥ 1) goes with --cluster local")
    if args.walk_forward:
        from miniqmt_gui.backtest.windows import parse_walk_forward

        parse_walk_forward(args.walk_forward)


@contextmanager
def evaluator(args: argparse.Namespace, quiet: bool) -> Iterator[Any]:
    """``None`` (this machine's cores) or a Dask evaluator for ``--cluster``, closed afterwards."""
    if not args.cluster:
        yield None
        return
    try:
        from miniqmt_gui.backtest.cluster import ClusterError, DaskEvaluator, open_cluster
    except ImportError as exc:
        raise ResearchError(f"--cluster needs Dask ({exc.name} is missing): "
                            "pip install 'miniqmt[cluster]'") from None
    try:
        session = open_cluster(args.cluster, args.workers)
    except ClusterError as exc:
        raise ResearchError(str(exc)) from None
    try:
        if not quiet:
            print(f"cluster: {session.description}, {len(session.workers())} workers "
                  f"(compiled loop ready in {session.compile_s:.1f} s)", file=sys.stderr)
        yield DaskEvaluator(session)
    except ClusterError as exc:
        raise ResearchError(str(exc)) from None
    finally:
        session.close()


def sweep(args: argparse.Namespace, bars: pd.DataFrame, params: Any, grid: Mapping[str, Sequence[str]],
          progress: Progress) -> pd.DataFrame:
    """The ranked sweep table: ``sweep.run_sweep`` locally, the chunked Dask path with ``--cluster``."""
    from miniqmt_gui.backtest.robustness import rank

    with evaluator(args, args.json) as remote:
        if remote is None:
            from miniqmt_gui.backtest.sweep import run_sweep

            table = run_sweep(bars, params, grid, args.fill, progress)
        else:
            from miniqmt_gui.backtest.chunks import evaluate_sweep

            table = evaluate_sweep(bars, params, grid, remote, args.fill, progress)
    return table if args.score == "score" else rank(table, args.score)


def write_sweep_report(args: argparse.Namespace, table: pd.DataFrame, grid: Mapping[str, Any],
                       meta: dict[str, Any]) -> Path:
    """Robustness PNG/HTML of a sweep into ``--report``; returns the page."""
    from miniqmt_gui.backtest.research_report import write_robustness_report

    paths = write_robustness_report(table, list(grid), args.score, args.report, meta)
    return paths["robustness.html"]


def run_walk_forward(args: argparse.Namespace, bars: pd.DataFrame, params: Any, meta: dict[str, Any],
                     progress: Progress) -> int:
    """``--walk-forward``: run it, print the table and the IS/OOS comparison, write the report."""
    from miniqmt_gui.backtest.research_report import walk_forward_json, write_walk_forward_report
    from miniqmt_gui.backtest.sweep import parse_sweep
    from miniqmt_gui.backtest.walk_forward import walk_forward
    from miniqmt_gui.backtest.windows import parse_walk_forward

    spec = parse_walk_forward(args.walk_forward)
    grid = parse_sweep(args.sweep)
    with evaluator(args, args.json) as remote:
        result = walk_forward(bars, params, grid, spec, args.score, args.fill, remote, progress)
    report = None
    if args.report:
        report = write_walk_forward_report(result, args.report, meta)["walk_forward.html"]
    if args.json:
        out = walk_forward_json(result, meta) | ({"report": str(report)} if report else {})
        print(json.dumps(out, ensure_ascii=False, default=str))
        return 0
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(result.table().to_string(float_format=lambda x: f"{x:,.4f}"))
        print()
        print(result.summary.to_string(float_format=lambda x: f"{x:,.4f}"))
    for number, why in result.skipped:
        print(f"window {number} skipped: {why}")
    print(f"\n{len(result.windows)} windows ({spec.label()}, by {args.score}); walk-forward efficiency "
          f"{result.efficiency():.2f}; {result.elapsed_s:.2f} s" + (f"; report: {report}" if report else ""))
    return 0
