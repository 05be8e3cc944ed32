import { describe, expect, it } from 'vitest';
import { agentCounts, occupancy } from './agent-metrics.ts';
import { interval } from './metric-fixtures.ts';

const min = 60_000;

describe('occupancy', () => {
  it('is handling / (handling + available), not-productive time excluded, clipped to the window', () => {
    const intervals = [
      interval('a1', 'available', 0, 5 * min),
      interval('a1', 'reserved', 5 * min, 6 * min),
      interval('a1', 'on-contact', 6 * min, 12 * min),
      interval('a1', 'after-call-work', 12 * min, 14 * min),
      interval('a1', 'not-productive', 14 * min, null),
      interval('a2', 'available', 0, null),
    ];
    // Window (0, 20 min]: a1 handles 1+6+2 = 9 min, is available 5 min; a2 available 20 min.
    expect(occupancy(intervals, { from: 0, to: 20 * min, fromInclusive: false })).toBe(9 / (9 + 5 + 20));
    // Window (10, 20 min]: a1 handles 2 (talk) + 2 (ACW) = 4 min; a2 available 10 min.
    expect(occupancy(intervals, { from: 10 * min, to: 20 * min, fromInclusive: false })).toBe(4 / 14);
    expect(occupancy([interval('a1', 'not-productive', 0, null)], { from: 0, to: min, fromInclusive: true })).toBeNull();
  });
});

describe('agent counts', () => {
  it('counts each staffed agent once by its activity at now', () => {
    const intervals = [
      interval('a1', 'available', 0, 10),
      interval('a1', 'on-contact', 10, null),
      interval('a2', 'after-call-work', 0, null),
      interval('a3', 'not-productive', 0, null),
      interval('a4', 'reserved', 0, null),
      interval('a5', 'available', 0, null),
      interval('a6', 'available', 0, 5), // logged out at 5
    ];
    expect(agentCounts(intervals, 10)).toEqual({ available: 1, reserved: 1, onContact: 1, afterCallWork: 1, notProductive: 1, staffed: 5 });
    expect(agentCounts(intervals, 9)).toEqual({ available: 2, reserved: 1, onContact: 0, afterCallWork: 1, notProductive: 1, staffed: 5 });
  });
});
