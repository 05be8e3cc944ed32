// Turns raw measurements into the results file: figures, ratios and whether each target holds.
import type { CatchUpResult } from './catch-up.ts';
import { round, type Throughput } from './load-loop.ts';
import type { MachineInfo } from './machine.ts';
import type { PgliteResult } from './pglite.ts';
import type { BenchSettings } from './settings.ts';

/** Everything measured in one run, before ratios. */
export interface Measurements {
  readonly raw: { readonly rows1: Throughput; readonly rows10: Throughput };
  readonly ledgerline: { readonly append1: Throughput; readonly append10: Throughput };
  readonly emmett: { readonly append1: Throughput; readonly append10: Throughput };
  readonly catchUp: CatchUpResult;
  readonly pglite?: PgliteResult | { readonly error: string };
  /** Events/s of every interleaved round, in order, per system and shape. */
  readonly rounds?: Readonly<Record<'raw1' | 'ours1' | 'emmett1' | 'raw10' | 'ours10' | 'emmett10', readonly number[]>>;
}

/** One target and whether this run meets it. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly actual: number;
  readonly threshold: number;
  readonly holds: boolean;
}

export const CATCH_UP_TARGET = 100_000;
export const EMMETT_FACTOR_TARGET = 2;
export const RAW_SHARE_TARGET = 0.6;

/** 1-minute load averages when the run started and ended: other work on a shared machine skews every figure. */
export interface LoadAverages {
  readonly start: number;
  readonly end: number;
}

