"""The bridge producer: QMT quotes, bars, position and asset → ``shared_quote.json``; its command line.

Owns *what the app sees of the market and the account*. May import ``windows_bridge.contract`` and
the brokers (interface, xtquant market data, factory)."""
