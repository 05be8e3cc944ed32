import { describe, expect, it } from 'vitest';
import { simulateMmn, type MmnRun, type MmnSettings } from './mmn-simulation.ts';
import type { SeededRandom } from './seeded-random.ts';
import { estimateWait, gammaQuantile, normalQuantile, type WaitEstimateInput } from './wait-estimate.ts';

describe('estimateWait: rules', () => {
  it('is unknown when no agent is staffed, or no handle time has been seen', () => {
    expect(estimateWait({ position: 0, staffedAgents: 0, recentHandleTimesSeconds: [100] })).toEqual({ kind: 'unknown', reason: 'no-agent-staffed' });
    expect(estimateWait({ position: 0, staffedAgents: 2, recentHandleTimesSeconds: [] })).toEqual({ kind: 'unknown', reason: 'no-handle-time-samples' });
  });

  it('uses (departures needed) × mean handle time ÷ staffed agents', () => {
    const e = estimateWait({ position: 3, staffedAgents: 2, recentHandleTimesSeconds: [100, 200, 300] });
    expect(e).toMatchObject({ kind: 'estimate', expectedSeconds: 400, method: 'position', samples: 3, meanHandleSeconds: 200, confidence: 'low' });
    // an idle agent takes the first caller ahead: one departure fewer
    expect(estimateWait({ position: 3, staffedAgents: 2, idleAgents: 1, recentHandleTimesSeconds: [200] })).toMatchObject({ expectedSeconds: 300 });
    // more idle agents than callers ahead: no wait
    expect(estimateWait({ position: 0, staffedAgents: 2, idleAgents: 1, recentHandleTimesSeconds: [200] })).toMatchObject({
      expectedSeconds: 0,
      interval: { lowSeconds: 0, highSeconds: 0 },
    });
  });

  it('states a wider interval and lower confidence with few samples than with many', () => {
    const few = estimateWait({ position: 5, staffedAgents: 3, recentHandleTimesSeconds: [180, 200] });
    const many = estimateWait({ position: 5, staffedAgents: 3, recentHandleTimesSeconds: Array.from({ length: 60 }, (_, i) => 150 + (i % 5) * 25) });
    if (few.kind !== 'estimate' || many.kind !== 'estimate') throw new Error('expected estimates');
    expect(few.confidence).toBe('low');
    expect(many.confidence).toBe('high');
    expect(few.interval.highSeconds - few.interval.lowSeconds).toBeGreaterThan(many.interval.highSeconds - many.interval.lowSeconds);
    expect(many.interval.lowSeconds).toBeLessThan(many.expectedSeconds);
    expect(many.interval.highSeconds).toBeGreaterThan(many.expectedSeconds);
  });

  it('falls back to Erlang C when the position is unknown and the queue is in steady state', () => {
    // N = 2, h = 100 s, λ = 0.01/s → A = 1, C(2, 1) = 1/3, mean wait = C·h/(N − A) = 33.3 s
    const e = estimateWait({ staffedAgents: 2, recentHandleTimesSeconds: [100], arrivalRatePerSecond: 0.01 });
    expect(e).toMatchObject({ kind: 'estimate', method: 'erlang-c', steadyState: { probabilityOfWaiting: expect.closeTo(1 / 3, 9) } });
    if (e.kind !== 'estimate') throw new Error('expected an estimate');
    expect(e.expectedSeconds).toBeCloseTo(100 / 3, 6);
    expect(e.interval.lowSeconds).toBe(0); // two callers in three never wait
    expect(estimateWait({ staffedAgents: 2, recentHandleTimesSeconds: [100], arrivalRatePerSecond: 0.05 })).toEqual({
      kind: 'unknown',
      reason: 'no-position-and-no-steady-state',
    });
  });

  it('rejects invalid input with a coded error', () => {
    const bad: WaitEstimateInput[] = [
      { position: -1, staffedAgents: 1, recentHandleTimesSeconds: [1] },
      { position: 0, staffedAgents: 1, idleAgents: 2, recentHandleTimesSeconds: [1] },
      { position: 0, staffedAgents: 1, recentHandleTimesSeconds: [Number.NaN] },
      { position: 0, staffedAgents: 1, recentHandleTimesSeconds: [1], intervalLevel: 1 },
    ];
    for (const b of bad) expect(() => estimateWait(b)).toThrow(expect.objectContaining({ code: 'WAIT_ESTIMATE_INPUT_INVALID' }));
  });

  it('computes gamma and normal quantiles close to published values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.281552, 5);
    // Gamma(shape 4, scale 1): 10 % = 1.7448, 90 % = 6.6808
    expect(gammaQuantile(4, 4, 0.1)).toBeCloseTo(1.7448, 1);
    expect(gammaQuantile(4, 4, 0.9)).toBeCloseTo(6.6808, 1);
  });
});

