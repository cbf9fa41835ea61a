"""The demo's knobs, with defaults chosen so that two minutes show several signals and fills.

* ``speed`` 90: one and a half replayed minutes per wall second, so two minutes cover about three
  hours of the session (the sample's grid trades every few bars there).
* ``interval`` 0.25 s between bridge cycles: the engine sees a fresh price every 22 replayed seconds.
* ``fill_ratio`` 0.5: the simulated broker fills half of an order's rest per matching quote, so
  partial fills (and the occasional part-cancel after ``order_timeout_s``) appear.
* ``start_day`` 45 with ``skip`` 240: the replay starts at the open of the sample's day 45 (an
  active, two-sided stretch: about ten signals in two minutes) and day 44 is the 1-minute history
  (≥ 120 bars) the indicators need at once.
* ``order_timeout_s`` 8 s (12 replayed minutes) before the executor cancels the rest.
* ``base_value`` 300,000 CNY: the Beta base position the account starts with, so a lot bought today
  can be sold today (T+1 is checked on the account, as with a real base position).
* ``codes``: one code (the v1.0.0 demo) or, with ``miniqmt demo --two-etfs``, 159201.SZ and 512890.SH —
  each replaying its own synthetic sample (the second drawn with seed 512890, labelled synthetic like the
  first), one engine per code sharing one capital pool (``pool_reserve`` 50,000 CNY).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SPEED = 90.0
DEFAULT_INTERVAL_S = 0.25
DEFAULT_FILL_RATIO = 0.5


@dataclass(frozen=True)
class DemoOptions:
    """How one demo run is set up (see the module docstring for the defaults)."""

    speed: float = DEFAULT_SPEED
    interval_s: float = DEFAULT_INTERVAL_S
    fill_ratio: float = DEFAULT_FILL_RATIO
    start_day: int = 45
    days: int = 8
    skip_bars: int = 240
    base_value: float = 300_000.0
    cash: float = 1_000_000.0
    order_timeout_s: float = 8.0
    silent_period_s: float = 8.0
    executor_poll_s: float = 0.02
    engine_poll_s: float = 0.05
    lead_s: float = 6.0
    max_orders_per_day: int = 100_000
    max_value_per_order: float = 300_000.0
    #: strategy parameter overrides for the engine (``name=value``); empty = the default preset
    params: tuple[str, ...] = ()
    #: replay this bar CSV (same layout) instead of the embedded sample (benchmarks)
    replay_source: str = ""
    #: the traded codes in order (the first keeps the v1.0.0 file names)
    codes: tuple[str, ...] = ("159201.SZ",)
    #: several codes: no new first layer below this much free pool cash (CNY)
    pool_reserve: float = 50_000.0
    #: the engine re-writes a pending signal after this many seconds without a result (None: its 120 s)
    pending_timeout_s: float | None = None
    #: several codes: the pool's capital (CNY); None = the default (the sum of the presets' flow capital)
    pool_capital: float | None = None

    @property
    def portfolio(self) -> bool:
        """More than one code."""
        return len(self.codes) > 1
