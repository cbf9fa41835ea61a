"""Helpers for the research tests: small grids on the synthetic sample and a future-only perturbation."""

from __future__ import annotations

import numpy as np
import pandas as pd

GRID = {"atr_factor": ["0.3", "0.38"], "step_floor": ["0.0008", "0.0012", "0.0016"]}
#: also varies an indicator window, so points fall into two sets of prepared bars
GROUPED_GRID = {"atr_period": ["10", "14"], "step_floor": ["0.0008", "0.0012", "0.0016"]}


def perturbed_from(bars: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """``bars`` with every price from ``start`` on scaled by a slow wave (the past is untouched)."""
    out = bars.copy()
    late = out.index >= start
    wave = 1.0 + 0.03 * np.sin(np.arange(int(late.sum())) / 40.0)
    for col in ("open", "high", "low", "close"):
        out.loc[late, col] = np.round(out.loc[late, col].to_numpy() * wave, 3)
    return out
