#!/usr/bin/env bash
# Configures (once) and builds codekg into build/ with Ninja (and ccache when present).
# Usage: scripts/build.sh [extra ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${CODEKG_BUILD_DIR:-build}"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCODEKG_WERROR=ON >/dev/null
fi
start=$(date +%s)
ninja -C "$BUILD_DIR" "$@"
echo "build: ok in $(( $(date +%s) - start ))s ($BUILD_DIR)"
