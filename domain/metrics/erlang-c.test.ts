import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { erlangB } from './erlang-b.ts';
import { agentsForAverageSpeedOfAnswer, agentsForServiceLevel, erlangC, erlangCMetrics } from './erlang-c.ts';

// Published values.
// [CCH] Call Centre Helper (callcentrehelper.com), "Erlang C Formula – Made Simple With an Easy Worked Example":
//   100 calls in 30 minutes, average
//   handling time 180 s, target answer time 20 s → traffic intensity A = 10 erlangs; the worked table gives the
//   probability a call waits for 11–15 agents as 68.21 %, 44.94 %, 28.53 %, 17.41 %, 10.20 %, and 14 agents as the
//   first to reach the 80 % / 20 s target. The service levels and ASAs below follow from those P(wait) values with
//   the same article's formulas SL = 1 − P(wait)·e^(−(N−A)·T/h) and ASA = P(wait)·h/(N − A).
// [EB] Erlang B tables (e.g. any teletraffic table, A = 10 erlangs, N = 10 → 0.2146; A = 2, N = 5 → 0.0367).
const CCH = { arrivalRate: 100 / 1800, handleTime: 180, answerTarget: 20 };
const CCH_TABLE = [
  { agents: 11, pWait: 0.6821, serviceLevel: 0.3896, asa: 122.78 },
  { agents: 12, pWait: 0.4494, serviceLevel: 0.6402, asa: 40.45 },
  { agents: 13, pWait: 0.2853, serviceLevel: 0.7956, asa: 17.12 },
  { agents: 14, pWait: 0.1741, serviceLevel: 0.8884, asa: 7.84 },
  { agents: 15, pWait: 0.102, serviceLevel: 0.9415, asa: 3.67 },
];

describe('Erlang B', () => {
  it('matches published Erlang B table values [EB]', () => {
    expect(erlangB(10, 10)).toBeCloseTo(0.2146, 3);
    expect(erlangB(5, 2)).toBeCloseTo(0.0367, 3);
  });
  it('is 1 with no agents and stays within [0, 1] for 1,000 agents and fractional traffic', () => {
    expect(erlangB(0, 3.7)).toBe(1);
    const b = erlangB(1000, 950.5);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1);
  });
});

describe('Erlang C', () => {
  it('matches the Call Centre Helper worked example, A = 10 erlangs, N = 11..15 [CCH]', () => {
    for (const row of CCH_TABLE) {
      const r = erlangCMetrics({ ...CCH, agents: row.agents });
      expect(r.stable).toBe(true);
      expect(r.traffic).toBeCloseTo(10, 9);
      expect(r.probabilityOfWaiting).toBeCloseTo(row.pWait, 3);
      expect(r.serviceLevel).toBeCloseTo(row.serviceLevel, 3);
      expect(r.averageSpeedOfAnswer).toBeCloseTo(row.asa, 1);
      expect(r.occupancy).toBeCloseTo(10 / row.agents, 9);
    }
  });

  it('recommends 14 agents for 80 % within 20 s in the worked example [CCH]', () => {
    expect(agentsForServiceLevel({ ...CCH, targetServiceLevel: 0.8 })).toBe(14);
  });

  it('agrees with the textbook closed form for one agent (M/M/1: P(wait) = ρ, ASA = ρ·h/(1 − ρ))', () => {
    const r = erlangCMetrics({ arrivalRate: 0.5, handleTime: 1, agents: 1, answerTarget: 0 });
    expect(r.probabilityOfWaiting).toBeCloseTo(0.5, 12);
    expect(r.averageSpeedOfAnswer).toBeCloseTo(1, 12);
    expect(r.serviceLevel).toBeCloseTo(0.5, 12); // T = 0: only the calls that did not wait
  });

  it('returns the coded unstable result when N ≤ A', () => {
    for (const agents of [0, 5, 10]) {
      const r = erlangCMetrics({ ...CCH, agents });
      expect(r).toEqual({ stable: false, code: 'ERLANG_UNSTABLE_QUEUE', traffic: r.traffic, probabilityOfWaiting: 1, serviceLevel: 0, averageSpeedOfAnswer: Infinity, occupancy: 1 });
    }
    expect(erlangC(10, 10)).toBe(1);
  });

  it('is finite for 1,000 agents (no factorial overflow)', () => {
    const r = erlangCMetrics({ arrivalRate: 975.25 / 300, handleTime: 300, agents: 1000, answerTarget: 20 });
    expect(r.stable).toBe(true);
    expect(r.probabilityOfWaiting).toBeGreaterThan(0);
    expect(r.probabilityOfWaiting).toBeLessThan(1);
    expect(Number.isFinite(r.averageSpeedOfAnswer)).toBe(true);
  });

  it('falls as agents are added and keeps every value in range (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 800, noNaN: true }), fc.integer({ min: 1, max: 200 }), (traffic, extra) => {
        const n = Math.floor(traffic) + extra;
        const c1 = erlangC(n, traffic);
        const c2 = erlangC(n + 1, traffic);
        expect(c1).toBeGreaterThanOrEqual(0);
        expect(c1).toBeLessThanOrEqual(1);
        expect(c2).toBeLessThanOrEqual(c1);
        expect(c1).toBeGreaterThanOrEqual(erlangB(n, traffic)); // waiting is likelier than blocking
      }),
    );
  });

  it('staffs for an ASA target: the answer meets it and one agent fewer does not', () => {
    const n = agentsForAverageSpeedOfAnswer({ arrivalRate: 100 / 1800, handleTime: 180, targetAverageSpeedOfAnswer: 20 });
    expect(n).toBe(13);
    expect(erlangCMetrics({ ...CCH, agents: n }).averageSpeedOfAnswer).toBeLessThanOrEqual(20);
    expect(erlangCMetrics({ ...CCH, agents: n - 1 }).averageSpeedOfAnswer).toBeGreaterThan(20);
  });

  it('throws coded errors for bad input and unreachable targets', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isLedgerlineError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => erlangCMetrics({ ...CCH, agents: 2.5 }))).toBe('METRICS_INPUT_INVALID');
    expect(codeOf(() => erlangCMetrics({ ...CCH, handleTime: 0, agents: 3 }))).toBe('METRICS_INPUT_INVALID');
    expect(codeOf(() => agentsForServiceLevel({ ...CCH, targetServiceLevel: 1.2 }))).toBe('METRICS_INPUT_INVALID');
    expect(codeOf(() => agentsForServiceLevel({ ...CCH, targetServiceLevel: 0.99, maxAgents: 12 }))).toBe('STAFFING_TARGET_UNREACHABLE');
  });
});
