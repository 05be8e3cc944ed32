import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import type { MetricsEvent } from './contacts-from-events.ts';
import { MetricsAccumulator, metricsFromEvents } from './metrics-accumulator.ts';
import { ev } from './metrics-event-fixtures.ts';
import type { MetricsOptions } from './metrics-snapshot.ts';

const t0 = Date.UTC(2026, 2, 28, 21, 0, 0); // spans the Paris spring-forward night
const min = 60_000;

type CallPlan = { enterMin: number; waitS: number; outcome: 'answered' | 'abandoned' | 'callback' | 'overflow' | 'waiting'; queue: 'q1' | 'q2'; agent: 'a1' | 'a2' | 'a3'; talkS: number; wrapS: number };

const arbCall: fc.Arbitrary<CallPlan> = fc.record({
  enterMin: fc.integer({ min: 0, max: 240 }),
  waitS: fc.integer({ min: 0, max: 600 }),
  outcome: fc.constantFrom('answered' as const, 'abandoned' as const, 'callback' as const, 'overflow' as const, 'waiting' as const),
  queue: fc.constantFrom('q1' as const, 'q2' as const),
  agent: fc.constantFrom('a1' as const, 'a2' as const, 'a3' as const),
  talkS: fc.integer({ min: 1, max: 900 }),
  wrapS: fc.integer({ min: 0, max: 120 }),
});

const arbAgentStep = fc.record({
  agent: fc.constantFrom('a1', 'a2', 'a3'),
  atMin: fc.integer({ min: 0, max: 240 }),
  kind: fc.constantFrom('loggedIn', 'ready', 'notReady', 'loggedOut'),
});

/** A plausible log: each call's events in order, agent state changes, all merged by time (stable). */
function buildLog(calls: CallPlan[], steps: { agent: string; atMin: number; kind: string }[]): MetricsEvent[] {
  const timed: { at: number; seq: number; e: MetricsEvent }[] = [];
  let seq = 0;
  const push = (at: number, e: MetricsEvent) => timed.push({ at, seq: seq++, e });
  calls.forEach((c, i) => {
    const id = `call${i}`;
    const offer = `offer${i}`;
    const enter = t0 + c.enterMin * min;
    const left = enter + c.waitS * 1000;
    push(enter, ev.queued(id, c.queue, enter));
    switch (c.outcome) {
      case 'answered': {
        const end = left + c.talkS * 1000;
        push(left, ev.talking(c.agent, id, offer, left));
        push(left, ev.connected(id, c.queue, offer, c.agent, left));
        push(end, ev.wrapUpStarted(c.agent, id, offer, end, c.talkS * 1000, 0));
        push(end + c.wrapS * 1000, ev.wrapUpEnded(c.agent, id, offer, end + c.wrapS * 1000, c.wrapS * 1000));
        break;
      }
      case 'abandoned':
        push(left, ev.abandoned(id, c.queue, left));
        break;
      case 'callback':
        push(left, ev.callbackRequested(id, c.queue, left));
        break;
      case 'overflow':
        push(left, ev.overflowed(id, c.queue, 'q3', left));
        push(left, ev.queued(id, 'q3', left));
        break;
      case 'waiting':
        break;
    }
  });
  for (const s of steps) {
    const at = t0 + s.atMin * min;
    push(at, s.kind === 'loggedIn' ? ev.loggedIn(s.agent, at) : s.kind === 'ready' ? ev.ready(s.agent, at) : s.kind === 'notReady' ? ev.notReady(s.agent, at) : ev.loggedOut(s.agent, at));
  }
  timed.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return timed.map((t) => t.e);
}

const atOf = (e: MetricsEvent) => e.data.at;

describe('metrics accumulator', () => {
  const windows: MetricsOptions['window'][] = [
    { kind: 'rolling', durationMs: 15 * min },
    { kind: 'rolling', durationMs: 50 * min },
    { kind: 'since-midnight', timeZone: 'Europe/Paris' },
  ];

  it('equals the batch computation at prefixes along the log, with snapshots taken on the way (property)', () => {
    fc.assert(
      fc.property(
        fc.array(arbCall, { maxLength: 25 }),
        fc.array(arbAgentStep, { maxLength: 15 }),
        fc.constantFrom(...windows),
        fc.integer({ min: 0, max: 30_000 }),
        fc.array(fc.integer({ min: 0, max: 20 * min }), { minLength: 1, maxLength: 4 }),
        (calls, steps, window, shortAbandonMs, lags) => {
          const log = buildLog(calls, steps);
          const options: MetricsOptions = { window, serviceLevel: { thresholdMs: 20_000, shortAbandonMs }, abandonment: { shortAbandonMs } };
          const acc = MetricsAccumulator.empty(options);
          log.forEach((e, i) => {
            acc.apply(e);
            if (i % 7 === 0 || i === log.length - 1) {
              // now at or after the latest event (a live dashboard never looks into the past).
              for (const lag of lags) {
                const now = atOf(e) + lag;
                expect(acc.snapshot(now)).toEqual(metricsFromEvents(log.slice(0, i + 1), now, options));
              }
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stays exact after pruning when the window is shorter than the retention (property)', () => {
    fc.assert(
      fc.property(fc.array(arbCall, { minLength: 5, maxLength: 40 }), fc.array(arbAgentStep, { maxLength: 15 }), (calls, steps) => {
        const log = buildLog(calls, steps);
        const options: MetricsOptions = { window: { kind: 'rolling', durationMs: 15 * min }, serviceLevel: { thresholdMs: 20_000 } };
        const acc = MetricsAccumulator.empty({ ...options, retainMs: 30 * min });
        for (const e of log) acc.apply(e);
        const now = atOf(log[log.length - 1]!);
        expect(acc.snapshot(now)).toEqual(metricsFromEvents(log, now, options));
        // Pruning happened: nothing that ended more than the retention before the last event is kept.
        for (const c of acc.records().contacts) {
          expect(Math.max(c.enteredAt, c.leftAt ?? Infinity, c.handledAt ?? -Infinity)).toBeGreaterThanOrEqual(now - 30 * min - 60_000);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every rate within [0, 1] on any log (property)', () => {
    fc.assert(
      fc.property(fc.array(arbCall, { maxLength: 30 }), fc.array(arbAgentStep, { maxLength: 15 }), fc.integer({ min: 0, max: 300 }), (calls, steps, lagMin) => {
        const log = buildLog(calls, steps);
        const now = t0 + lagMin * min;
        const snap = metricsFromEvents(log, now, { window: { kind: 'rolling', durationMs: 15 * min }, serviceLevel: { thresholdMs: 20_000, includeFlowOuts: true } });
        for (const q of [snap.all, ...Object.values(snap.byQueue)]) {
          for (const v of [...Object.values(q.serviceLevels), q.abandonmentRate]) {
            if (v !== null) {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(1);
            }
          }
        }
        if (snap.occupancy !== null) {
          expect(snap.occupancy).toBeGreaterThanOrEqual(0);
          expect(snap.occupancy).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('refuses a non-positive retention with a coded error', () => {
    try {
      MetricsAccumulator.empty({ window: { kind: 'rolling', durationMs: min }, serviceLevel: { thresholdMs: 0 }, retainMs: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'METRICS_INPUT_INVALID')).toBe(true);
    }
  });
});
