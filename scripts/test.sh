#!/usr/bin/env bash
# README command (2): install what is missing, build, and run every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
BUILD_DIR="${CODEKG_BUILD_DIR:-build}"
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 600 -j "$(nproc)"
