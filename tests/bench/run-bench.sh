#!/usr/bin/env bash
# Performance targets of the agentrail CLI, each measured against its baseline tool in the same run.
#
#   tests/bench/run-bench.sh [AGENTRAIL [AGENTRAIL_MOCK]]
#
# Builds nothing: pass the two binaries (default build/release/cli/agentrail and
# build/release/tests/mock_server/agentrail-mock), ideally from a Release build. Needs bash, curl, jq,
# openssl, python3 and GNU time (/usr/bin/time). Prints a table and exits 1 when any target fails.
#
# Rows (ratio = agentrail / baseline, both medians of interleaved runs in this run):
#   single call      `tasks show ID -o json` vs `curl -s -H @headers URL`                      <= 1.15x
#   --version/--help `agentrail --version` and `agentrail --help` vs `curl --version`          <= 1.1x
#   list --all       `tasks list --all --limit 100 -o ndjson` (100 pages of 100 over 10,000 tasks) vs ONE
#                    curl process fetching the same 100 page URLs on one connection (the cursors are
#                    opaque, so they are collected once beforehand)                              <= 1.2x
#                    the same with -o json (one streamed array)                                 <= 1.25x
#                    the same with -o table, piped (10,000 rows) vs the ndjson run              <= 1.3x
#                    /_mock/stats must show one TCP connection for the agentrail run.
#   events tail      `events tail --since C --count N -o ndjson | grep -c '^'` vs `curl -sN URL?cursor=C |
#                    grep -m N -c '^data:'` (N = BENCH_EVENTS, 200,000). Both read the same N replayed
#                    events and stop; more events follow, so curl ends by SIGPIPE, not a keepalive. Both
#                    write their output into a pipe to a counting grep (see the tail section).   <= 1.1x
#   latency          event -> stdout, BENCH_LATENCY_EVENTS (300) single events published through the mock
#                    while `events tail -o ndjson` and `curl -sN | grep --line-buffered` both follow the
#                    stream (tests/bench/latency.py): p99 <= curl's p99 + 1 ms
#   webhook verify   `webhook verify --secret-file F --body-file B --signature S` vs `openssl dgst -sha256
#                    -hmac SECRET B`, for each size in BENCH_WEBHOOK_MB ("64 1024")              <= 1.05x
#   peak RSS         GNU time %M of every case above vs its baseline's own peak: <= baseline + 1.5 MiB;
#                    flat: 100 pages vs 10 pages, N events vs 1,000 events, largest vs smallest webhook
#                    body: <= +5%
#   library          1,000 get_task calls from 8 threads sharing one Client (agentrail-example-concurrent-get,
#                    next to the CLI's build tree) vs `curl --parallel --parallel-max 8` over the same URLs
#                    (<= 1.2x); /_mock/stats must show at most 8 TCP connections. SKIP when not built.
#
# Timing: runs of agentrail and of its baseline alternate (A B B A ...), after one warm-up of each, and
# the medians are compared, so load from other processes hits both alike. Knobs (environment):
#   BENCH_REPS            repetitions of the fast cases (default 31); slower cases use a fraction of it
#   BENCH_EVENTS          events of the tail case (default 200000)
#   BENCH_LATENCY_EVENTS  events of the latency case (default 300)
#   BENCH_WEBHOOK_MB      body sizes of the webhook case in MiB (default "64 1024")
#   BENCH_KEEP=1          keep the work directory (mock log, URL list, ...)
#
# The API key reaches agentrail through AGENTRAIL_API_KEY and curl through a header file: it is on the
# argv of no command run or printed here.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/tests/bench
agentrail=${1:-$root/build/release/cli/agentrail}
mock=${2:-$root/build/release/tests/mock_server/agentrail-mock}
reps=${BENCH_REPS:-31}
n_events=${BENCH_EVENTS:-200000}
n_latency=${BENCH_LATENCY_EVENTS:-300}
webhook_sizes=${BENCH_WEBHOOK_MB:-64 1024}
gnu_time=/usr/bin/time

