"""Write what a demo run needs before any process starts: replay CSV, configs, simulated account.

The replay CSV is the embedded synthetic sample (:mod:`miniqmt_gui.backtest.sample`), cut to
``options.days`` days from ``options.start_day - 1`` and **re-dated** onto the exchange's trading days
after today, so that the first replayed bar lies in the future. Why: the executor judges a quote's age on the
real clock during real market hours (``stale_quote``); a replay of bars dated in the past would be
refused whenever the demo runs between 09:30 and 15:00 Shanghai time. Prices, volumes and the bar
order are untouched; the time of day is kept, so the strategy's time filter sees real session times.
"""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path

import pandas as pd

from miniqmt_gui.backtest.sample import make_sample_bars
from miniqmt_gui.rehearsal.demo.layout import APP, BRIDGE, EXECUTOR, DemoLayout
from miniqmt_gui.rehearsal.demo.options import DemoOptions
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.calendar import trading_days_after, trading_days_before
from windows_bridge.contract.market_hours import as_shanghai, now_shanghai

CODE = "159201.SZ"
BARS_PER_DAY = 240
#: variables of the user's shell that would redirect a child; the demo sets its own
SCRUBBED_ENV = (
    "SHARED_DIR", "QMT_USERDATA_PATH", "ACCOUNT_ID", "ACCOUNT_TYPE", "ORDER_EXECUTOR_SIMULATE",
    "MINIQMT_BROKER", "MINIQMT_STATE_DIR", "MINIQMT_HMAC_KEY_FILE", "MINIQMT_CONFIG", "DASHBOARD_WORK_DIR",
    "MINIQMT_REPLAY_CSV", "MINIQMT_REPLAY_CSVS", "MINIQMT_REPLAY_SPEED", "MINIQMT_REPLAY_START",
    "MINIQMT_REPLAY_SKIP",
    "MINIQMT_SIM_LEDGER", "MINIQMT_SIM_CASH", "MINIQMT_SIM_FILL_RATIO",
)


def new_dates(old_days: list[date], history_days: int, today: date) -> dict[date, date]:
    """Replayed days go to the exchange's trading days after ``today``; history days to those before.

    Trading days, not weekdays: a bar dated on a holiday would meet a closed market in the simulated
    broker and the executor's session check.
    """
    replayed = trading_days_after(today, len(old_days) - history_days)
    return dict(zip(old_days, trading_days_before(replayed[0], history_days) + replayed, strict=True))


def replay_frame(options: DemoOptions, today: date, seed: int | None = None) -> pd.DataFrame:
    """The sample stretch as ``datetime,open,high,low,close,volume`` (re-dated, see the module doc);
    ``seed``: another synthetic sample (a second code of the two-ETF demo)."""
    history_days = options.skip_bars // BARS_PER_DAY
    first = max(0, options.start_day - history_days)
    extra = {} if seed is None else {"seed": seed}
    bars = make_sample_bars(days=first + history_days + options.days, **extra).iloc[first * BARS_PER_DAY:]
    old_days = sorted({ts.date() for ts in bars.index})
    mapping = new_dates(old_days, history_days, today)
    stamps = [pd.Timestamp.combine(mapping[ts.date()], ts.time()) for ts in bars.index]
    frame = bars.reset_index(drop=True)
    frame.insert(0, "datetime", [s.strftime("%Y-%m-%d %H:%M:%S") for s in stamps])
    return frame


def write_replay_csv(layout: DemoLayout, options: DemoOptions) -> float:
    """Write the replay CSV; returns the close of the last history bar (the base position's price)."""
    if options.replay_source:
        frame = pd.read_csv(options.replay_source)
    else:
        frame = replay_frame(options, as_shanghai(now_shanghai()).date())
    frame.to_csv(layout.replay_csv, index=False)
    return float(frame["close"].iloc[max(0, options.skip_bars - 1)])


def write_extra_replays(layout: DemoLayout, options: DemoOptions) -> dict[str, float]:
    """Several codes: each other code's own synthetic replay (seed = its six digits); their base prices."""
    prices = {}
    today = as_shanghai(now_shanghai()).date()
    for code in options.codes[1:]:
        frame = replay_frame(options, today, seed=int(code[:6]))
        frame.to_csv(layout.replay_csv_for(code, False), index=False)
        prices[code] = float(frame["close"].iloc[max(0, options.skip_bars - 1)])
    return prices


def base_shares(options: DemoOptions, price: float) -> int:
    """The Beta base position in whole lots."""
    return int(math.floor(options.base_value / price / 100) * 100) if options.base_value > 0 else 0


def _toml_path(path: Path) -> str:
    return "'" + str(path) + "'"


def _codes_lines(options: DemoOptions) -> list[str]:
    """Top-level keys of a two-ETF demo (nothing for one code: the v1.0.0 config)."""
    if not options.portfolio:
        return []
    return ["codes = [" + ", ".join(f'"{c}"' for c in options.codes) + "]"]


