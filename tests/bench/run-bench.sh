#!/usr/bin/env bash
# Performance targets of the agentrail CLI, each measured against its baseline tool in the same run.
#
#   tests/bench/run-bench.sh [AGENTRAIL [AGENTRAIL_MOCK]]
#
# Builds nothing: pass the two binaries (default build/release/cli/agentrail and
# build/release/tests/mock_server/agentrail-mock), ideally from a Release build. Needs bash, curl, jq,
# openssl and GNU time (/usr/bin/time). Prints a table and exits 1 when any target fails.
#
# Targets (from the project brief) and how each is measured:
#   single call   `agentrail tasks show ID -o json` vs `curl -s -H @headers URL`, whole process each.
#   list --all    `agentrail tasks list --all --limit 100 -o ndjson` (100 pages of 100 over 10,000 tasks)
#                 vs ONE curl process fetching the same 100 page URLs on one connection (the cursors are
#                 opaque, so they are collected once beforehand). /_mock/stats must show one TCP
#                 connection for the agentrail run.
#   events tail   `agentrail events tail --since C --count N -o ndjson` vs `curl -sN URL?cursor=C |
#                 grep -m N -c '^data:'`. Both read the same N replayed events and then stop; the buffer
#                 holds more events than N after C, so curl is ended by SIGPIPE on its next write instead
#                 of waiting for a keepalive. curl's side pays for grep (which is fast) and agentrail's for
#                 the SSE parsing and printing the data lines: the work a user of either would do.
#   webhook       `agentrail webhook verify --secret-file F --body-file BIG --signature S` vs
#                 `openssl dgst -sha256 -hmac SECRET BIG` on a BENCH_WEBHOOK_MB (200) MB body.
#   memory        max RSS (GNU time %M) of each agentrail run, limit 12 MiB, with curl's for reference;
#                 flatness: RSS of 100 pages vs 10 pages and of N events vs 1,000 events (limit +10%).
#   library       1,000 get_task calls from 8 threads sharing one Client (agentrail-example-concurrent-get,
#                 next to the CLI's build tree) vs `curl --parallel --parallel-max 8` over the same URLs
#                 (limit 1.2x); /_mock/stats must show at most 8 TCP connections for the library's run.
#
# Timing: runs of agentrail and of its baseline alternate (A B B A ...), after one warm-up of each, and
# the medians are compared, so load from other processes hits both alike. Knobs (environment):
#   BENCH_REPS        repetitions of the fast cases (default 31); slower cases use a fraction of it
#   BENCH_EVENTS      events of the tail case (default 100000)
#   BENCH_WEBHOOK_MB  body size of the webhook case (default 200)
#   BENCH_KEEP=1      keep the work directory (mock log, URL list, ...)
#
# The API key reaches agentrail through AGENTRAIL_API_KEY and curl through a header file: it is on the
# argv of no command run or printed here.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
agentrail=${1:-$root/build/release/cli/agentrail}
mock=${2:-$root/build/release/tests/mock_server/agentrail-mock}
reps=${BENCH_REPS:-31}
n_events=${BENCH_EVENTS:-100000}
webhook_mb=${BENCH_WEBHOOK_MB:-200}
gnu_time=/usr/bin/time

for tool in curl jq openssl "$gnu_time"; do
    command -v "$tool" >/dev/null || { echo "run-bench: $tool is needed" >&2; exit 2; }
done
for bin in "$agentrail" "$mock"; do
    [[ -x $bin ]] || { echo "run-bench: $bin is not an executable (pass the built binaries)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/agentrail-bench.XXXXXX")
