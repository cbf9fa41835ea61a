"""Reports of parameter research: robustness of a sweep and walk-forward results (PNG, HTML, CSV).

``write_robustness_report(table, keys, "score", DIR)`` writes ``robustness.png`` (score heatmaps over
pairs of swept parameters with the others at the winner's values, the winner's neighbourhood by grid
distance, one sensitivity curve per parameter) and ``robustness.html``. ``write_walk_forward_report``
writes ``walk_forward.csv`` (one row per window), ``walk_forward_summary.csv`` (in-sample vs
out-of-sample), ``walk_forward.png`` and ``walk_forward.html``. Matplotlib runs with the Agg backend.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.robustness import heatmap, neighbourhood, pairs, sensitivity, varied, winner
from miniqmt_gui.backtest.walk_forward import WalkForwardResult

MAX_CURVE_POINTS = 3000
MAX_SENSITIVITY = 6
CSS = ("body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}"
       "td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _draw_heatmap(ax: Any, table: pd.DataFrame, keys: Sequence[str], x: str, y: str, score: str) -> None:
    hm = heatmap(table, keys, x, y, score)
    image = ax.imshow(np.ma.masked_invalid(hm.z), origin="lower", aspect="auto", cmap="RdYlGn")
    ax.set_xticks(range(len(hm.x_values)), [_label(v) for v in hm.x_values], rotation=45, fontsize=7)
    ax.set_yticks(range(len(hm.y_values)), [_label(v) for v in hm.y_values], fontsize=7)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if hm.best[0] >= 0:
        ax.plot(*hm.best, marker="*", color="black", markersize=12)
    fixed = ", ".join(f"{k}={_label(v)}" for k, v in hm.fixed.items())
    ax.set_title(f"{score}: {y} × {x}" + (f"\n({fixed})" if fixed else ""), fontsize=8)
    if hm.z.size <= 64:
        for (j, i), value in np.ndenumerate(hm.z):
            if np.isfinite(value):
                ax.text(i, j, f"{float(value):.1f}", ha="center", va="center", fontsize=6)
    ax.figure.colorbar(image, ax=ax, shrink=0.8)


def _draw_neighbourhood(ax: Any, table: pd.DataFrame, keys: Sequence[str], score: str) -> None:
    nb = neighbourhood(table, keys, score)
    rng = np.random.default_rng(0)
    jitter = rng.uniform(-0.15, 0.15, len(nb.points))
    ax.scatter(nb.points["distance"] + jitter, nb.points["score"], s=10, alpha=0.6, color="tab:blue")
    ax.plot(nb.rings.index, nb.rings["median"], color="tab:orange", marker="o", label="median of ring")
    ax.axhline(nb.best_score, color="black", lw=0.8, ls="--", label="winner")
    ax.set_xticks(list(nb.rings.index))
    ax.set_xlabel("grid steps from the winner (largest along any parameter)")
    ax.set_ylabel(score)
    kept, ring = nb.retained(1), nb.ring(1)
    note = ""
    if ring["count"] > 0:
        note = f"; median one step away {ring['median']:.2f}"
        note += f" ({kept * 100:.0f} % of the winner)" if math.isfinite(kept) else ""
    ax.set_title(f"neighbourhood of the winner{note}", fontsize=8)
    ax.legend(fontsize=7)


def _draw_sensitivity(ax: Any, table: pd.DataFrame, keys: Sequence[str], param: str, score: str) -> None:
    curve = sensitivity(table, keys, param, score)
    x = np.arange(len(curve))
    ax.plot(x, curve["at_best"], marker="o", color="tab:red", label="others at the winner")
    ax.plot(x, curve["median"], ls="--", color="tab:gray", label="median over others")
    ax.plot(x, curve["best"], ls=":", color="tab:green", label="best over others")
    ax.set_xticks(x, [_label(v) for v in curve.index], rotation=45, fontsize=7)
    ax.axvline(list(curve.index).index(winner(table, score)[param]), color="black", lw=0.6)
    ax.set_xlabel(param)
    ax.set_ylabel(score)
    ax.set_title(f"sensitivity to {param}", fontsize=8)
    ax.legend(fontsize=6)


def plot_robustness(table: pd.DataFrame, keys: Sequence[str], score: str, path: Path, title: str) -> None:
    """Heatmaps (pairs), the neighbourhood figure and sensitivity curves in one PNG."""
    plt = _pyplot()
    keys = varied(table, keys)
    panels: list[tuple[str, tuple[Any, ...]]] = [("heatmap", pair) for pair in pairs(keys)]
    panels.append(("neighbourhood", ()))
    panels += [("sensitivity", (k,)) for k in keys[:MAX_SENSITIVITY]]
    cols = 3
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(15, 4.3 * rows), squeeze=False)
    for ax, (kind, args) in zip(axes.flat, panels, strict=False):
        if kind == "heatmap":
            _draw_heatmap(ax, table, keys, args[0], args[1], score)
        elif kind == "neighbourhood":
            _draw_neighbourhood(ax, table, keys, score)
        else:
            _draw_sensitivity(ax, table, keys, args[0], score)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _frame_html(frame: pd.DataFrame, heading: str) -> str:
    body = frame.to_html(border=0, float_format=lambda v: f"{v:,.4f}", na_rep="—")
    return f"<h2>{html.escape(heading)}</h2>{body}"


def _page(title: str, png: Path, sections: Sequence[str], intro: str = "") -> str:
    image = base64.b64encode(png.read_bytes()).decode("ascii")
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>"
            f"<img alt='chart' style='max-width:100%' src='data:image/png;base64,{image}'>"
            + "".join(sections) + "</body></html>")


def write_robustness_report(table: pd.DataFrame, keys: Sequence[str], score: str, out_dir: str | Path,
                            meta: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write ``robustness.png`` and ``robustness.html`` for a sweep table into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("robustness.png", "robustness.html")}
    info = meta or {}
    title = f"miniqmt sweep robustness — {score} — {info.get('preset', '')} — {info.get('data', '')}"
    plot_robustness(table, keys, score, paths["robustness.png"], title)
    swept = varied(table, keys)
    nb = neighbourhood(table, swept, score)
    sections = [_frame_html(table.head(20), f"best 20 of {len(table)} points by {score}"),
                _frame_html(nb.rings, "winner's neighbourhood: score by grid distance")]
    sections += [_frame_html(sensitivity(table, swept, k, score), f"sensitivity to {k}") for k in swept]
    intro = ("Heatmaps hold every other swept parameter at the winner's value (★ marks the winner). "
             "A plateau keeps its score a step or two away from the winner; a spike does not.")
    page = _page(title, paths["robustness.png"], sections, intro)
    paths["robustness.html"].write_text(page, encoding="utf-8")
    return paths


def _thin(series: pd.Series) -> pd.Series:
    return series.iloc[:: max(1, len(series) // MAX_CURVE_POINTS)]


def plot_walk_forward(result: WalkForwardResult, path: Path, title: str) -> None:
    """Chained out-of-sample Alpha vs the base parameters, IS vs OOS score per window, the choices."""
    plt = _pyplot()
    fig, axes = plt.subplots(3, 1, figsize=(13, 11), height_ratios=[3, 2, 2])
    ax = axes[0]
    oos, base = _thin(result.oos_alpha), _thin(result.base_alpha)
    ax.plot(oos.index, oos.to_numpy(), color="tab:red", lw=1.2, label="walk-forward choice (out of sample)")
    ax.plot(base.index, base.to_numpy(), color="tab:gray", lw=1.0, label="base parameters, same windows")
    cont = _thin(result.base_continuous)
    ax.plot(cont.index, cont.to_numpy(), color="tab:purple", lw=0.8, ls="--",
            label="base parameters, one continuous run (no restarts)")
    for w in result.windows:
        ax.axvline(w.window.test_start, color="0.85", lw=0.6, zorder=0)
    ax.axhline(0, color="black", lw=0.5)
    ax.set_ylabel("Alpha (CNY), chained")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[1]
    n = np.arange(len(result.windows))
    is_s = [w.train[result.score] for w in result.windows]
    oos_s = [w.test.metrics[result.score] for w in result.windows]
    ax.bar(n - 0.2, is_s, width=0.4, color="tab:blue", label=f"in sample ({result.score})")
    ax.bar(n + 0.2, oos_s, width=0.4, color="tab:red", label=f"out of sample ({result.score})")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xticks(n, [f"{w.window.test_start:%Y-%m}" for w in result.windows], rotation=45, fontsize=7)
    ax.set_ylabel(result.score)
    ax.legend(fontsize=8)
    ax = axes[2]
    for key, values in result.grid.items():
        positions = {v: i for i, v in enumerate(sorted(set(_typed(result, key, values))))}
        steps = [positions[getattr(w.params, key)] for w in result.windows]
        ax.step(n, steps, where="mid", marker="o", label=key)
    ax.set_xticks(n, [f"{w.window.test_start:%Y-%m}" for w in result.windows], rotation=45, fontsize=7)
    ax.set_ylabel("chosen value (grid step)")
    ax.set_title("parameters chosen on each training window", fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _typed(result: WalkForwardResult, key: str, values: Sequence[Any]) -> list[Any]:
    """Grid values of ``key`` with the parameter's own type (the grid may hold strings)."""
    base = result.windows[0].params
    return [getattr(base.updated({key: v}), key) for v in values]


