"""The grid's rules, parameters, indicators, the compiled backtest kernels and the portfolio description
(instruments, presets, the shared pool and its rule): pure and Qt-free.

Owns *what the strategy decides*. Imports nothing of ours but itself (numpy; pandas only for the live
DataFrame helpers; numba only when the loops are not prebuilt, see ``compiled``)."""
