"""Frozen entry point of ``miniqmt-executor`` (Windows, console, no Qt)."""

from windows_bridge.order_executor import main

raise SystemExit(main())
