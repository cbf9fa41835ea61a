"""Portfolio options of ``miniqmt backtest``: ``--portfolio``, ``--data CODE=CSV``, ``--pool``, ``--reserve``.

Not a subcommand of its own: :mod:`backtest_cmd` registers these options and hands a portfolio run here.
A run is a portfolio run when ``--portfolio``, ``--pool`` or ``--reserve`` is given or a ``--data`` names
its code (``--data 159201.SZ=a.csv``). Then:

- with ``--portfolio``, the instruments, their presets and the pool come from the TOML file
  (``--pool``/``--reserve`` override its pool; ``--data CODE=CSV`` its ``data`` entries);
- without it, each ``--data CODE=CSV`` is one instrument with its shipped preset (``--preset NAME``
  gives every code that preset instead), the pool is ``--pool`` (default: the sum of the flow capital)
  with ``--reserve`` (default 0); with no ``--data`` at all, the shipped codes run on synthetic samples;
- per-code parameters live in the TOML, so ``--params`` and ``--set`` are refused, as are sweeps and
  the ``realistic`` fill model (the portfolio loop has the ``close`` model only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a plain single-code backtest must not pay for pandas at import
    import pandas as pd

from miniqmt_gui.strategy.portfolio import CODE_RE, Portfolio, PortfolioError  # cheap: no numba

SHOWN = ("trades", "alpha_cny", "beta_cny", "max_drawdown", "pool_utilisation", "reserve_blocked_buys",
         "pool_blocked_buys")


def add_portfolio_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the portfolio options."""
    parser.add_argument("--portfolio", metavar="TOML",
                        help="backtest several codes sharing one cash pool ([pool] and [[instruments]])")
    parser.add_argument("--pool", type=float, metavar="CNY",
                        help="portfolio: the pool's capital (default: the sum of the codes' flow capital)")
    parser.add_argument("--reserve", type=float, metavar="CNY",
                        help="portfolio: no new first layer may take free cash below this (default 0)")


def _code_data(item: str) -> tuple[str, str] | None:
    code, sep, path = item.partition("=")
    return (code, path) if sep and CODE_RE.fullmatch(code) else None


def requested(args: argparse.Namespace) -> bool:
    """True when the options ask for a portfolio run."""
    data = args.data or []
    return bool(args.portfolio or args.pool is not None or args.reserve is not None
                or any(_code_data(d) for d in data))


def single_data(args: argparse.Namespace) -> str | None:
    """The one ``--data`` file of a single-code run (``None`` for the synthetic sample)."""
    data = args.data or []
    if len(data) > 1:
        raise PortfolioError("several --data files need a code each: "
                             "--data 159201.SZ=a.csv --data 512890.SH=b.csv")
    return data[0] if data else None


def _refuse_single_options(args: argparse.Namespace) -> None:
    if args.params or args.sets:
        raise PortfolioError("--params and --set go with one code; a portfolio's parameters live in its "
                             "TOML ([instruments.params])")
    if args.sweep or args.walk_forward or args.cluster:
        raise PortfolioError("--sweep, --walk-forward and --cluster run on one code, not on a portfolio")
    if args.fill != "close":
        raise PortfolioError("the portfolio backtest has the close fill model only")
    if args.portfolio and args.preset:
        raise PortfolioError("--preset goes with --data CODE=CSV; "
                             "with --portfolio each instrument names its preset")


def _data_map(args: argparse.Namespace) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in args.data or []:
        pair = _code_data(item)
        if pair is None:
            raise PortfolioError(f"--data {item!r}: a portfolio needs CODE=CSV, e.g. 159201.SZ=bars.csv")
        if pair[0] in found:
            raise PortfolioError(f"--data names {pair[0]} twice")
        found[pair[0]] = pair[1]
    return found


