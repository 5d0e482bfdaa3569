#!/usr/bin/env bash
# Builds everything and runs the main job against the bundled local mock server: one whole task
# lifecycle (list tasks, start, submit, wait for CI, ship), then the task's event history
# (packaging/demo-session.sh, whose output README.md shows).
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTRAIL_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

agentrail=build/release/cli/agentrail
mock=build/release/tests/mock_server/agentrail-mock
work=$(mktemp -d)
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$mock" --port 0 --ready-file "$work/ready.json" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/ready.json" ] && break; sleep 0.05; done
[ -s "$work/ready.json" ] || { echo "agentrail-mock did not start" >&2; cat "$work/mock.log" >&2; exit 1; }

# The mock's published demo key (see docs/mock-server.md); real keys belong in a file or the config.
AGENTRAIL_BASE_URL=$(jq -r .baseUrl "$work/ready.json")
AGENTRAIL_API_KEY=ar_local_demo_key
export AGENTRAIL_BASE_URL AGENTRAIL_API_KEY
PATH="$PWD/$(dirname "$agentrail"):$PATH"
echo "agentrail-mock is serving on $AGENTRAIL_BASE_URL"
echo

bash packaging/demo-session.sh

echo
echo "Lifecycle complete: the task went from todo to done."
