"""The order executor: intake, pre-trade checks, journal, placement, tracking, recovery, results, owner lock.

Owns *exactly once*. May import ``windows_bridge.contract`` and the broker interface/factory; the
desktop app runs it in-process for paper trading."""
