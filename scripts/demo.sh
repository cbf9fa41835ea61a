#!/usr/bin/env bash
# The main job on an embedded default: no QMT, no data files needed.
# Creates .venv and installs what it needs on first use. Extra arguments go to `miniqmt demo`.
# It shows the portfolio: two synthetic ETFs sharing one capital pool (`miniqmt demo` alone runs one).
set -euo pipefail
cd "$(dirname "$0")/.."
# the main job installs what it needs (the app + the xtquant wheel for the fake QMT), not the test tools
export MINIQMT_EXTRAS="${MINIQMT_EXTRAS:-windows}"
source scripts/_venv.sh
exec miniqmt demo --two-etfs "$@"
