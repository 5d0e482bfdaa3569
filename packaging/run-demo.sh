#!/usr/bin/env bash
# Builds everything and runs the main job against the bundled local mock server: one whole task
# lifecycle (list tasks, start, submit, wait for CI, ship) while `events tail` follows it live.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTRAIL_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

agentrail=build/release/cli/agentrail
mock=build/release/tests/mock_server/agentrail-mock
work=$(mktemp -d)
mock_pid=""
tail_pid=""
cleanup() {
  [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null || true
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ agentrail %s\033[0m\n' "$*"; }

"$mock" --port 0 --ready-file "$work/ready.json" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/ready.json" ] && break; sleep 0.05; done
[ -s "$work/ready.json" ] || { echo "agentrail-mock did not start" >&2; cat "$work/mock.log" >&2; exit 1; }

# The mock's published demo key (see docs/mock-server.md); real keys belong in a file or the config.
AGENTRAIL_BASE_URL=$(jq -r .baseUrl "$work/ready.json")
AGENTRAIL_API_KEY=ar_local_demo_key
export AGENTRAIL_BASE_URL AGENTRAIL_API_KEY
echo "agentrail-mock is serving on $AGENTRAIL_BASE_URL"

step health
"$agentrail" health

step tasks list
"$agentrail" tasks list

task=$("$agentrail" tasks list --status todo --quiet | head -n 1)

# Follow the lifecycle of that task live, as NDJSON, until it ships.
"$agentrail" events tail --task "$task" --until "task.shipped:$task" --timeout 120s -o ndjson \
  >"$work/events.ndjson" &
tail_pid=$!
sleep 0.3

step task start "$task"
"$agentrail" task start "$task"

step task submit "$task" --mode artifact ...
"$agentrail" task submit "$task" --mode artifact --summary "Implemented the task; tests pass." \
  --artifact pull_request=https://git.example.test/acme/app/pull/42 --check unit-tests=passed

step task wait "$task" --until ci=passed --timeout 60s
"$agentrail" task wait "$task" --until ci=passed --timeout 60s

step task ci "$task"
"$agentrail" task ci "$task"

step task wait "$task" --until action=ship --timeout 60s
"$agentrail" task wait "$task" --until action=ship --timeout 60s

step task ship "$task" --mode merge_and_deploy --env production
"$agentrail" task ship "$task" --mode merge_and_deploy --env production

step task show "$task"
"$agentrail" task show "$task"

wait "$tail_pid"
tail_pid=""
step events tail --task "$task" --until "task.shipped:$task" -o ndjson "| jq -c '{type, status: .data.status}'"
jq -c '{type, status: .data.status}' "$work/events.ndjson"

echo
echo "Lifecycle complete: $task went from todo to done."
