"""Frozen entry point of ``miniqmt-bridge`` (Windows, console, no Qt)."""

from windows_bridge.bridge.main import main

raise SystemExit(main())
