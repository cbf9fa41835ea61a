"""miniQMT through ``xtquant``: execution (``XtBroker``), market data, conversions, call watchdog, loader.

Owns the xtquant adapter; ``loader.py`` is the one place that imports ``xttrader``/``xtdata``. Imports
the broker interface and the contract; ``fake/`` also imports the simulated broker."""
