"""Commission arithmetic (ETFs pay no stamp duty)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeeSchedule:
    """Commission per side: ``rate`` × value, at least ``minimum`` CNY. ETFs pay no stamp duty."""

    rate: float = 0.0001
    minimum: float = 0.0

    def commission(self, value: float) -> float:
        """Fee in CNY for a trade of ``value`` CNY, rounded to the fen."""
        if value <= 0:
            return 0.0
        return round(max(value * self.rate, self.minimum), 2)
