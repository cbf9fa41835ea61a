"""Portfolio backtest: several codes on one clock, one shared cash pool, the ``close`` fill model.

Usage::

    from miniqmt_gui.backtest.portfolio import run_portfolio_backtest
    from miniqmt_gui.strategy.portfolio import default_portfolio
    result = run_portfolio_backtest({"159201.SZ": bars_a, "512890.SH": bars_b}, default_portfolio())
    result.codes["512890.SH"].metrics, result.combined, result.trades(), result.blocked

Each code's indicators are computed on its own bars (its own warm-up); the clock is the union of the
remaining bar times, and a code with no bar at a time does not evaluate then. At one time the codes
evaluate in portfolio order. Each grid draws layer cash from the pool: a first layer that would take free
cash below the reserve is not made, nor a further layer the free cash cannot pay (see
:mod:`miniqmt_gui.strategy.pool`); sells are always made. Every refusal is counted per code and listed
in :attr:`PortfolioResult.blocked`.

Per code the result is a :class:`BacktestResult` with the single-code metrics plus
``reserve_blocked_buys``, ``pool_blocked_buys`` and ``pool_utilisation`` (the code's deployed capital /
pool capital, averaged over the clock's bar times). With a pool that never refuses, each code's result
equals the single-code ``close`` backtest's exactly. Combined figures: :func:`combined_metrics`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from miniqmt_gui.backtest.data import TZ
from miniqmt_gui.backtest.run import BacktestResult, metrics_for
from miniqmt_gui.strategy import portfolio_kernel as K
from miniqmt_gui.strategy import slots as L
from miniqmt_gui.strategy.indicators import PreparedBars, prepare
from miniqmt_gui.strategy.pool import POOL_REASONS
from miniqmt_gui.strategy.portfolio import Instrument, Portfolio, PortfolioError

FILL = "close"
#: figures that add up over the codes
SUMMED = ("trades", "buys", "sells", "alpha_cny", "beta_cny", "fees_cny", "exhaust_count", "cycles",
          "forced_stops", "open_lots", "reserve_blocked_buys", "pool_blocked_buys", "blocked_bars")


@dataclass
class PortfolioResult:
    """Everything one portfolio backtest produced."""

    portfolio: Portfolio
    codes: dict[str, BacktestResult]
    combined: dict[str, Any]
    #: per clock time: combined Alpha, deployed capital (cost of open lots), free cash of the pool
    pool_curve: pd.DataFrame
    #: buy decisions the pool refused (first refusal; ``bars`` = bars it stayed refused): time, code,
    #: layer, shares, price, free_cash, reason (reserve | pool_cash), bars
    blocked: pd.DataFrame
    elapsed_s: float
    fill: str = FILL

    def trades(self) -> pd.DataFrame:
        """Every code's trades in time order (portfolio order at equal times), with a ``code`` column."""
        frames = [r.trades.assign(code=code) for code, r in self.codes.items()]
        table = pd.concat(frames, ignore_index=True)
        order = np.lexsort((np.repeat(np.arange(len(frames)), [len(f) for f in frames]),
                            pd.DatetimeIndex(table["time"]).as_unit("ns").asi8))
        columns = ["time", "code", *[c for c in table.columns if c not in ("time", "code")]]
        return table.iloc[order][columns].reset_index(drop=True)

    def code_table(self, keys: tuple[str, ...]) -> pd.DataFrame:
        """One row per code and a ``combined`` row with the chosen figures."""
        rows = {code: {k: r.metrics.get(k) for k in keys} for code, r in self.codes.items()}
        rows["combined"] = {k: self.combined.get(k) for k in keys}
        return pd.DataFrame.from_dict(rows, orient="index")


#: the per-bar arrays the compiled loop reads, in its argument order
KERNEL_SERIES = (("close", np.float64), ("atr", np.float64), ("atr_avg", np.float64), ("slope", np.float64),
                 ("rsi", np.float64), ("seconds", np.int64), ("day", np.int64))


