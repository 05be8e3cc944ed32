import { describe, expect, it } from 'vitest';
import { etaMs, formatDuration, progressBar, progressText, RateEstimator } from './progress.ts';

describe('rebuild progress', () => {
  it('Given 1,000 events processed over 2 s, Then the rate is 500 ev/s and 3,000 left take 6 s', () => {
    const r = new RateEstimator();
    r.add({ atMs: 0, processed: 0 });
    r.add({ atMs: 1_000, processed: 400 });
    r.add({ atMs: 2_000, processed: 1_000 });
    expect(r.rate()).toBe(500);
    expect(etaMs(1_000, 4_000, r.rate())).toBe(6_000);
  });

  it('estimates from the recent window only', () => {
    const r = new RateEstimator(10_000);
    r.add({ atMs: 0, processed: 0 });
    r.add({ atMs: 20_000, processed: 100 }); // slow start
    r.add({ atMs: 30_000, processed: 10_100 });
    expect(r.rate()).toBe(1_000);
  });

  it('has no rate before two samples or while stalled, and then no ETA', () => {
    const r = new RateEstimator();
    expect(r.rate()).toBeUndefined();
    r.add({ atMs: 0, processed: 10 });
    r.add({ atMs: 1_000, processed: 10 });
    expect(r.rate()).toBeUndefined();
    expect(etaMs(10, 20, r.rate())).toBeUndefined();
    expect(etaMs(20, 20, undefined)).toBe(0);
  });

  it.each([
    [0, '0s'],
    [42_400, '42s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('draws a bar and a line', () => {
    expect(progressBar(1, 4, 8)).toBe('[##------]');
    expect(progressBar(5, 0, 4)).toBe('[####]');
    expect(progressText({ processed: 1_234, total: 2_468, rate: 617, etaMs: 2_000 })).toBe(' 50.0%  1,234/2,468 events  617 ev/s  ETA 2s');
    expect(progressText({ processed: 0, total: 10, rate: undefined, etaMs: undefined })).toContain('ETA –');
  });
});
