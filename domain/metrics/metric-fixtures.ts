// Test helpers: hand-made records. Not exported from any production module.
import type { AgentInterval, QueueContact, QueueContactOutcome } from './queue-contact.ts';

let seq = 0;

/** A contact that entered at `enteredAt` and left `waitS` seconds later with `outcome` (queue q1 unless given). */
export function contact(outcome: QueueContactOutcome, waitS: number, extra: Partial<QueueContact> = {}): QueueContact {
  seq += 1;
  const enteredAt = extra.enteredAt ?? 1_000_000;
  return {
    contactId: `c${seq}#1`,
    callId: `c${seq}`,
    queueId: 'q1',
    enteredAt,
    leftAt: outcome === 'waiting' ? null : enteredAt + waitS * 1000,
    outcome,
    talkMs: 0,
    holdMs: 0,
    wrapMs: 0,
    handledAt: null,
    ...extra,
  };
}

/** An agent interval from `start` to `end` (ms). */
export function interval(agentId: string, activity: AgentInterval['activity'], start: number, end: number | null): AgentInterval {
  return { agentId, activity, start, end };
}