for tool in curl jq openssl python3 "$gnu_time"; do
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
# row TARGET AGENTRAIL BASELINE VALUE LIMIT: PASS when VALUE <= LIMIT.
row() {
    local verdict=PASS
    awk -v v="$4" -v l="$5" 'BEGIN {exit !(v <= l)}' || { verdict=FAIL; failed=1; }
    rows+=("$(printf '%-40s %14s %14s %8s %8s  %s' "$1" "$2" "$3" "$4" "$5" "$verdict")")
}
skip_row() { rows+=("$(printf '%-40s %14s %14s %8s %8s  %s' "$1" - - - - "SKIP ($2)")"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
# rss_row NAME AGENTRAIL_KIB BASELINE_KIB: agentrail's peak at most 1.5 MiB above the baseline's.
rss_row() {
    row "peak RSS MiB, $1" "$(mib "$2")" "$(mib "$3")" "$(mib "$2")" "$(awk -v k="$3" 'BEGIN {printf "%.1f", k / 1024 + 1.5}')"
}
# flat_row NAME LARGE_KIB SMALL_KIB: the large case at most 5% above the small one.
flat_row() { row "RSS flat: $1" "$(mib "$2")" "$(mib "$3")" "$(ratio "$2" "$3")" 1.05; }

# ---- one call, start-up ------------------------------------------------------------------------------

task=tsk_01GEN0000042
a_show() { "$agentrail" tasks show "$task" -o json; }
b_show() { curl -s -H "@$work/headers" "$base/tasks/$task"; }
a_show >/dev/null || { log "run-bench: agentrail tasks show failed"; exit 2; }
log "single call: agentrail tasks show $task -o json  vs  curl -s -H @headers $base/tasks/$task"
compare "$reps" a_show b_show
row "single call (tasks show -o json)" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.15
show_rss=$(max_rss_kib "$agentrail" tasks show "$task" -o json)
curl_show_rss=$(max_rss_kib curl -s -H "@$work/headers" "$base/tasks/$task")

a_version() { "$agentrail" --version; }
a_help() { "$agentrail" --help; }
b_version() { curl --version; }
log "start-up: agentrail --version / --help  vs  curl --version"
compare "$reps" a_version b_version
row "--version" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.10
compare "$reps" a_help b_version
row "--help" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.10
version_rss=$(max_rss_kib "$agentrail" --version)
help_rss=$(max_rss_kib "$agentrail" --help)
curl_version_rss=$(max_rss_kib curl --version)

# ---- tasks list --all -----------------------------------------------------------------------------------

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
a_all_json() { "$agentrail" tasks list --all --limit 100 -o json; }
a_all_table() { "$agentrail" tasks list --all --limit 100 -o table; }
b_all() { curl -s -H "@$work/headers" -K "$work/pages.curl"; }

lines=$(a_all | wc -l)
[[ $lines == 10000 ]] || { log "run-bench: tasks list --all printed $lines rows, expected 10000"; exit 2; }
n=$(a_all_json | jq length)
[[ $n == 10000 ]] || { log "run-bench: tasks list --all -o json printed $n items, expected 10000"; exit 2; }
lines=$(a_all_table | wc -l)
[[ $lines == 10001 ]] || { log "run-bench: tasks list --all -o table printed $lines lines, expected 10001"; exit 2; }
s0=$(stats)
a_all >/dev/null
s1=$(stats)
# Each stats call counts itself: the second one is the "+ 1" in both differences.
conns=$(($(jq .connections <<<"$s1") - $(jq .connections <<<"$s0") - 1))
requests=$(($(jq .requests <<<"$s1") - $(jq .requests <<<"$s0") - 1))
log "tasks list --all: $pages pages, $requests requests, $conns TCP connection(s)"
compare $(((reps + 2) / 3)) a_all b_all
all_ms=$A_MS
row "list --all -o ndjson, 100 pages" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
compare $(((reps + 2) / 3)) a_all_json b_all
row "list --all -o json, 100 pages" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.25
compare $(((reps + 2) / 3)) a_all_table a_all
row "list --all -o table piped vs ndjson" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.30
row "list --all, TCP connections" "$conns" "1" "$conns" 1
all_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 -o ndjson)
all10_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 --cursor "$cursor90" -o ndjson)
all_json_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 -o json)
all10_json_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 --cursor "$cursor90" -o json)
all_table_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 -o table)
all10_table_rss=$(max_rss_kib "$agentrail" tasks list --all --limit 100 --cursor "$cursor90" -o table)
curl_all_rss=$(max_rss_kib curl -s -H "@$work/headers" -K "$work/pages.curl")
log "  (list --all -o ndjson took $all_ms ms)"

