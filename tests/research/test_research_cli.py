"""``miniqmt backtest --walk-forward / --score / --cluster`` on the command line, and the acceptance run
on the shared 2015–16 file (skipped when the file is absent; the same run on the sample always runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from miniqmt_gui.cli import main

SWEEP = ["--sweep", "atr_factor=0.2,0.3,0.38,0.46", "--sweep", "step_floor=0.0008,0.0012,0.0016,0.002"]


def _png(path: Path) -> bytes:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    return data


def test_walk_forward_on_the_sample_writes_table_and_chart(tmp_path: Path, capsys) -> None:
    assert main(["backtest", *SWEEP, "--walk-forward", "20d:10d", "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "out_of_sample_chained" in out and "walk-forward efficiency" in out
    table = pd.read_csv(tmp_path / "walk_forward.csv", index_col="window")
    assert len(table) == 6
    _png(tmp_path / "walk_forward.png")
    assert "windows" in (tmp_path / "walk_forward.html").read_text(encoding="utf-8")


def test_walk_forward_json(capsys) -> None:
    assert main(["backtest", "--json", *SWEEP, "--walk-forward", "20d:10d", "--score", "alpha_cny"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["walk_forward"] == "20d:10d" and out["score"] == "alpha_cny" and out["data"] == "synthetic"
    assert len(out["windows"]) == 6 and set(out["summary"]) >= {"score", "flow_annualized", "max_drawdown"}
    first = out["windows"][0]
    assert first["test_from"].startswith("2024-01-30") and first["train_from"].startswith("2024-01-02")
    assert isinstance(first["is_alpha_cny"], float) and isinstance(first["oos_alpha_cny"], float)


def test_sweep_report_has_the_robustness_views(tmp_path: Path, capsys) -> None:
    assert main(["backtest", *SWEEP, "--score", "sharpe", "--report", str(tmp_path)]) == 0
    assert "report:" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "sweep.csv", index_col="rank")
    assert table["sharpe"].is_monotonic_decreasing and list(table.index) == list(range(1, 17))
    _png(tmp_path / "robustness.png")
    page = (tmp_path / "robustness.html").read_text(encoding="utf-8")
    assert "sensitivity to atr_factor" in page and "best 20 of 16 points by sharpe" in page


@pytest.mark.parametrize(("argv", "message"), [
    (["--walk-forward", "6:1"], "--walk-forward needs a grid"),
    (["--cluster", "local"], "--cluster needs a grid"),
    ([*SWEEP, "--walk-forward", "6"], "bad --walk-forward"),
    ([*SWEEP, "--walk-forward", "6:1"], "needs at least 7"),
    ([*SWEEP, "--workers", "2"], "--workers N"),
    ([*SWEEP, "--cluster", "local", "--workers", "0"], "--workers N"),
    ([*SWEEP, "--cluster", "http://x:1"], "bad --cluster"),
])
def test_bad_research_options_exit_2(argv: list[str], message: str, capsys) -> None:
    assert main(["backtest", *argv]) == 2
    assert message in capsys.readouterr().err


def test_sweep_ranges(capsys) -> None:
    argv = ["backtest", "--json", "--sweep", "atr_factor=0.2..0.5:4", "--sweep", "cooldown_bars=5..6:5"]
    assert main(argv) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert sorted({r["atr_factor"] for r in rows}) == [0.2, 0.3, 0.4, 0.5]
    assert sorted({r["cooldown_bars"] for r in rows}) == [5, 6] and len(rows) == 8
    assert main(["backtest", "--sweep", "time_filter=0..1:2"]) == 2
    assert "not a numeric parameter" in capsys.readouterr().err


def test_unknown_score_is_an_argument_error(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["backtest", *SWEEP, "--score", "fees_cny"])
    assert exc.value.code == 2


@pytest.mark.shared_data
def test_walk_forward_on_the_shared_2015_16_file(shared_data: Path, tmp_path: Path, capsys) -> None:
    """Acceptance: 6 months train : 1 month test over 2015–16 gives 18 windows, a table and a chart."""
    data = shared_data / "etf_like_1m_2015-2016.csv.gz"
    if not data.exists():
        pytest.skip("etf_like_1m_2015-2016.csv.gz not present")
    argv = ["backtest", "--data", str(data), *SWEEP, "--walk-forward", "6:1", "--report", str(tmp_path)]
    assert main(argv) == 0
    table = pd.read_csv(tmp_path / "walk_forward.csv", index_col="window")
    assert len(table) == 18
    assert list(table["test_from"][:2]) == ["2015-07-01", "2015-08-01"]
    assert table["test_to"].iloc[-1] == "2016-12-31"
    assert (table["train_bars"] > 25_000).all() and (table["test_bars"] > 3_000).all()
    _png(tmp_path / "walk_forward.png")
    summary = pd.read_csv(tmp_path / "walk_forward_summary.csv", index_col=0)
    assert {"in_sample", "out_of_sample", "out_of_sample_chained"} <= set(summary.columns)
