"""Property tests (hypothesis) on random price paths."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import run

paths = st.lists(st.integers(min_value=-6, max_value=6), min_size=5, max_size=300).map(
    lambda steps: [round(max(0.2, 1.0 + 0.001 * s), 3) for s in np.cumsum(steps)]
)
slopes = st.sampled_from([0.0, 1e-5, -1e-5])


@settings(max_examples=60, deadline=None)
@given(closes=paths, slope=slopes, fill=st.sampled_from(["close", "realistic"]))
def test_invariants(closes: list[float], slope: float, fill: str) -> None:
    r = run(closes, slope=slope, fill=fill)
    t, m = r.trades, r.metrics
    assert (t["shares"] % 100 == 0).all() and (t["shares"] > 0).all()
    assert r.layers.max() <= 9 if len(r.layers) else True
    assert m["trades"] == m["buys"] + m["sells"] == len(t)
    assert m["sells"] <= m["buys"] and m["max_drawdown"] <= 0
    # Alpha identity: net cash flow + open lots marked at the last close
    cash = float((np.where(t["side"] == "SELL", 1, -1) * t["value"]).sum() - t["fee"].sum())
    held = float(t.loc[t["side"] == "BUY", "shares"].sum() - t.loc[t["side"] == "SELL", "shares"].sum())
    assert math.isclose(m["alpha_cny"], cash + held * closes[-1], abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(closes=paths, slope=slopes)
def test_close_fill_sells_only_at_or_above_target(closes: list[float], slope: float) -> None:
    r = run(closes, slope=slope)
    tp = {0.0: 1.0, 1e-5: 1.33, -1e-5: 0.83}[slope]
    open_lots: dict[int, float] = {}
    for side, layer, price in zip(r.trades["side"], r.trades["layer"], r.trades["price"], strict=True):
        if side == "BUY":
            open_lots[int(layer)] = float(price)
        else:
            assert price >= open_lots.pop(int(layer)) * (1 + 0.005 * tp * 1.4)
