"""Frozen entry point of ``miniqmt-executor`` (Windows, console, no Qt)."""

from windows_bridge.executor.main import main

raise SystemExit(main())
