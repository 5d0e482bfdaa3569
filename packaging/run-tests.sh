#!/usr/bin/env bash
# Builds everything and runs the whole test suite: a warnings-as-errors build with every test label
# except the opt-in benchmarks, then an AddressSanitizer/UBSan build of the same tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
jobs=$(nproc)

# ccache (installed by install-deps.sh): objects compiled before, in this clone or another one, are
# reused. Paths are taken relative to the clone so that a fresh clone in another folder still hits.
cache=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

echo "== format check"
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find lib cli tests -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run -Werror $files

echo "== build (-Werror)"
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGENTRAIL_WERROR=ON "${cache[@]}" >/dev/null
cmake --build build/ci -j "$jobs"

echo "== tests"
ctest --test-dir build/ci --output-on-failure -j "$jobs" -LE bench

echo "== build (address,undefined sanitizers)"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAGENTRAIL_WERROR=ON \
      -DAGENTRAIL_SANITIZE=address,undefined -DAGENTRAIL_BUILD_EXAMPLES=OFF "${cache[@]}" >/dev/null
cmake --build build/asan -j "$jobs"

echo "== tests under sanitizers"
# The soaks (label soak-short) ran above; under the sanitizers they would only take longer.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j "$jobs" -LE 'bench|soak'