mock_pid=
cleanup() {
    [[ -n $mock_pid ]] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "work directory: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# A seed with one agent whose key has a rate limit no benchmark reaches (the built-in keys allow 10,000
# requests a minute, and a 429 would turn into retry sleeps).
key=ar_local_bench_key
cat >"$work/seed.json" <<EOF
{"agents": [{"id": "agt_bench", "displayName": "Bench", "role": "engineer", "externalIdentities": []}],
 "keys": [{"id": "akey_bench", "apiKey": "$key", "agentId": "agt_bench",
           "scopes": ["tasks:read", "events:read"],
           "rateLimit": {"windowSeconds": 60, "maxRequests": 1000000000}}],
 "tasks": [],
 "generatedTasks": {"assigneeAgentId": "agt_bench", "identifierPrefix": "GEN"}}
EOF
printf 'Authorization: Bearer %s\n' "$key" >"$work/headers"
chmod 600 "$work/headers"

"$mock" --host 127.0.0.1 --port 0 --tasks 10000 --seed "$work/seed.json" \
    --replay-buffer $((n_events + 20000)) --ready-file "$work/ready.json" \
    >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
for _ in $(seq 200); do [[ -s $work/ready.json ]] && break; sleep 0.05; done
[[ -s $work/ready.json ]] || { log "run-bench: the mock did not start:"; cat "$work/mock.err" >&2; exit 2; }
base=$(jq -r .baseUrl "$work/ready.json")
export AGENTRAIL_BASE_URL=$base AGENTRAIL_API_KEY=$key NO_COLOR=1
unset AGENTRAIL_PROFILE
export HOME=$work  # no user config file is read
log "mock at $base (pid $mock_pid); agentrail: $agentrail"

stats() { curl -s "$base/_mock/stats"; }

# ---- timing helpers -------------------------------------------------------------------------------

# run_us CMD...: wall time of CMD in microseconds (stdout of CMD to /dev/null).
run_us() {
    local t0=${EPOCHREALTIME/./}
    "$@" >/dev/null
    local t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# compare REPS FUNC_A FUNC_B: sets A_MS and B_MS to the medians, in ms, of interleaved runs.
compare() {
    local n=$1 fa=$2 fb=$3 i ta=() tb=()
    "$fa" >/dev/null
    "$fb" >/dev/null
    for ((i = 0; i < n; i++)); do
        if ((i % 2 == 0)); then
            ta+=("$(run_us "$fa")")
            tb+=("$(run_us "$fb")")
        else
            tb+=("$(run_us "$fb")")
            ta+=("$(run_us "$fa")")
        fi
    done
    A_MS=$(printf '%s\n' "${ta[@]}" | median | awk '{printf "%.2f", $1 / 1000}')
    B_MS=$(printf '%s\n' "${tb[@]}" | median | awk '{printf "%.2f", $1 / 1000}')
    local amin bmin
    amin=$(printf '%s\n' "${ta[@]}" | sort -n | head -1)
    bmin=$(printf '%s\n' "${tb[@]}" | sort -n | head -1)
    log "  $fa: median $A_MS ms, min $(awk -v v="$amin" 'BEGIN {printf "%.2f", v / 1000}') ms;" \
        "$fb: median $B_MS ms, min $(awk -v v="$bmin" 'BEGIN {printf "%.2f", v / 1000}') ms ($n runs each)"
}

# max_rss_kib CMD...: peak RSS of CMD in KiB (the best of 3 runs, as page-cache and load noise only add).
max_rss_kib() {
    local best= i v
    for i in 1 2 3; do
        "$gnu_time" -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/rss.err" || {
            log "run-bench: failed: $*"; cat "$work/rss.err" >&2; return 1; }
        v=$(tail -1 "$work/rss")
        [[ -z $best || $v -lt $best ]] && best=$v
    done
    echo "$best"
}

rows=()
failed=0
# row TARGET AGENTRAIL BASELINE VALUE LIMIT UNIT: PASS when VALUE <= LIMIT.
row() {
    local verdict=PASS
    awk -v v="$4" -v l="$5" 'BEGIN {exit !(v <= l)}' || { verdict=FAIL; failed=1; }
    rows+=("$(printf '%-34s %14s %14s %8s %8s  %s' "$1" "$2" "$3" "$4" "$5" "$verdict")")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# ---- (a) one call -----------------------------------------------------------------------------------

task=tsk_01GEN0000042
a_show() { "$agentrail" tasks show "$task" -o json; }
b_show() { curl -s -H "@$work/headers" "$base/tasks/$task"; }
a_show >/dev/null || { log "run-bench: agentrail tasks show failed"; exit 2; }
log "(a) one call: agentrail tasks show $task -o json  vs  curl -s -H @headers $base/tasks/$task"
compare "$reps" a_show b_show
row "single call (tasks show -o json)" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
show_rss=$(max_rss_kib "$agentrail" tasks show "$task" -o json)
curl_show_rss=$(max_rss_kib curl -s -H "@$work/headers" "$base/tasks/$task")

# ---- (b) tasks list --all -----------------------------------------------------------------------------

# The 100 page URLs, in a curl config file: one curl process fetches them all over one connection.
: >"$work/pages.curl"
: >"$work/cursors"
url="$base/tasks/mine?limit=100"
for ((p = 0; p < 100; p++)); do
    printf 'url = "%s"\n' "$url" >>"$work/pages.curl"
    next=$(curl -s -H "@$work/headers" "$url" | jq -r '.page.nextCursor // empty')
    [[ -n $next ]] || break
    echo "$next" >>"$work/cursors"
    url="$base/tasks/mine?limit=100&cursor=$(jq -rn --arg c "$next" '$c | @uri')"
done
pages=$(wc -l <"$work/pages.curl")
[[ $pages == 100 ]] || { log "run-bench: expected 100 pages, the mock served $pages"; exit 2; }
cursor90=$(sed -n 90p "$work/cursors")  # the cursor of page 91: --all from there reads the last 10 pages

a_all() { "$agentrail" tasks list --all --limit 100 -o ndjson; }
b_all() { curl -s -H "@$work/headers" -K "$work/pages.curl"; }
a_all10() { "$agentrail" tasks list --all --limit 100 --cursor "$cursor90" -o ndjson; }

lines=$(a_all | wc -l)
[[ $lines == 10000 ]] || { log "run-bench: tasks list --all printed $lines rows, expected 10000"; exit 2; }
s0=$(stats)
a_all >/dev/null
s1=$(stats)
# Each stats call counts itself: the second one is the "+ 1" in both differences.
conns=$(($(jq .connections <<<"$s1") - $(jq .connections <<<"$s0") - 1))
requests=$(($(jq .requests <<<"$s1") - $(jq .requests <<<"$s0") - 1))
log "(b) tasks list --all: $pages pages, $requests requests, $conns TCP connection(s)"
compare $(((reps + 2) / 3)) a_all b_all
row "list --all, 100 pages" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
row "list --all, TCP connections" "$conns" "1" "$conns" 1
all_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 -o ndjson)
all10_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 --cursor "$cursor90" -o ndjson)
curl_all_rss=$(max_rss_kib curl -s -H "@$work/headers" -K "$work/pages.curl")

