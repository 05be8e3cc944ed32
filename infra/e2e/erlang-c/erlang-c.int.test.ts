// End to end against queueing theory: with longest-idle routing, no abandonment, Poisson arrivals, exponential talk
// times, no IVR, no ring time and no wrap-up (erlang-c-scenario.ts), the service level and ASA the log shows
// (CallQueued → CallConnected waits, read by the domain's own metric fold and formulas) must agree with Erlang C.
// The simulator's traffic generator drives the engine over ESL/TCP, the engine runs on the local PostgreSQL (on
// PGlite every stream read slows down as the log grows: ~2× per call after 300 calls), and both share one stepped
// virtual clock that only moves when they are idle (erlang-c-run.ts says why).
//
// The 20,000 measured calls take half an hour to over an hour here (one simulated instant at a time, ~17
// appends per call, ~0.1 s of wall time per call on 2 busy cores): that run is bench/erlang-c/run.ts (results in
// bench/results/erlang-c.json). This test runs the same check on 200 warm-up + 8 batches of 100 calls (the queue
// relaxes in ~18 calls), a wider but honest interval: ~80 s on this 2-core machine. Seeded: the same arrivals and
// talk times every time; a 95 % interval misses the truth one time in twenty, so a seed is a draw, fixed once, not
// tuned. What does not depend on luck: replayed through an ideal FIFO server of N agents, the log's waits come out
// the same to the millisecond.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { openPostgresEventStore } from '../../../adapters/event-store/postgres/open-postgres.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/services.ts';
import { batchMeansInterval, erlangCByDefinition, inside, judgeErlangC, predictErlangC, replayAgainstIdealServer, type BatchPlan, type ErlangCVerdict } from './erlang-c-check.ts';
import { runErlangC, type ErlangCRun } from './erlang-c-run.ts';
import { ERLANG_C_PARAMETERS } from './erlang-c-scenario.ts';

const PLAN: BatchPlan = { warmUp: 200, batches: 8, batchSize: 100 };
const CALLS = PLAN.warmUp + PLAN.batches * PLAN.batchSize;
const p = ERLANG_C_PARAMETERS;

describe(`Erlang C against ${CALLS} calls through the engine (M/M/${p.agents}, A = ${(p.arrivalRatePerSecond * p.meanTalkSeconds).toFixed(1)} erlangs)`, () => {
  let db: TestDatabase;
  let store: EventStore;
  let run: ErlangCRun;
  let verdict: ErlangCVerdict;
  const measured = (): ErlangCRun['contacts'] => run.contacts.slice(PLAN.warmUp, PLAN.warmUp + PLAN.batches * PLAN.batchSize);
  const batchesOf = (f: (c: ErlangCRun['contacts'][number]) => number): number[] =>
    Array.from({ length: PLAN.batches }, (_, b) => {
      const batch = measured().slice(b * PLAN.batchSize, (b + 1) * PLAN.batchSize);
      return batch.reduce((s, c) => s + f(c), 0) / batch.length;
    });

  beforeAll(async () => {
    // Subscriptions are woken by the appends that concern them; idle polls would only take CPU from the run.
    db = await createTestDatabase('e2e_erlang_c');
    store = await openPostgresEventStore(db.url, { pollIntervalMs: 500 });
    run = await runErlangC({ parameters: p, calls: CALLS, seed: 'erlang-c-test', store });
    verdict = judgeErlangC(run.contacts, PLAN, p.answerTargetSeconds, predictErlangC(p));
  }, 600_000);

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('answers every call exactly once, nobody abandons, and the engine reports no error', () => {
    expect(run.engineErrors).toEqual([]);
    expect(run.traffic).toMatchObject({ offered: CALLS, bridged: CALLS, abandoned: 0, completed: CALLS });
    expect(run.contacts).toHaveLength(CALLS);
    expect(run.contacts.filter((c) => c.outcome !== 'answered')).toEqual([]);
  });

  it("predicts with the domain's Erlang C, which the textbook formula confirms", () => {
    const independent = erlangCByDefinition(p);
    expect(verdict.predicted.serviceLevel).toBeCloseTo(independent.serviceLevel, 12);
    expect(verdict.predicted.averageSpeedOfAnswerSeconds).toBeCloseTo(independent.averageSpeedOfAnswerSeconds, 9);
  });

  it('serves every caller exactly as an ideal FIFO server of N agents would, to the millisecond (and not as N ± 1 would)', () => {
    expect(replayAgainstIdealServer(run.contacts, p.agents)).toEqual([]);
    expect(replayAgainstIdealServer(run.contacts, p.agents - 1).length).toBeGreaterThan(0);
    expect(replayAgainstIdealServer(run.contacts, p.agents + 1).length).toBeGreaterThan(0);
  });

  it("finds Erlang C's service level and ASA inside the measured 95 % confidence intervals", () => {
    const report = { sl: verdict.serviceLevel, asa: verdict.averageSpeedOfAnswerSeconds, predicted: verdict.predicted };
    expect(verdict.serviceLevelInside, JSON.stringify(report)).toBe(true);
    expect(verdict.averageSpeedOfAnswerInside, JSON.stringify(report)).toBe(true);
  });

  it('tells a wrong staffing apart: Erlang C for one agent fewer or one more lies outside both intervals', () => {
    for (const agents of [p.agents - 1, p.agents + 1]) {
      const wrong = predictErlangC({ ...p, agents });
      expect(inside(verdict.serviceLevel, wrong.serviceLevel)).toBe(false);
      expect(inside(verdict.averageSpeedOfAnswerSeconds, wrong.averageSpeedOfAnswerSeconds)).toBe(false);
    }
  });

  it("lets no engine latency into simulated time: callers who found an agent free waited exactly 0 ms, as often as Erlang C's 1 − P(wait) says", () => {
    const waitedAtAll = batchMeansInterval(batchesOf((c) => ((c.leftAt ?? c.enteredAt) > c.enteredAt ? 1 : 0)));
    expect(measured().some((c) => c.leftAt === c.enteredAt)).toBe(true);
    expect(inside(waitedAtAll, erlangCByDefinition(p).probabilityOfWaiting), JSON.stringify(waitedAtAll)).toBe(true);
  });

  it('hands the agents exactly the talk time the switch played: the mean handle time is the scenario mean', () => {
    const talk = batchMeansInterval(batchesOf((c) => (c.talkMs + c.holdMs + c.wrapMs) / 1000));
    expect(measured().every((c) => c.holdMs === 0 && c.wrapMs === 0)).toBe(true);
    expect(inside(talk, p.meanTalkSeconds), JSON.stringify(talk)).toBe(true);
  });
});