def _risk_lines(options: DemoOptions) -> list[str]:
    lines = ["[risk]", f"max_orders_per_day = {options.max_orders_per_day}",
             f"max_value_per_order = {options.max_value_per_order}"]
    if options.portfolio:
        lines.append("code_whitelist = [" + ", ".join(f'"{c}"' for c in options.codes) + "]")
    return lines


def write_config(layout: DemoLayout, role: str, options: DemoOptions) -> Path:
    """``config.toml`` of the bridge or the executor: fake broker, own state folder, demo limits."""
    state = layout.bridge_state if role == BRIDGE else layout.executor_state
    lines = [
        f"shared_dir = {_toml_path(layout.shared)}",
        f"state_dir = {_toml_path(state)}",
        'broker = "fake"',
        f'code = "{CODE}"',
        *_codes_lines(options),
        f"quote_interval_s = {options.interval_s}",
        f"poll_interval_s = {options.executor_poll_s}",
        f"order_timeout_s = {options.order_timeout_s}",
        "",
        *_risk_lines(options),
        "",
    ]
    path = layout.config(role)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_app_config(layout: DemoLayout, options: DemoOptions, shares: int,
                     others: dict[str, int] | None = None) -> Path:
    """The app's ``config.toml`` (the same file layout every command reads): the demo's folders, the base
    position the simulated account starts with, live route, rehearsal timing."""
    lines = [
        f"shared_dir = {_toml_path(layout.shared)}",
        f"base_shares = {shares}",
        f'code = "{CODE}"',
        *_codes_lines(options),
        "",
        *_risk_lines(options),
        "",
        *(["[base_shares_by_code]", *[f'"{c}" = {n}' for c, n in (others or {}).items()], ""]
          if options.portfolio else []),
        "[app]",
        *([f"pool_reserve = {options.pool_reserve}"] if options.portfolio else []),
        *([f"pool_capital = {options.pool_capital}"] if options.portfolio and options.pool_capital else []),
        f"work_dir = {_toml_path(layout.app_work)}",
        "paper = false",
        "session_only = false",
        f"silent_period_s = {options.silent_period_s}",
        "",
    ]
    path = layout.config(APP)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def seed_account(layout: DemoLayout, options: DemoOptions, shares: int,
                 others: dict[str, int] | None = None) -> None:
    """Create the simulated account: cash plus the base positions (bought before the replay)."""
    start = pd.read_csv(layout.replay_csv, nrows=options.skip_bars + 1)["datetime"].iloc[-1]
    first_day = pd.Timestamp(start).tz_localize("Asia/Shanghai").to_pydatetime()
    positions = {code: n for code, n in {CODE: shares, **(others or {})}.items() if n}
    broker = SimBroker(
        layout.ledger, initial_cash=options.cash, initial_positions=positions or None,
        fill_ratio=options.fill_ratio, clock=lambda: first_day,
    )
    broker.close()


def child_env(layout: DemoLayout, options: DemoOptions, replay_start: float, role: str) -> dict[str, str]:
    """The environment of one child process: the fake's replay and account, nothing of the user's."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update({
        "MINIQMT_REPLAY_CSV": str(layout.replay_csv),
        "MINIQMT_REPLAY_SPEED": repr(options.speed),
        "MINIQMT_REPLAY_START": repr(replay_start),
        "MINIQMT_REPLAY_SKIP": str(options.skip_bars),
        "MINIQMT_SIM_LEDGER": str(layout.ledger),
        "MINIQMT_SIM_CASH": repr(options.cash),
        "MINIQMT_SIM_FILL_RATIO": repr(options.fill_ratio),
        "PYTHONUNBUFFERED": "1",
    })
    if options.portfolio:
        env["MINIQMT_REPLAY_CSVS"] = ";".join(f"{c}={layout.replay_csv_for(c, False)}"
                                              for c in options.codes[1:])
    env["MINIQMT_CONFIG"] = str(layout.config(role if role in (BRIDGE, EXECUTOR) else APP))
    if role not in (BRIDGE, EXECUTOR):
        env["DASHBOARD_WORK_DIR"] = str(layout.app_work)
        env["SHARED_DIR"] = str(layout.shared)
    return env


def prepare(layout: DemoLayout, options: DemoOptions) -> int:
    """Create the folder and write everything; returns the base position in shares."""
    layout.create()
    price = write_replay_csv(layout, options)
    shares = base_shares(options, price)
    others = {code: base_shares(options, p) for code, p in write_extra_replays(layout, options).items()}
    write_config(layout, BRIDGE, options)
    write_config(layout, EXECUTOR, options)
    write_app_config(layout, options, shares, others)
    seed_account(layout, options, shares, others)
    return shares


def other_base_shares(layout: DemoLayout, options: DemoOptions) -> dict[str, int]:
    """The other codes' base positions as the prepared app config says (two-ETF demo)."""
    from windows_bridge.contract.config import load_settings

    cfg = load_settings(layout.config(APP), env={})
    return {code: cfg.base_shares_for(code) or 0 for code in options.codes[1:]}
