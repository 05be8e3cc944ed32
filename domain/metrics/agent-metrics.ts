import type { AgentActivity, AgentInterval } from './queue-contact.ts';
import type { WindowBounds } from './metric-window.ts';

const HANDLING: ReadonlySet<AgentActivity> = new Set(['reserved', 'on-contact', 'after-call-work']);

/**
 * Occupancy: handling / (handling + available idle), time-weighted over the window, intervals clipped to it and
 * open intervals running to `bounds.to`. Handling is reserved (offered, ringing), on contact (talking and hold)
 * and after-call work; not-productive time counts in neither. Null when no agent was available or handling.
 */
export function occupancy(intervals: Iterable<AgentInterval>, bounds: WindowBounds): number | null {
  let handling = 0;
  let available = 0;
  for (const i of intervals) {
    const start = Math.max(i.start, bounds.from);
    const end = Math.min(i.end ?? bounds.to, bounds.to);
    if (end <= start) continue;
    if (HANDLING.has(i.activity)) handling += end - start;
    else if (i.activity === 'available') available += end - start;
  }
  const total = handling + available;
  return total === 0 ? null : handling / total;
}

/** Real-time agent counts at one instant. Staffed = logged in = the sum of the five activities. */
export interface AgentCounts {
  readonly available: number;
  readonly reserved: number;
  readonly onContact: number;
  readonly afterCallWork: number;
  readonly notProductive: number;
  readonly staffed: number;
}

/** Counts agents by their activity at `now` (the interval with start ≤ now < end, or open). */
export function agentCounts(intervals: Iterable<AgentInterval>, now: number): AgentCounts {
  const current = new Map<string, AgentActivity>();
  for (const i of intervals) {
    if (i.start <= now && (i.end === null || now < i.end)) current.set(i.agentId, i.activity);
  }
  const counts = { available: 0, reserved: 0, onContact: 0, afterCallWork: 0, notProductive: 0, staffed: 0 };
  for (const activity of current.values()) {
    counts.staffed += 1;
    if (activity === 'available') counts.available += 1;
    else if (activity === 'reserved') counts.reserved += 1;
    else if (activity === 'on-contact') counts.onContact += 1;
    else if (activity === 'after-call-work') counts.afterCallWork += 1;
    else counts.notProductive += 1;
  }
  return counts;
}
