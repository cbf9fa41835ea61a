"""The grid's rules, parameters, indicators and the compiled backtest kernel: pure and Qt-free.

Owns *what the strategy decides*. Imports nothing of ours but itself (numpy; pandas only for the live
DataFrame helpers; numba only when the loops are not prebuilt, see ``compiled``)."""
