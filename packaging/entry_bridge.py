"""Frozen entry point of ``miniqmt-bridge`` (Windows, console, no Qt)."""

from windows_bridge.bridge_producer import main

raise SystemExit(main())
