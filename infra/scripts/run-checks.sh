#!/usr/bin/env bash
# Runs every check in order and keeps going after a failure, so the closing line always counts all of them:
# type-check, lint, unit tests, integration tests, end-to-end runs. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=.data/test-results
rm -rf "$out" && mkdir -p "$out"
status=0

step() { # name, command...
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo "ok" >"$out/$name.step"; else echo "failed" >"$out/$name.step"; status=1; fi
}

step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint --max-warnings 0 .
step unit npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/unit.json"
step integration npx vitest run --project int --reporter=default --reporter=json --outputFile.json="$out/int.json"
step e2e npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$out/e2e.json"

node infra/scripts/test-summary.ts "$out" || status=1
exit $status
