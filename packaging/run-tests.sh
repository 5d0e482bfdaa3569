#!/usr/bin/env bash
# Builds everything and runs the whole test suite: a warnings-as-errors build with every test label
# except the opt-in benchmarks, then an AddressSanitizer/UBSan build of the same tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
jobs=$(nproc)

echo "== format check"
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find lib cli tests -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run -Werror $files

echo "== build (-Werror)"
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGENTRAIL_WERROR=ON >/dev/null
cmake --build build/ci -j "$jobs"

echo "== tests"
ctest --test-dir build/ci --output-on-failure -j "$jobs" -LE bench

echo "== build (address,undefined sanitizers)"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAGENTRAIL_WERROR=ON \
      -DAGENTRAIL_SANITIZE=address,undefined -DAGENTRAIL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/asan -j "$jobs"

echo "== tests under sanitizers"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j "$jobs" -LE bench
