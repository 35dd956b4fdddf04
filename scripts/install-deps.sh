#!/usr/bin/env bash
# Installs everything codekg needs on a fresh Debian 12 (bookworm) machine: the build toolchain,
# the libraries (all from Debian), and the tree-sitter grammars (from npm, pinned by
# package-lock.json, installed without running any package scripts). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  librocksdb-dev libcpp-httplib-dev nlohmann-json3-dev libtree-sitter-dev libre2-dev
  tao-pegtl-dev libgtest-dev libsqlite3-dev python3 python3-pip python3-setuptools python3-wheel python3-requests python3-flask
  python3-django wrk
)
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
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json .cache/package-lock.installed 2>/dev/null; then
  echo "install-deps: npm ci --ignore-scripts"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  mkdir -p .cache && cp package-lock.json .cache/package-lock.installed
fi
echo "install-deps: ok"