# ---- events tail ------------------------------------------------------------------------------------------

# One event to start after, then N + margin events replayed after it: both readers stop after N events
# while more are still coming, so neither waits for a keepalive.
since=$(curl -s -X POST "$base/_mock/events/burst" -d '{"count": 1, "taskId": "tsk_01GEN0000001"}' |
    jq -r .data.lastSequence)
curl -s -X POST "$base/_mock/events/burst" \
    -d "{\"count\": $((n_events + 10000)), \"taskId\": \"tsk_01GEN0000001\"}" >/dev/null
# Both sides write into a pipe read by a grep that counts lines, and only that count is kept: the same
# consumer doing the same work on each side. With the tail's stdout on /dev/null, curl's output would go
# through a pipe while the tail's went wherever /dev/null leads (on some machines a regular file in tmpfs,
# where every page written costs a page-cache write), and the row would measure that difference instead.
# The count goes into a file, never to /dev/null: GNU grep whose output is /dev/null stops counting at the
# first match and then drains its input to the end, which on an endless stream never comes.
a_tail() {
    "$agentrail" events tail --since "$since" --count "$n_events" -o ndjson | grep -c '^' >"$work/tail.a"
}
b_tail() {
    # curl ends with status 23 (write error) once grep has quit: expected, not a failure.
    { curl -sN -H "@$work/headers" "$base/task-events/stream?cursor=$since" || true; } |
        grep -m "$n_events" -c '^data:' >"$work/tail.b"
}
a_tail1k() { "$agentrail" events tail --since "$since" --count 1000 -o ndjson; }

# check_tail_counts: both sides of the last runs saw exactly N events.
check_tail_counts() {
    local a b
    a=$(<"$work/tail.a") b=$(<"$work/tail.b")
    [[ $a == "$n_events" ]] || { log "run-bench: events tail printed $a lines, expected $n_events"; exit 2; }
    [[ $b == "$n_events" ]] || { log "run-bench: curl read $b data lines, expected $n_events"; exit 2; }
}
a_tail
b_tail
check_tail_counts
# Same bytes: the CLI passes each data: JSON through untouched.
cmp -s <(a_tail1k) <(curl -sN -H "@$work/headers" "$base/task-events/stream?cursor=$since" |
    grep -m 1000 '^data:' | cut -c7-) || log "run-bench: WARNING: events tail output differs from the data: lines"
log "events tail: $n_events events after sequence $since"
# Half the fast cases' repetitions (16 runs each by default): three processes (mock, reader, grep) on the
# machine's cores make single runs of either side vary by a quarter, and with 7 runs each the median was
# left to chance (0.99x, 1.24x and 1.02x in three runs of the same binaries).
compare $(((reps + 1) / 2)) a_tail b_tail
check_tail_counts
row "events tail, $n_events events" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.10
tail_rss=$(max_rss_kib "$agentrail" events tail --since "$since" --count "$n_events" -o ndjson)
tail1k_rss=$(max_rss_kib "$agentrail" events tail --since "$since" --count 1000 -o ndjson)
curl_tail_rss=$(max_rss_kib bash -c "curl -sN -H @$work/headers '$base/task-events/stream?cursor=$since' \
    | grep -m $n_events -c '^data:' >'$work/tail.b'")  # bash, curl and grep: GNU time reports the largest

log "latency: $n_latency single events, events tail -o ndjson and curl -sN | grep --line-buffered side by side"
read -r a_p50 a_p99 b_p50 b_p99 < <(python3 "$here/latency.py" "$base" "$n_latency" \
    "$(printf '%q' "$agentrail")" events tail -o ndjson -- \
    "curl -sN -H @$work/headers $base/task-events/stream | grep --line-buffered '^data:'")
log "  agentrail p50 $a_p50 ms, p99 $a_p99 ms; curl | grep p50 $b_p50 ms, p99 $b_p99 ms"
row "event->stdout latency p99 (ms)" "$a_p99 ms" "$b_p99 ms" "$a_p99" "$(awk -v b="$b_p99" 'BEGIN {printf "%.2f", b + 1}')"

