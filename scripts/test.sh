#!/usr/bin/env bash
# The whole test suite: lint, types, layering and every test (GUI tests run offscreen).
# Creates .venv and installs what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
echo ">> ruff" >&2
ruff check .
echo ">> mypy" >&2
mypy miniqmt_gui windows_bridge
echo ">> pytest" >&2
export QT_QPA_PLATFORM=offscreen
pytest -q -p no:cacheprovider "$@"
