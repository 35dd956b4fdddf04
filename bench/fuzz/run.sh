#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, its own build folder: build-fuzz) and runs
# each for N seconds from the committed seeds (bench/fuzz/corpus/<target>). New inputs go to
# build-fuzz/fuzz-corpus/<target>; a crashing input is saved as
# build-fuzz/fuzz-artifacts/<target>-crash-<sha1> and makes this script fail.
# Usage: bench/fuzz/run.sh [--seconds N] [--jobs J] [target ...]
#   --seconds N  time per target (default 60; CI: 10)
#   --jobs J     build parallelism (default 2)
#   targets      default: all of query_fuzz json_fuzz python_extract_fuzz key_codec_fuzz
# Prints, per target, libFuzzer's final line: executions, coverage (cov: edges, ft: features).
# Environment: CODEKG_FUZZ_BUILD_DIR (build folder instead of build-fuzz), CODEKG_FUZZ_CXX/_CC.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=60
JOBS=2
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECS="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(query_fuzz json_fuzz python_extract_fuzz key_codec_fuzz)
fi
CXX_BIN="${CODEKG_FUZZ_CXX:-clang++-14}"
C_BIN="${CODEKG_FUZZ_CC:-clang-14}"
command -v "$CXX_BIN" >/dev/null || { echo "run.sh: $CXX_BIN not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
BUILD="${CODEKG_FUZZ_BUILD_DIR:-build-fuzz}"
# codekg's C++ is instrumented for coverage and checked by ASan+UBSan; the grammar C sources
# (generated parse tables) are built plainly to keep the build fast.
FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCODEKG_FUZZ=ON \
    -DCODEKG_BUILD_TESTS=OFF -DCMAKE_C_COMPILER="$C_BIN" -DCMAKE_CXX_COMPILER="$CXX_BIN" \
    -DCMAKE_C_FLAGS="-O1" -DCMAKE_CXX_FLAGS="$FLAGS" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
ninja -j "$JOBS" -C "$BUILD" "${TARGETS[@]}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$BUILD/fuzz-artifacts"
status=0
for t in "${TARGETS[@]}"; do
  work="$BUILD/fuzz-corpus/$t"
  mkdir -p "$work"
  log="$BUILD/fuzz-$t.log"
  echo "== $t: ${SECS}s"
  if ! "$BUILD/bench/fuzz/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-artifacts/$t-" \
      "$work" "bench/fuzz/corpus/$t" >"$log" 2>&1; then
    echo "$t: FAILED (see $log and $BUILD/fuzz-artifacts/)"
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5 || true
    status=1
  fi
  grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE)" "$log" | tail -1 || true
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$log" || true
done
exit $status
