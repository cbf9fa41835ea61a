#!/usr/bin/env bash
# The main job on an embedded default: no QMT, no data files needed.
# Creates .venv and installs what it needs on first use. Extra arguments go to `miniqmt demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
exec miniqmt demo "$@"
