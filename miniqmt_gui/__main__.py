"""``python -m miniqmt_gui`` runs the ``miniqmt`` command."""

from miniqmt_gui.cli import main

raise SystemExit(main())
