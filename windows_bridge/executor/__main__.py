"""``python -m windows_bridge.executor`` runs the process."""

import sys

from windows_bridge.executor.main import main

sys.exit(main())
