"""``python -m windows_bridge.bridge`` runs the process."""

import sys

from windows_bridge.bridge.main import main

sys.exit(main())