# ---- (c) events tail ------------------------------------------------------------------------------------

# One event to start after, then N + margin events replayed after it: both readers stop after N events
# while more are still coming, so neither waits for a keepalive.
since=$(curl -s -X POST "$base/_mock/events/burst" -d '{"count": 1, "taskId": "tsk_01GEN0000001"}' |
    jq -r .data.lastSequence)
curl -s -X POST "$base/_mock/events/burst" \
    -d "{\"count\": $((n_events + 10000)), \"taskId\": \"tsk_01GEN0000001\"}" >/dev/null
a_tail() { "$agentrail" events tail --since "$since" --count "$n_events" -o ndjson; }
b_tail() {
    # curl ends with status 23 (write error) once grep has quit: expected, not a failure.
    { curl -sN -H "@$work/headers" "$base/task-events/stream?cursor=$since" || true; } | grep -m "$n_events" -c '^data:'
}
a_tail1k() { "$agentrail" events tail --since "$since" --count 1000 -o ndjson; }

got=$(a_tail | wc -l)
[[ $got == "$n_events" ]] || { log "run-bench: events tail printed $got lines, expected $n_events"; exit 2; }
got=$(b_tail)
[[ $got == "$n_events" ]] || { log "run-bench: curl read $got data lines, expected $n_events"; exit 2; }
# Same bytes: the CLI passes each data: JSON through untouched.
cmp -s <(a_tail1k) <(curl -sN -H "@$work/headers" "$base/task-events/stream?cursor=$since" |
    grep -m 1000 '^data:' | cut -c7-) || log "run-bench: WARNING: events tail output differs from the data: lines"
log "(c) events tail: $n_events events after sequence $since"
compare $(((reps + 4) / 5)) a_tail b_tail
row "events tail, $n_events events" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
tail_rss=$(max_rss_kib "$agentrail" events tail --since "$since" --count "$n_events" -o ndjson)
tail1k_rss=$(max_rss_kib "$agentrail" events tail --since "$since" --count 1000 -o ndjson)
curl_tail_rss=$(max_rss_kib bash -c "curl -sN -H @$work/headers '$base/task-events/stream?cursor=$since' \
    | grep -m $n_events -c '^data:'")  # bash, curl and grep: GNU time reports the largest of them

