// The stepped clock: one time for the engine (ms) and the simulator (µs), moved only by step().
import { describe, expect, it } from 'vitest';
import { SteppedClock } from './stepped-clock.ts';

const START = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('SteppedClock', () => {
  it('gives the engine and the simulator the same time, and does not move by itself', async () => {
    const c = new SteppedClock(START);
    expect(c.engine.now()).toBe(START);
    expect(c.sim.nowMicros()).toBe(START * 1000);
    await new Promise((r) => setTimeout(r, 5));
    expect(c.engine.now()).toBe(START);
  });

  it('steps to the earliest timer of either side, firing each at its own instant', () => {
    const c = new SteppedClock(START);
    const seen: string[] = [];
    c.sim.setTimer(1500.25, () => seen.push(`sim@${c.sim.nowMicros() - START * 1000}`));
    c.engine.at(START + 1000, () => seen.push(`engine@${c.engine.now() - START}`));
    expect(c.nextAtMicros()).toBe((START + 1000) * 1000);
    expect(c.step()).toBe(true);
    expect(seen).toEqual(['engine@1000']);
    expect(c.step()).toBe(true);
    expect(seen).toEqual(['engine@1000', 'sim@1500250']);
    expect(c.engine.now()).toBe(START + 1500);
    expect(c.step()).toBe(false);
  });

  it('fires timers due at one instant in the order they were set; one set meanwhile for "now" waits for the next step', () => {
    const c = new SteppedClock(START);
    const seen: number[] = [];
    c.sim.setTimer(10, () => {
      seen.push(1);
      c.sim.setTimer(0, () => seen.push(3));
    });
    c.engine.at(START + 10, () => seen.push(2));
    c.step();
    expect(seen).toEqual([1, 2]);
    c.step();
    expect(seen).toEqual([1, 2, 3]);
    expect(c.engine.now()).toBe(START + 10);
  });

  it('treats an engine instant in the past as "at the next step", and forgets cancelled timers', () => {
    const c = new SteppedClock(START);
    const seen: string[] = [];
    c.engine.at(START - 60_000, () => seen.push('past'));
    const t = c.engine.at(START + 5, () => seen.push('cancelled'));
    const s = c.sim.setTimer(5, () => seen.push('cancelled too'));
    t.cancel();
    c.sim.clearTimer(s);
    expect(c.pending).toBe(1);
    c.step();
    expect(seen).toEqual(['past']);
    expect(c.engine.now()).toBe(START);
    expect(c.step()).toBe(false);
    expect(c.fired).toBe(1);
  });
});
