"""The compiled indicator loops equal pandas bit for bit (pandas is the reference, SPEC §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniqmt_gui.backtest.data import load_bars
from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.strategy import compiled
from miniqmt_gui.strategy.indicators import compute_indicators
from miniqmt_gui.strategy.params import StrategyParams

from .helpers import SHARED_FILE, shared_data_dir

KERNELS = {"aot": compiled.kernels, "jit": compiled._jit}


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal arrays, NaN where NaN, and every defined value to the bit (so -0.0 != 0.0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    nan = np.isnan(a)
    return bool(a.shape == b.shape and (nan == np.isnan(b)).all() and (a[~nan].view(np.int64)
                                                                      == b[~nan].view(np.int64)).all())


def pandas_indicators(bars: pd.DataFrame, p: StrategyParams) -> pd.DataFrame:
    """The indicators written with pandas, as the original plan computed them."""
    close = bars["close"]
    prev = close.shift(1)
    tr = pd.Series(np.maximum(np.maximum((bars["high"] - bars["low"]).to_numpy(),
                                         (bars["high"] - prev).abs().to_numpy()),
                              (bars["low"] - prev).abs().to_numpy()), index=bars.index)
    atr = tr.rolling(p.atr_period).mean()
    ma = close.rolling(p.ma_period).mean()
    delta = close.diff()
    gains = delta.clip(lower=0).rolling(p.rsi_period).mean()
    losses = (-delta).clip(lower=0).rolling(p.rsi_period).mean()
    rsi = 100 - 100 / (1 + gains / losses)
    return pd.DataFrame({
        "atr": atr, "atr_avg": atr.rolling(p.atr_avg_period).mean().shift(1), "ma": ma,
        "slope": (ma.diff(p.slope_lag) / ma.shift(p.slope_lag)).ewm(span=p.slope_span, adjust=False).mean(),
        "rsi": rsi.mask(rsi.isna() & gains.notna() & losses.notna(), 100.0),
    }, index=bars.index)


def _check(bars: pd.DataFrame, p: StrategyParams) -> None:
    ours, ref = compute_indicators(bars, p), pandas_indicators(bars, p)
    for name in ref.columns:
        assert same_bits(ours[name].to_numpy(), ref[name].to_numpy()), name


@pytest.mark.parametrize("windows", [{}, {"atr_period": 3, "ma_period": 7, "slope_lag": 2, "slope_span": 5,
                                          "atr_avg_period": 4, "rsi_period": 2},
                                     {"atr_period": 1, "ma_period": 1, "atr_avg_period": 1, "rsi_period": 1}])
@pytest.mark.parametrize("threads", [1, 2])
def test_indicators_equal_pandas_on_the_sample(windows: dict[str, int], threads: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """On one thread, and with the moving average's rows on a second (as a long history is computed)."""
    from miniqmt_gui.strategy import indicators

    monkeypatch.setattr(indicators, "PARALLEL_BARS", 0 if threads == 2 else 10**9)
    monkeypatch.setattr(indicators.os, "cpu_count", lambda: threads)
    _check(make_sample_bars(days=20), StrategyParams(**windows))


def test_a_helper_thread_failure_is_raised_not_left_as_empty_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from miniqmt_gui.strategy import indicators
    from miniqmt_gui.strategy.slots import PART_TREND

    real = compiled.kernels()

    def rows(*args: object) -> int:
        if args[-2] == PART_TREND:
            raise MemoryError("no room for the moving average")
        return int(real.indicator_rows(*args))

    monkeypatch.setattr(indicators.compiled, "kernels", lambda: SimpleNamespace(indicator_rows=rows))
    monkeypatch.setattr(indicators, "PARALLEL_BARS", 0)
    monkeypatch.setattr(indicators.os, "cpu_count", lambda: 2)
    with pytest.raises(MemoryError, match="moving average"):
        compute_indicators(make_sample_bars(days=2), StrategyParams())


@pytest.mark.shared_data
def test_indicators_equal_pandas_on_market_data() -> None:
    path = shared_data_dir() / SHARED_FILE
    if not path.exists():
        pytest.skip("shared market data not present")
    _check(load_bars(path), StrategyParams())


VALUES = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 1.001, 0.999, 1e-9, np.nan, np.inf, -np.inf, -1.5]),
                   st.floats(-5, 5, allow_nan=False), st.floats(0.9, 1.1, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=60), st.integers(1, 8), st.sampled_from(["aot", "jit"]))
def test_rolling_mean_and_ewm_equal_pandas(values: list[float], window: int, backend: str) -> None:
    arr = np.array(values, dtype=np.float64)
    series = pd.Series(arr)
    from miniqmt_gui.strategy.rolling import ewm_mean, rolling_mean

    assert same_bits(rolling_mean(arr, window), series.rolling(window).mean().to_numpy())
    assert same_bits(ewm_mean(arr, float(window)), series.ewm(span=window, adjust=False).mean().to_numpy())
    # the whole indicator matrix through the chosen backend, on a price-like path
    prices = 1 + np.nan_to_num(np.abs(arr), nan=0.5, posinf=0.5, neginf=0.5) / 10
    bars = pd.DataFrame({"open": prices, "high": prices + 0.002, "low": prices - 0.002, "close": prices})
    k = KERNELS[backend]()
    m = k.indicator_matrix(bars["high"].to_numpy(), bars["low"].to_numpy(), bars["close"].to_numpy(),
                           window, window + 1, 2, 3, window, window)
    ref = pandas_indicators(bars, StrategyParams(atr_period=window, ma_period=window + 1, slope_lag=2,
                                                 slope_span=3, atr_avg_period=window, rsi_period=window))
    for row, name in enumerate(("atr", "atr_avg", "ma", "slope", "rsi")):
        assert same_bits(m[row], ref[name].to_numpy()), name


def test_ties_and_constant_runs_follow_pandas() -> None:
    # constant runs (pandas returns the value itself), a run of zero losses (RSI 100) and signed zeros
    arr = np.array([1.0] * 20 + [1.1, 1.0] * 10 + [0.3] * 15 + [0.1, 0.2, 0.3] * 5)
    from miniqmt_gui.strategy.rolling import ewm_mean, rolling_mean

    for w in (2, 3, 14):
        assert same_bits(rolling_mean(arr, w), pd.Series(arr).rolling(w).mean().to_numpy())
    assert same_bits(ewm_mean(arr, 3.0), pd.Series(arr).ewm(span=3, adjust=False).mean().to_numpy())
    index = pd.date_range("2024-01-02 09:31", periods=arr.size, freq="min", tz="Asia/Shanghai")
    bars = pd.DataFrame({"open": arr + 1, "high": arr + 1, "low": arr + 1, "close": arr + 1}, index=index)
    _check(bars, StrategyParams(atr_period=3, ma_period=5, atr_avg_period=3, rsi_period=3))
