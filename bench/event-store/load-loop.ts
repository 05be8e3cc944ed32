// Runs N concurrent writers for a warm-up and then a fixed measured window, counting events per second.
import { performance } from 'node:perf_hooks';
import { sampleCpu, type CpuSample } from './cpu.ts';

/** What one measured window produced. */
export interface Throughput {
  readonly eventsPerSecond: number;
  readonly events: number;
  readonly operations: number;
  readonly seconds: number;
  /** Latency of one operation (one append or one INSERT transaction), in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU microseconds per event in this process (client, driver, adapter) during the measured window. */
  readonly clientCpuUsPerEvent?: number;
  /** CPU microseconds per event in the database's backends during the window (when /proc shows them). */
  readonly serverCpuUsPerEvent?: number;
}

/**
 * Calls `op(writer)` in a loop on `writers` concurrent lanes. `op` returns how many events it wrote.
 * Operations that finish during the warm-up are not counted; neither are those still running at the end
 * (the window closes when the last lane notices the deadline, and `seconds` is measured to that moment).
 */
export async function runWriters(
  writers: number,
  warmupMs: number,
  durationMs: number,
  op: (writer: number) => Promise<number>,
  database?: string,
): Promise<Throughput> {
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const measureTo = measureFrom + durationMs;
  let events = 0;
  let operations = 0;
  let lastCounted = measureFrom;
  const latencies: number[] = [];
  let cpuFrom: CpuSample | undefined;
  const cpuTimer = setTimeout(() => {
    cpuFrom = sampleCpu(database);
  }, warmupMs);
  const lane = async (w: number) => {
    for (;;) {
      const started = performance.now();
      if (started >= measureTo) return;
      const n = await op(w);
      const ended = performance.now();
      if (started >= measureFrom && ended <= measureTo) {
        events += n;
        operations++;
        latencies.push(ended - started);
        if (ended > lastCounted) lastCounted = ended;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => lane(w)));
  clearTimeout(cpuTimer);
  const cpuTo = sampleCpu(database);
  const seconds = (lastCounted - measureFrom) / 1000;
  const result = summarize(events, operations, seconds, latencies);
  if (cpuFrom === undefined || events === 0) return result;
  // The CPU window runs to the end of the slowest lane, slightly past the last counted event: a small overestimate.
  return {
    ...result,
    clientCpuUsPerEvent: round((cpuTo.clientUs - cpuFrom.clientUs) / events, 1),
    // A backend that exits inside the window takes its CPU time with it: no server figure then.
    ...(cpuTo.serverUs !== undefined && cpuFrom.serverUs !== undefined && cpuTo.serverUs >= cpuFrom.serverUs ? { serverCpuUsPerEvent: round((cpuTo.serverUs - cpuFrom.serverUs) / events, 1) } : {}),
  };
}

/** Times `work()` once; it returns how many events it handled. With `database`, CPU per event is measured too. */
export async function timeOnce(work: () => Promise<number>, database?: string): Promise<Throughput> {
  const cpuFrom = sampleCpu(database);
  const t0 = performance.now();
  const events = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpuTo = sampleCpu(database);
  const result = summarize(events, 1, seconds, []);
  if (events === 0) return result;
  return {
    ...result,
    clientCpuUsPerEvent: round((cpuTo.clientUs - cpuFrom.clientUs) / events, 2),
    ...(cpuTo.serverUs !== undefined && cpuFrom.serverUs !== undefined && cpuTo.serverUs >= cpuFrom.serverUs
      ? { serverCpuUsPerEvent: round((cpuTo.serverUs - cpuFrom.serverUs) / events, 2) }
      : {}),
  };
}

function summarize(events: number, operations: number, seconds: number, latencies: number[]): Throughput {
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => (latencies.length === 0 ? 0 : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return {
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
    events,
    operations,
    seconds: round(seconds, 3),
    p50Ms: round(pick(0.5), 2),
    p99Ms: round(pick(0.99), 2),
  };
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The round with the median rate (the lower middle one for an even count), with every round's rate attached. */
export function medianRound(rounds: readonly Throughput[]): Throughput & { readonly roundsEventsPerSecond: readonly number[] } {
  if (rounds.length === 0) throw new Error('no rounds');
  const sorted = [...rounds].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, roundsEventsPerSecond: rounds.map((r) => r.eventsPerSecond) };
}
