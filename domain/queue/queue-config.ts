import type { QueueSettings } from './queue-settings.ts';

/** One agent's place in a queue: 1 is the most preferred (as Amazon Connect's 1–99). */
export interface QueueMember {
  readonly priority: number;
}

/**
 * A queue's complete configuration as the router and metrics read it: every section validated when it was set.
 * Membership lives here, on the queue (an agent may be in several queues, each with its own priority), so that a
 * queue's own stream audits who may take its calls; the agent stream holds skills and presence.
 */
export interface QueueConfig extends QueueSettings {
  readonly queueId: string;
  readonly agents: Readonly<Record<string, QueueMember>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The queue decider's state: absent (never created), active, or deleted (its id is never reused). */
export interface QueueState {
  readonly status: 'absent' | 'active' | 'deleted';
  /** The configuration; kept after deletion so calls still waiting can be resolved and reports can name it. */
  readonly config: QueueConfig | null;
  readonly deletedAt: number | null;
}

export const initialQueueState: QueueState = { status: 'absent', config: null, deletedAt: null };
