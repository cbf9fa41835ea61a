"""Subcommands of the ``miniqmt`` console script, one module each."""
