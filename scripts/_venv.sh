# Sourced by the top-level scripts: make sure .venv exists and holds what pyproject.toml asks for.
# Re-installs only when pyproject.toml changed since the last install (a stamp in .venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MINIQMT_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
EXTRAS="${MINIQMT_EXTRAS:-windows,test}"

if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "miniqmt needs Python 3.11 or newer (found: $("$PY" --version 2>&1)). Set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo ">> creating virtual environment in $VENV" >&2
    "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.miniqmt-installed-$EXTRAS"
WANT="$(cat "$ROOT/pyproject.toml" | cksum)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo ">> installing miniqmt[$EXTRAS] into $VENV (first run takes a few minutes)" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$EXTRAS]"
    echo "$WANT" > "$STAMP"
fi
# The compiled loops are built ahead of time, here, so that no run ever waits for numba to compile;
# rebuilt only when their sources changed (about a minute when it does).
"$VENV/bin/python" -m miniqmt_gui.strategy.build_compiled --if-stale \
    || echo ">> warning: the compiled loops could not be built (a C compiler is needed); backtests fall back to numba's JIT" >&2
export PATH="$VENV/bin:$PATH"
