#!/usr/bin/env bash
# Builds everything and runs the whole test suite: a warnings-as-errors build of the programs with the
# tests that drive them; then an AddressSanitizer/UBSan build of the library, the CLI and the C++ test
# programs with every test (those programs and the same end-to-end tests; the server they talk to is the
# first tree's agentrail-mock); then a ThreadSanitizer build of the threaded parts (the library: event
# stream, wait, cancellation, the pooled curl transport; the webhook listener and forward queue; the mock)
# and their unit and integration tests. The three build trees are the CMakePresets.json presets dev, asan
# and tsan (build/<preset>).
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
jobs=$(nproc)
# The sanitizer trees' tests have no timing bounds and mostly wait (sockets, child processes): one more at a
# time than there are cores keeps the cores busy.
test_jobs=$((jobs + 1))

# ccache (installed by install-deps.sh): objects compiled before, in this clone or another one, are
# reused. Paths are taken relative to the clone so that a fresh clone in another folder still hits.
# Without ccache the presets' launcher is switched off.
cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=)
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# Line tables only (-g1) in the sanitizer trees: enough for their reports and backtraces, and a good part
# cheaper to compile than full debug info, which the presets keep for debugging sessions. The plain tree
# (optimised programs for the end-to-end tests and packages) compiles without debug info.
lean=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_DEBUG="-g1")
lean_plain=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g0 -DNDEBUG")
# The ThreadSanitizer tree unoptimised: about 40% cheaper to compile than -O1, and what it runs (the
# threaded parts' unit tests, the integration tests, the mock's own tests) mostly waits on sockets.
lean_tsan=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_DEBUG="-g1")

phase() { echo "== $* (at ${SECONDS} s)"; }

# The sanitizer trees are compiled while the tests of the tree before run (those mostly wait on sockets,
# child processes and terminals): in a session of its own whose scheduling group gets the lowest priority
# (autogroup nice 19, where the kernel has autogroups; else plain nice 19), so the tests keep the CPU they
# need and their timing bounds hold; into a log that is shown when the build fails.
background_build() {  # PRESET [CMAKE OPTION...] [-- TARGET...] ; sets build_pid
  local preset=$1 options=()
  shift
  while (($#)) && [[ $1 != -- ]]; do options+=("$1"); shift; done
  (($#)) && shift
  local flags=("${lean[@]}")
  [[ $preset == tsan ]] && flags=("${lean_tsan[@]}")
  cmake --preset "$preset" "${cache[@]}" "${flags[@]}" "${options[@]}" >/dev/null
  setsid bash -c '{ echo 19 >/proc/self/autogroup; } 2>/dev/null; exec nice -n 19 "$@"' build-"$preset" \
    cmake --build "build/$preset" -j "$jobs" "$@" >"build/$preset.log" 2>&1 &
  build_pid=$!
}
wait_build() {  # PRESET [low]: without `low`, the tests are done, so the rest of the build gets the CPU back
  [[ ${2:-} == low ]] || { echo 0 >"/proc/$build_pid/autogroup"; } 2>/dev/null || true
  if ! wait "$build_pid"; then
    [[ -n ${asan_tests:-} ]] && kill "$asan_tests" 2>/dev/null
    cat "build/$1.log"
    echo "run-tests: building build/$1 failed" >&2
    exit 1
  fi
}

phase "format check"
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find lib cli tests -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run -Werror $files

phase "build (-Werror)"
# The plain tree builds the programs and runs what drives them (end-to-end, the mock's own tests,
# packaging, the short soaks): optimised binaries, timing and memory bounds. The C++ test programs (unit,
# integration, command, fuzz replay) run in the sanitizer trees below, so they are not compiled here.
cmake --preset dev "${cache[@]}" "${lean_plain[@]}" -DAGENTRAIL_BUILD_TEST_PROGRAMS=OFF >/dev/null
cmake --build build/dev -j "$jobs"

phase "tests (and the address,undefined sanitizer build beside them: build/asan.log)"
mkdir -p build
background_build asan -DAGENTRAIL_MOCK_EXECUTABLE="$PWD/build/dev/tests/mock_server/agentrail-mock"
ctest --test-dir build/dev --output-on-failure -j "$jobs" -LE 'bench|fuzz-libfuzzer'
wait_build asan

phase "tests under address,undefined sanitizers (and the thread sanitizer build beside them)"
# The preset builds no CLI (its threaded parts, the webhook listener and forward queue, are compiled into
# the unit tests) and only the unit tests of the threaded parts.
background_build tsan -- --target agentrail-unit-tests agentrail-integration-tests agentrail-mock
# The soaks (label soak-short) ran above; under the sanitizers they would only take longer.
# intercept_tls_get_addr=0: GCC 12's sanitizer runtime misreads the dynamic TLS blocks of a library opened
# with dlopen() (libjq, for --jq) on this glibc, and LeakSanitizer's tracer then crashes at exit ("DTLS 9 at
# 0x7004-0x1400008106 ... Tracer caught signal 11") after the test passed. Heap blocks are still checked.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# In the background, into build/asan-tests.log (shown when they end): the ThreadSanitizer tests start as
# soon as their tree is built, beside the last of these (none of the sanitizer runs has a timing bound).
ctest --test-dir build/asan --output-on-failure -j "$test_jobs" -LE 'bench|soak' >build/asan-tests.log 2>&1 &
asan_tests=$!
wait_build tsan low

phase "tests under ThreadSanitizer (beside the last address,undefined sanitizer tests)"
# The unit tests of the threaded parts (the event stream, wait, wake-ups and cancellation, retry sleeps,
# the webhook listener's accept loop and workers, the forward queue) and every integration test (the
# pooled curl transport, concurrent clients against the mock, the mock's own tests). The mock's 100,000-event throughput test
# (mock_perf) measures speed only. Suppressions, each with its reason: tests/tsan.supp.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
tsan_status=0
ctest --test-dir build/tsan --output-on-failure -j "$test_jobs" -L 'unit|integration' -E '^mock_perf$' || tsan_status=$?
asan_status=0
wait "$asan_tests" || asan_status=$?
phase "the address,undefined sanitizer tests ended; their output:"
cat build/asan-tests.log
if ((asan_status != 0 || tsan_status != 0)); then
  echo "run-tests: tests failed (address,undefined sanitizers: exit $asan_status; ThreadSanitizer: exit $tsan_status)" >&2
  exit 1
fi
phase "done"
