"""Backtests: data loading, runs, sweeps, metrics, reports and the embedded synthetic sample.

Owns *running the strategy over history*. Imports ``miniqmt_gui.strategy`` only."""
