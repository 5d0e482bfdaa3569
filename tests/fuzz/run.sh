#!/usr/bin/env bash
# Builds the libFuzzer harnesses (if needed) and runs each for SECONDS seconds on its checked-in seed
# corpus (tests/fuzz/corpus/<harness>/). Exits non-zero when a harness crashes (a crash, a sanitizer
# report, a leak, a timeout or a failed invariant); the reproducer is left in the work directory.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     default: 10 seconds, every harness
#
# Environment:
#   FUZZ_BUILD_DIR  build tree (default build/fuzz); configured with clang++ when it does not exist
#   FUZZ_WORK_DIR   where new corpus entries, logs and crash reproducers go (default $FUZZ_BUILD_DIR/work);
#                   the checked-in corpus is only read
#   FUZZ_JOBS       build parallelism (default 2)
# Exit 77 when clang++ or the libFuzzer runtime is missing (ctest reports the test as skipped).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}
shift || true
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
work=${FUZZ_WORK_DIR:-$build/work}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$root"/tests/fuzz/fuzz_*.cpp; do  # one harness per fuzz_<name>.cpp (tests/fuzz/harnesses.cmake)
    f=${f##*/fuzz_}
    harnesses+=("${f%.cpp}")
  done
fi

clangxx=$(command -v clang++ || command -v clang++-14 || true)
if [ -z "$clangxx" ]; then
  echo "fuzz: clang++ not found; skipped" >&2
  exit 77
fi
# libFuzzer ships in libclang-rt-*-dev, which clang only recommends.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/p.cpp"
if ! "$clangxx" -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
  echo "fuzz: $clangxx cannot link -fsanitize=fuzzer (install libclang-rt-dev); skipped" >&2
  exit 77
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  generator=()
  if command -v ninja >/dev/null; then generator=(-G Ninja); fi
  cmake -S "$root" -B "$build" "${generator[@]}" "${launcher[@]}" -DCMAKE_CXX_COMPILER="$clangxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGENTRAIL_FUZZ=ON -DAGENTRAIL_BUILD_TESTS=OFF \
    -DAGENTRAIL_BUILD_MOCK=OFF -DAGENTRAIL_BUILD_EXAMPLES=OFF -DAGENTRAIL_BUILD_CLI=OFF >/dev/null
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("agentrail-fuzz-${h//_/-}"); done
if ! nice -n 5 cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]}" >"$build/build.log" 2>&1; then
  echo "fuzz: building the harnesses failed:" >&2
  grep -E 'error|undefined reference' "$build/build.log" | head -40 >&2 || tail -40 "$build/build.log" >&2
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for h in "${harnesses[@]}"; do
  exe="$build/tests/fuzz/agentrail-fuzz-${h//_/-}"
  seeds="$root/tests/fuzz/corpus/$h"
  out="$work/$h"
  mkdir -p "$out/corpus" "$out/crashes"
  # New inputs go to $out/corpus; the seeds are read, never written.
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/" "$out/corpus" "$seeds" >"$out/log" 2>&1; then
    stats=$(grep -E '^#[0-9]+.*DONE' "$out/log" | tail -1 || true)
    echo "fuzz: $h ok ${stats#*DONE}"
  else
    status=1
    echo "fuzz: $h FAILED; log $out/log, reproducer in $out/crashes/" >&2
    grep -E 'ERROR|SUMMARY|runtime error|^[a-z].*: ' "$out/log" | head -5 >&2 || true
  fi
done
exit $status