@dataclass(frozen=True)
class _Packed:
    """The codes' prepared bars concatenated in portfolio order, and the event order on the clock."""

    bars: list[PreparedBars]
    series: tuple[np.ndarray, ...]  # KERNEL_SERIES, every code's rows one after the other
    code_of_row: np.ndarray
    start: np.ndarray
    ev_row: np.ndarray
    ev_slot: np.ndarray
    clock: pd.DatetimeIndex
    prms: np.ndarray
    caps: np.ndarray
    n_layers: np.ndarray

    @property
    def rows(self) -> int:
        """Bars of all codes together."""
        return int(self.code_of_row.size)


def pack(prepared: Mapping[str, PreparedBars], portfolio: Portfolio) -> _Packed:
    """Arrange prepared bars (one entry per portfolio code) for the compiled loop."""
    bars = [prepared[code] for code in portfolio.codes]
    for code, pb in zip(portfolio.codes, bars, strict=True):
        if len(pb) == 0:
            raise ValueError(f"{code}: no bars left after the indicator warm-up")
    lengths = np.array([len(pb) for pb in bars], dtype=np.int64)
    code_of_row = np.repeat(np.arange(len(bars), dtype=np.int64), lengths)
    times = np.concatenate([pd.DatetimeIndex(pb.index).as_unit("ns").asi8 for pb in bars])
    clock_ns = np.unique(times)
    slot_of_row = np.searchsorted(clock_ns, times).astype(np.int64)
    ev_row = np.lexsort((code_of_row, slot_of_row)).astype(np.int64)
    params = [inst.params for inst in portfolio.instruments]
    n_layers = np.array([p.max_layers for p in params], dtype=np.int64)
    caps = np.zeros((len(params), int(n_layers.max())))
    for c, p in enumerate(params):
        caps[c, : p.max_layers] = p.layer_capitals()
    series = tuple(np.ascontiguousarray(np.concatenate([getattr(pb, name) for pb in bars]), dtype=dtype)
                   for name, dtype in KERNEL_SERIES)
    return _Packed(
        bars=bars, series=series, code_of_row=code_of_row,
        start=np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64), ev_row=ev_row,
        ev_slot=np.ascontiguousarray(slot_of_row[ev_row]),
        clock=pd.DatetimeIndex(pd.to_datetime(clock_ns, utc=True)).tz_convert(TZ),
        prms=np.stack([p.to_vector() for p in params]), caps=caps, n_layers=n_layers,
    )


@dataclass
class _Raw:
    """What the compiled loop returns and writes."""

    summary: np.ndarray
    pool: np.ndarray
    combined: np.ndarray
    rec_f: np.ndarray
    rec_i: np.ndarray
    alpha: np.ndarray
    layers: np.ndarray
    blk_f: np.ndarray
    blk_i: np.ndarray
    curve: np.ndarray


def simulate(pk: _Packed, portfolio: Portfolio, record: bool = True) -> _Raw:
    """Run the compiled portfolio loop on packed bars."""
    rows, slots, n_codes = pk.rows, len(pk.clock), len(pk.bars)
    cap = 2 * max(len(pb) for pb in pk.bars) + 2 if record else 0
    events = rows if record else 0
    raw = _Raw(
        summary=np.zeros(0), pool=np.zeros(0), combined=np.zeros(0),
        rec_f=np.zeros((n_codes, cap, 4)), rec_i=np.zeros((n_codes, cap, 4), dtype=np.int64),
        alpha=np.zeros(rows if record else 0), layers=np.zeros(rows if record else 0, dtype=np.int64),
        blk_f=np.zeros((events, 3)), blk_i=np.zeros((events, 5), dtype=np.int64),
        curve=np.zeros((slots if record else 0, 3)),
    )
    equity_base = portfolio.pool.capital + sum(i.params.base_capital for i in portfolio.instruments)
    close, atr, atr_avg, slope, rsi, seconds, day = pk.series
    raw.summary, raw.pool, raw.combined = K.run_portfolio(
        close, atr, atr_avg, slope, rsi, seconds, day, pk.code_of_row, pk.start, pk.ev_row, pk.ev_slot,
        pk.prms, pk.caps, pk.n_layers, portfolio.pool.capital, portfolio.pool.reserve, equity_base, record,
        raw.rec_f, raw.rec_i, raw.alpha, raw.layers, raw.blk_f, raw.blk_i, raw.curve)
    return raw


