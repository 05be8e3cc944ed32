import type { ServiceLevelFormula } from '../shared/contact-center.ts';
import { agentCounts, occupancy, type AgentCounts } from './agent-metrics.ts';
import { abandonmentRate, averageHandleTime, averageSpeedOfAnswer, longestWait, type AbandonmentOptions } from './contact-metrics.ts';
import { inWindow, windowBounds, type MetricWindow, type WindowBounds } from './metric-window.ts';
import type { AgentInterval, QueueContact } from './queue-contact.ts';
import { serviceLevels, type ServiceLevelOptions } from './service-level.ts';

/** How metrics are computed: the window and the formula options. */
export interface MetricsOptions {
  readonly window: MetricWindow;
  readonly serviceLevel: ServiceLevelOptions;
  readonly abandonment?: AbandonmentOptions;
}

/** Contact metrics of one queue (or of all queues). Durations in ms; null where the denominator is zero. */
export interface QueueMetrics {
  /** Service level by each formula, over contacts that left the queue in the window. */
  readonly serviceLevels: Readonly<Record<ServiceLevelFormula, number | null>>;
  /** Over contacts answered (left the queue) in the window. */
  readonly averageSpeedOfAnswer: number | null;
  /** Over contacts whose handling ended (handledAt) in the window. */
  readonly averageHandleTime: number | null;
  /** Over contacts that entered the queue in the window. */
  readonly abandonmentRate: number | null;
  /** Oldest contact still waiting at `now`. */
  readonly longestWaitMs: number;
  readonly entered: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly callbacks: number;
  readonly overflowed: number;
  /** Waiting at `now`. */
  readonly waiting: number;
}

/** Everything a dashboard shows at `now`. */
export interface MetricsSnapshot {
  readonly now: number;
  readonly window: WindowBounds;
  readonly all: QueueMetrics;
  /** Queues with a contact that entered, left or was handled in the window, or is waiting at `now`. */
  readonly byQueue: Readonly<Record<string, QueueMetrics>>;
  /** Agent occupancy over the window (agents are not split by queue). */
  readonly occupancy: number | null;
  /** Agent counts at `now`. */
  readonly agents: AgentCounts;
}

/** The records a snapshot is computed from. */
export interface MetricRecords {
  readonly contacts: readonly QueueContact[];
  readonly intervals: readonly AgentInterval[];
}

/** Batch form: computes every metric from records at `now` (facts later than `now` are ignored). */
export function computeMetrics(records: MetricRecords, now: number, options: MetricsOptions): MetricsSnapshot {
  const bounds = windowBounds(options.window, now);
  const byQueueContacts = new Map<string, QueueContact[]>();
  for (const c of records.contacts) {
    let list = byQueueContacts.get(c.queueId);
    if (!list) byQueueContacts.set(c.queueId, (list = []));
    list.push(c);
  }
  const byQueue: Record<string, QueueMetrics> = {};
  for (const queueId of [...byQueueContacts.keys()].sort()) {
    const contacts = byQueueContacts.get(queueId)!;
    // A queue is listed when something of it falls in the window or is waiting now, not merely because old
    // records of it are still kept: the listing must not depend on retention.
    if (contacts.some((c) => touchesWindow(c, bounds, now))) byQueue[queueId] = queueMetrics(contacts, bounds, now, options);
  }
  return {
    now,
    window: bounds,
    all: queueMetrics(records.contacts, bounds, now, options),
    byQueue,
    occupancy: occupancy(records.intervals, bounds),
    agents: agentCounts(records.intervals, now),
  };
}

function isWaitingAt(c: QueueContact, now: number): boolean {
  return c.enteredAt <= now && (c.leftAt === null || c.leftAt > now);
}

function touchesWindow(c: QueueContact, bounds: WindowBounds, now: number): boolean {
  return inWindow(bounds, c.enteredAt) || inWindow(bounds, c.leftAt) || inWindow(bounds, c.handledAt) || isWaitingAt(c, now);
}

function queueMetrics(contacts: readonly QueueContact[], bounds: WindowBounds, now: number, options: MetricsOptions): QueueMetrics {
  const left = contacts.filter((c) => c.outcome !== 'waiting' && inWindow(bounds, c.leftAt));
  const entered = contacts.filter((c) => inWindow(bounds, c.enteredAt));
  const handled = contacts.filter((c) => inWindow(bounds, c.handledAt));
  const count = (outcome: QueueContact['outcome']) => left.filter((c) => c.outcome === outcome).length;
  return {
    serviceLevels: serviceLevels(left, options.serviceLevel),
    averageSpeedOfAnswer: averageSpeedOfAnswer(left),
    averageHandleTime: averageHandleTime(handled),
    abandonmentRate: abandonmentRate(entered, now, options.abandonment),
    longestWaitMs: longestWait(contacts, now),
    entered: entered.length,
    answered: count('answered'),
    abandoned: count('abandoned'),
    callbacks: count('callback'),
    overflowed: count('overflowed'),
    waiting: contacts.filter((c) => isWaitingAt(c, now)).length,
  };
}
