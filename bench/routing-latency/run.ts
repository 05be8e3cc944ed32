// `node bench/routing-latency/run.ts`: the highest sustained new-call rate at which the p99 routing latency (a call
// queued while an agent is free → the agent leg's originate sent) stays under 20 ms, on PostgreSQL and on PGlite.
// Writes bench/results/routing-latency.json and .md. Knobs: BENCH_QUICK=1 (short steps; *.tmp results, which git
// ignores), BENCH_STORES=postgres,pglite, BENCH_RATES=10,25,…, BENCH_STEP_SECONDS, BENCH_FACTOR, BENCH_AGENTS;
// BENCH_STORE_CALLS=1 logs the store calls per call after each step (=2: by call site, slow).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { openPostgresEventStore } from '../../adapters/event-store/postgres/open-postgres.ts';
import { openPgliteEventStore } from '../../adapters/event-store/postgres/open-pglite.ts';
import { createTestDatabase, services } from '../../infra/test-support/services.ts';
import { describeMachine } from '../event-store/machine.ts';
import { runRamp, type RampResult, type RampSettings } from './ramp.ts';
import { toMarkdown, type StoreRun } from './report.ts';

const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const settings: RampSettings = {
  factor: num('BENCH_FACTOR', 20),
  agents: num('BENCH_AGENTS', 200),
  rates: (process.env.BENCH_RATES ?? '10,25,50,75,100,125,150,200').split(',').map(Number),
  stepSeconds: num('BENCH_STEP_SECONDS', quick ? 8 : 25),
  settleSeconds: quick ? 2 : 5,
  targetP99Ms: 20,
  stopAfterMisses: 2,
  warmupRate: 20,
  warmupSeconds: quick ? 3 : 8,
};
const stores = new Set((process.env.BENCH_STORES ?? 'postgres,pglite').split(','));
const startedAt = new Date();
const t0 = performance.now();
const loadAtStart = os.loadavg()[0]!;
const log = (msg: string) => process.stderr.write(`[bench routing-latency ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

/** The raw cost of one 1-event append on the same store, sequential: the baseline the latencies are compared with. */
async function appendBaseline(store: EventStore): Promise<{ p50Ms: number; p99Ms: number; appends: number }> {
  const times: number[] = [];
  const stream = `bench-${randomUUID()}`;
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await store.appendToStream(stream, { id: randomUUID(), type: 'BenchProbe', data: { i } }, { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
    if (i >= 50) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]! * 100) / 100;
  return { p50Ms: q(50), p99Ms: q(99), appends: times.length };
}

async function runOn(name: 'postgres' | 'pglite'): Promise<StoreRun> {
  log(`${name}: opening a fresh store`);
  const db = name === 'postgres' ? await createTestDatabase('bench_routing_latency') : undefined;
  const store = db ? await openPostgresEventStore(db.url) : await openPgliteEventStore();
  try {
    const baseline = await appendBaseline(store);
    log(`${name}: one append p50 ${baseline.p50Ms} ms, p99 ${baseline.p99Ms} ms`);
    const ramp: RampResult = await runRamp(store, settings, (m) => log(`${name}: ${m}`), db?.name);
    log(`${name}: highest rate with p99 < ${settings.targetP99Ms} ms: ${ramp.highestRateMeetingTarget} calls/s (${ramp.errors} engine errors)`);
    return { store: name, baseline, ...ramp };
  } finally {
    await store.close();
    await db?.drop();
  }
}

const machine = await describeMachine(services.postgresAdminUrl);
const runs: StoreRun[] = [];
for (const name of ['postgres', 'pglite'] as const) if (stores.has(name)) runs.push(await runOn(name));

const report = {
  benchmark: 'routing-latency',
  startedAt: startedAt.toISOString(),
  durationSeconds: Math.round((performance.now() - t0) / 100) / 10,
  quick,
  machine,
  loadAverage1m: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(os.loadavg()[0]! * 100) / 100 },
  definitions: {
    rate: 'new inbound calls per wall-clock second, Poisson arrivals from the simulator over ESL/TCP; the engine and the simulator share a clock running `factor` times faster than the wall clock',
    latency: 'wall-clock ms from the engine\'s append of the call\'s CallQueued event resolving (QueueCall committed) to the routing manager calling SwitchPort.originate for the agent leg (the ESL port writes the bgapi in that call)',
    counted: 'calls queued while the routing manager\'s model held more ready agents than waiting calls without an offer, in the step after its first settleSeconds; a counted call never offered by the end counts as infinitely late',
    sustained: 'a step holds its rate for stepSeconds of wall time, with the previous steps\' calls still talking and wrapping up',
    baseline: 'one sequential 1-event append on the same store in the same run (p50); ratios are step p99 ÷ that',
  },
  settings: { ...settings, stores: [...stores] },
  targets: runs.map((r) => ({ store: r.store, target: '>= 100 calls/s with p99 < 20 ms', highestRateMeetingTarget: r.highestRateMeetingTarget, holds: r.highestRateMeetingTarget >= 100 })),
  runs,
};

const suffix = quick || stores.size < 2 || process.env.BENCH_RATES ? '.tmp' : '';
const results = (n: string) => fileURLToPath(new URL(`../results/${n}`, import.meta.url));
const json = JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v === Infinity ? 'Infinity' : v), 2) + '\n';
await writeAtomically(results(`routing-latency.json${suffix}`), json);
const md = toMarkdown(report);
await writeAtomically(results(`routing-latency.md${suffix}`), md);
process.stdout.write(md);
process.exit(0);

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.part.tmp`, text);
  await rename(`${path}.part.tmp`, path);
}
