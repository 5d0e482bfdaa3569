#!/usr/bin/env bash
# The demo session: one whole task lifecycle (health, list, start, submit, wait for CI, wait until it can
# ship, ship, show) and then the task's whole event history, read back from the start of the server's
# replay window. Each command is printed as `$ agentrail ...` before it runs, so the output reads as a
# terminal session; README.md shows exactly this output (packaging/regen-readme-session.sh rewrites it).
#
# Needs `agentrail` and `jq` on the PATH and AGENTRAIL_BASE_URL / AGENTRAIL_API_KEY pointing at a fresh
# agentrail-mock (packaging/run-demo.sh sets that up).
set -euo pipefail

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
first=1
# Prints the command as written (variables expanded), then runs it.
show() {
  [ "$first" = 1 ] || echo
  first=0
  printf '%s$ %s%s\n' "$bold" "$1" "$plain"
  eval "$1"
}

task=$(agentrail tasks list --status todo --quiet | head -n 1)

show "agentrail health"
show "agentrail tasks list"
show "agentrail task start $task"
show "agentrail task submit $task --mode artifact --summary \"Implemented the task; tests pass.\" \\
    --artifact pull_request=https://git.example.test/acme/app/pull/42 --check unit-tests=passed"
show "agentrail task wait $task --until ci=passed --timeout 60s"
show "agentrail task ci $task"
show "agentrail task wait $task --until action=ship --timeout 60s"
show "agentrail task ship $task --mode merge_and_deploy --env production"
show "agentrail task show $task"
# After the fact: --from-start replays the task's events from the oldest one the server retains.
show "agentrail events tail --task $task --from-start --until task.shipped:$task -o ndjson | jq -c '{type, status: .data.status}'"
