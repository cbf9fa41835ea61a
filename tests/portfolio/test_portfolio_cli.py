"""``miniqmt backtest`` with a portfolio: --data CODE=CSV, --portfolio TOML, --pool/--reserve, --json,
--report, clear errors (exit 2); the single-code command is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from miniqmt_gui.backtest.data import save_bars
from miniqmt_gui.backtest.portfolio import run_portfolio_backtest
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.cli import main
from miniqmt_gui.strategy.pool import Pool

from .support import CODES, derived, portfolio


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bars")
    a = make_sample_bars(days=30)
    out = {CODES[0]: folder / "a.csv", CODES[1]: folder / "b.csv"}
    save_bars(a, out[CODES[0]])
    save_bars(derived(a, 1000, 1.3, drop_every=5), out[CODES[1]])
    return out


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(["backtest", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_data_code_csv_with_pool(files, capsys) -> None:
    argv = [f"--data={CODES[0]}={files[CODES[0]]}", "--data", f"{CODES[1]}={files[CODES[1]]}",
            "--pool", "60000", "--reserve", "20000"]
    out = _json(capsys, argv)
    assert out["pool"] == {"capital": 60000.0, "reserve": 20000.0}
    assert list(out["codes"]) == list(CODES)
    second = out["codes"][CODES[1]]
    assert second["exchange"] == "SH" and second["preset"] == "512890 starting point"
    from miniqmt_gui.backtest.data import load_bars

    bars = {c: load_bars(p) for c, p in files.items()}
    direct = run_portfolio_backtest(bars, portfolio(Pool(60000, 20000)))
    for code in CODES:
        for key in ("trades", "alpha_cny", "beta_cny", "max_drawdown", "pool_utilisation",
                    "reserve_blocked_buys", "pool_blocked_buys"):
            assert out["codes"][code][key] == direct.codes[code].metrics[key]
    c = out["combined"]
    assert c["reserve_blocked_buys"] + c["pool_blocked_buys"] > 0
    assert c["trades"] == direct.combined["trades"] and c["min_free_cash_cny"] >= 0
    # annualised over the calendar days of the clock (files read back carry second-resolution times)
    first = min(r.bars.index[0] for r in direct.codes.values())
    last = max(r.bars.index[-1] for r in direct.codes.values())
    days = (last - first).total_seconds() / 86400
    assert days > 20
    assert c["pool_annualized"] == pytest.approx(c["alpha_cny"] / 60000 * 365 / days)


def test_portfolio_toml_and_report(files, tmp_path, capsys) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(f'[pool]\ncapital = 300000\nreserve = 50000\n[[instruments]]\ncode = "{CODES[0]}"\n'
                    f'data = "{files[CODES[0]]}"\n[[instruments]]\ncode = "{CODES[1]}"\n', encoding="utf-8")
    out = _json(capsys, ["--portfolio", str(toml), "--data", f"{CODES[1]}={files[CODES[1]]}",
                         "--report", str(tmp_path / "rep")])
    assert out["pool"]["reserve"] == 50000.0
    assert out["data"] == {c: str(p) for c, p in files.items()}
    rep = tmp_path / "rep"
    for name in ("portfolio.html", "portfolio.png", "trades.csv", "blocked.csv", "pool.csv", "metrics.json",
                 f"{CODES[0]}/report.html", f"{CODES[1]}/trades.csv"):
        assert (rep / name).stat().st_size > 0, name
    assert out["report"] == str(rep / "portfolio.html")
    assert "512890.SH/report.html" in (rep / "portfolio.html").read_text(encoding="utf-8")
    figures = json.loads((rep / "metrics.json").read_text(encoding="utf-8"))
    assert figures["combined"]["trades"] == out["combined"]["trades"]
    # the text output names the pool and each code
    assert main(["backtest", "--portfolio", str(toml), "--data", f"{CODES[1]}={files[CODES[1]]}",
                 "--pool", "200000"]) == 0
    text = capsys.readouterr().out
    assert "pool 200,000.00 CNY" in text and "reserve 50,000.00 CNY" in text and "combined" in text


def test_synthetic_when_no_file(capsys) -> None:
    out = _json(capsys, ["--pool", "300000"])
    assert out["data"] == dict.fromkeys(CODES, "synthetic")
    assert out["codes"][CODES[0]]["trades"] > 0


def test_single_code_command_unchanged(files, capsys) -> None:
    out = _json(capsys, ["--data", str(files[CODES[0]])])
    assert "codes" not in out and out["data"] == str(files[CODES[0]]) and out["trades"] > 0
    assert _json(capsys, [])["trades"] == 167  # the synthetic sample's golden figure


@pytest.mark.parametrize(("argv", "message"), [
    (["--data", "a.csv", "--data", "b.csv"], "need a code each"),
    (["--data", "159201.SZ=a.csv", "--fill", "realistic"], "close fill model only"),
    (["--data", "159201.SZ=a.csv", "--set", "atr_factor=0.3"], "--params and --set"),
    (["--data", "159201.SZ=a.csv", "--sweep", "atr_factor=0.3,0.4"], "not on a portfolio"),
    (["--portfolio", "missing.toml"], "cannot read portfolio"),
    (["--pool", "-5"], "capital must be > 0"),
    (["--pool", "1000", "--reserve", "5000"], "reserve"),
    (["--data", "510300.SH=a.csv"], "no preset ships for this code"),
    (["--data", "159201.SZ=a.csv", "--data", "159201.SZ=b.csv"], "names 159201.SZ twice"),
    (["--data", "159201.SZ=/nonexistent/a.csv"], "file not found"),
    (["--data", "159201.SZ=a.csv", "--data", "b.csv"], "needs CODE=CSV"),
])
def test_errors_exit_2(argv, message, capsys) -> None:
    assert main(["backtest", *argv]) == 2
    err = capsys.readouterr().err
    assert "miniqmt backtest: error:" in err and message in err


def test_toml_errors_exit_2(files, tmp_path, capsys) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(f'[[instruments]]\ncode = "{CODES[0]}"\ndata = "{files[CODES[0]]}"\n'
                    f'[[instruments]]\ncode = "{CODES[1]}"\n', encoding="utf-8")
    assert main(["backtest", "--portfolio", str(toml)]) == 2
    assert "no bar file for 512890.SH" in capsys.readouterr().err
    assert main(["backtest", "--portfolio", str(toml), "--preset", "9层最优解"]) == 2
    assert "each instrument names its preset" in capsys.readouterr().err
    assert main(["backtest", "--portfolio", str(toml), "--data", f"510300.SH={files[CODES[0]]}"]) == 2
    assert "does not list" in capsys.readouterr().err


def test_preset_for_every_code(files, capsys) -> None:
    out = _json(capsys, ["--data", f"510300.SH={files[CODES[0]]}", "--preset", "9层最优解"])
    assert out["codes"]["510300.SH"]["preset"] == "9层最优解"
