#!/usr/bin/env bash
# Regenerates README.md's "Output from run-demo.sh" session from a real run of packaging/demo-session.sh
# against a fresh agentrail-mock, with stable placeholders for what changes between runs (times, random
# ids, SHAs, idempotency keys, the port). tests/e2e/test_docs_snippets.py fails when README.md and a real
# run differ, so run this after changing the CLI's output or the demo.
#   packaging/regen-readme-session.sh [BUILD_DIR]     (default: build/dev, then build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-}
if [ -z "$build" ]; then
  for b in build/dev build/release build; do
    if [ -x "$b/cli/agentrail" ] && [ -x "$b/tests/mock_server/agentrail-mock" ]; then build=$b; break; fi
  done
fi
[ -n "$build" ] && [ -x "$build/cli/agentrail" ] || { echo "no built agentrail found; pass the build directory" >&2; exit 2; }
exec python3 tests/e2e/docs_snippets.py --agentrail "$build/cli/agentrail" \
  --mock "$build/tests/mock_server/agentrail-mock" regen-readme