def build_portfolio(args: argparse.Namespace, data: dict[str, str]) -> Portfolio:
    """The portfolio the options describe (see the module docstring)."""
    from dataclasses import replace

    from miniqmt_gui.strategy.pool import Pool, PoolError
    from miniqmt_gui.strategy.portfolio import default_portfolio, load_portfolio, make_instrument, total_flow

    if args.portfolio:
        portfolio = load_portfolio(args.portfolio)
        unknown = sorted(set(data) - set(portfolio.codes))
        if unknown:
            raise PortfolioError(f"--data for {', '.join(unknown)}, which {args.portfolio} does not list")
    elif data:
        instruments = tuple(make_instrument(code, args.preset) for code in data)
        portfolio = Portfolio(instruments, Pool(total_flow(instruments)))
    else:
        portfolio = default_portfolio()
    if args.pool is None and args.reserve is None:
        return portfolio
    try:
        pool = Pool(portfolio.pool.capital if args.pool is None else args.pool,
                    portfolio.pool.reserve if args.reserve is None else args.reserve)
    except PoolError as exc:
        raise PortfolioError(str(exc)) from None
    return replace(portfolio, pool=pool)


def _bars(portfolio: Portfolio, data: dict[str, str], quiet: bool,
          ) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Each code's bars: ``--data`` first, then the TOML's ``data``; synthetic only when none has a file."""
    from miniqmt_gui.backtest.data import load_bars

    files = {i.code: data.get(i.code) or i.data for i in portfolio.instruments}
    if not any(files.values()):
        from miniqmt_gui.backtest.sample import SAMPLE_LABEL, make_sample_bars

        if not quiet:
            print(f"no bar files given: each code runs on a {SAMPLE_LABEL}", file=sys.stderr)
        bars = {code: make_sample_bars(seed=int(code[:6])) for code in files}
        return bars, dict.fromkeys(files, "synthetic")
    missing = [code for code, path in files.items() if not path]
    if missing:
        raise PortfolioError(f"no bar file for {', '.join(missing)}: give --data CODE=CSV or data = ... "
                             "in the portfolio TOML")
    return {code: load_bars(path) for code, path in files.items()}, {c: str(p) for c, p in files.items()}


def _print(result: Any, meta: dict[str, Any]) -> None:
    pool = result.portfolio.pool
    c = result.combined
    print(f"portfolio: {len(result.codes)} codes   pool {pool.capital:,.2f} CNY   "
          f"reserve {pool.reserve:,.2f} CNY   fill: {result.fill}")
    for code, r in result.codes.items():
        print(f"  {code} {r.extra['name']}   preset: {r.extra['preset']}   data: {meta['data'][code]}")
    import pandas as pd

    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(result.code_table(SHOWN).to_string(float_format=lambda x: f"{x:,.4f}"))
    print(f"combined: Alpha {c['alpha_cny']:,.2f} CNY   Beta {c['beta_cny']:,.2f} CNY   "
          f"total {c['total_cny']:,.2f} CNY   max drawdown {c['max_drawdown'] * 100:.2f} %")
    print(f"pool: utilisation {c['pool_utilisation'] * 100:.2f} %   "
          f"max deployed {c['max_deployed_cny']:,.2f} CNY   min free cash {c['min_free_cash_cny']:,.2f} CNY")
    print(f"refused buys: reserve {c['reserve_blocked_buys']}, cash {c['pool_blocked_buys']} "
          f"(over {c['blocked_bars']} bars)   simulation {c['elapsed_s'] * 1000:.1f} ms")


def to_json(result: Any, meta: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` object: pool, per-code figures and combined figures."""
    codes = {}
    for code, r in result.codes.items():
        inst = result.portfolio.instrument(code)
        codes[code] = {"name": inst.name, "exchange": inst.exchange, "preset": inst.preset,
                       "data": meta["data"][code], **r.metrics}
    pool = result.portfolio.pool
    return meta | {"pool": {"capital": pool.capital, "reserve": pool.reserve}, "codes": codes,
                   "combined": result.combined}


def run(args: argparse.Namespace) -> int:
    """Run a portfolio backtest from the parsed ``backtest`` options; returns the exit code."""
    from miniqmt_gui.backtest.portfolio import run_portfolio_backtest

    _refuse_single_options(args)
    data = _data_map(args)
    portfolio = build_portfolio(args, data)
    bars, sources = _bars(portfolio, data, args.json)
    meta: dict[str, Any] = {"fill": "close", "portfolio": str(args.portfolio or ""), "data": sources}
    result = run_portfolio_backtest(bars, portfolio)
    out = to_json(result, meta)
    if args.report:
        from miniqmt_gui.backtest.portfolio_report import write_portfolio_report

        out["report"] = str(write_portfolio_report(result, args.report, meta)["portfolio.html"])
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    _print(result, meta)
    if args.report:
        print(f"report: {Path(out['report'])}")
    return 0
