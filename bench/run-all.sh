#!/usr/bin/env bash
# Runs every benchmark under bench/ (each bench/<name>/run.ts) with the repository's node, after checking that
# the local services answer. `make bench` starts the services first; run this directly when they already are.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
node_bin=$(infra/scripts/ensure-node.sh)
export PATH="$node_bin:$PATH"
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=ExperimentalWarning"

# Fail early and clearly when PostgreSQL is not reachable (a benchmark would otherwise die mid-way).
if ! node --input-type=module -e '
  const { services } = await import("./infra/test-support/services.ts");
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: services.postgresAdminUrl, connectionTimeoutMillis: 3000 });
  try { await c.connect(); await c.query("SELECT 1"); await c.end(); }
  catch (e) { console.error(`bench: PostgreSQL is not reachable at ${services.postgresAdminUrl.replace(/:[^:@/]*@/, ":***@")}: ${e.message}`); process.exit(1); }
'; then
  echo "bench: the local services are down; start them with 'make services' (or run 'make bench', which does)." >&2
  exit 1
fi

mkdir -p bench/results
status=0
for bench in bench/*/run.ts; do
  echo "== $bench" >&2
  if ! node "$bench"; then
    echo "bench: $bench FAILED" >&2
    status=1
  fi
done
exit $status
