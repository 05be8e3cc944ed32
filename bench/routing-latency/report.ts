// The routing-latency results as the Markdown table the README quotes.
import type { MachineInfo } from '../event-store/machine.ts';
import type { RampResult, RampSettings } from './ramp.ts';

/** One store's run: its append baseline and its ramp. */
export interface StoreRun extends RampResult {
  readonly store: 'postgres' | 'pglite';
  readonly baseline: { readonly p50Ms: number; readonly p99Ms: number; readonly appends: number };
}

interface ReportShape {
  readonly startedAt: string;
  readonly machine: MachineInfo;
  readonly loadAverage1m: { readonly start: number; readonly end: number };
  readonly settings: RampSettings;
  readonly runs: readonly StoreRun[];
}

const PHASE_NAMES: Record<string, string> = {
  delivered: 'queued → the routing manager reads CallQueued from the log',
  offerStarted: '→ its routing pass starts the offer',
  agentOffered: '→ the agent\'s offer appended',
  callOffered: '→ the call\'s offer appended (the leg claimed alongside)',
  originated: '→ originate sent',
};

const ms = (x: number) => (x === Infinity ? '∞' : Number.isNaN(x) ? '—' : String(x));
const ratio = (x: number, base: number) => (Number.isFinite(x) && base > 0 ? `${(x / base).toFixed(1)}×` : '—');

/** See the module comment. */
export function toMarkdown(r: ReportShape): string {
  const s = r.settings;
  const lines = [
    `Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpuModel}, ${r.machine.cores} cores, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ` +
      `simulator and engine in one process over ESL/TCP, clock ×${s.factor}, ${s.agents} agents in one queue, steps of ${s.stepSeconds} s wall (first ${s.settleSeconds} s not counted); ` +
      `1-min load average ${r.loadAverage1m.start} at start, ${r.loadAverage1m.end} at end.`,
    '',
    `Latency: CallQueued appended → agent-leg originate sent, for calls queued while an agent was free. Baseline: one 1-event append on the same store (p50).`,
    '',
  ];
  for (const run of r.runs) {
    const base = run.baseline.p50Ms;
    lines.push(
      `**${run.store === 'postgres' ? 'PostgreSQL' : 'PGlite (in memory)'}**: highest rate with p99 < ${s.targetP99Ms} ms: **${run.highestRateMeetingTarget} calls/s**; one append p50 ${base} ms (p99 ${run.baseline.p99Ms} ms).`,
      '',
      '| Calls/s (target) | Queued/s | Counted | p50 ms | p99 ms | max ms | p99 ÷ append | CPU µs per call (process + PostgreSQL) | DB transactions per call | oldest write transaction of other databases, p99 / max ms | loop delay p99 ms |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const st of run.steps) {
      const cpu = `${st.cpuUsPerCall.process.toLocaleString('en-US')}${st.cpuUsPerCall.server === null ? '' : ` + ${st.cpuUsPerCall.server.toLocaleString('en-US')}`}`;
      lines.push(
        `| ${st.targetRate} | ${st.sustained ? st.queuedPerSecond : `**${st.queuedPerSecond}** (not sustained)`} | ${st.counted}${st.neverOffered > 0 ? ` (${st.neverOffered} never offered)` : ''} | ${ms(st.p50Ms)} | ${st.meetsTarget ? ms(st.p99Ms) : `**${ms(st.p99Ms)}**`} | ${ms(st.maxMs)} | ${ratio(st.p99Ms, base)} | ${cpu} | ${st.transactionsPerCall ?? '—'} | ${st.othersOldestWriteMs ? `${st.othersOldestWriteMs.p99} / ${st.othersOldestWriteMs.max}` : '—'} | ${ms(st.eventLoopDelayP99Ms)} |`,
      );
    }
    const first = run.steps[0];
    if (first) {
      lines.push('', `Where the latency goes at ${first.targetRate} calls/s (p50 / p99 ms of each phase): ${Object.entries(first.phases).map(([k, v]) => `${PHASE_NAMES[k] ?? k} ${ms(v.p50)} / ${ms(v.p99)}`).join('; ')}.`);
    }
    const calls = Object.entries(run.storeCallsPerCall);
    const sum = (f: (k: string) => boolean) => Math.round(calls.filter(([k]) => f(k)).reduce((a, [, v]) => a + v, 0) * 10) / 10;
    lines.push(
      '',
      `Store calls per call (whole run): ${sum((k) => k.startsWith('append '))} appends, ${sum((k) => k.startsWith('readStream '))} stream reads (${sum((k) => k.startsWith('readStream call'))} of the call's own stream), plus the subscriptions' polls.`,
    );
    if (run.errors > 0) lines.push('', `${run.errors} engine errors, first: ${run.firstErrors.slice(0, 3).join('; ')}`);
    lines.push('');
  }
  return lines.join('\n');
}
