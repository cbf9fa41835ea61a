"""Rehearsals: the demo chain, the offline stages, self-check and crash torture (product features).

Owns *trying everything offline*. May import strategy, backtest, live and every ``windows_bridge`` room
except the xtquant adapter; never Qt."""