/** The JSON written to bench/results/event-store.json. */
export function buildReport(machine: MachineInfo, s: BenchSettings, m: Measurements, startedAt: Date, seconds: number, load: LoadAverages) {
  const r = (a: Throughput, b: Throughput) => (b.eventsPerSecond === 0 ? 0 : round(a.eventsPerSecond / b.eventsPerSecond, 3));
  // Per round, ours and the other system ran back to back, so their ratio cancels most of the load drift of a
  // shared machine; the median of those ratios is the headline, the ratio of the medians is kept for comparison.
  const perRound = (ours: readonly number[] | undefined, other: readonly number[] | undefined, fallback: number) => {
    if (!ours || !other || ours.length === 0 || ours.length !== other.length) return fallback;
    const xs = ours.map((o, i) => (other[i] === 0 ? 0 : o / other[i]!)).sort((a, b) => a - b);
    return round(xs[Math.floor((xs.length - 1) / 2)]!, 3);
  };
  const rd = m.rounds;
  const ratiosOfMedians = {
    oursOverEmmett: { append1: r(m.ledgerline.append1, m.emmett.append1), append10: r(m.ledgerline.append10, m.emmett.append10) },
    oursOverRaw: { append1: r(m.ledgerline.append1, m.raw.rows1), append10: r(m.ledgerline.append10, m.raw.rows10) },
  };
  // CPU per event (client + server) of the other system over ours: what the throughput ratio tends to when the
  // machine is CPU-bound, and far less sensitive to other load than events/s.
  const cpuRatio = (ours: Throughput, other: Throughput) => {
    const a = (ours.clientCpuUsPerEvent ?? NaN) + (ours.serverCpuUsPerEvent ?? NaN);
    const b = (other.clientCpuUsPerEvent ?? NaN) + (other.serverCpuUsPerEvent ?? NaN);
    return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? round(b / a, 3) : null;
  };
  const ratios = {
    method: 'median over rounds of (ours ÷ other) measured back to back in the same round',
    oursOverEmmett: {
      append1: perRound(rd?.ours1, rd?.emmett1, ratiosOfMedians.oursOverEmmett.append1),
      append10: perRound(rd?.ours10, rd?.emmett10, ratiosOfMedians.oursOverEmmett.append10),
    },
    oursOverRaw: {
      append1: perRound(rd?.ours1, rd?.raw1, ratiosOfMedians.oursOverRaw.append1),
      append10: perRound(rd?.ours10, rd?.raw10, ratiosOfMedians.oursOverRaw.append10),
    },
    ratiosOfMedians,
    cpuPerEventOtherOverOurs: {
      emmett: { append1: cpuRatio(m.ledgerline.append1, m.emmett.append1), append10: cpuRatio(m.ledgerline.append10, m.emmett.append10) },
      raw: { append1: cpuRatio(m.ledgerline.append1, m.raw.rows1), append10: cpuRatio(m.ledgerline.append10, m.raw.rows10) },
    },
    catchUpOverTarget: {
      subscribeToAll: round(m.catchUp.subscribeToAll.eventsPerSecond / CATCH_UP_TARGET, 3),
      readAll: round(m.catchUp.readAll.eventsPerSecond / CATCH_UP_TARGET, 3),
    },
  };
  const check = (name: string, target: string, actual: number, threshold: number): TargetCheck => ({ name, target, actual, threshold, holds: actual >= threshold });
  const targets = [
    check('append 1 event vs Emmett', `>= ${EMMETT_FACTOR_TARGET}x Emmett`, ratios.oursOverEmmett.append1, EMMETT_FACTOR_TARGET),
    check('append 10 events vs Emmett', `>= ${EMMETT_FACTOR_TARGET}x Emmett`, ratios.oursOverEmmett.append10, EMMETT_FACTOR_TARGET),
    check('append 1 event vs raw INSERT', `>= ${RAW_SHARE_TARGET * 100}% of raw`, ratios.oursOverRaw.append1, RAW_SHARE_TARGET),
    check('append 10 events vs raw INSERT', `>= ${RAW_SHARE_TARGET * 100}% of raw`, ratios.oursOverRaw.append10, RAW_SHARE_TARGET),
    check('catch-up subscribeToAll', `>= ${CATCH_UP_TARGET} events/s`, m.catchUp.subscribeToAll.eventsPerSecond, CATCH_UP_TARGET),
    check('catch-up readAll', `>= ${CATCH_UP_TARGET} events/s`, m.catchUp.readAll.eventsPerSecond, CATCH_UP_TARGET),
  ];
  return {
    benchmark: 'event-store',
    startedAt: startedAt.toISOString(),
    durationSeconds: round(seconds, 1),
    quick: s.quick,
    machine,
    loadAverage1m: { start: round(load.start, 2), end: round(load.end, 2) },
    workload: {
      writers: s.writers,
      streams: s.streams,
      rounds: s.rounds,
      warmupMs: s.warmupMs,
      durationMs: s.durationMs,
      reported: 'per system and append shape, the median of the interleaved rounds (all rounds under details)',
      catchUpEvents: s.catchUpEvents,
      catchUpEventsPerAppend: s.catchUpEventsPerAppend,
      catchUpPreparation: 'VACUUM (ANALYZE) between the fill and the timed reads (as autovacuum would have run), readAll timed before subscribeToAll',
      expectedRevisions: 'exact per stream (no_stream, then the last nextExpectedRevision); Emmett: 0n, then nextExpectedStreamVersion',
      rawBaseline: 'one multi-row INSERT per transaction (autocommit) into a bare table with a uuid primary key',
      isolation: 'each append measurement in its own fresh database and its own fresh node process (same JIT state for every system; Emmett\'s global pg type parsers stay out of the other measurements)',
    },
    eventsPerSecond: {
      rawInsert: { rows1: m.raw.rows1.eventsPerSecond, rows10: m.raw.rows10.eventsPerSecond },
      ledgerline: { append1: m.ledgerline.append1.eventsPerSecond, append10: m.ledgerline.append10.eventsPerSecond },
      emmett: { append1: m.emmett.append1.eventsPerSecond, append10: m.emmett.append10.eventsPerSecond },
      catchUp: {
        fillWith100EventAppends: m.catchUp.fill.eventsPerSecond,
        readAll: m.catchUp.readAll.eventsPerSecond,
        subscribeToAll: m.catchUp.subscribeToAll.eventsPerSecond,
      },
      pglite: pgliteFigures(m.pglite),
    },
    cpuMicrosecondsPerEvent: {
      note: 'client = this Node process (driver, adapter, JSON, hashing); server = the PostgreSQL backends of the bench database',
      rawInsert: { rows1: cpu(m.raw.rows1), rows10: cpu(m.raw.rows10) },
      ledgerline: { append1: cpu(m.ledgerline.append1), append10: cpu(m.ledgerline.append10) },
      emmett: { append1: cpu(m.emmett.append1), append10: cpu(m.emmett.append10) },
    },
    ratios,
    targets,
    allTargetsHold: targets.every((t) => t.holds),
    details: m,
  };
}

export type Report = ReturnType<typeof buildReport>;

function cpu(t: Throughput): { client: number | null; server: number | null } {
  return { client: t.clientCpuUsPerEvent ?? null, server: t.serverCpuUsPerEvent ?? null };
}

/** PGlite's figures in events/s, or why there are none. */
export type PgliteFigures =
  | { readonly skipped: true }
  | { readonly error: string }
  | { readonly append1: number; readonly append10: number; readonly catchUpEvents: number; readonly readAll: number; readonly subscribeToAll: number };

function pgliteFigures(p: Measurements['pglite']): PgliteFigures {
  if (p === undefined) return { skipped: true };
  if ('error' in p) return { error: p.error };
  return {
    append1: p.append1.eventsPerSecond,
    append10: p.append10.eventsPerSecond,
    catchUpEvents: p.catchUp.readAll.events,
    readAll: p.catchUp.readAll.eventsPerSecond,
    subscribeToAll: p.catchUp.subscribeToAll.eventsPerSecond,
  };
}

