// The neutral records every contact metric is computed from. The fold in contacts-from-events.ts builds them from
// call and agent events; the formulas never read events, so they can be tested on hand-made records.

/** How a queue entry ended; `waiting` while it is still in queue. */
export const QUEUE_CONTACT_OUTCOMES = ['waiting', 'answered', 'abandoned', 'callback', 'overflowed'] as const;
export type QueueContactOutcome = (typeof QUEUE_CONTACT_OUTCOMES)[number];

/** One entry of a call into one queue, from CallQueued (or a completed callback) to the moment it left the queue. */
export interface QueueContact {
  /** `<callId>#<n>`: the n-th queue entry of the call (1-based); transfers and overflows make new entries. */
  readonly contactId: string;
  readonly callId: string;
  readonly queueId: string;
  /** Epoch ms the call entered this queue. */
  readonly enteredAt: number;
  /** Epoch ms it left the queue (answered, abandoned, turned into a callback, overflowed); null while waiting. */
  readonly leftAt: number | null;
  readonly outcome: QueueContactOutcome;
  /** Handling attached to this entry once answered (all agents that handled it from this answer on). */
  readonly talkMs: number;
  readonly holdMs: number;
  readonly wrapMs: number;
  /** Epoch ms the last after-call work attached to this entry ended; null until then (not yet handled). */
  readonly handledAt: number | null;
}

/** Queue time of a contact that has left the queue. */
export function waitOf(c: QueueContact): number {
  return c.leftAt === null ? 0 : c.leftAt - c.enteredAt;
}

/** What an agent's time is spent on, grouped the way supervisors count agents. */
export const AGENT_ACTIVITIES = ['available', 'reserved', 'on-contact', 'after-call-work', 'not-productive'] as const;
export type AgentActivity = (typeof AGENT_ACTIVITIES)[number];

/** One stretch of an agent's logged-in time in one activity; `end` null while it lasts. */
export interface AgentInterval {
  readonly agentId: string;
  readonly activity: AgentActivity;
  readonly start: number;
  readonly end: number | null;
}
