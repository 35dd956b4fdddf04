#!/usr/bin/env bash
# Installs everything codekg needs on a fresh Debian 12 (bookworm) machine: the build toolchain,
# the libraries (all from Debian), and the tree-sitter grammars (from npm, pinned by
# package-lock.json, installed without running any package scripts). Idempotent.
# Usage: scripts/install-deps.sh [--build-only]   (--build-only: no test/bench packages)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# What building and running needs.
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  librocksdb-dev libcpp-httplib-dev nlohmann-json3-dev libtree-sitter-dev libre2-dev
  tao-pegtl-dev libgtest-dev libsqlite3-dev libedit-dev python3
)
# What the tests and benchmarks add: real Python projects to score ingest on (Debian ships their
# sources), pip to install the Python client, wrk for bench/http, Chromium for the explorer test.
NPM_FLAGS=()
NPM_MARK=.cache/package-lock.installed
if [ "${1:-}" = "--build-only" ]; then
  NPM_FLAGS=(--omit=dev)
  NPM_MARK=.cache/package-lock.installed-build-only
else
  PKGS+=(python3-pip python3-setuptools python3-wheel python3-requests python3-flask
         python3-django wrk chromium)
fi
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Grammars: exact versions from package-lock.json; --ignore-scripts means nothing is compiled or
# downloaded by npm itself: CMake compiles the grammar C sources.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json "$NPM_MARK" 2>/dev/null; then
  echo "install-deps: npm ci --ignore-scripts"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error ${NPM_FLAGS[@]+"${NPM_FLAGS[@]}"}
  mkdir -p .cache && rm -f .cache/package-lock.installed* && cp package-lock.json "$NPM_MARK"
fi
echo "install-deps: ok"
