// `node bench/event-store/run.ts`: every event-store measurement in one run, side by side, each in a fresh
// database; writes bench/results/event-store.json and .md. BENCH_QUICK=1 for a short smoke run (results go
// to *.tmp files, which git ignores). BENCH_SKIP_PGLITE=1 leaves the embedded store out.
import { rename, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, services } from '../../infra/test-support/services.ts';
import { benchCatchUp } from './catch-up.ts';
import { benchEmmettAppend } from './emmett-append.ts';
import { benchLedgerlineAppend } from './ledgerline-append.ts';
import type { Throughput } from './load-loop.ts';
import { describeMachine } from './machine.ts';
import { benchPglite } from './pglite.ts';
import { benchRawInsert } from './raw-insert.ts';
import { buildReport, toMarkdown, type Measurements } from './report.ts';
import { benchSettings } from './settings.ts';

const s = benchSettings();
const startedAt = new Date();
const t0 = performance.now();
const log = (msg: string) => process.stderr.write(`[bench event-store ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

/** Runs `work` against a fresh database that is dropped afterwards. */
async function inFreshDatabase<T>(label: string, work: (url: string) => Promise<T>): Promise<T> {
  const db = await createTestDatabase(`bench_${label}`);
  try {
    return await work(db.url);
  } finally {
    await db.drop();
  }
}

async function measure(label: string, work: (url: string) => Promise<Throughput>): Promise<Throughput> {
  log(`${label} …`);
  const result = await inFreshDatabase(label, work);
  log(`${label}: ${result.eventsPerSecond.toLocaleString('en-US')} events/s (p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms)`);
  return result;
}

const machine = await describeMachine(services.postgresAdminUrl);
log(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, PostgreSQL ${machine.postgres}${s.quick ? ' (QUICK)' : ''}`);

// Shapes interleaved (raw, ours, Emmett for 1 event, then for 10) so that drift on a shared machine hits all three alike.
const raw1 = await measure('raw_insert_1', (url) => benchRawInsert(url, 1, s));
const ours1 = await measure('ledgerline_1', (url) => benchLedgerlineAppend(url, 1, s));
const emmett1 = await measure('emmett_1', (url) => benchEmmettAppend(url, 1, s));
const raw10 = await measure('raw_insert_10', (url) => benchRawInsert(url, 10, s));
const ours10 = await measure('ledgerline_10', (url) => benchLedgerlineAppend(url, 10, s));
const emmett10 = await measure('emmett_10', (url) => benchEmmettAppend(url, 10, s));

log(`catch-up: writing ${s.catchUpEvents.toLocaleString('en-US')} events …`);
const catchUp = await inFreshDatabase('catch_up', (url) => benchCatchUp(url, s.catchUpEvents, s.catchUpEventsPerAppend, s.writers, s.streams));
log(`catch-up: fill ${catchUp.fill.eventsPerSecond.toLocaleString('en-US')}/s, readAll ${catchUp.readAll.eventsPerSecond.toLocaleString('en-US')}/s, subscribeToAll ${catchUp.subscribeToAll.eventsPerSecond.toLocaleString('en-US')}/s`);

let pglite: Measurements['pglite'];
if (process.env.BENCH_SKIP_PGLITE !== '1') {
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
};
const report = buildReport(machine, s, measurements, startedAt, (performance.now() - t0) / 1000);

const suffix = s.quick ? '-quick' : '';
const tmpSuffix = s.quick ? '.tmp' : '';
const results = (name: string) => fileURLToPath(new URL(`../results/${name}`, import.meta.url));
await writeAtomically(results(`event-store${suffix}.json${tmpSuffix}`), JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
const md = toMarkdown(report);
await writeAtomically(results(`event-store${suffix}.md${tmpSuffix}`), md);
process.stdout.write(md);
for (const t of report.targets) log(`target ${t.holds ? 'holds' : 'MISSED'}: ${t.name} ${t.target} (actual ${t.actual})`);

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.part.tmp`, text);
  await rename(`${path}.part.tmp`, path);
}
