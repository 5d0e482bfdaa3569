#!/usr/bin/env bash
# Regenerates cli/link-order.txt: the functions the agentrail CLI runs in its common commands, which the
# link places side by side (cli/CMakeLists.txt, AGENTRAIL_CLI_LINK_ORDER).
#
#   tests/bench/gen-link-order.sh [AGENTRAIL [AGENTRAIL_MOCK]]
#
# Why: the kernel maps a file-backed page together with its neighbours (fault-around, 64 KiB), so the peak
# RSS of a short-lived process counts every 64 KiB window of its code that it touches at all. The few
# hundred KiB of code a command runs (start-up, option parsing, the HTTP call, rendering) are spread over
# the whole 1.9 MiB of .text in link order; gathered into one run, the same command maps about 1.2 MiB less.
#
# How: each command below runs once under valgrind (lackey) against agentrail-mock; every function of the
# binary with an executed instruction is listed by its symbol names (aliases included), sorted. Needs
# valgrind, jq, curl and a built CLI with its symbol table (any build type; default build/release; pass a
# copy when the build tree may relink it meanwhile).
# Run it after large changes to start-up, parsing, transport or rendering code: names that no longer exist
# are ignored by the linker, so a stale list costs memory, never correctness (tests/bench/run-bench.sh's
# peak RSS rows show it).

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
agentrail=${1:-$root/build/release/cli/agentrail}
mock=${2:-$root/build/release/tests/mock_server/agentrail-mock}
out=$root/cli/link-order.txt

for tool in valgrind jq curl nm python3; do
    command -v "$tool" >/dev/null || { echo "gen-link-order: $tool is needed" >&2; exit 2; }
done
for bin in "$agentrail" "$mock"; do
    [[ -x $bin ]] || { echo "gen-link-order: $bin is not an executable" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/agentrail-link-order.XXXXXX")
mock_pid=
cleanup() {
    [[ -n $mock_pid ]] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

key=ar_local_order_key
cat >"$work/seed.json" <<EOF
{"agents": [{"id": "agt_order", "displayName": "Order", "role": "engineer", "externalIdentities": []}],
 "keys": [{"id": "akey_order", "apiKey": "$key", "agentId": "agt_order",
           "scopes": ["tasks:read", "events:read"],
           "rateLimit": {"windowSeconds": 60, "maxRequests": 1000000000}}],
 "tasks": [],
 "generatedTasks": {"assigneeAgentId": "agt_order", "identifierPrefix": "GEN"}}
EOF
"$mock" --host 127.0.0.1 --port 0 --tasks 250 --seed "$work/seed.json" --ready-file "$work/ready.json" \
    >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
for _ in $(seq 200); do [[ -s $work/ready.json ]] && break; sleep 0.05; done
[[ -s $work/ready.json ]] || { cat "$work/mock.err" >&2; exit 2; }
base=$(jq -r .baseUrl "$work/ready.json")
curl -s -X POST "$base/_mock/events/burst" -d '{"count": 200, "taskId": "tsk_01GEN0000001"}' >/dev/null
export AGENTRAIL_BASE_URL=$base AGENTRAIL_API_KEY=$key NO_COLOR=1 HOME=$work
unset AGENTRAIL_PROFILE

head -c 65536 /dev/zero >"$work/body"
printf 'whsec_order\n' >"$work/secret"

# Executed instruction addresses of the binary, relative to where valgrind loads it (0x108000 for a PIE).
n=0
trace() {
    n=$((n + 1))
    valgrind --tool=lackey --trace-mem=yes --log-fd=9 "$agentrail" "$@" 9>&1 >/dev/null 2>/dev/null |
        awk '$1 == "I" {split($2, a, ","); print a[1]}' | sort -u >"$work/trace.$n" || true
    echo "  $n: agentrail $* ($(wc -l <"$work/trace.$n") distinct instruction addresses)" >&2
}
echo "gen-link-order: tracing $agentrail" >&2
trace --version
trace --help
trace tasks --help
trace tasks show tsk_01GEN0000042 -o json
trace tasks show tsk_01GEN0000042
trace tasks list
trace tasks list --all --limit 100 -o ndjson
trace tasks list --all --limit 100 -o json
trace tasks list --all --limit 100 -o table
trace events tail --since 0 --count 100 -o ndjson
trace webhook verify --secret-file "$work/secret" --body-file "$work/body" --signature sha256=00
trace tasks shw tsk_01GEN0000042

nm -S --defined-only "$agentrail" >"$work/nm"
python3 - "$work/nm" "$work"/trace.* >"$out" <<'EOF'
import bisect, sys

load = 0x108000  # valgrind's base address for a position-independent executable
functions = {}  # start -> (size, names)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4 and p[2] in "tTwW" and int(p[1], 16) > 0:
        start = int(p[0], 16)
        size, names = functions.get(start, (0, []))
        functions[start] = (max(size, int(p[1], 16)), names + [p[3]])
starts = sorted(functions)
hit = set()
for path in sys.argv[2:]:
    for line in open(path):
        a = int(line, 16) - load
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and a < starts[i] + functions[starts[i]][0]:
            hit.add(starts[i])
names = sorted({n for s in hit for n in functions[s][1]})
print("\n".join(names))
EOF
echo "gen-link-order: $(wc -l <"$out") names in ${out#"$root"/}" >&2
