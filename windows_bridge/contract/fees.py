"""Commission arithmetic (ETFs pay no stamp duty).

:func:`commission` is the one fee formula; the backtest kernel's compiled twin
(``miniqmt_gui.strategy.rules.fee``) is held equal to it by ``tests/protocol/test_arithmetic_twins.py``.
A broker charges it rounded to the fen (:meth:`FeeSchedule.charge`).
"""

from __future__ import annotations

from dataclasses import dataclass


def commission(value: float, rate: float, minimum: float = 0.0) -> float:
    """Commission for a trade of ``value`` CNY: ``rate`` × value, at least ``minimum`` (unrounded)."""
    return max(value * rate, minimum)


@dataclass(frozen=True)
class FeeSchedule:
    """Commission per side: ``rate`` × value, at least ``minimum`` CNY. ETFs pay no stamp duty."""

    rate: float = 0.0001
    minimum: float = 0.0

    def commission(self, value: float) -> float:
        """What a broker charges for a trade of ``value`` CNY: :func:`commission` rounded to the fen."""
        if value <= 0:
            return 0.0
        return round(commission(value, self.rate, self.minimum), 2)
