import { mkdirSync } from 'node:fs';
import { findProjection, projectionRegistry } from '../../../projections/registry.ts';
import { openProjectionEnvironment, type ProjectionEnvironment } from '../../../projections/open-projection-environment.ts';
import { ProjectionRunner } from '../../../projections/runtime/projection-runner.ts';
import { etaMs, progressBar, progressText, RateEstimator } from '../../../projections/runtime/progress.ts';
import { buildProgress, requestRebuild } from '../../../projections/runtime/rebuild.ts';
import { projectionStatus } from '../../../projections/runtime/status.ts';
import { statusTable } from '../../../projections/runtime/status-table.ts';
import { loadConfig } from '../../config/config.ts';

const USAGE = 'Usage: ./ledgerline projections status [--json]\n       ./ledgerline projections rebuild <name>';

/** `projections status` and `projections rebuild <name>`. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'status') return withEnvironment((env) => status(env, rest.includes('--json')));
  if (sub === 'rebuild') {
    const name = rest[0];
    if (!name) {
      console.error(`projections rebuild: name a projection (${projectionRegistry.map((p) => p.name).join(', ')})\n${USAGE}`);
      return 2;
    }
    const def = findProjection(name);
    return withEnvironment((env) => rebuild(env, def.name));
  }
  console.error(USAGE);
  return 2;
}

async function withEnvironment(body: (env: ProjectionEnvironment) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const url = config.EVENT_STORE_URL;
  if (url.startsWith('pglite:') && url !== 'pglite:memory') mkdirSync(url.slice('pglite:'.length), { recursive: true });
  const env = await openProjectionEnvironment({ eventStoreUrl: url, ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}) });
  try {
    return await body(env);
  } finally {
    await env.close();
  }
}

async function status(env: ProjectionEnvironment, json: boolean): Promise<number> {
  const rows = await projectionStatus(env, projectionRegistry);
  if (json) {
    console.log(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  } else {
    console.log(statusTable(rows));
  }
  return 0;
}

/**
 * Asks for a blue-green rebuild and drives it: this process runs the projection if it can take the lease,
 * otherwise the runner that holds it does the work and this one watches. Ctrl-C leaves the new build in
 * place; the next runner (or rebuild) resumes it from its checkpoint.
 */
async function rebuild(env: ProjectionEnvironment, name: string): Promise<number> {
  const def = findProjection(name);
  const target = await requestRebuild(env.db, def);
  const tty = process.stderr.isTTY === true;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`rebuilding ${def.name} v${def.version} into ${target.schema} (build ${target.build})`);
  const runner = new ProjectionRunner({
    db: env.db,
    store: env.store,
    definition: def,
    onEvent: (e) => {
      if (e.kind === 'lease_acquired') say(`${tty ? '\n' : ''}this process holds the lease and runs ${def.name}`);
      if (e.kind === 'error' && !tty) say(`error (${e.where}): ${e.error instanceof Error ? e.error.message : String(e.error)}`);
    },
  });
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once('SIGINT', interrupt);
  runner.start();
  const rate = new RateEstimator();
  let lastLine = 0;
  try {
    for (;;) {
      const p = await buildProgress(env, def, target.build);
      const now = Date.now();
      rate.add({ atMs: now, processed: p.processed });
      const view = { processed: p.processed, total: p.total, rate: rate.rate(), etaMs: etaMs(p.processed, p.total, rate.rate()) };
      const done = p.state === 'live' && p.processed >= p.total;
      const waiting = runner.state === 'waiting_for_lease' ? '  (another runner holds the lease)' : '';
      const error = p.lastError ? `  last error: ${p.lastError.split('\n')[0]}` : '';
      if (tty) {
        process.stderr.write(`\r\x1b[2K${progressBar(p.processed, p.total, 30)} ${progressText(view)}${waiting}${error}`);
      } else if (done || now - lastLine >= 5_000) {
        say(`${def.name} build ${target.build}: ${progressText(view)}${waiting}${error}`);
        lastLine = now;
      }
      if (done) {
        if (tty) process.stderr.write('\n');
        console.log(`${def.name}: build ${target.build} (v${def.version}) is live at ${p.processed} events`);
        return 0;
      }
      if (p.state === 'gone') {
        if (tty) process.stderr.write('\n');
        console.error(`${def.name}: build ${target.build} was abandoned (another version replaced it)`);
        return 1;
      }
      if (interrupted) {
        if (tty) process.stderr.write('\n');
        console.error(`${def.name}: interrupted; build ${target.build} stays and resumes from its checkpoint`);
        return 130;
      }
      await new Promise((r) => setTimeout(r, tty ? 250 : 1_000));
    }
  } finally {
    process.off('SIGINT', interrupt);
    await runner.stop();
  }
}
