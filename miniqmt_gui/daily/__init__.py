"""The trading day around the strategy: end-of-day reconciliation and the daily report (Qt-free).

Owns matching the broker's trades (the bridge's after-close export) to the day's signals and results
(the decision journal), the per-day CSV/HTML/PNG report and its history folder. May import
``miniqmt_gui.live`` (journal, settings, book), ``miniqmt_gui.strategy`` and ``windows_bridge.contract``.
"""
