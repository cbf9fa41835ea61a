#!/usr/bin/env bash
# Build the desktop bundle with PyInstaller and prove it works from inside the bundle.
#   bash packaging/build.sh            # desktop app (macOS: dist/miniqmt.app; Linux/Windows: dist/miniqmt/)
#   bash packaging/build.sh --windows  # the two Windows console processes (run this on Windows)
# Prints the bundle size and start-up time, then runs `offline-test` offscreen from the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
MINIQMT_EXTRAS="windows,test,package" source scripts/_venv.sh

if [ "${1:-}" = "--windows" ]; then
    pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/miniqmt_windows.spec
    du -sh dist/miniqmt-windows
    exit 0
fi

# the bundle has no numba: the prebuilt loops must exist and be current (fails here otherwise)
python -m miniqmt_gui.strategy.build_compiled --if-stale
python -c "from miniqmt_gui.strategy import compiled; assert compiled.backend() == 'aot'"
pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging/miniqmt.spec
if [ -d dist/miniqmt.app ]; then
    BIN=dist/miniqmt.app/Contents/MacOS/miniqmt
    BUNDLE=dist/miniqmt.app
else
    BIN=dist/miniqmt/miniqmt
    BUNDLE=dist/miniqmt
fi
if [ "$(uname)" = "Linux" ] && command -v strip >/dev/null; then
    # symbols are not needed at run time; the wheels' own *.libs folders stay as they are (a stripped
    # auditwheel library, e.g. numpy's OpenBLAS, no longer loads)
    find "$BUNDLE" -type f -name "*.so*" -not -path "*.libs/*" -exec strip --strip-unneeded {} + 2>/dev/null || true
fi
echo ">> bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1)); no numba or llvmlite inside: $(find "$BUNDLE" -iname '*llvmlite*' -o -iname 'numba' | wc -l) files"
export QT_QPA_PLATFORM=offscreen
start=$(date +%s.%N)
"$BIN" --version
end=$(date +%s.%N)
echo ">> start-up (--version): $(echo "$end - $start" | bc) s"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s.%N)
"$BIN" gui --screenshot "$WORK/first_window.png" --after 0 >/dev/null
end=$(date +%s.%N)
echo ">> start-up to first window rendered: $(echo "$end - $start" | bc) s"
ROOT_DIR="$(pwd)"
DATA="$(cd .. && pwd)/shared/data/etf_like_1m_2015-2016.csv.gz"
if [ -f "$DATA" ]; then
    start=$(date +%s.%N)
    (cd "$WORK" && "$ROOT_DIR/$BIN" backtest --data "$DATA" --json >/dev/null)
    end=$(date +%s.%N)
    echo ">> first backtest of two years in a new working directory: $(echo "$end - $start" | bc) s (nothing compiles)"
fi
"$BIN" backtest --report "$WORK/report" >/dev/null
echo ">> report from the bundle: $(ls "$WORK/report" | tr '\n' ' ')"
echo ">> offline-test from inside the bundle"
"$BIN" offline-test --work-dir "$WORK/offline"
