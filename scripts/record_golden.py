"""Record a release's golden backtest results on the embedded synthetic sample.

    python scripts/record_golden.py releases/vX.Y.Z

Writes ``golden.json`` (both fill models, default preset) and ``preset.toml`` into the folder.
Run it only when cutting a release: ``tests/release/test_release_golden.py`` then holds the code
to these numbers until the next release records new ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from miniqmt_gui.backtest.run import run_backtest
from miniqmt_gui.backtest.sample import DEFAULT_DAYS, DEFAULT_SEED, SAMPLE_LABEL, make_sample_bars
from miniqmt_gui.strategy.params import StrategyParams, save_params

GOLDEN_KEYS = (
    "trades", "buys", "sells", "alpha_cny", "beta_cny", "total_cny", "max_drawdown",
    "exhaust_count", "exhaust_cycles", "losing_cycles", "fees_cny", "win_rate", "bars",
)
PRESET_NAME = "159201 v1.0.0"


def golden_results() -> dict[str, Any]:
    """The default preset's key metrics for both fill models on the embedded sample."""
    bars = make_sample_bars()
    params = StrategyParams()
    out: dict[str, Any] = {
        "data": {"source": SAMPLE_LABEL, "days": DEFAULT_DAYS, "seed": DEFAULT_SEED},
        "preset": PRESET_NAME,
    }
    for fill in ("close", "realistic"):
        metrics = run_backtest(bars, params, fill).metrics
        out[fill] = {k: metrics[k] for k in GOLDEN_KEYS}
    return out


def main(folder: str) -> int:
    """Write golden.json and preset.toml into ``folder``."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    (target / "golden.json").write_text(json.dumps(golden_results(), indent=1) + "\n", encoding="utf-8")
    save_params(StrategyParams(), target / "preset.toml", name=PRESET_NAME)
    print(f"recorded {target / 'golden.json'} and {target / 'preset.toml'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
