"""A faithful fake of ``xtquant.xttrader`` and ``xtquant.xtdata`` for tests and the offline demo.

* :class:`FakeQmt` — the simulated QMT terminal (account + matching engine = ``SimBroker``,
  fault injection, replay-fed quotes); ``FakeQmt(...).install(path)`` makes
  ``XtQuantTrader(path, session)`` connect to it.
* :class:`XtQuantTrader`, :class:`XtQuantTraderCallback` — the ``xttrader`` API.
* :class:`FakeXtData` — the ``xtdata`` API over a :class:`.replay.ReplaySource`.

Imports the simulated broker, the broker interface and the contract. Objects are the real
``xtquant.xttype`` classes with real ``xtquant.xtconstant`` values.
"""

from windows_bridge.brokers.xtquant.fake.dispatcher import CallbackDeadlock, CallbackDispatcher
from windows_bridge.brokers.xtquant.fake.terminal import FakeQmt, lookup_terminal
from windows_bridge.brokers.xtquant.fake.xtdata import FakeXtData, XtDataUnavailable
from windows_bridge.brokers.xtquant.fake.xttrader import XtQuantTrader, XtQuantTraderCallback

__all__ = [
    "CallbackDeadlock",
    "CallbackDispatcher",
    "FakeQmt",
    "FakeXtData",
    "XtDataUnavailable",
    "XtQuantTrader",
    "XtQuantTraderCallback",
    "lookup_terminal",
]
