"""``miniqmt backtest``: backtest the grid on 1-minute bars, write reports, run parameter sweeps.

Without ``--data`` it runs on the embedded SYNTHETIC sample (and says so). Errors in the input or the
parameters print one line and exit with code 2. ``--json`` includes ``timings``: seconds for the stages
``parse``, ``indicators``, ``loop``, ``metrics`` and their ``total``.

A single backtest of a file imports neither pandas nor numba (the compiled loops come prebuilt, see
:mod:`miniqmt_gui.strategy.compiled`); reports, sweeps and the synthetic sample load pandas.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from miniqmt_gui.commands import portfolio_backtest, research

RESULT_KEYS = (
    "trades", "buys", "sells", "alpha_cny", "beta_cny", "total_cny", "max_drawdown", "exhaust_count",
    "exhaust_cycles", "losing_cycles", "flow_annualized", "flow_annualized_util", "flow_annualized_in_use",
    "days_util", "capital_utilisation", "fees_cny", "sharpe", "win_rate", "cycles", "forced_stops",
    "open_lots", "t1_blocked_sells", "cash_limited_buys", "score", "bars", "elapsed_s",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the ``backtest`` options."""
    parser.add_argument("--data", metavar="CSV", action="append",
                        help="1-minute bars (.csv or .csv.gz); default: synthetic. "
                             "Portfolio: CODE=CSV, repeated")
    parser.add_argument("--preset", default=None, help="parameter preset (default '159201 v1.0.0')")
    parser.add_argument("--params", metavar="TOML", help="load parameters from a TOML file")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                        help="override one parameter (repeatable)")
    parser.add_argument("--fill", choices=("close", "realistic"), default="close", help="fill model")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--report", metavar="DIR", help="write trades.csv, metrics.json, PNG and HTML")
    parser.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2,...",
                        help="sweep a parameter over values (repeatable): ranked table; "
                             "KEY=FROM..TO:COUNT gives COUNT evenly spaced values")
    parser.add_argument("--sweep-csv", metavar="FILE", help="sweep table CSV (default: DIR/sweep.csv)")
    parser.add_argument("--top", type=int, default=20, help="rows of the sweep table to print")
    research.add_research_arguments(parser)
    portfolio_backtest.add_portfolio_arguments(parser)


class _UsageError(Exception):
    pass


def _progress(enabled: bool) -> Any:
    def show(done: int, total: int) -> None:
        if enabled:
            print(f"\r  {done}/{total} ({done * 100 // max(total, 1)}%)", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr)
    return show


def _params(args: argparse.Namespace) -> tuple[Any, str]:
    from miniqmt_gui.strategy.params import DEFAULT_PRESET, get_preset, load_params

    if args.params:
        params, name = load_params(args.params), str(args.params)
    else:
        name = args.preset or DEFAULT_PRESET
        params = get_preset(name)
    changes: dict[str, str] = {}
    for item in args.sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _UsageError(f"bad --set {item!r}; use key=value")
        changes[key.strip()] = value.strip()
    return (params.updated(changes) if changes else params), name


def _bars(args: argparse.Namespace, quiet: bool) -> tuple[pd.DataFrame, str]:
    if args.data:
        from miniqmt_gui.backtest.data import load_bars

        return load_bars(args.data), str(args.data)
    from miniqmt_gui.backtest.sample import SAMPLE_LABEL, make_sample_bars

    if not quiet:
        print(f"no --data given: using the {SAMPLE_LABEL}", file=sys.stderr)
    return make_sample_bars(), "synthetic"


