"""The live engine: the desktop side's trading loop, Qt-free and headless-capable.

See :mod:`miniqmt_gui.core.live.engine` for :class:`LiveEngine`, the entry point.
"""
