// The statistics of the Erlang C check, without the engine: the independent formula agrees with the domain's Erlang
// C; Student's t; the batch-means interval; and, on waits from the pure M/M/N simulation (domain/routing/
// mmn-simulation.ts, FIFO, no abandonment), the check accepts Erlang C's prediction for the right N and rejects a
// deliberately wrong one (N − 1 agents, and N + 1): the same judgeErlangC the end-to-end test uses can fail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueContact } from '../../../domain/metrics/queue-contact.ts';
import { simulateMmn } from '../../../domain/routing/mmn-simulation.ts';
import { batchMeansInterval, erlangCByDefinition, inside, judgeErlangC, predictErlangC, replayAgainstIdealServer, tQuantile975, type BatchPlan } from './erlang-c-check.ts';
import { ERLANG_C_PARAMETERS, type ErlangCParameters } from './erlang-c-scenario.ts';

/** The waits of a pure M/M/N run as the answered queue contacts the log's fold would give. */
function simulatedContacts(p: ErlangCParameters, callers: number, seed: number): QueueContact[] {
  const run = simulateMmn({ seed, agents: p.agents, arrivalRatePerSecond: p.arrivalRatePerSecond, meanHandleSeconds: p.meanTalkSeconds, callers });
  return run.callers.map((c, i) => ({
    contactId: `c${i}#1`,
    callId: `c${i}`,
    queueId: 'q',
    enteredAt: c.arrivedAt * 1000,
    leftAt: (c.arrivedAt + c.waitSeconds) * 1000,
    outcome: 'answered',
    talkMs: 0,
    holdMs: 0,
    wrapMs: 0,
    handledAt: null,
  }));
}

describe('Erlang C, two ways', () => {
  it("the textbook formula agrees with the domain's (through Erlang B) for the scenario", () => {
    const a = predictErlangC(ERLANG_C_PARAMETERS);
    const b = erlangCByDefinition(ERLANG_C_PARAMETERS);
    expect(b.serviceLevel).toBeCloseTo(a.serviceLevel, 12);
    expect(b.averageSpeedOfAnswerSeconds).toBeCloseTo(a.averageSpeedOfAnswerSeconds, 9);
    // The scenario is the one its comment describes: a queue that waits often, not trivial, not saturated.
    expect(b.probabilityOfWaiting).toBeCloseTo(0.355, 3);
    expect(a.serviceLevel).toBeGreaterThan(0.6);
    expect(a.serviceLevel).toBeLessThan(0.85);
  });

  it('agree for any stable queue of up to 60 agents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 120 }), (agents, occupancy, h, t) => {
        const p = { agents, arrivalRatePerSecond: (occupancy * agents) / h, meanTalkSeconds: h, answerTargetSeconds: t };
        const a = predictErlangC(p);
        const b = erlangCByDefinition(p);
        expect(Math.abs(a.serviceLevel - b.serviceLevel)).toBeLessThan(1e-9);
        expect(Math.abs(a.averageSpeedOfAnswerSeconds - b.averageSpeedOfAnswerSeconds)).toBeLessThan(1e-9 * Math.max(1, b.averageSpeedOfAnswerSeconds));
      }),
    );
  });
});

describe('the batch-means interval', () => {
  it("uses Student's t (published 97.5 % quantiles)", () => {
    const table: [number, number][] = [[4, 2.776445], [7, 2.364624], [9, 2.262157], [19, 2.093024], [29, 2.04523], [60, 2.000298]];
    for (const [df, t] of table) expect(Math.abs(tQuantile975(df) - t)).toBeLessThan(1e-3);
  });

  it('is the mean ± t·s/√k of the batch means', () => {
    const ci = batchMeansInterval([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    // s = √2.5, k = 5, t(4) = 2.776445
    expect(ci.halfWidth).toBeCloseTo(2.776445 * Math.sqrt(2.5 / 5), 2);
    expect(inside(ci, 3 + ci.halfWidth)).toBe(true);
    expect(inside(ci, 3 + ci.halfWidth + 1e-9)).toBe(false);
  });

  it('refuses fewer than 4 batches, and a plan the contacts cannot fill', () => {
    expect(() => batchMeansInterval([1, 2, 3])).toThrow(RangeError);
    expect(() => judgeErlangC([], { warmUp: 0, batches: 4, batchSize: 1 }, 20, predictErlangC(ERLANG_C_PARAMETERS))).toThrow(RangeError);
  });
});

describe('the check on a pure M/M/N simulation (20 batches of 1,000 calls after 1,000)', () => {
  const p = ERLANG_C_PARAMETERS;
  const plan: BatchPlan = { warmUp: 1_000, batches: 20, batchSize: 1_000 };
  const contacts = simulatedContacts(p, plan.warmUp + plan.batches * plan.batchSize, 7);

  it("accepts Erlang C's prediction for the N agents that served the calls", () => {
    const v = judgeErlangC(contacts, plan, p.answerTargetSeconds, predictErlangC(p));
    expect(v.measuredCalls).toBe(20_000);
    expect(v.serviceLevelInside).toBe(true);
    expect(v.averageSpeedOfAnswerInside).toBe(true);
    // Batches of 1,000 calls leave a usable interval: a few points of SL, a few seconds of ASA.
    expect(v.serviceLevel.halfWidth).toBeLessThan(0.03);
    expect(v.averageSpeedOfAnswerSeconds.halfWidth).toBeLessThan(3.5);
  });

  it('rejects a deliberately wrong prediction: Erlang C for N − 1 agents, and for N + 1', () => {
    for (const agents of [p.agents - 1, p.agents + 1]) {
      const v = judgeErlangC(contacts, plan, p.answerTargetSeconds, predictErlangC({ ...p, agents }));
      expect(v.serviceLevelInside).toBe(false);
      expect(v.averageSpeedOfAnswerInside).toBe(false);
    }
  });

  it('rejects the right formula fed a wrong answer target (T = 10 s instead of 20 s)', () => {
    const v = judgeErlangC(contacts, plan, p.answerTargetSeconds, predictErlangC({ ...p, answerTargetSeconds: 10 }));
    expect(v.serviceLevelInside).toBe(false);
  });
});

describe('the replay against an ideal FIFO server', () => {
  const contact = (id: string, enteredAt: number, leftAt: number, talkMs: number): QueueContact => ({
    contactId: id,
    callId: id,
    queueId: 'q',
    enteredAt,
    leftAt,
    outcome: 'answered',
    talkMs,
    holdMs: 0,
    wrapMs: 0,
    handledAt: leftAt + talkMs,
  });
  // Two agents: a and b start at once; c waits for a (free at 10,000); d waits for b (free at 15,000).
  const log = [contact('a', 0, 0, 10_000), contact('b', 1_000, 1_000, 14_000), contact('c', 2_000, 10_000, 1_000), contact('d', 3_000, 11_000, 500)];

  it('finds nothing to object to when every caller got the first free agent at once', () => {
    expect(replayAgainstIdealServer(log.slice(0, 3), 2)).toEqual([]);
  });

  it('names a caller served late (or early), and the wrong number of agents', () => {
    // d: c's agent is free again at 11,000, so d starts then.
    expect(replayAgainstIdealServer(log, 2)).toEqual([]);
    const late = [...log.slice(0, 3), contact('d', 3_000, 11_500, 500)];
    expect(replayAgainstIdealServer(late, 2)).toEqual([{ contactId: 'd', expectedLeftAt: 11_000, leftAt: 11_500 }]);
    expect(replayAgainstIdealServer(log, 3).map((m) => m.contactId)).toEqual(['c', 'd']);
  });
});
