import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './sim-clock.ts';

describe('createVirtualClock', () => {
  it('fires timers in time order, each at its own instant', async () => {
    const clock = createVirtualClock(1_000_000);
    const seen: Array<[string, number]> = [];
    clock.setTimer(30, () => seen.push(['b', clock.nowMicros()]));
    clock.setTimer(10, () => {
      seen.push(['a', clock.nowMicros()]);
      clock.setTimer(5, () => seen.push(['a2', clock.nowMicros()]));
    });
    await clock.advance(100);
    expect(seen).toEqual([['a', 1_010_000], ['a2', 1_015_000], ['b', 1_030_000]]);
    expect(clock.nowMicros()).toBe(1_100_000);
  });
  it('does not fire cleared or future timers', async () => {
    const clock = createVirtualClock(0);
    let fired = 0;
    const t = clock.setTimer(5, () => fired++);
    clock.setTimer(50, () => fired++);
    clock.clearTimer(t);
    await clock.advance(10);
    expect(fired).toBe(0);
    expect(clock.pendingTimers()).toBe(1);
    await clock.runUntilIdle();
    expect(fired).toBe(1);
  });
});