def write_walk_forward_report(result: WalkForwardResult, out_dir: str | Path,
                              meta: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write the walk-forward table, summary, chart and page into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = ("walk_forward.csv", "walk_forward_summary.csv", "walk_forward.png", "walk_forward.html",
             "walk_forward.json")
    paths = {name: out / name for name in names}
    info = meta or {}
    table = result.table()
    table.to_csv(paths["walk_forward.csv"])
    result.summary.to_csv(paths["walk_forward_summary.csv"])
    title = (f"miniqmt walk-forward {result.spec.label()} by {result.score} — {info.get('preset', '')} — "
             f"fill {result.fill} — {info.get('data', '')}")
    plot_walk_forward(result, paths["walk_forward.png"], title)
    paths["walk_forward.json"].write_text(json.dumps(walk_forward_json(result, info), indent=2,
                                                     ensure_ascii=False, default=str), encoding="utf-8")
    intro = (f"{len(result.windows)} windows; walk-forward efficiency (out-of-sample ÷ in-sample annualised "
             f"Alpha) {result.efficiency():.2f}. Each window starts flat; open lots at its end are marked at "
             "its last close. The base parameters run on the same windows under the same rule "
             "(base_chained) and once over the whole span (base_continuous): the gap between the two is "
             "the cost of the restarts.")
    sections = [_frame_html(result.summary, "in sample vs out of sample"),
                _frame_html(table, "windows")]
    if result.skipped:
        skipped = pd.DataFrame(result.skipped, columns=["window", "skipped because"]).set_index("window")
        sections.append(_frame_html(skipped, "windows skipped"))
    paths["walk_forward.html"].write_text(_page(title, paths["walk_forward.png"], sections, intro),
                                          encoding="utf-8")
    return paths


def walk_forward_json(result: WalkForwardResult, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready summary: settings, the IS/OOS comparison and one record per window."""
    table = result.table().reset_index()
    return {**(meta or {}), "walk_forward": result.spec.label(), "score": result.score, "fill": result.fill,
            "windows": json.loads(table.to_json(orient="records", date_format="iso")),
            "summary": json.loads(result.summary.to_json(orient="index")),
            "efficiency": None if math.isnan(result.efficiency()) else result.efficiency(),
            "skipped": [{"window": n, "reason": why} for n, why in result.skipped],
            "elapsed_s": result.elapsed_s}