# ---- (d) webhook verify ----------------------------------------------------------------------------------

secret=whsec_bench_$(openssl rand -hex 16)
printf '%s\n' "$secret" >"$work/secret"
chmod 600 "$work/secret"
head -c $((webhook_mb * 1024 * 1024)) /dev/urandom >"$work/body"
signature=sha256=$(openssl dgst -sha256 -hmac "$secret" -r "$work/body" | cut -d' ' -f1)
a_verify() { "$agentrail" webhook verify --secret-file "$work/secret" --body-file "$work/body" --signature "$signature"; }
b_verify() { openssl dgst -sha256 -hmac "$secret" "$work/body"; }
a_verify >/dev/null || { log "run-bench: agentrail webhook verify rejected a valid signature"; exit 2; }
log "(d) webhook verify: $webhook_mb MB body"
compare $(((reps + 4) / 5)) a_verify b_verify
row "webhook verify, $webhook_mb MB" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.10
verify_rss=$(max_rss_kib "$agentrail" webhook verify --secret-file "$work/secret" --body-file "$work/body" \
    --signature "$signature")
openssl_rss=$(max_rss_kib openssl dgst -sha256 -hmac "$secret" "$work/body")

# ---- (f) library: one Client from 8 threads -----------------------------------------------------------------

# 1,000 get_task calls from 8 threads sharing one Client (lib/examples/concurrent_get.cpp, built with the
# examples) vs `curl --parallel --parallel-max 8` over the same 1,000 URLs; at most 8 TCP connections.
example=${BENCH_CONCURRENT_EXAMPLE:-$(dirname "$agentrail")/../lib/agentrail-example-concurrent-get}
if [[ -x $example ]]; then
    mapfile -t ids < <(seq -f 'tsk_01GEN%07g' 1 100)
    : >"$work/threads.curl"
    for ((i = 0; i < 1000; i++)); do
        printf 'url = "%s/tasks/%s"\noutput = "/dev/null"\n' "$base" "${ids[i % 100]}" >>"$work/threads.curl"
    done
    a_threads() { "$example" 8 1000 "${ids[@]}"; }
    b_threads() { curl -s -H "@$work/headers" --parallel --parallel-max 8 -K "$work/threads.curl" 2>/dev/null; }
    s0=$(stats)
    a_threads >/dev/null || { log "run-bench: the concurrent example failed"; exit 2; }
    s1=$(stats)
    conns=$(($(jq .connections <<<"$s1") - $(jq .connections <<<"$s0") - 1))
    log "(f) library: 1000 get_task from 8 threads, $conns TCP connection(s)"
    compare $(((reps + 2) / 3)) a_threads b_threads
    row "library: 1000 get_task, 8 threads" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
    row "library: TCP connections" "$conns" "8" "$conns" 8
else
    log "run-bench: $example is not built (examples off): library row skipped"
fi

# ---- (e) memory -------------------------------------------------------------------------------------------

row "max RSS MiB, tasks show" "$(mib "$show_rss")" "$(mib "$curl_show_rss")" "$(mib "$show_rss")" 12.0
row "max RSS MiB, list --all 100 pages" "$(mib "$all_rss")" "$(mib "$curl_all_rss")" "$(mib "$all_rss")" 12.0
row "max RSS MiB, events tail $n_events" "$(mib "$tail_rss")" "$(mib "$curl_tail_rss")" "$(mib "$tail_rss")" 12.0
row "max RSS MiB, webhook verify" "$(mib "$verify_rss")" "$(mib "$openssl_rss")" "$(mib "$verify_rss")" 12.0
row "RSS flat: 100 vs 10 pages" "$(mib "$all_rss")" "$(mib "$all10_rss")" "$(ratio "$all_rss" "$all10_rss")" 1.10
row "RSS flat: $n_events vs 1000 events" "$(mib "$tail_rss")" "$(mib "$tail1k_rss")" \
    "$(ratio "$tail_rss" "$tail1k_rss")" 1.10

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
printf '%-34s %14s %14s %8s %8s  %s\n' target agentrail baseline ratio limit result
printf '%s\n' "${rows[@]}"
echo "(times are medians of interleaved runs; memory rows compare with curl/openssl, the limit is absolute;"
echo " flatness rows: baseline column = the small case, ratio = large/small)"
exit "$failed"
