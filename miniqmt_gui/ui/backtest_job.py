"""The backtest as it runs in a child process (no Qt here: the child must start fast).

The GUI measured a 107 ms stall when the compiled loop ran in a worker *thread* (numba holds the
GIL for the whole loop, pandas' CSV parser for ~40 ms), so backtests run in a separate process.
:func:`run_job` is the child's entry: it reports ``("progress", percent, stage)`` messages and
finally one ``("result", payload)`` or ``("error", text)`` through a multiprocessing connection.
The payload holds only plain numbers, lists and NumPy arrays, so unpickling it is cheap.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

STAGES = ("loading", "indicators", "simulating", "report", "done")
#: curves are sent to the GUI decimated to about this many points (min and max per bucket)
DISPLAY_POINTS = 1200


@dataclass(frozen=True)
class BacktestRequest:
    """What to backtest: a CSV path (``None`` = the embedded synthetic sample), preset, changes, fill."""

    csv_path: str | None = None
    preset: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    fill: str = "close"
    report_dir: str | None = None


def load_bars(csv_path: str | None) -> tuple[Any, str]:
    """The bars to test and the data label the CLI uses (``synthetic`` or the path)."""
    if csv_path is None:
        from miniqmt_gui.backtest.sample import make_sample_bars

        return make_sample_bars(), "synthetic"
    from miniqmt_gui.backtest.data import load_bars as load_csv

    return load_csv(csv_path), csv_path


def build_params(request: BacktestRequest) -> Any:
    """The strategy parameters of ``request`` (preset + changes), validated by core."""
    from miniqmt_gui.strategy.params import StrategyParams, get_preset

    base = get_preset(request.preset) if request.preset else StrategyParams()
    return base.updated(request.changes) if request.changes else base


def epoch_seconds(index: Any) -> Any:
    """Epoch seconds of a DatetimeIndex; naive times are Shanghai wall-clock times."""
    import numpy as np
    import pandas as pd

    idx = pd.DatetimeIndex(index)
    if idx.tz is None:
        idx = idx.tz_localize("Asia/Shanghai")
    return idx.as_unit("s").asi8.astype(np.int64)


def decimate(values: Any, points: int = DISPLAY_POINTS) -> tuple[Any, Any]:
    """``(x, y)`` with at most ~``points`` points keeping each bucket's min and max (peaks survive)."""
    import numpy as np

    y = np.asarray(values, dtype=np.float64)
    n = len(y)
    if n <= points:
        return np.arange(n, dtype=np.float64), y
    size = int(np.ceil(n / (points / 2)))
    usable = n // size * size
    blocks = y[:usable].reshape(-1, size)
    starts = np.arange(0, usable, size)
    lo = starts + blocks.argmin(axis=1)
    hi = starts + blocks.argmax(axis=1)
    idx = np.sort(np.concatenate([lo, hi, np.arange(usable, n)]))
    return idx.astype(np.float64), y[idx]


def equity_curves(close: Any, alpha: Any, base: float, flow: float) -> dict[str, Any]:
    """Alpha, Beta, total (CNY) and the Alpha-curve drawdown in % per bar (SPEC §5 definitions)."""
    import numpy as np

    if len(close) == 0:
        empty = np.zeros(0)
        return {"alpha": empty, "beta": empty, "total": empty, "drawdown": empty}
    beta = (close - close[0]) * base / close[0]
    equity = base + flow + alpha - alpha[0]
    drawdown = (equity / np.maximum.accumulate(equity) - 1.0) * 100.0
    return {"alpha": alpha, "beta": beta, "total": alpha + beta, "drawdown": drawdown}


def payload_of(result: Any, label: str) -> dict[str, Any]:
    """What the GUI needs from a :class:`BacktestResult`: metrics, curves and trades."""
    import numpy as np

    pb = result.bars
    trades = result.trades
    close = np.asarray(pb.close, dtype=np.float64)
    alpha = np.asarray(result.alpha_curve.to_numpy(), dtype=np.float64)
    full = {"close": close, **equity_curves(close, alpha, float(result.params.base_capital),
                                            float(result.params.flow_capital))}
    curves = {name: decimate(values) for name, values in full.items()}
    return {
        "label": label,
        "fill": result.fill,
        "metrics": dict(result.metrics),
        "time_s": epoch_seconds(pb.index),
        "curves": curves,
        "trades": {
            "time_s": epoch_seconds(trades["time"]),
            "bar": trades["bar"].to_numpy(),
            "side": trades["side"].tolist(),
            "layer": trades["layer"].to_numpy(),
            "shares": trades["shares"].to_numpy(),
            "price": trades["price"].to_numpy(),
            "fee": trades["fee"].to_numpy(),
            "pnl": trades["pnl"].to_numpy(),
            "reason": trades["reason"].tolist(),
        },
    }


def write_report(result: Any, report_dir: str, meta: dict[str, Any]) -> str:
    """Write the CLI's report (core's report module) into ``report_dir``; returns the HTML page."""
    from miniqmt_gui.backtest.report import write_report as write

    paths = write(result, report_dir, meta)
    return str(paths["report.html"])


def execute(request: BacktestRequest, progress: Any) -> dict[str, Any]:
    """Run one backtest, calling ``progress(percent, stage)`` between stages."""
    from miniqmt_gui.backtest.run import run_prepared
    from miniqmt_gui.strategy.indicators import prepare

    progress(5, "loading")
    bars, label = load_bars(request.csv_path)
    params = build_params(request)
    meta = {"data": label, "preset": request.preset or "custom", "fill": request.fill}
    progress(35, "indicators")
    prepared = prepare(bars, params)
    progress(55, "simulating")
    result = run_prepared(prepared, params, request.fill)
    payload = payload_of(result, label)
    if request.report_dir:
        progress(80, "report")
        payload["report_dir"] = write_report(result, request.report_dir, meta)
    progress(100, "done")
    return payload


def run_job(conn: Any, request: BacktestRequest) -> None:
    """Child-process entry: run ``request`` and send progress and the outcome over ``conn``."""
    serve(conn, lambda progress: execute(request, progress))


def serve(conn: Any, work: Any) -> None:
    """Run ``work(progress)`` in the child; send its progress, then its payload or the error."""
    try:
        payload = work(lambda pct, stage: conn.send(("progress", pct, stage)))
        conn.send(("result", payload))
    except Exception as exc:  # the GUI shows every failure as text, the child never crashes silently
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=4)))
    finally:
        conn.close()
