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

describe('virtual clock at scale', () => {
  it('fires many timers in (time, insertion) order and skips cancelled ones', async () => {
    const clock = createVirtualClock(0);
    const fired: number[] = [];
    const handles = Array.from({ length: 2000 }, (_, i) => clock.setTimer((i * 7919) % 1000, () => fired.push(i)));
    handles.filter((_, i) => i % 3 === 0).forEach((h) => clock.clearTimer(h));
    expect(clock.pendingTimers()).toBe(2000 - 667);
    await clock.runUntilIdle();
    const expected = Array.from({ length: 2000 }, (_, i) => i).filter((i) => i % 3 !== 0).sort((a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000) || a - b);
    expect(fired).toEqual(expected);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('createAcceleratedClock', () => {
  it('runs simulated time faster than real time and fires timers on simulated time', async () => {
    const { createAcceleratedClock } = await import('./sim-clock.ts');
    const clock = createAcceleratedClock(1000, 0);
    const firedAt = await new Promise<number>((resolve) => clock.setTimer(2000, () => resolve(clock.nowMicros())));
    // libuv may fire up to a loop tick early; the point is that simulated time, not wall time, drives the timer.
    expect(firedAt).toBeGreaterThan(500_000);
  });
});
