#!/usr/bin/env bash
# Installs everything codekg needs on a fresh Debian 12 (bookworm) machine: the build toolchain,
# the libraries (all from Debian), and the tree-sitter grammars (from npm, pinned by
# package-lock.json, installed without running any package scripts). Idempotent.
# Usage: scripts/install-deps.sh [--build-only | --bench] [--fuzz]
#   --build-only  no test/bench packages
#   --bench       also what bench/languages scores against: universal-ctags and real Go, C,
#                 C++ and Rust sources from Debian, plus its npm corpora (JS/TS/Java)
#   --fuzz        also clang-14 and its sanitizer/libFuzzer runtime (bench/fuzz/run.sh); clang is
#                 never installed without it
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# What building and running needs.
PKGS=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  librocksdb-dev libcpp-httplib-dev nlohmann-json3-dev libtree-sitter-dev libre2-dev
  tao-pegtl-dev libgtest-dev libsqlite3-dev libedit-dev python3 libtcmalloc-minimal4
  libgoogle-perftools-dev
)
# What the tests and benchmarks add: real Python projects to score ingest on (Debian ships their
# sources), pip to install the Python client, wrk for bench/http, Chromium for the explorer test.
NPM_FLAGS=()
NPM_MARK=.cache/package-lock.installed
BENCH_CORPORA=0
MODE=""
FUZZ=0
for arg in "$@"; do
  case "$arg" in
    --fuzz) FUZZ=1 ;;
    --bench|--build-only) MODE="$arg" ;;
    *) echo "usage: scripts/install-deps.sh [--build-only | --bench] [--fuzz]" >&2; exit 2 ;;
  esac
done
if [ "$FUZZ" = 1 ]; then PKGS+=(clang-14 libclang-rt-14-dev); fi
if [ "$MODE" = "--bench" ]; then
  BENCH_CORPORA=1
  PKGS+=(universal-ctags golang-github-spf13-cobra-dev golang-github-google-go-cmp-dev
         golang-golang-x-sync-dev golang-github-pkg-errors-dev librust-serde-dev
         librust-anyhow-dev librust-regex-syntax-dev gnulib zlib1g-dev googletest libfmt-dev)
fi
if [ "$MODE" = "--build-only" ]; then
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
if [ "$BENCH_CORPORA" = 1 ]; then
  (cd bench/languages/corpora && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: ok"
