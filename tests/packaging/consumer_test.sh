#!/usr/bin/env bash
# Installs the built tree into a temporary prefix and builds lib/examples/list_tasks.cpp out of tree four
# ways: find_package and pkg-config, each against the shared and the static library. Each program runs
# against agentrail-mock and must list its tasks. Also checks that libagentrail.so exports only the
# public API.
#   consumer_test.sh BUILD_DIR AGENTRAIL_MOCK
set -euo pipefail
build=$(cd "$1" && pwd)
mock_bin=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.sh"
launcher=()
command -v ccache >/dev/null && launcher=(ccache)

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name agentrail.pc -print -quit)")
libdir=$(dirname "$pcdir")
so=$(find "$prefix" -name 'libagentrail.so.*.*' | head -n1)
[ -n "$so" ] || fail "no versioned shared library installed"
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[[ "$soname" =~ ^libagentrail\.so\.[0-9]+$ ]] || fail "unexpected SONAME '$soname'"
ok "shared library $(basename "$so") with SONAME $soname"

# Only the public API is exported: no curl, OpenSSL or nlohmann functions and nothing private (lib/src).
exported=$(nm -D --defined-only -C "$so" | awk '$2 ~ /^[TWBDRV]$/ { $1 = ""; $2 = ""; print }' | sed 's/^ *//')
names=$(grep -v -E '^(typeinfo|vtable|guard variable)' <<<"$exported" | sed 's/(.*//')
private=$(grep -E '^(agentrail::detail::|curl_|EVP_|HMAC|nlohmann::)|CurlTransport|ClientCore::' <<<"$names" || true)
[ -z "$private" ] || fail "private symbols exported from $(basename "$so"):"$'\n'"$(head -n 20 <<<"$private")"
grep -q 'agentrail::Client::list_my_tasks' <<<"$exported" || fail "Client::list_my_tasks is not exported"
ok "libagentrail.so exports the public API only ($(wc -l <<<"$exported") symbols)"

start_mock "$mock_bin"

run_example() {  # NAME BINARY EXPECT(shared|static)
  local name=$1 bin=$2 expect=$3 out
  # (ldd's output is kept first: `ldd | grep -q` fails under pipefail when grep exits before ldd is done)
  local libs
  libs=$(ldd "$bin")
  if grep -q 'libagentrail\.so' <<<"$libs"; then
    [ "$expect" = shared ] || fail "$name: linked the shared library, expected the static one"
  else
    [ "$expect" = static ] || fail "$name: did not link the shared library"
  fi
  out=$(LD_LIBRARY_PATH="$libdir" "$bin") || fail "$name: exit $?"
  grep -q $'\t' <<<"$out" || fail "$name: no tasks listed: $out"
  ok "$name ($expect) lists $(wc -l <<<"$out") tasks"
}

for kind in shared static; do
  static=OFF
  [ $kind = static ] && static=ON
  cmake -S "$src/tests/packaging/consumer" -B "$work/cmake-$kind" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
        -DEXAMPLE_SOURCE="$src/lib/examples/list_tasks.cpp" -DUSE_STATIC=$static \
        ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER=ccache} >/dev/null
  cmake --build "$work/cmake-$kind" >/dev/null
  run_example "find_package" "$work/cmake-$kind/list_tasks" $kind
done

export PKG_CONFIG_PATH=$pcdir
# Consumers bring their own -std (the library needs C++20); nothing is forced through the .pc files.
pkg-config --cflags agentrail agentrail-static | grep -q -- '-std=' && fail "a .pc file forces -std="
"${launcher[@]}" g++ -std=c++20 -c "$src/lib/examples/list_tasks.cpp" -o "$work/list_tasks.o" \
    $(pkg-config --cflags agentrail)
g++ "$work/list_tasks.o" -o "$work/pc-shared" $(pkg-config --libs agentrail)
run_example "pkg-config agentrail" "$work/pc-shared" shared
g++ "$work/list_tasks.o" -o "$work/pc-static" $(pkg-config --libs agentrail-static)
run_example "pkg-config agentrail-static" "$work/pc-static" static

echo "$passed passed, 0 failed"
