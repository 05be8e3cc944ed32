// Builders for routing tests: small defaults so each test states only what matters to it.
import type { RoutingAgent, RoutingCall, RoutingQueue } from './routing-view.ts';

/** A queue with no skills, no wait weight and priority 0. */
export function queue(id: string, over: Partial<RoutingQueue> = {}): RoutingQueue {
  return { id, strategy: 'longest-idle', priority: 0, waitWeight: 0, relaxation: [], ...over };
}

/** A ready voice agent on the given queues (positions in list order unless given). */
export function agent(id: string, queueIds: readonly string[], over: Partial<RoutingAgent> = {}): RoutingAgent {
  return {
    id,
    state: 'ready',
    skills: [],
    queues: queueIds.map((queueId, i) => ({ queueId, position: i + 1 })),
    capacity: 1,
    activeCalls: 0,
    idleSince: 0,
    talkSeconds: 0,
    callsHandled: 0,
    ...over,
  };
}

/** A caller with base priority 0. */
export function call(id: string, queueId: string, enqueuedAt: number, over: Partial<RoutingCall> = {}): RoutingCall {
  return { id, queueId, enqueuedAt, basePriority: 0, ...over };
}