_compiled: list[float] = []


def warm_up() -> float:
    """Compile (or load from the cache) the portfolio loop once; returns the seconds it took."""
    if not _compiled:
        from miniqmt_gui.strategy.params import StrategyParams
        from miniqmt_gui.strategy.pool import Pool

        start = time.perf_counter()
        index = pd.date_range("2024-01-02 10:00", periods=3, freq="min", tz=TZ)
        one = np.ones(3)
        pb = PreparedBars(utc_ns=index.as_unit("ns").asi8.copy(), open=one, high=one, low=one,
                          close=one.copy(), atr=one * 0,
                          atr_avg=one.copy(), slope=one * 0, rsi=one * 50, warmup_rows=0,
                          seconds=np.full(3, 36000, dtype=np.int64), day=np.full(3, 20240102, dtype=np.int64))
        tiny = Portfolio((Instrument("159201.SZ", StrategyParams()),), Pool(1.0))
        simulate(pack({"159201.SZ": pb}, tiny), tiny)
        _compiled.append(time.perf_counter() - start)
    return _compiled[0]


def _code_result(inst: Instrument, pk: _Packed, raw: _Raw, c: int, extra: dict[str, Any],
                 elapsed: float) -> BacktestResult:
    """The single-code result of code ``c`` (its own bars, trades and curves) plus its pool figures."""
    pb, summary = pk.bars[c], raw.summary[c]
    metrics = metrics_for(pb, inst.params, summary)
    metrics["bars"] = len(pb)
    metrics["elapsed_s"] = elapsed
    metrics.update(extra)
    k = int(summary[L.S_N_TRADES_REC])
    rows = slice(int(pk.start[c]), int(pk.start[c]) + len(pb))
    return BacktestResult(
        params=inst.params, fill=FILL, bars=pb, summary=summary, metrics=metrics,
        rec_f=raw.rec_f[c, :k], rec_i=raw.rec_i[c, :k], alpha=raw.alpha[rows],
        layer_counts=raw.layers[rows], elapsed_s=elapsed,
        extra={"code": inst.code, "name": inst.name, "preset": inst.preset},
    )


def _calendar_days(clock: pd.DatetimeIndex) -> float:
    return max((clock[-1] - clock[0]).total_seconds() / 86400.0, 1.0)


def combined_metrics(codes: Mapping[str, BacktestResult], raw: _Raw, pk: _Packed,
                     portfolio: Portfolio) -> dict[str, Any]:
    """Portfolio figures: sums over the codes, and the pool's own.

    ``max_drawdown`` is the worst fall of (pool capital + every base capital + combined Alpha − combined
    Alpha at the first clock time) from its running peak, each code marked at its last close;
    ``pool_utilisation`` = deployed capital (cost of all open lots) / pool capital, averaged over the
    clock's bar times; ``pool_annualized`` = combined Alpha / pool capital × 365 / calendar days.
    """
    out: dict[str, Any] = {"codes": len(codes)}
    for key in SUMMED:
        out[key] = sum(r.metrics[key] for r in codes.values())
    pool, comb = portfolio.pool, raw.combined
    slots = max(int(comb[K.C_SLOTS]), 1)
    out |= {
        "total_cny": out["alpha_cny"] + out["beta_cny"],
        "max_drawdown": float(comb[K.C_MAX_DD]),
        "pool_capital": pool.capital,
        "reserve": pool.reserve,
        "pool_utilisation": float(comb[K.C_UTIL_SUM]) / slots / pool.capital,
        "max_deployed_cny": float(comb[K.C_MAX_DEPLOYED]),
        "min_free_cash_cny": float(comb[K.C_MIN_FREE]),
        "pool_annualized": out["alpha_cny"] / pool.capital * 365.0 / _calendar_days(pk.clock),
        "bars": len(pk.clock),
    }
    return out


