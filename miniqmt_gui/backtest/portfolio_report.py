"""Portfolio backtest report: every code's own report, plus the pool's page.

``write_portfolio_report`` writes into a folder:

- ``<code>/`` for each code: the single-code report (trades, metrics, PNG, HTML) of that code's grid;
- ``trades.csv`` (all codes, time order, with a ``code`` column), ``blocked.csv`` (the buys the pool
  refused), ``pool.csv`` (combined Alpha, deployed capital and free cash per clock time);
- ``metrics.json`` (per code and combined), ``portfolio.png`` and a self-contained ``portfolio.html``.

The picture has three panels: each code's price relative to its first close, Alpha per code and combined,
and the pool (deployed capital, free cash, the reserve line, refused buys).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.portfolio import PortfolioResult
from miniqmt_gui.backtest.report import MAX_POINTS, html_page, write_report

TABLE_KEYS = ("trades", "alpha_cny", "beta_cny", "total_cny", "max_drawdown", "pool_utilisation",
              "reserve_blocked_buys", "pool_blocked_buys", "blocked_bars", "fees_cny", "open_lots")


def _every(index: pd.Index) -> slice:
    return slice(None, None, max(1, len(index) // MAX_POINTS))


def plot(result: PortfolioResult, path: Path, title: str) -> None:
    """Draw the three-panel portfolio chart to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(13, 10), sharex=True, height_ratios=[2, 2, 2])
    clock = result.pool_curve.index
    for code, r in result.codes.items():
        close = pd.Series(r.bars.close, index=r.bars.index)
        rel = (close / close.iloc[0] - 1) * 100
        axes[0].plot(rel.index[_every(rel.index)], rel.to_numpy()[_every(rel.index)], lw=0.7, label=code)
        alpha = r.alpha_curve.reindex(clock, method="ffill").fillna(0.0)
        axes[1].plot(clock[_every(clock)], alpha.to_numpy()[_every(clock)], lw=0.8, label=f"{code} Alpha")
    axes[0].set_ylabel("price vs first close %")
    axes[0].set_title(title)
    axes[0].legend(loc="upper left", fontsize=8)
    curve = result.pool_curve
    axes[1].plot(clock[_every(clock)], curve["alpha"].to_numpy()[_every(clock)], color="black",
                 lw=1.0, label="combined Alpha")
    axes[1].set_ylabel("CNY")
    axes[1].legend(loc="upper left", fontsize=8)
    ax = axes[2]
    pool = result.portfolio.pool
    ax.fill_between(clock[_every(clock)], curve["deployed"].to_numpy()[_every(clock)], 0, color="tab:orange",
                    alpha=0.35, label="deployed (open lots at cost)")
    ax.plot(clock[_every(clock)], curve["free_cash"].to_numpy()[_every(clock)], color="tab:blue", lw=0.8,
            label="free cash")
    ax.axhline(pool.reserve, color="tab:red", lw=0.8, ls="--", label="reserve")
    ax.axhline(pool.capital, color="0.4", lw=0.6, ls=":", label="pool capital")
    blocked = result.blocked
    if len(blocked):
        ax.scatter(blocked["time"], blocked["free_cash"], marker="x", s=16, color="tab:red", zorder=3,
                   label="refused buy")
    ax.set_ylabel("CNY")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _cell(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):,.4f}"
    return str(value)


def _page(title: str, png: bytes, result: PortfolioResult, links: dict[str, str]) -> str:
    combined = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(_cell(v))}</td></tr>"
                       for k, v in result.combined.items())
    per_code = result.code_table(TABLE_KEYS).to_html(float_format=lambda x: f"{x:,.4f}", border=0)
    reports = "".join(f"<li><a href='{html.escape(href)}'>{html.escape(code)}</a></li>"
                      for code, href in links.items())
    blocked = result.blocked.head(300).to_html(index=False, float_format=lambda x: f"{x:,.3f}", border=0)
    refused = f"Buys the pool refused (first 300 of {len(result.blocked)})"
    return html_page(title, png, f"<h2>Per code</h2>{per_code}<h2>Combined</h2><table>{combined}</table>"
                                 f"<h2>Each code's own report</h2><ul>{reports}</ul>"
                                 f"<h2>{refused}</h2>{blocked}")


def _json_default(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else str(value)


def write_portfolio_report(result: PortfolioResult, out_dir: str | Path, meta: dict[str, Any] | None = None,
                           ) -> dict[str, Path]:
    """Write the portfolio report into ``out_dir``; returns the paths by name."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = dict(meta or {})
    pool = result.portfolio.pool
    title = (f"miniqmt portfolio backtest — {', '.join(result.codes)} — pool {pool.capital:,.0f} CNY, "
             f"reserve {pool.reserve:,.0f} CNY — fill {result.fill}")
    links: dict[str, str] = {}
    for code, r in result.codes.items():
        inst = result.portfolio.instrument(code)
        code_meta = {**info, "code": code, "name": inst.name, "preset": inst.preset,
                     "data": info.get("data", {}).get(code, "")}
        write_report(r, out / code, code_meta)
        links[code] = f"{code}/report.html"
    paths = {name: out / name for name in ("trades.csv", "blocked.csv", "pool.csv", "metrics.json",
                                           "portfolio.png", "portfolio.html")}
    result.trades().to_csv(paths["trades.csv"], index=False)
    result.blocked.to_csv(paths["blocked.csv"], index=False)
    result.pool_curve.to_csv(paths["pool.csv"], index_label="time")
    figures = {"meta": info, "combined": result.combined,
               "codes": {code: r.metrics for code, r in result.codes.items()}}
    paths["metrics.json"].write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=_json_default),
                                     encoding="utf-8")
    plot(result, paths["portfolio.png"], title)
    page = _page(title, paths["portfolio.png"].read_bytes(), result, links)
    paths["portfolio.html"].write_text(page, encoding="utf-8")
    return paths
