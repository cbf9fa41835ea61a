"""Headless Windows-side processes of miniqmt and the shared-folder contract they serve.

Owns the contract, the executor, the bridge and the brokers. Imports neither Qt nor ``miniqmt_gui``;
the Windows-only ``xtquant.xttrader``/``xtdata`` are imported in ``brokers/xtquant/loader.py`` only."""

from windows_bridge.contract.version import __version__

__all__ = ["__version__"]
