import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangB } from './erlang-b.ts';
import { erlangAAgentsForServiceLevel, erlangAMetrics, type ErlangAInput } from './erlang-a.ts';
import { erlangCMetrics } from './erlang-c.ts';

// Erlang A is checked three ways: its two published limits (patience → ∞ is Erlang C, patience → 0 is the Erlang B
// loss system), identities of the M/M/N+M queue, and an independent computation of the service level by
// uniformization of the tagged caller's chain (no incomplete gamma), so the closed form cannot agree by construction.
// The Erlang C reference values are the Call Centre Helper worked example (A = 10 erlangs), see erlang-c.test.ts.

const base = { arrivalRate: 100 / 1800, handleTime: 180, answerTarget: 20 };

/** P(answered within T), P(left within T) and P(Ab) from the birth–death chain and uniformization. */
function bruteForce(input: ErlangAInput): { pWait: number; pAbandon: number; answeredWithin: number; leftWithin: number } {
  const { arrivalRate: lambda, handleTime: h, patience, agents: n, answerTarget: t } = input;
  const mu = 1 / h;
  const theta = 1 / patience;
  // Stationary distribution, truncated far out.
  const maxState = n + 400;
  const weights: number[] = [1];
  for (let k = 1; k <= maxState; k++) {
    const death = Math.min(k, n) * mu + Math.max(0, k - n) * theta;
    weights.push((weights[k - 1]! * lambda) / death);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const pi = weights.map((w) => w / total);
  let pWait = 0;
  let pAbandon = 0;
  let answeredWithin = 0;
  let leftWithin = 0;
  for (let k = 0; k <= maxState; k++) {
    if (k < n) {
      answeredWithin += pi[k]!;
      leftWithin += pi[k]!;
      continue;
    }
    const j = k - n; // callers ahead in queue
    pWait += pi[k]!;
    // Tagged caller's chain: states i = j..0 (callers ahead), then absorbed answered or abandoned.
    // From i: advance at Nμ + iθ, own abandonment at θ.
    const rates = (i: number) => n * mu + i * theta;
    const uniform = n * mu + (j + 1) * theta;
    let p = new Array<number>(j + 1).fill(0);
    p[j] = 1;
    let answered = 0;
    let abandoned = 0;
    let sumAnswered = 0;
    let sumAbandoned = 0;
    // Poisson(uniform·t) weights.
    let poisson = Math.exp(-uniform * t);
    for (let step = 0; step < 20000; step++) {
      sumAnswered += poisson * answered;
      sumAbandoned += poisson * abandoned;
      const next = new Array<number>(j + 1).fill(0);
      for (let i = 0; i <= j; i++) {
        const mass = p[i]!;
        if (mass === 0) continue;
        const adv = rates(i) / uniform;
        const ab = theta / uniform;
        if (i === 0) answered += mass * adv;
        else next[i - 1]! += mass * adv;
        abandoned += mass * ab;
        next[i]! += mass * (1 - adv - ab);
      }
      p = next;
      poisson *= (uniform * t) / (step + 1);
      if (step > uniform * t + 50 && poisson < 1e-18) break;
    }
    pAbandon += pi[k]! * ((j + 1) * theta) / (n * mu + (j + 1) * theta);
    answeredWithin += pi[k]! * sumAnswered;
    leftWithin += pi[k]! * (sumAnswered + sumAbandoned);
  }
  return { pWait, pAbandon, answeredWithin, leftWithin };
}

describe('Erlang A', () => {
  it('converges to Erlang C as patience → ∞ (A = 10 erlangs, N = 11..15)', () => {
    for (const agents of [11, 12, 13, 14, 15]) {
      const c = erlangCMetrics({ ...base, agents });
      const a = erlangAMetrics({ ...base, agents, patience: 180 * 1e6 });
      expect(a.probabilityOfWaiting).toBeCloseTo(c.probabilityOfWaiting, 4);
      expect(a.probabilityOfAbandonment).toBeLessThan(1e-6);
      for (const level of Object.values(a.serviceLevels)) expect(level).toBeCloseTo(c.serviceLevel, 4);
      expect(a.averageSpeedOfAnswer!).toBeCloseTo(c.averageSpeedOfAnswer, 2);
      expect(a.occupancy).toBeCloseTo(c.occupancy, 4);
    }
  });

  it('is Erlang C exactly for infinite patience, including the coded unstable result', () => {
    const a = erlangAMetrics({ ...base, agents: 12, patience: Infinity });
    expect(a.probabilityOfWaiting).toBe(erlangCMetrics({ ...base, agents: 12 }).probabilityOfWaiting);
    expect(erlangAMetrics({ ...base, agents: 10, patience: Infinity })).toMatchObject({ stable: false, code: 'ERLANG_UNSTABLE_QUEUE', probabilityOfWaiting: 1 });
  });

  it('behaves as the Erlang B loss system as patience → 0', () => {
    for (const agents of [8, 10, 12]) {
      const b = erlangB(agents, 10);
      for (const patience of [0, 180 * 1e-7]) {
        const a = erlangAMetrics({ ...base, agents, patience });
        expect(a.probabilityOfWaiting).toBeCloseTo(b, 5);
        expect(a.probabilityOfAbandonment).toBeCloseTo(b, 5);
        expect(a.serviceLevel).toBeCloseTo(1 - b, 5);
        expect(a.occupancy).toBeCloseTo((10 * (1 - b)) / agents, 5);
      }
    }
  });

  it('is stable even when N ≤ A (abandonment drains the queue)', () => {
    const a = erlangAMetrics({ ...base, agents: 8, patience: 120 });
    expect(a.stable).toBe(true);
    expect(a.probabilityOfAbandonment).toBeGreaterThan(0.1);
    expect(a.occupancy).toBeLessThanOrEqual(1);
  });

  it('matches an independent birth–death + uniformization computation', () => {
    for (const input of [
      { arrivalRate: 2, handleTime: 1, patience: 2, agents: 3, answerTarget: 0.5 },
      { arrivalRate: 4, handleTime: 1, patience: 0.5, agents: 3, answerTarget: 0.25 },
      { arrivalRate: 100 / 1800, handleTime: 180, patience: 120, agents: 11, answerTarget: 20 },
    ]) {
      const a = erlangAMetrics(input);
      const ref = bruteForce(input);
      expect(a.probabilityOfWaiting).toBeCloseTo(ref.pWait, 6);
      expect(a.probabilityOfAbandonment).toBeCloseTo(ref.pAbandon, 6);
      expect(a.serviceLevels.genesys).toBeCloseTo(ref.answeredWithin, 6);
      expect(a.serviceLevels.amazon).toBeCloseTo(ref.leftWithin, 6);
    }
  });

  it('satisfies the queue identities: P(Ab) = θ·E[W], SL(T → ∞) = P(answered), rates in [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (traffic, agents, patienceOverH, targetOverH) => {
          const input = { arrivalRate: traffic / 60, handleTime: 60, patience: 60 * patienceOverH, agents, answerTarget: 60 * targetOverH };
          const a = erlangAMetrics(input);
          for (const v of [a.probabilityOfWaiting, a.probabilityOfAbandonment, a.occupancy, ...Object.values(a.serviceLevels)]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(a.probabilityOfAbandonment).toBeLessThanOrEqual(a.probabilityOfWaiting + 1e-12);
          expect(a.averageWait).toBeCloseTo(a.probabilityOfAbandonment * input.patience, 6);
          const never = erlangAMetrics({ ...input, answerTarget: 1e9 });
          expect(never.serviceLevels.genesys).toBeCloseTo(1 - a.probabilityOfAbandonment, 6);
          expect(a.serviceLevels.genesys).toBeLessThanOrEqual(a.serviceLevels['asterisk-sl'] + 1e-12);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles 1,000 agents and no traffic', () => {
    const a = erlangAMetrics({ arrivalRate: 990 / 300, handleTime: 300, patience: 90, agents: 1000, answerTarget: 20 });
    expect(a.probabilityOfWaiting).toBeGreaterThan(0);
    expect(a.probabilityOfWaiting).toBeLessThan(1);
    expect(erlangAMetrics({ ...base, arrivalRate: 0, agents: 3, patience: 60 }).serviceLevel).toBe(1);
  });

  it('staffs fewer agents than Erlang C for the same target when callers abandon', () => {
    const n = erlangAAgentsForServiceLevel({ ...base, patience: 120, targetServiceLevel: 0.8, formula: 'asterisk-sl' });
    expect(n).toBeLessThanOrEqual(14);
    expect(erlangAMetrics({ ...base, patience: 120, agents: n }).serviceLevels['asterisk-sl']).toBeGreaterThanOrEqual(0.8);
    expect(erlangAMetrics({ ...base, patience: 120, agents: n - 1 }).serviceLevels['asterisk-sl']).toBeLessThan(0.8);
  });
});
