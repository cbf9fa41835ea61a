"""Subcommands of the ``miniqmt`` console script, one module each.

Owns argument parsing and wiring. May import everything in ``miniqmt_gui``; Qt and the UI only inside
functions, so the Qt-free commands start without loading Qt."""
