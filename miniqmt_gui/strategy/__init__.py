"""The grid's rules, parameters, indicators and the compiled backtest kernel: pure and Qt-free.

Owns *what the strategy decides*. Imports nothing of ours but itself (numpy, pandas, numba, pydantic)."""
