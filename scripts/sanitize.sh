#!/usr/bin/env bash
# Builds codekg with sanitizers and runs the test suite under them.
# Usage: scripts/sanitize.sh [asan|tsan] [ctest -R regex]
#   asan (default): AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer), every test.
#   tsan: ThreadSanitizer over the concurrent parts only: it builds storage_test, ingest_test,
#         server_test, codekgd, reliability_test and soak, and runs the adjacency index and
#         concurrent store/job tests, the job manager, every codekgd-over-HTTP test (the server
#         child process is instrumented too), ingest with several parse threads and watches, the
#         hostile-input suite and the short soak.
# Each mode has its own build folder (build-asan, build-tsan); ccache is used when present.
# Only codekg's C++ is instrumented: the tree-sitter grammar C sources (generated parse tables,
# the only C in the build, called on one thread per parser) are compiled plainly, which saves
# most of the build time and no codekg memory is touched by them unchecked.
# A sanitizer report fails the test that triggered it (halt_on_error / exitcode settings below).
# Environment: CODEKG_JOBS (build and ctest parallelism, default nproc), CODEKG_SKIP_DEPS=1 (do
# not run scripts/install-deps.sh first), CODEKG_SANITIZE_TARGETS="storage_test query_test ..."
# (build only these targets instead of everything; pair it with a ctest regex that selects them).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-asan}"
FILTER="${2:-}"
JOBS="${CODEKG_JOBS:-$(nproc)}"
SUPP="$PWD/scripts/sanitize"
case "$MODE" in
  asan)
    # -O1 keeps the instrumented suite fast enough; frame pointers give whole stacks.
    FLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:suppressions=$SUPP/asan.supp"
    export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
  tsan)
    FLAGS="-O1 -fsanitize=thread -fno-omit-frame-pointer"
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$SUPP/tsan.supp"
    : "${CODEKG_SANITIZE_TARGETS:=storage_test ingest_test server_test codekgd reliability_test soak}"
    FILTER="${FILTER:-AdjacencyIndexTest|Concurrent|JobsTest|JobManagerTest|Codekgd|ReadApiTest|ThreadCountDoesNotMatter|WatchTest|HostileTest|reliability_soak}"
    ;;
  *)
    echo "usage: scripts/sanitize.sh [asan|tsan] [ctest -R regex]" >&2
    exit 2
    ;;
esac
BUILD_DIR="build-$MODE"
if [ "${CODEKG_SKIP_DEPS:-0}" != "1" ]; then scripts/install-deps.sh; fi
# Configured every run (a no-op when nothing changed) so flag changes reach old build folders.
# Instrumented tests run several times slower: every test's time limit is scaled by 5.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCODEKG_BUILD_BENCH=OFF \
  -DCODEKG_TEST_TIMEOUT_SCALE=5 \
  -DCMAKE_C_FLAGS="-O1" -DCMAKE_CXX_FLAGS="$FLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" -DCMAKE_SHARED_LINKER_FLAGS="$FLAGS" >/dev/null
# shellcheck disable=SC2086  # a space-separated list of targets on purpose
ninja -j "$JOBS" -C "$BUILD_DIR" ${CODEKG_SANITIZE_TARGETS:-}
cd "$BUILD_DIR"
ARGS=(--output-on-failure --timeout 1200 -j "$JOBS")
if [ -n "$FILTER" ]; then ARGS+=(-R "$FILTER"); fi
# With a target list, gtest binaries that were not built show up as <name>_NOT_BUILT: skip them.
if [ -n "${CODEKG_SANITIZE_TARGETS:-}" ]; then ARGS+=(-E "_NOT_BUILT"); fi
ctest "${ARGS[@]}"
echo "sanitize ($MODE): all selected tests passed"
