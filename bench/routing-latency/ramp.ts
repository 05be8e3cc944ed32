// One store's ramp: the simulator and the engine over TCP on a shared accelerated clock, the new-call rate raised
// step by step (each step held for a fixed wall time, the previous step's calls still running), and per step the
// routing latency of the calls that found an agent free (see latency-probe.ts for the exact definitions).
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { startEngine, type Engine } from '../../engine/engine.ts';
import { InMemoryCustomerLookup } from '../../engine/process-managers/inbound/customer-lookup.ts';
import { EslSwitchPort } from '../../engine/switch/esl-switch-port.ts';
import { flowForDidOf, seedContactCenter } from '../../infra/demo/seed-contact-center.ts';
import { anchorsNow, startSwitch } from '../../infra/e2e/engine-harness.ts';
import { engineClockOf } from '../../infra/runtime/shared-clock.ts';
import type { TrafficGenerator } from '../../infra/simulator/traffic/traffic-generator.ts';
import { agentIds, benchContactCenter, stepTraffic } from './bench-contact-center.ts';
import pg from 'pg';
import { sampleCpu, type CpuSample } from '../event-store/cpu.ts';
import { services } from '../../infra/test-support/services.ts';
import { LatencyProbe, PHASES, type CallTimes } from './latency-probe.ts';

export interface RampSettings {
  readonly factor: number;
  readonly agents: number;
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  /** Calls queued in the first seconds of a step are not counted (the rate has just changed). */
  readonly settleSeconds: number;
  readonly targetP99Ms: number;
  /** Stop the ramp after this many steps in a row missed the target. */
  readonly stopAfterMisses: number;
  readonly warmupRate: number;
  readonly warmupSeconds: number;
}

/** One step's figures. */
export interface StepResult {
  readonly targetRate: number;
  /** Calls queued per wall second in the counted window (what the switch and the inbound manager delivered). */
  readonly queuedPerSecond: number;
  readonly counted: number;
  /** Calls queued while no agent was free (left out). */
  readonly notEligible: number;
  /** Counted calls never offered by the end of the run (counted as infinitely late). */
  readonly neverOffered: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Calls were queued at ≥ 85 % of the target rate: the engine and the simulator kept up (else the rate was not sustained). */
  readonly sustained: boolean;
  /** Sustained, and p99 under the target. */
  readonly meetsTarget: boolean;
  /** CPU of this process (engine + simulator + driver) over the step, in cores. */
  readonly processCpuCores: number;
  /** Appends per wall second through the engine's store. */
  readonly appendsPerSecond: number;
  /** CPU µs per queued call in this process (engine, simulator, driver; PGlite's database too) and in the PostgreSQL backends of the bench database. */
  readonly cpuUsPerCall: { readonly process: number; readonly server: number | null };
  /** Database transactions (≈ statements: every append and read is one) per queued call (PostgreSQL only). */
  readonly transactionsPerCall: number | null;
  /**
   * The oldest write transaction running on the server in OTHER databases, sampled every 100 ms (ms; p99 and max over
   * the step; PostgreSQL only): subscriptions see nothing committed after it began until it ends.
   */
  readonly othersOldestWriteMs: { readonly p99: number; readonly max: number } | null;
  /** Event-loop delay p99 over the step (ms): time a ready callback waited for the loop. */
  readonly eventLoopDelayP99Ms: number;
  /** Per phase (ms since the previous one, from `queued`), p50 and p99 over the counted calls that were offered. */
  readonly phases: Record<string, { p50: number; p99: number }>;
}

export interface RampResult {
  readonly steps: StepResult[];
  /** The highest step rate whose p99 stayed under the target (0 when none did). */
  readonly highestRateMeetingTarget: number;
  readonly routingStats: Engine['routing']['stats'];
  /** Store calls per queued call over the whole run, by method, stream category and event types (appends). */
  readonly storeCallsPerCall: Record<string, number>;
  readonly errors: number;
  readonly firstErrors: string[];
}