/** The Markdown table the README includes. */
export function toMarkdown(report: Report): string {
  const f = (n: number) => n.toLocaleString('en-US');
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const yes = (b: boolean) => (b ? 'yes' : '**no**');
  const x = (v: number | null) => (v === null ? '?' : v.toFixed(2));
  const c = (x: { client: number | null; server: number | null }) => `${x.client ?? '?'} / ${x.server ?? '?'}`;
  const e = report.eventsPerSecond;
  const t = report.targets;
  const mc = report.machine;
  const lines = [
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${mc.cpuModel}, ${mc.cores} cores, ${mc.memoryGiB} GiB, ` +
      `Node ${mc.node}, PostgreSQL ${mc.postgres} on loopback; ${report.workload.writers} concurrent writers over ` +
      `${f(report.workload.streams)} streams; each append figure is the median of ${report.workload.rounds} interleaved rounds of ` +
      `${report.workload.durationMs / 1000} s after a ${report.workload.warmupMs / 1000} s warm-up, each round in a fresh database; ` +
      `ratios are the median of the per-round ratios (each pair measured back to back); ` +
      `1-min load average ${report.loadAverage1m.start} at start, ${report.loadAverage1m.end} at end` +
      (report.quick ? ' (**quick smoke run, not representative**)' : '') + '.',
    '',
    '| Shape (events/s) | Raw INSERT | Ledgerline | Emmett 0.42 | Ledgerline ÷ Emmett (target ≥ 2×) | Ledgerline ÷ raw (target ≥ 60 %) |',
    '|---|---:|---:|---:|---:|---:|',
    `| 1 event per append | ${f(e.rawInsert.rows1)} | ${f(e.ledgerline.append1)} | ${f(e.emmett.append1)} | ${report.ratios.oursOverEmmett.append1.toFixed(2)}× (${yes(t[0]!.holds)}) | ${pct(report.ratios.oursOverRaw.append1)} (${yes(t[2]!.holds)}) |`,
    `| 10 events per append | ${f(e.rawInsert.rows10)} | ${f(e.ledgerline.append10)} | ${f(e.emmett.append10)} | ${report.ratios.oursOverEmmett.append10.toFixed(2)}× (${yes(t[1]!.holds)}) | ${pct(report.ratios.oursOverRaw.append10)} (${yes(t[3]!.holds)}) |`,
    '',
    `CPU per event (Node client + PostgreSQL backends), which depends far less on other load than events/s: Emmett uses ` +
      `${x(report.ratios.cpuPerEventOtherOverOurs.emmett.append1)}× ours with 1-event appends and ${x(report.ratios.cpuPerEventOtherOverOurs.emmett.append10)}× with 10-event appends; ` +
      `a raw INSERT uses ${x(report.ratios.cpuPerEventOtherOverOurs.raw.append1)}× and ${x(report.ratios.cpuPerEventOtherOverOurs.raw.append10)}× ours.`,
    '',
    '| CPU µs per event (client / server) | Raw INSERT | Ledgerline | Emmett 0.42 |',
    '|---|---:|---:|---:|',
    `| 1 event per append | ${c(report.cpuMicrosecondsPerEvent.rawInsert.rows1)} | ${c(report.cpuMicrosecondsPerEvent.ledgerline.append1)} | ${c(report.cpuMicrosecondsPerEvent.emmett.append1)} |`,
    `| 10 events per append | ${c(report.cpuMicrosecondsPerEvent.rawInsert.rows10)} | ${c(report.cpuMicrosecondsPerEvent.ledgerline.append10)} | ${c(report.cpuMicrosecondsPerEvent.emmett.append10)} |`,
    '',
    `| Catch-up over ${f(report.workload.catchUpEvents)} events (vacuumed after the fill) | events/s | target ≥ ${f(CATCH_UP_TARGET)}/s | CPU µs per event (client / server) |`,
    '|---|---:|---:|---:|',
    `| \`subscribeToAll\` from start | ${f(e.catchUp.subscribeToAll)} | ${yes(t[4]!.holds)} | ${c(cpu(report.details.catchUp.subscribeToAll))} |`,
    `| \`readAll\` from start | ${f(e.catchUp.readAll)} | ${yes(t[5]!.holds)} | ${c(cpu(report.details.catchUp.readAll))} |`,
    `| (fill: 100-event appends) | ${f(e.catchUp.fillWith100EventAppends)} | — | |`,
  ];
  const p = e.pglite;
  if ('append1' in p) {
    lines.push(
      '',
      `PGlite (embedded, one connection, for information): ${f(p.append1)} events/s with 1-event appends, ${f(p.append10)} with 10-event appends, ` +
        `catch-up over ${f(p.catchUpEvents)} events ${f(p.subscribeToAll)} events/s (subscribeToAll), ${f(p.readAll)} (readAll).`,
    );
  } else if ('error' in p) {
    lines.push('', `PGlite: not measured (${p.error}).`);
  }
  return lines.join('\n') + '\n';
}
