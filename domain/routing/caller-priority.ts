// Caller ordering: base priority (customer tier) plus a weight per second waited, as mod_callcenter and Genesys do.
import type { RoutingCall, RoutingQueue } from './routing-view.ts';

/** Seconds the caller has waited at `now` (never negative). */
export function secondsWaited(call: RoutingCall, now: number): number {
  return Math.max(0, (now - call.enqueuedAt) / 1000);
}

/** basePriority + waitWeight × seconds waited: higher is served first. */
export function callerPriority(call: RoutingCall, queue: RoutingQueue, now: number): number {
  return call.basePriority + queue.waitWeight * secondsWaited(call, now);
}

/** Orders callers of ONE queue: higher caller priority, then longer wait, then call id (deterministic). */
export function compareCallers(queue: RoutingQueue, now: number) {
  return (a: RoutingCall, b: RoutingCall): number =>
    callerPriority(b, queue, now) - callerPriority(a, queue, now) || a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The order in which the router serves callers across queues: higher queue priority first; within one queue by
 * caller priority; between queues of equal priority, whichever queue's next caller has waited longest.
 * Returns the calls in that order (calls of unknown queues are left out).
 */
export function routingOrder(queues: readonly RoutingQueue[], calls: readonly RoutingCall[], now: number): RoutingCall[] {
  const byQueue = new Map<string, RoutingCall[]>();
  for (const q of queues) byQueue.set(q.id, []);
  for (const c of calls) byQueue.get(c.queueId)?.push(c);
  const lists = queues.map((q) => ({ q, calls: byQueue.get(q.id)!.sort(compareCallers(q, now)), at: 0 }));
  const out: RoutingCall[] = [];
  for (;;) {
    let pick: (typeof lists)[number] | undefined;
    for (const l of lists) {
      const head = l.calls[l.at];
      if (!head) continue;
      if (!pick) { pick = l; continue; }
      const ph = pick.calls[pick.at]!;
      if (
        l.q.priority > pick.q.priority ||
        (l.q.priority === pick.q.priority &&
          (head.enqueuedAt < ph.enqueuedAt || (head.enqueuedAt === ph.enqueuedAt && head.id < ph.id)))
      ) pick = l;
    }
    if (!pick) return out;
    out.push(pick.calls[pick.at++]!);
  }
}

/** 0-based position of each caller in its queue (callers ahead of it), for wait estimates and announcements. */
export function queuePositions(queue: RoutingQueue, calls: readonly RoutingCall[], now: number): Map<string, number> {
  const mine = calls.filter((c) => c.queueId === queue.id).sort(compareCallers(queue, now));
  return new Map(mine.map((c, i) => [c.id, i]));
}
