#!/usr/bin/env bash
# Soak tests of the long-running commands against agentrail-mock on 127.0.0.1 (not in the default test
# run; short versions are the ctest entries soak_short and soak_short_webhook, label soak-short).
#   tests/soak/run.sh MINUTES [BUILD_DIR]     (BUILD_DIR: default build/dev; a Release tree for figures)
# `events tail` for MINUTES (soak_tail.py: cuts, stalls, 5xx/429, mock and tail restarts, paced and burst
# events; no loss outside an announced gap, no duplicate, in order; flat RSS and fds).
# Then `webhook listen --forward-to` with 10,000 events (soak_webhook.py: each delivered twice, redelivered,
# random 503s and slow stretches at the forward target; forwarded once per event id, none lost).
# SOAK_SEED=N repeats a run's random choices; SOAK_KEEP=DIR keeps its work files.
set -euo pipefail
minutes=${1:?usage: tests/soak/run.sh MINUTES [BUILD_DIR]}
build=${2:-build/dev}
here=$(cd "$(dirname "$0")" && pwd)
cli=$build/cli/agentrail
mock=$build/tests/mock_server/agentrail-mock
for bin in "$cli" "$mock"; do
  [[ -x $bin ]] || { echo "run.sh: $bin not built (cmake --build $build --target agentrail agentrail-mock)" >&2; exit 2; }
done
args=()
[[ -n ${SOAK_SEED:-} ]] && args+=(--seed "$SOAK_SEED")
[[ -n ${SOAK_KEEP:-} ]] && args+=(--keep "$SOAK_KEEP")
echo "== events tail, $minutes minutes ($build)"
python3 "$here/soak_tail.py" "$cli" "$mock" "$minutes" "${args[@]}"
echo "== webhook listen --forward-to, 10,000 events ($build)"
python3 "$here/soak_webhook.py" "$cli" "$mock" --deliveries 10000 ${SOAK_SEED:+--seed "$SOAK_SEED"}
