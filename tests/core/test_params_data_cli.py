"""Parameters (presets, TOML, validation), CSV loading errors and the backtest command."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from miniqmt_gui.backtest.data import DataError, load_bars, save_bars
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.cli import main
from miniqmt_gui.strategy.params import ParamError, StrategyParams, get_preset, load_params, save_params

CSV_HEAD = "datetime,open,high,low,close,volume\n"


def test_default_preset_values() -> None:
    p = get_preset("159201 v1.0.0")
    assert p == StrategyParams()
    assert (p.base_capital, p.flow_capital, p.max_layers, p.commission_rate) == (300000, 200000, 9, 0.0001)
    assert (p.atr_factor, p.step_floor, p.cooldown_bars, p.cooldown_bars_oversold) == (0.38, 0.0012, 15, 5)


def test_optimum_preset() -> None:
    p = get_preset("9层最优解")
    assert (p.atr_factor, p.step_floor) == (0.28, 0.0008)


def test_toml_roundtrip(tmp_path: Path) -> None:
    p = get_preset("159201 stepped").updated({"time_filter": "true", "atr_factor": "0.3"})
    save_params(p, tmp_path / "p.toml", "test")
    assert load_params(tmp_path / "p.toml") == p


@pytest.mark.parametrize("changes", [{"nope": 1}, {"atr_factor": "-1"}, {"lot_size": "abc"},
                                     {"no_buy_after": "25:99"}, {"layer_weights": "1,0"}])
def test_invalid_parameters(changes: dict[str, object]) -> None:
    with pytest.raises(ParamError):
        StrategyParams().updated(changes)


def test_unknown_preset() -> None:
    with pytest.raises(ParamError):
        get_preset("nope")


def _write(tmp_path: Path, text: str, name: str = "bars.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (CSV_HEAD, "no rows"),
        ("datetime,open,high,low\n2024-01-02 09:31,1,1,1\n", "missing column"),
        (CSV_HEAD + "2024-01-02 09:32,1,1,1,1,0\n2024-01-02 09:31,1,1,1,1,0\n", "not sorted"),
        (CSV_HEAD + "2024-01-02 09:31,1,1,1,1,0\n2024-01-02 09:31,1,1,1,1,0\n", "duplicate"),
        (CSV_HEAD + "2024-01-02 09:31,1,1,1,0,0\n", "non-positive"),
    ],
)
def test_data_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_bars(_write(tmp_path, text))


def test_layouts_history_index_and_xtquant_ms(tmp_path: Path) -> None:
    history = _write(tmp_path, ",open,high,low,close\n2024-01-02 09:31:00,1,1.1,0.9,1.05\n", "h.csv")
    a = load_bars(history)
    assert a.index[0] == pd.Timestamp("2024-01-02 09:31", tz="Asia/Shanghai") and a["volume"].iloc[0] == 0
    ms = int(pd.Timestamp("2024-01-02 09:31", tz="Asia/Shanghai").timestamp() * 1000)
    xt = _write(tmp_path, f"time,open,high,low,close,volume\n{ms},1,1.1,0.9,1.05,100\n", "x.csv")
    assert load_bars(xt).index[0] == a.index[0]


def test_gzip_roundtrip(tmp_path: Path) -> None:
    bars = make_sample_bars(days=2)
    save_bars(bars, tmp_path / "s.csv")
    gz = tmp_path / "s.csv.gz"
    gz.write_bytes(gzip.compress((tmp_path / "s.csv").read_bytes()))
    loaded = load_bars(gz)
    assert (loaded.index == bars.index).all()
    assert (loaded["close"].to_numpy() == bars["close"].to_numpy()).all()


def test_cli_json_on_synthetic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("trades", "buys", "sells", "alpha_cny", "beta_cny", "total_cny", "max_drawdown",
                "exhaust_count", "exhaust_cycles", "losing_cycles", "flow_annualized",
                "flow_annualized_util", "days_util", "fees_cny", "sharpe", "win_rate", "bars", "elapsed_s"):
        assert key in out
    assert out["data"] == "synthetic" and out["fill"] == "close" and out["max_drawdown"] <= 0


def test_cli_report_and_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--report", str(tmp_path), "--fill", "realistic"]) == 0
    for name in ("trades.csv", "metrics.json", "report.png", "report.html"):
        assert (tmp_path / name).stat().st_size > 0
    assert "data:image/png;base64," in (tmp_path / "report.html").read_text()
    assert main(["backtest", "--sweep", "step_floor=0.001,0.0012", "--sweep", "cooldown_bars=10,15",
                 "--sweep-csv", str(tmp_path / "sweep.csv")]) == 0
    table = pd.read_csv(tmp_path / "sweep.csv")
    assert len(table) == 4 and "score" in table.columns
    assert table["score"].is_monotonic_decreasing


@pytest.mark.parametrize("argv", [["--preset", "nope"], ["--set", "nope=1"], ["--set", "atr_factor=x"],
                                  ["--data", "/nonexistent.csv"], ["--sweep", "atr_factor"]])
def test_cli_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "error" in err[0]


def test_combinations_equal_one_validated_copy_per_point() -> None:
    """The sweep's fast expansion gives exactly what validating every point on its own gives."""
    import itertools

    base = get_preset("512890 starting point")
    grid = {"atr_factor": ["0.3", 0.38, "0.5"], "cooldown_bars": ["5", 15], "layer_weights": ["1,1,2", "1,2"],
            "time_filter": ["true", False]}
    points = base.combinations(grid)
    slow = [base.updated(dict(zip(grid, combo, strict=True))) for combo in itertools.product(*grid.values())]
    assert points == slow and len(points) == 24
    assert points[0].atr_factor == 0.3 and points[0].layer_weights == (1.0, 1.0, 2.0)
    assert base.atr_factor != 0.3  # the base is never touched
    assert base.combinations({}) == [base]
    with pytest.raises(ParamError, match="cooldown_bars"):
        base.combinations({"atr_factor": ["0.3"], "cooldown_bars": ["5", "-1"]})
    with pytest.raises(ParamError, match="unknown"):
        base.combinations({"atr_factr": ["0.3"]})