def _blocked_frame(pk: _Packed, raw: _Raw, portfolio: Portfolio) -> pd.DataFrame:
    n = int(raw.combined[K.C_N_BLOCKED_REC])
    bi, bf = raw.blk_i[:n], raw.blk_f[:n]
    codes = portfolio.codes
    pairs = zip(bi[:, K.BI_CODE].tolist(), bi[:, K.BI_BAR].tolist(), strict=True)
    times = [pk.bars[c].index[j] for c, j in pairs]
    return pd.DataFrame({
        "time": pd.DatetimeIndex(times, tz=TZ) if times else pd.DatetimeIndex([], tz=TZ),
        "code": [codes[c] for c in bi[:, K.BI_CODE].tolist()],
        "layer": bi[:, K.BI_LAYER],
        "shares": bf[:, 0].astype(np.int64),
        "price": bf[:, 1],
        "free_cash": bf[:, 2],
        "reason": [POOL_REASONS[int(v)] for v in bi[:, K.BI_REASON]],
        "bars": bi[:, K.BI_BARS],
    })


def _check_codes(given: Mapping[str, Any], portfolio: Portfolio) -> None:
    missing = [code for code in portfolio.codes if code not in given]
    if missing:
        raise PortfolioError(f"no bars for {', '.join(missing)}")
    extra = sorted(set(given) - set(portfolio.codes))
    if extra:
        raise PortfolioError(f"bars given for {', '.join(extra)}, which the portfolio does not list")


def run_prepared_portfolio(prepared: Mapping[str, PreparedBars], portfolio: Portfolio) -> PortfolioResult:
    """Backtest the portfolio on prepared bars (one entry per portfolio code)."""
    _check_codes(prepared, portfolio)
    pk = pack(prepared, portfolio)
    warm_up()
    started = time.perf_counter()
    raw = simulate(pk, portfolio)
    elapsed = time.perf_counter() - started
    slots = max(len(pk.clock), 1)
    codes: dict[str, BacktestResult] = {}
    for c, inst in enumerate(portfolio.instruments):
        figures = {
            "reserve_blocked_buys": int(raw.pool[c, K.P_RESERVE_BLOCKED]),
            "pool_blocked_buys": int(raw.pool[c, K.P_CASH_BLOCKED]),
            "blocked_bars": int(raw.pool[c, K.P_BLOCKED_BARS]),
            "pool_utilisation": float(raw.pool[c, K.P_POOL_UTIL_SUM]) / slots / portfolio.pool.capital,
        }
        codes[inst.code] = _code_result(inst, pk, raw, c, figures, elapsed)
    combined = combined_metrics(codes, raw, pk, portfolio) | {"elapsed_s": elapsed}
    curve = pd.DataFrame(raw.curve, index=pk.clock, columns=["alpha", "deployed", "free_cash"])
    return PortfolioResult(portfolio=portfolio, codes=codes, combined=combined, pool_curve=curve,
                           blocked=_blocked_frame(pk, raw, portfolio), elapsed_s=elapsed)


def run_portfolio_backtest(bars: Mapping[str, pd.DataFrame], portfolio: Portfolio, fill: str = FILL,
                           ) -> PortfolioResult:
    """Compute each code's indicators on its own bars and backtest the portfolio."""
    if fill != FILL:
        raise ValueError(f"the portfolio backtest has the close fill model only (got {fill!r})")
    _check_codes(bars, portfolio)
    prepared = {inst.code: prepare(bars[inst.code], inst.params) for inst in portfolio.instruments}
    return run_prepared_portfolio(prepared, portfolio)
