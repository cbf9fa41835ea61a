"""Backtest report: trades CSV, metrics JSON, a PNG chart and a self-contained HTML page.

The picture has three panels: price with buy/sell markers and the open lots' buy levels, the Alpha
equity with its drawdown, and Beta and total P&L. Matplotlib runs with the Agg backend (no GUI).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.run import BacktestResult

MAX_POINTS = 4000


def _thin(series: pd.Series) -> pd.Series:
    step = max(1, len(series) // MAX_POINTS)
    return series.iloc[::step]


def curves(result: BacktestResult) -> pd.DataFrame:
    """Per-bar Alpha, Alpha equity, drawdown, Beta and total P&L."""
    pb, p = result.bars, result.params
    alpha = result.alpha_curve
    equity = p.flow_capital + p.base_capital + alpha - float(alpha.iloc[0])
    beta = (pd.Series(pb.close, index=pb.index) - pb.close[0]) * p.base_capital / pb.close[0]
    return pd.DataFrame({"alpha": alpha, "equity": equity, "drawdown": equity / equity.cummax() - 1,
                         "beta": beta, "total": alpha + beta, "close": pb.close, "layers": result.layers})


def _lot_segments(trades: pd.DataFrame, end: Any) -> list[tuple[Any, Any, float]]:
    """(start, end, level) of every lot: from its buy to its sale (or the end of the run)."""
    open_lots: dict[int, tuple[Any, float]] = {}
    segments: list[tuple[Any, Any, float]] = []
    for when, side, layer, price in zip(trades["time"], trades["side"], trades["layer"].to_numpy(),
                                        trades["price"].to_numpy(), strict=True):
        if side == "BUY":
            open_lots[int(layer)] = (when, float(price))
        elif int(layer) in open_lots:
            start, level = open_lots.pop(int(layer))
            segments.append((start, when, level))
    segments += [(start, end, level) for start, level in open_lots.values()]
    return segments


def plot(result: BacktestResult, path: Path, title: str) -> None:
    """Draw the three-panel chart to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    c = curves(result)
    t = result.trades
    fig, axes = plt.subplots(3, 1, figsize=(13, 10), sharex=True, height_ratios=[3, 2, 2])
    ax = axes[0]
    ax.plot(_thin(c["close"]).index, _thin(c["close"]).to_numpy(), lw=0.7, color="0.3", label="close")
    for start, end, level in _lot_segments(t, c.index[-1]):
        ax.hlines(level, start, end, colors="tab:orange", lw=0.6, alpha=0.5)
    buys, sells = t[t["side"] == "BUY"], t[t["side"] == "SELL"]
    ax.scatter(buys["time"], buys["price"], marker="^", s=14, color="tab:red", label="buy", zorder=3)
    ax.scatter(sells["time"], sells["price"], marker="v", s=14, color="tab:green", label="sell", zorder=3)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[1]
    ax.plot(_thin(c["alpha"]).index, _thin(c["alpha"]).to_numpy(), color="tab:blue", label="Alpha (CNY)")
    ax.legend(loc="upper left", fontsize=8)
    dd = ax.twinx()
    dd.fill_between(_thin(c["drawdown"]).index, _thin(c["drawdown"]).to_numpy() * 100, 0, color="tab:red",
                    alpha=0.25, label="drawdown %")
    dd.set_ylabel("drawdown %")
    ax = axes[2]
    for name, color in (("beta", "tab:purple"), ("total", "black")):
        ax.plot(_thin(c[name]).index, _thin(c[name]).to_numpy(), color=color, label=f"{name} (CNY)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def html_page(title: str, png: bytes, body: str) -> str:
    """A self-contained page: the title, the chart (embedded) and ``body`` (HTML sections)."""
    image = base64.b64encode(png).decode("ascii")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}"
        f"</style></head><body><h1>{html.escape(title)}</h1>"
        f"<img alt='chart' style='max-width:100%' src='data:image/png;base64,{image}'>{body}</body></html>"
    )


def _html(title: str, png: bytes, metrics: dict[str, Any], trades: pd.DataFrame) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
                   for k, v in metrics.items())
    table = trades.head(500).to_html(index=False, float_format=lambda x: f"{x:.4f}", border=0)
    return html_page(title, png, f"<h2>Metrics</h2><table>{rows}</table>"
                                 f"<h2>Trades (first 500 of {len(trades)})</h2>{table}")


def _fmt(value: Any) -> str:
    return f"{value:,.6g}" if isinstance(value, float) else str(value)


def write_report(result: BacktestResult, out_dir: str | Path, meta: dict[str, Any] | None = None,
                 ) -> dict[str, Path]:
    """Write ``trades.csv``, ``metrics.json``, ``report.png`` and ``report.html`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = {**(meta or {}), **result.metrics}
    title = f"miniqmt backtest — {info.get('preset', '')} — fill {result.fill} — {info.get('data', '')}"
    paths = {name: out / name for name in ("trades.csv", "metrics.json", "report.png", "report.html")}
    result.trades.to_csv(paths["trades.csv"], index=False)
    paths["metrics.json"].write_text(json.dumps(info, indent=2, ensure_ascii=False, default=_json_default),
                                     encoding="utf-8")
    plot(result, paths["report.png"], title)
    page = _html(title, paths["report.png"].read_bytes(), info, result.trades)
    paths["report.html"].write_text(page, encoding="utf-8")
    return paths


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)
