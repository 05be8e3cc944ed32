// `node bench/event-store/run.ts`: every event-store measurement in one run, side by side, each in a fresh
// database; writes bench/results/event-store.json and .md. BENCH_QUICK=1 for a short smoke run (results go
// to *.tmp files, which git ignores). BENCH_SKIP_PGLITE=1 leaves the embedded store out; BENCH_ONLY=append|catchup|pglite
// (comma-separated) runs parts only, also into *.tmp; BENCH_CATCHUP_EVENTS overrides the catch-up size.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, services } from '../../infra/test-support/services.ts';
import { benchCatchUp } from './catch-up.ts';
import { measureIsolated } from './isolated.ts';
import { medianRound, type Throughput } from './load-loop.ts';
import { describeMachine } from './machine.ts';
import { benchPglite } from './pglite.ts';
import { buildReport, toMarkdown, type Measurements } from './report.ts';
import { benchSettings } from './settings.ts';

const s = benchSettings();
const startedAt = new Date();
const loadAtStart = os.loadavg()[0]!;
const t0 = performance.now();
const log = (msg: string) => process.stderr.write(`[bench event-store ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

/** Runs `work` against a fresh database that is dropped afterwards. */
async function inFreshDatabase<T>(label: string, work: (url: string) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(`bench_${label}`);
  try {
    return await work(db.url);
  } finally {
    await connectionsGone(db.name);
    await db.drop();
  }
}

/**
 * Waits (up to 5 s) until no session is left on `database`. pg's `pool.end()` resolves before its sockets have
 * closed; a forced DROP DATABASE in that window kills them, and a pool without an error listener (Emmett's)
 * then crashes the process.
 */
async function connectionsGone(database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: services.postgresAdminUrl });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const r = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      if (r.rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}

async function measure(label: string, tag: string, work: (url: string) => Promise<Throughput>): Promise<Throughput> {
  const result = await inFreshDatabase(label, work);
  log(`${label} (${tag}): ${result.eventsPerSecond.toLocaleString('en-US')} events/s (p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, CPU µs/event client ${result.clientCpuUsPerEvent ?? '?'} server ${result.serverCpuUsPerEvent ?? '?'})`);
  return result;
}

const machine = await describeMachine(services.postgresAdminUrl);
log(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, PostgreSQL ${machine.postgres}${s.quick ? ' (QUICK)' : ''}`);

// Rounds interleave raw, ours and Emmett (1-event shape, then 10-event) so that load drift on a shared machine hits
// all three alike; each round runs in a fresh database, and the median round per system and shape is reported.
const rounds = { raw1: [] as Throughput[], ours1: [] as Throughput[], emmett1: [] as Throughput[], raw10: [] as Throughput[], ours10: [] as Throughput[], emmett10: [] as Throughput[] };
const skipped: Throughput = { eventsPerSecond: 0, events: 0, operations: 0, seconds: 0, p50Ms: 0, p99Ms: 0 };
for (const n of s.only.has('append') ? ([1, 10] as const) : []) {
  for (let r = 1; r <= s.rounds; r++) {
    const tag = `${n}ev round ${r}/${s.rounds}`;
    rounds[`raw${n}`].push(await measure(`raw_insert_${n}`, tag, (url) => measureIsolated('raw', url, n, s)));
    rounds[`ours${n}`].push(await measure(`ledgerline_${n}`, tag, (url) => measureIsolated('ledgerline', url, n, s)));
    rounds[`emmett${n}`].push(await measure(`emmett_${n}`, tag, (url) => measureIsolated('emmett', url, n, s)));
  }
}
const median = (xs: Throughput[]) => (xs.length === 0 ? skipped : medianRound(xs));
const raw1 = median(rounds.raw1);
const ours1 = median(rounds.ours1);
const emmett1 = median(rounds.emmett1);
const raw10 = median(rounds.raw10);
const ours10 = median(rounds.ours10);
const emmett10 = median(rounds.emmett10);

let catchUp = { fill: skipped, readAll: skipped, subscribeToAll: skipped };
if (s.only.has('catchup')) {
  log(`catch-up: writing ${s.catchUpEvents.toLocaleString('en-US')} events …`);
  catchUp = await inFreshDatabase('catch_up', (url) => benchCatchUp(url, s.catchUpEvents, s.catchUpEventsPerAppend, s.writers, s.streams));
  log(`catch-up: fill ${catchUp.fill.eventsPerSecond.toLocaleString('en-US')}/s, readAll ${catchUp.readAll.eventsPerSecond.toLocaleString('en-US')}/s, subscribeToAll ${catchUp.subscribeToAll.eventsPerSecond.toLocaleString('en-US')}/s (CPU µs/event client ${catchUp.subscribeToAll.clientCpuUsPerEvent ?? '?'} server ${catchUp.subscribeToAll.serverCpuUsPerEvent ?? '?'})`);
}

let pglite: Measurements['pglite'];
if (s.only.has('pglite') && process.env.BENCH_SKIP_PGLITE !== '1') {
  log('pglite …');
  try {
    pglite = await benchPglite(s);
    log(`pglite: append1 ${pglite.append1.eventsPerSecond}/s, append10 ${pglite.append10.eventsPerSecond}/s, catch-up ${pglite.catchUp.subscribeToAll.eventsPerSecond}/s`);
  } catch (e) {
    // Informational only: a PGlite failure is reported, and the PostgreSQL figures are still written.
    pglite = { error: e instanceof Error ? e.message : String(e) };
    log(`pglite failed: ${pglite.error}`);
  }
}

const measurements: Measurements = {
  raw: { rows1: raw1, rows10: raw10 },
  ledgerline: { append1: ours1, append10: ours10 },
  emmett: { append1: emmett1, append10: emmett10 },
  catchUp,
  ...(pglite === undefined ? {} : { pglite }),
  rounds: {
    raw1: rounds.raw1.map((t) => t.eventsPerSecond),
    ours1: rounds.ours1.map((t) => t.eventsPerSecond),
    emmett1: rounds.emmett1.map((t) => t.eventsPerSecond),
    raw10: rounds.raw10.map((t) => t.eventsPerSecond),
    ours10: rounds.ours10.map((t) => t.eventsPerSecond),
    emmett10: rounds.emmett10.map((t) => t.eventsPerSecond),
  },
};
const report = buildReport(machine, s, measurements, startedAt, (performance.now() - t0) / 1000, { start: loadAtStart, end: os.loadavg()[0]! });

const partial = s.only.size < 3;
const suffix = s.quick ? '-quick' : partial ? '-partial' : '';
const tmpSuffix = s.quick || partial ? '.tmp' : '';
const results = (name: string) => fileURLToPath(new URL(`../results/${name}`, import.meta.url));
await writeAtomically(results(`event-store${suffix}.json${tmpSuffix}`), JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
const md = toMarkdown(report);
await writeAtomically(results(`event-store${suffix}.md${tmpSuffix}`), md);
process.stdout.write(md);
for (const t of report.targets) log(`target ${t.holds ? 'holds' : 'MISSED'}: ${t.name} ${t.target} (actual ${t.actual})`);

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.part.tmp`, text);
  await rename(`${path}.part.tmp`, path);
}