def _print_metrics(m: dict[str, Any], meta: dict[str, Any], timings: dict[str, float]) -> None:
    print(f"data: {meta['data']}   preset: {meta['preset']}   fill: {meta['fill']}")
    print(f"bars {m['bars']:,}   trades {m['trades']} (buys {m['buys']}, sells {m['sells']})")
    print(f"Alpha {m['alpha_cny']:,.2f} CNY   Beta {m['beta_cny']:,.2f} CNY   "
          f"total {m['total_cny']:,.2f} CNY")
    print(f"Alpha max drawdown {m['max_drawdown'] * 100:.2f} %   fees {m['fees_cny']:,.2f} CNY   "
          f"win rate {m['win_rate'] * 100:.1f} %   Sharpe {m['sharpe']:.2f}")
    print(f"Alpha annualised {m['flow_annualized'] * 100:.2f} % (calendar), "
          f"{m['flow_annualized_util'] * 100:.2f} % (per day holding lots, {m['days_util']} days), "
          f"{m['flow_annualized_in_use'] * 100:.2f} % (over the time in use)")
    print(f"exhaust (8→9 layers) {m['exhaust_count']}   9-layer cycles {m['exhaust_cycles']} "
          f"(losing {m['losing_cycles']})")
    print("time: " + ", ".join(f"{name} {sec * 1000:.1f} ms" for name, sec in timings.items()))


def _run_single(args: argparse.Namespace, params: Any, meta: dict[str, Any]) -> int:
    from miniqmt_gui.backtest.run import run_backtest, run_file

    if args.data:
        result = run_file(args.data, params, args.fill)
    else:
        result = run_backtest(_bars(args, args.json)[0], params, args.fill)
    m = result.metrics
    out = {k: m[k] for k in RESULT_KEYS if k in m} | meta | {"timings": result.timings}
    if args.report:
        from miniqmt_gui.backtest.report import write_report

        paths = write_report(result, args.report, meta)
        out["report"] = str(paths["report.html"])
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        _print_metrics(m, meta, result.timings)
        if args.report:
            print(f"report: {out['report']}")
    return 0


def _run_sweep(args: argparse.Namespace, params: Any, meta: dict[str, Any]) -> int:
    import pandas as pd

    from miniqmt_gui.backtest.sweep import parse_sweep

    grid = parse_sweep(args.sweep)
    bars = _bars(args, args.json)[0]
    start = time.perf_counter()
    table = research.sweep(args, bars, params, grid, _progress(not args.json and sys.stderr.isatty()))
    csv_path = args.sweep_csv or (str(Path(args.report) / "sweep.csv") if args.report else None)
    if csv_path:
        Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(csv_path)
    if args.report:
        meta["report"] = str(research.write_sweep_report(args, table, grid, meta))
    if args.json:
        rows = json.loads(table.reset_index().to_json(orient="records"))
        print(json.dumps(meta | {"points": len(table), "elapsed_s": table.attrs["elapsed_s"],
                                 "rows": rows}, ensure_ascii=False))
        return 0
    shown = ("score", "flow_annualized_util", "max_drawdown", "alpha_cny", "trades", "exhaust_cycles")
    cols = list(dict.fromkeys([*grid, args.score, *shown]))
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table[cols].head(args.top).to_string(float_format=lambda x: f"{x:.4f}"))
    print(f"{len(table)} points in {time.perf_counter() - start:.2f} s "
          f"(simulation {table.attrs['elapsed_s']:.2f} s)" + (f"; table: {csv_path}" if csv_path else "")
          + (f"; report: {meta['report']}" if args.report else ""))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; returns the exit code (2 for bad input or parameters)."""
    try:
        if portfolio_backtest.requested(args):
            return portfolio_backtest.run(args)
        args.data = portfolio_backtest.single_data(args)
        params, preset = _params(args)
        if args.sweep:
            from miniqmt_gui.backtest.sweep import parse_sweep

            parse_sweep(args.sweep)  # fail on a bad spec before loading data
        research.check_options(args)
        meta = {"fill": args.fill, "preset": preset, "data": str(args.data) if args.data else "synthetic"}
        if args.walk_forward:
            bars = _bars(args, args.json)[0]
            return research.run_walk_forward(args, bars, params, meta,
                                             _progress(not args.json and sys.stderr.isatty()))
        if args.sweep:
            return _run_sweep(args, params, meta)
        return _run_single(args, params, meta)
    except (ValueError, _UsageError) as exc:  # DataError and ParamError are ValueErrors
        print(f"miniqmt backtest: error: {exc}", file=sys.stderr)
        return 2
