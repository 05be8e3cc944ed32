import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoffDelay', () => {
  const o = { initialMs: 100, maxMs: 5000, factor: 2, jitter: 0.5 };
  it('grows exponentially up to the cap without jitter', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, { ...o, jitter: 0 }, () => 0.9))).toEqual([100, 200, 400, 800, 5000]);
  });
  it('jitter takes up to its share off, decided by the injected randomness', () => {
    expect(backoffDelay(2, o, () => 0)).toBe(400);
    expect(backoffDelay(2, o, () => 0.5)).toBe(300);
    expect(backoffDelay(2, o, () => 0.999999)).toBe(200);
  });
  it('the same random sequence gives the same delays', () => {
    const seq = (): (() => number) => {
      let x = 0.1;
      return () => (x = (x * 9301 + 0.49297) % 1);
    };
    const r1 = seq();
    const r2 = seq();
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, DEFAULT_BACKOFF, r1))).toEqual([0, 1, 2, 3].map((n) => backoffDelay(n, DEFAULT_BACKOFF, r2)));
  });
});