# ---- webhook verify ------------------------------------------------------------------------------------------

secret=whsec_bench_$(openssl rand -hex 16)
printf '%s\n' "$secret" >"$work/secret"
chmod 600 "$work/secret"
declare -A verify_rss openssl_rss
smallest= largest=
for mb in $webhook_sizes; do
    [[ -z $smallest ]] && smallest=$mb
    largest=$mb
    head -c $((mb * 1024 * 1024)) /dev/urandom >"$work/body"
    signature=sha256=$(openssl dgst -sha256 -hmac "$secret" -r "$work/body" | cut -d' ' -f1)
    a_verify() { "$agentrail" webhook verify --secret-file "$work/secret" --body-file "$work/body" --signature "$signature"; }
    b_verify() { openssl dgst -sha256 -hmac "$secret" "$work/body"; }
    a_verify >/dev/null || { log "run-bench: agentrail webhook verify rejected a valid signature"; exit 2; }
    log "webhook verify: $mb MiB body"
    if ((mb >= 512)); then r=$(((reps + 6) / 7)); else r=$(((reps + 2) / 3)); fi
    compare "$r" a_verify b_verify
    row "webhook verify, $mb MiB" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.05
    verify_rss[$mb]=$(max_rss_kib "$agentrail" webhook verify --secret-file "$work/secret" --body-file "$work/body" \
        --signature "$signature")
    openssl_rss[$mb]=$(max_rss_kib openssl dgst -sha256 -hmac "$secret" "$work/body")
    rm -f "$work/body"
done

# ---- library concurrency ----------------------------------------------------------------------------------------

# 1,000 get_task calls from 8 threads sharing one Client (lib/examples/concurrent_get.cpp, built with the
# examples) vs `curl --parallel --parallel-max 8` over the same 1,000 URLs; at most 8 TCP connections.
# Skipped when that example is not built (or not in this tree).
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
    log "library: 1000 get_task from 8 threads, $conns TCP connection(s)"
    compare $(((reps + 2) / 3)) a_threads b_threads
    row "library: 1000 get_task, 8 threads" "$A_MS ms" "$B_MS ms" "$(ratio "$A_MS" "$B_MS")" 1.20
    row "library: TCP connections" "$conns" "8" "$conns" 8
else
    log "run-bench: $example is not built (examples off): library row skipped"
    skip_row "library: 1000 get_task from 8 threads" "example not built"
fi

# ---- memory ---------------------------------------------------------------------------------------------------

rss_row "tasks show" "$show_rss" "$curl_show_rss"
rss_row "--version" "$version_rss" "$curl_version_rss"
rss_row "--help" "$help_rss" "$curl_version_rss"
rss_row "list --all -o ndjson" "$all_rss" "$curl_all_rss"
rss_row "list --all -o json" "$all_json_rss" "$curl_all_rss"
rss_row "list --all -o table" "$all_table_rss" "$curl_all_rss"
rss_row "events tail $n_events" "$tail_rss" "$curl_tail_rss"
for mb in $webhook_sizes; do rss_row "webhook verify $mb MiB" "${verify_rss[$mb]}" "${openssl_rss[$mb]}"; done
flat_row "ndjson 100 vs 10 pages" "$all_rss" "$all10_rss"
flat_row "json 100 vs 10 pages" "$all_json_rss" "$all10_json_rss"
flat_row "table 100 vs 10 pages" "$all_table_rss" "$all10_table_rss"
flat_row "$n_events vs 1000 events" "$tail_rss" "$tail1k_rss"
[[ $largest != "$smallest" ]] &&
    flat_row "webhook $largest vs $smallest MiB" "${verify_rss[$largest]}" "${verify_rss[$smallest]}"

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
printf '%-40s %14s %14s %8s %8s  %s\n' target agentrail baseline ratio limit result
printf '%s\n' "${rows[@]}"
echo "(times are medians of interleaved runs; ratio = agentrail / baseline; latency: the value is agentrail's p99,"
echo " the limit curl's p99 + 1 ms; peak RSS: the limit is the baseline's peak + 1.5 MiB; flatness rows: the"
echo " baseline column is the small case, ratio = large / small)"
exit "$failed"