/** Runs the ramp on `store` (already opened and empty); logs with `log`. */
export async function runRamp(store: EventStore, s: RampSettings, log: (msg: string) => void, database?: string): Promise<RampResult> {
  const admin = database ? new pg.Client({ connectionString: services.postgresAdminUrl }) : undefined;
  await admin?.connect();
  // Every subscription waits for the oldest transaction with an id on the whole server (see sql-event-store.ts).
  const oldest: { at: number; ms: number }[] = [];
  let sampling = false;
  const sampler = admin
    ? setInterval(() => {
        if (sampling) return;
        sampling = true;
        admin
          .query<{ ms: number | null }>(
            `SELECT max(extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS ms FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM $1`,
            [database],
          )
          .then((r) => oldest.push({ at: performance.now(), ms: r.rows[0]?.ms ?? 0 }))
          .catch(() => undefined)
          .finally(() => (sampling = false));
      }, 100)
    : undefined;
  const transactions = async (): Promise<number | undefined> => {
    if (!admin) return undefined;
    const r = await admin.query<{ n: string }>('SELECT pg_stat_force_next_flush(), (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1)::text AS n', [database]);
    return Number(r.rows[0]!.n);
  };
  const probe = new LatencyProbe();
  const anchors = anchorsNow(s.factor);
  const spec = benchContactCenter(s.agents);
  const sw = await startSwitch(anchors, { seed: 'routing-latency', users: agentIds(s.agents) });
  await seedContactCenter(store, spec, anchors.anchorSimMs);
  const ref: { engine?: Engine } = {};
  const port = new EslSwitchPort({
    switches: [{ host: sw.sim.host, port: sw.sim.port }],
    password: sw.sim.password,
    commandTimeoutMs: 10_000,
    openChannels: (switchId) => (ref.engine ? ref.engine.openChannels(switchId) : []),
    connection: { heartbeatMisses: 0 },
  });
  const ready = await port.start(10_000);
  if (ready.notReady.length > 0) throw new Error(`switch not reachable: ${ready.notReady.join(', ')}`);
  const errors: string[] = [];
  let errorCount = 0;
  const engine = await startEngine({
    store: probe.wrapStore(store),
    switchPort: probe.wrapSwitch(port),
    clock: engineClockOf(anchors),
    instanceId: `bench-${randomUUID().slice(0, 8)}`,
    flowForDid: flowForDidOf(spec),
    lookup: new InMemoryCustomerLookup(),
    onError: (error, where) => {
      errorCount++;
      if (errors.length < 10) errors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  ref.engine = engine;
  const routing = engine.routing;
  probe.model = () => routing.model;
  const generators: TrafficGenerator[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  try {
    const hold = async (rate: number, seconds: number, seed: string) => {
      generators.push(sw.traffic(stepTraffic(seed, rate, s.factor, seconds)));
      await new Promise((r) => setTimeout(r, seconds * 1000));
    };
    log(`warm-up ${s.warmupRate} calls/s for ${s.warmupSeconds} s`);
    await hold(s.warmupRate, s.warmupSeconds, 'warmup');
    const windows: Window[] = [];
    let misses = 0;
    for (const rate of s.rates) {
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      const both0 = sampleCpu(database);
      const tx0 = await transactions();
      const appends0 = probe.appends;
      loop.reset();
      await hold(rate, s.stepSeconds, `step-${rate}`);
      const end = performance.now();
      const both1 = sampleCpu(database);
      const tx1 = await transactions();
      const queued = [...probe.calls.values()].filter((c) => c.queuedAt >= start && c.queuedAt < end).length;
      const w: Window = {
        rate,
        from: start + s.settleSeconds * 1000,
        to: end,
        cpu: process.cpuUsage(cpu0),
        appends: probe.appends - appends0,
        loopP99: loop.percentile(99) / 1e6,
        perCall: perCall(both0, both1, tx0, tx1, queued),
        othersOldestWriteMs: admin ? spread(oldest.filter((o) => o.at >= start && o.at < end).map((o) => o.ms)) : null,
      };
      windows.push(w);
      const step = stepOf(probe, w, s, (end - start) / 1000);
      log(`${rate} calls/s: queued ${step.queuedPerSecond}/s, counted ${step.counted} (not eligible ${step.notEligible}, never offered yet ${step.neverOffered}), p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, max ${step.maxMs} ms, CPU ${step.processCpuCores} cores, CPU µs/call ${step.cpuUsPerCall.process}+${step.cpuUsPerCall.server ?? '?'}, tx/call ${step.transactionsPerCall ?? '?'}, others' oldest write tx p99/max ${step.othersOldestWriteMs ? `${step.othersOldestWriteMs.p99}/${step.othersOldestWriteMs.max} ms` : '—'}, loop p99 ${step.eventLoopDelayP99Ms} ms; phases p50/p99 ${Object.entries(step.phases).map(([k, v]) => `${k} ${v.p50}/${v.p99}`).join(', ')}`);
      if (process.env.BENCH_STORE_CALLS) {
        const n = probe.calls.size;
        log(`  store calls per call so far: ${[...probe.storeCalls].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ')}`);
      }
      const states = new Map<string, number>();
      for (const a of routing.model.agents.values()) states.set(a.state.state, (states.get(a.state.state) ?? 0) + 1);
      log(`  agents at the end of the step: ${[...states].map(([k, v]) => `${k} ${v}`).join(', ')}; routing ${JSON.stringify(routing.stats)}`);
      misses = step.meetsTarget ? 0 : misses + 1;
      if (misses >= s.stopAfterMisses) break;
    }
    for (const g of generators) g.stop();
    // Calls queued at the very end get a moment to be offered before the figures are final.
    const deadline = performance.now() + 10_000;
    const pending = () => [...probe.calls.values()].some((c) => c.eligible && c.originatedAt === undefined && c.queuedAt >= windows[0]!.from);
    while (pending() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (process.env.BENCH_STORE_CALLS) {
      for (const [id, c] of [...probe.calls].filter(([, c]) => c.eligible && c.originatedAt === undefined).slice(0, 3)) {
        const types: string[] = [];
        for await (const r of store.readStream(`call-${id}`)) types.push(`${r.type}@${r.revision}`);
        const m = routing.model.call(id);
        log(`  never offered ${id} (queued ${Math.round(performance.now() - c.queuedAt)} ms ago): ${types.join(' ')}; model: ${m?.state.status} rev ${m?.revision} offer ${JSON.stringify(m?.state.offer)}`);
      }
    }
    const steps = windows.map((w) => stepOf(probe, w, s, (w.to - w.from) / 1000 + s.settleSeconds));
    const passing = steps.filter((x) => x.meetsTarget).map((x) => x.targetRate);
    return {
      steps,
      highestRateMeetingTarget: passing.length === 0 ? 0 : Math.max(...passing),
      routingStats: { ...routing.stats },
      storeCallsPerCall: Object.fromEntries(
        [...probe.storeCalls].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v / Math.max(1, probe.calls.size), 2)]),
      ),
      errors: errorCount,
      firstErrors: errors,
    };
  } finally {
    loop.disable();
    if (sampler) clearInterval(sampler);
    while (sampling) await new Promise((r) => setTimeout(r, 10));
    await admin?.end();
    for (const g of generators) g.stop();
    await engine.stop();
    port.close();
    await sw.close();
  }
}

interface Window {
  rate: number;
  from: number;
  to: number;
  cpu: NodeJS.CpuUsage;
  appends: number;
  loopP99: number;
  perCall: Pick<StepResult, 'cpuUsPerCall' | 'transactionsPerCall'>;
  othersOldestWriteMs: StepResult['othersOldestWriteMs'];
}

function spread(xs: number[]): { p99: number; max: number } {
  if (xs.length === 0) return { p99: 0, max: 0 };
  xs.sort((a, b) => a - b);
  return { p99: round(xs[Math.min(xs.length - 1, Math.ceil(0.99 * xs.length) - 1)]!, 1), max: round(xs.at(-1)!, 1) };
}

function perCall(a: CpuSample, b: CpuSample, tx0: number | undefined, tx1: number | undefined, calls: number): Window['perCall'] {
  const per = (x: number) => (calls === 0 ? NaN : Math.round(x / calls));
  return {
    cpuUsPerCall: { process: per(b.clientUs - a.clientUs), server: a.serverUs === undefined || b.serverUs === undefined ? null : per(b.serverUs - a.serverUs) },
    transactionsPerCall: tx0 === undefined || tx1 === undefined || calls === 0 ? null : round((tx1 - tx0) / calls, 1),
  };
}

function stepOf(
  probe: LatencyProbe,
  w: Window,
  s: RampSettings,
  stepSeconds: number,
): StepResult {
  const inWindow = [...probe.calls.values()].filter((c) => c.queuedAt >= w.from && c.queuedAt < w.to);
  const counted = inWindow.filter((c) => c.eligible);
  const latencies = counted.map((c) => (c.originatedAt === undefined ? Infinity : c.originatedAt - c.queuedAt)).sort((a, b) => a - b);
  const q = (p: number) => (latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!);
  const p99 = q(99);
  const seconds = (w.to - w.from) / 1000;
  return {
    targetRate: w.rate,
    queuedPerSecond: round(inWindow.length / seconds, 1),
    counted: counted.length,
    notEligible: inWindow.length - counted.length,
    neverOffered: latencies.filter((x) => x === Infinity).length,
    p50Ms: round(q(50), 1),
    p90Ms: round(q(90), 1),
    p99Ms: round(p99, 1),
    maxMs: round(latencies.at(-1) ?? NaN, 1),
    sustained: inWindow.length / seconds >= 0.85 * w.rate,
    meetsTarget: counted.length > 0 && p99 < s.targetP99Ms && inWindow.length / seconds >= 0.85 * w.rate,
    processCpuCores: round((w.cpu.user + w.cpu.system) / 1e6 / stepSeconds, 2),
    appendsPerSecond: Math.round(w.appends / stepSeconds),
    eventLoopDelayP99Ms: round(w.loopP99, 1),
    ...w.perCall,
    othersOldestWriteMs: w.othersOldestWriteMs,
    phases: phasesOf(counted.filter((c) => c.originatedAt !== undefined)),
  };
}

function phasesOf(calls: CallTimes[]): Record<string, { p50: number; p99: number }> {
  const out: Record<string, { p50: number; p99: number }> = {};
  for (const [i, phase] of PHASES.entries()) {
    const xs: number[] = [];
    for (const c of calls) {
      const at = c[`${phase}At`];
      let prev = c.queuedAt;
      for (const p of PHASES.slice(0, i).reverse()) {
        const v = c[`${p}At`];
        if (v !== undefined) {
          prev = v;
          break;
        }
      }
      if (at !== undefined) xs.push(at - prev);
    }
    xs.sort((a, b) => a - b);
    const q = (p: number) => (xs.length === 0 ? NaN : round(xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!, 1));
    out[phase] = { p50: q(50), p99: q(99) };
  }
  return out;
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
