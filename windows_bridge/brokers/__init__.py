"""Brokers behind one interface: the simulated broker, the xtquant adapter and its fake, the factory.

Owns *talking to a broker*. Sub-packages import ``windows_bridge.contract`` and the interface; the
fake runs on the simulated broker; only the factory knows every implementation."""
