// `node bench/erlang-c/run.ts`: the full Erlang C check of issue's "Done when" — 20,000 measured calls (after a
// 1,000-call warm-up) through the simulator, ESL over TCP and the engine on the local PostgreSQL, on the stepped
// virtual clock (infra/e2e/erlang-c/erlang-c-run.ts). Measures service level and ASA from the log in 20 batches of
// 1,000 calls and checks that Erlang C's prediction lies inside both batch-means 95 % confidence intervals.
// Writes bench/results/erlang-c.json; exits 1 when a prediction falls outside. The engine handles one simulated
// instant at a time (~17 appends per call): about 40 ms of wall time per call on 2 busy cores, so the 21,000 calls
// take about 15 minutes (the timers run on the engine's shared aggregate cache, so a long run stays linear); the test
// (infra/e2e/erlang-c/erlang-c.int.test.ts) runs the same check on fewer
// calls. Knobs: ERLANG_C_BATCHES, ERLANG_C_BATCH_SIZE, ERLANG_C_WARM_UP, ERLANG_C_SEED,
// ERLANG_C_STORE=pglite (default postgres: on PGlite every stream read slows down as the log grows, so a long run
// turns quadratic); fewer calls than the default write erlang-c.json.tmp (git ignores it).
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPgliteEventStore } from '../../adapters/event-store/postgres/open-pglite.ts';
import { openPostgresEventStore } from '../../adapters/event-store/postgres/open-postgres.ts';
import { createTestDatabase } from '../../infra/test-support/services.ts';
import { erlangCByDefinition, judgeErlangC, predictErlangC, type BatchPlan } from '../../infra/e2e/erlang-c/erlang-c-check.ts';
import { runErlangC } from '../../infra/e2e/erlang-c/erlang-c-run.ts';
import { ERLANG_C_PARAMETERS } from '../../infra/e2e/erlang-c/erlang-c-scenario.ts';

const num = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
const plan: BatchPlan = { warmUp: num('ERLANG_C_WARM_UP', 1_000), batches: num('ERLANG_C_BATCHES', 20), batchSize: num('ERLANG_C_BATCH_SIZE', 1_000) };
const seed = process.env.ERLANG_C_SEED ?? 'erlang-c-bench';
const storeKind = process.env.ERLANG_C_STORE === 'pglite' ? 'pglite' : 'postgres';
const full = plan.batches * plan.batchSize >= 20_000;
const startedAt = new Date();
const loadAtStart = os.loadavg()[0]!;
const log = (msg: string): void => void process.stderr.write(`[bench erlang-c ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(5)}s] ${msg}\n`);

const p = ERLANG_C_PARAMETERS;
const predicted = predictErlangC(p);
const independent = erlangCByDefinition(p);
log(`N=${p.agents}, λ=${p.arrivalRatePerSecond.toFixed(4)}/s, h=${p.meanTalkSeconds} s, T=${p.answerTargetSeconds} s: Erlang C SL ${(predicted.serviceLevel * 100).toFixed(2)} %, ASA ${predicted.averageSpeedOfAnswerSeconds.toFixed(2)} s (by definition: ${(independent.serviceLevel * 100).toFixed(2)} %, ${independent.averageSpeedOfAnswerSeconds.toFixed(2)} s)`);

const db = storeKind === 'postgres' ? await createTestDatabase('bench_erlang_c') : undefined;
// Subscriptions are woken by the appends that concern them; idle polls only burn CPU here.
const store = db ? await openPostgresEventStore(db.url, { pollIntervalMs: 500 }) : await openPgliteEventStore(undefined, { pollIntervalMs: 500 });
const calls = plan.warmUp + plan.batches * plan.batchSize;
let run;
try {
  run = await runErlangC({
    parameters: p,
    calls,
    seed,
    store,
    onProgress: (s, ms) => log(`${s.offered}/${calls} offered, ${s.completed} completed, ${(ms / Math.max(1, s.completed)).toFixed(1)} ms wall per call, load ${os.loadavg()[0]!.toFixed(1)}`),
  });
} finally {
  await store.close();
  await db?.drop();
}
const verdict = judgeErlangC(run.contacts, plan, p.answerTargetSeconds, predicted);
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
log(`SL measured ${pct(verdict.serviceLevel.mean)} [${pct(verdict.serviceLevel.lower)}, ${pct(verdict.serviceLevel.upper)}], predicted ${pct(predicted.serviceLevel)}: ${verdict.serviceLevelInside ? 'inside' : 'OUTSIDE'}`);
log(`ASA measured ${verdict.averageSpeedOfAnswerSeconds.mean.toFixed(2)} s [${verdict.averageSpeedOfAnswerSeconds.lower.toFixed(2)}, ${verdict.averageSpeedOfAnswerSeconds.upper.toFixed(2)}], predicted ${predicted.averageSpeedOfAnswerSeconds.toFixed(2)} s: ${verdict.averageSpeedOfAnswerInside ? 'inside' : 'OUTSIDE'}`);
log(`${run.contacts.length} contacts, ${run.steps} clock steps, ${(run.simulatedSeconds / 3600).toFixed(1)} simulated hours in ${(run.wallMs / 1000).toFixed(0)} s wall (${(run.wallMs / calls).toFixed(1)} ms per call), ${run.engineErrors.length} engine errors`);

const result = {
  measuredAt: startedAt.toISOString(),
  machine: { gitCommit: headCommit(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAverage1mAtStart: loadAtStart, loadAverage1mAtEnd: os.loadavg()[0] },
  store: storeKind,
  seed,
  parameters: p,
  plan,
  prediction: { domain: predicted, byDefinition: independent },
  measured: {
    serviceLevel: verdict.serviceLevel,
    averageSpeedOfAnswerSeconds: verdict.averageSpeedOfAnswerSeconds,
  },
  inside: { serviceLevel: verdict.serviceLevelInside, averageSpeedOfAnswer: verdict.averageSpeedOfAnswerInside },
  run: {
    calls,
    contacts: run.contacts.length,
    answered: run.contacts.filter((c) => c.outcome === 'answered').length,
    traffic: run.traffic,
    clockSteps: run.steps,
    settleWaits: run.settleWaits,
    simulatedHours: run.simulatedSeconds / 3600,
    wallSeconds: run.wallMs / 1000,
    wallMsPerCall: run.wallMs / calls,
    engineErrors: run.engineErrors.map((e) => `${e.where}: ${String(e.error)}`).slice(0, 20),
  },
};
const out = fileURLToPath(new URL(`../results/erlang-c.json${full ? '' : '.tmp'}`, import.meta.url));
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${out}`);
process.exit(verdict.serviceLevelInside && verdict.averageSpeedOfAnswerInside ? 0 : 1);

/** The commit measured (BENCH_GIT_COMMIT when the caller measured an export), or 'unknown' outside a checkout. */
function headCommit(): string {
  if (process.env.BENCH_GIT_COMMIT) return process.env.BENCH_GIT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