/** Runs the estimator for every caller who had to wait, after a warm-up, with the last `window` handle times. */
function score(run: MmnRun, settings: MmnSettings, window: number, opts: Partial<WaitEstimateInput> = {}) {
  let inside = 0;
  let absError = 0;
  let width = 0;
  let n = 0;
  for (const c of run.callers.slice(200)) {
    if (c.idleAgents > 0) continue;
    const samples = run.handleTimes.slice(Math.max(0, c.completedBefore - window), c.completedBefore);
    const e = estimateWait({ position: c.position, staffedAgents: settings.agents, idleAgents: c.idleAgents, recentHandleTimesSeconds: samples, ...opts });
    if (e.kind !== 'estimate') throw new Error('expected an estimate');
    n++;
    if (c.waitSeconds >= e.interval.lowSeconds && c.waitSeconds <= e.interval.highSeconds) inside++;
    absError += Math.abs(c.waitSeconds - e.expectedSeconds);
    width += e.interval.highSeconds - e.interval.lowSeconds;
  }
  return { coverage: inside / n, meanAbsError: absError / n, meanWidth: width / n, callers: n };
}

describe('estimateWait against simulated M/M/N queues', () => {
  const queues: MmnSettings[] = [
    { seed: 1, agents: 1, meanHandleSeconds: 120, arrivalRatePerSecond: 0.8 / 120, callers: 3000 },
    { seed: 2, agents: 5, meanHandleSeconds: 180, arrivalRatePerSecond: (0.9 * 5) / 180, callers: 3000 },
    { seed: 3, agents: 20, meanHandleSeconds: 240, arrivalRatePerSecond: (0.95 * 20) / 240, callers: 4000 },
  ];

  it('the simulation is reproducible and matches Erlang C on average (sanity check of the simulator)', () => {
    const s = queues[1]!;
    expect(simulateMmn(s)).toEqual(simulateMmn(s));
    const long = simulateMmn({ ...s, callers: 20_000 });
    const meanWait = long.callers.slice(1000).reduce((t, c) => t + c.waitSeconds, 0) / (long.callers.length - 1000);
    const erlang = estimateWait({ staffedAgents: 5, recentHandleTimesSeconds: [180], arrivalRatePerSecond: s.arrivalRatePerSecond });
    if (erlang.kind !== 'estimate') throw new Error('expected an estimate');
    // Erlang C mean wait for N = 5, A = 4.5: ≈ 124 s; a finite run lands within 20 %
    expect(meanWait / erlang.expectedSeconds).toBeGreaterThan(0.8);
    expect(meanWait / erlang.expectedSeconds).toBeLessThan(1.2);
  });

  for (const s of queues) {
    it(`holds the actual wait within its 80 % interval for most waiting callers (N = ${s.agents})`, () => {
      const r = score(simulateMmn(s), s, 100);
      expect(r.callers).toBeGreaterThan(300);
      expect(r.coverage).toBeGreaterThan(0.72);
      expect(r.coverage).toBeLessThan(0.92); // not vacuously wide either
    });
  }

  it('improves with samples: smaller error and narrower intervals with 100 recent handle times than with 3, still calibrated', () => {
    for (const s of queues) {
      const run = simulateMmn(s);
      const few = score(run, s, 3);
      const many = score(run, s, 100);
      expect(many.meanAbsError).toBeLessThan(few.meanAbsError);
      expect(many.meanWidth).toBeLessThan(few.meanWidth);
      expect(few.coverage).toBeGreaterThan(0.7);
    }
  });

  it('blending with Erlang C is worse than the position estimate on M/M/N (why it is off by default)', () => {
    for (const s of queues) {
      const run = simulateMmn(s);
      const plain = score(run, s, 100);
      const blended = score(run, s, 100, { arrivalRatePerSecond: s.arrivalRatePerSecond, blendErlangC: true });
      expect(plain.meanAbsError).toBeLessThan(blended.meanAbsError);
    }
  });

  it('stays roughly calibrated when handle times are not exponential (M/G/N: Erlang-4 and hyperexponential)', () => {
    const erlang4 = (r: SeededRandom, mean: number) => r.exponential(mean / 4) + r.exponential(mean / 4) + r.exponential(mean / 4) + r.exponential(mean / 4);
    const hyper = (r: SeededRandom, mean: number) => (r.next() < 0.2 ? r.exponential(mean * 3) : r.exponential(mean * 0.5));
    for (const handleTime of [erlang4, hyper]) {
      for (const agents of [1, 5, 20]) {
        const s: MmnSettings = { seed: 11, agents, meanHandleSeconds: 180, arrivalRatePerSecond: (0.9 * agents) / 180, callers: 4000, handleTime };
        expect(score(simulateMmn(s), s, 100).coverage).toBeGreaterThan(0.7);
      }
    }
  });
});
