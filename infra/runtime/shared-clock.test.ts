import { describe, expect, it } from 'vitest';
import { engineClockOf, formatAnchors, parseAnchors, simClockOf } from './shared-clock.ts';

describe('shared accelerated clock', () => {
  it('round-trips its anchors through ENGINE_CLOCK text, and refuses anything else', () => {
    const a = { factor: 10, anchorWallMs: 1_700_000_000_000, anchorSimMs: 1_767_225_600_000 };
    expect(parseAnchors(formatAnchors(a))).toEqual(a);
    expect(parseAnchors('real')).toBeUndefined();
    expect(parseAnchors(undefined)).toBeUndefined();
    expect(() => parseAnchors('fast')).toThrow(/ENGINE_CLOCK/);
    expect(() => parseAnchors('accelerated:0:1:2')).toThrow(/factor/);
  });

  it('the engine and the simulator built on the same anchors tell the same simulated time', () => {
    const a = { factor: 50, anchorWallMs: Date.now() - 1000, anchorSimMs: 1_767_225_600_000 };
    const engine = engineClockOf(a);
    const sim = simClockOf(a);
    const e = engine.now();
    const s = sim.nowMicros() / 1000;
    // Read one after the other: simulated time moves 50 ms per wall ms, so allow a few wall ms between the reads.
    expect(Math.abs(s - e)).toBeLessThan(50 * 20);
    expect(e).toBeGreaterThanOrEqual(a.anchorSimMs + 50 * 1000);
  });
});
