# Shared by the packaging tests: a temporary work folder removed at exit, check reporting, and
# agentrail-mock on a free loopback port.
work=$(mktemp -d)
mock_pid=
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
fail() { echo "FAIL $*"; exit 1; }
ok() { echo "ok   $*"; passed=$((passed + 1)); }

# start_mock BINARY: starts it, waits for its ready line, exports AGENTRAIL_BASE_URL and a demo key.
start_mock() {
  "$1" --port 0 >"$work/mock.out" 2>/dev/null &
  mock_pid=$!
  for _ in $(seq 1 100); do grep -q '"ready"' "$work/mock.out" 2>/dev/null && break; sleep 0.05; done
  AGENTRAIL_BASE_URL=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["baseUrl"])' \
                       "$work/mock.out") || fail "agentrail-mock did not start"
  export AGENTRAIL_BASE_URL AGENTRAIL_API_KEY=ar_local_demo_key
}
