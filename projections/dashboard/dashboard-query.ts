/**
 * The dashboard query layer: reads the `queue_stats`, `agent_board` and `active_calls` read models of one tenant
 * and computes windowed metrics (rolling 15 minutes, since midnight UTC) at `now` with the domain formulas.
 * Handlers cannot see the clock, so windows are applied here, at query time.
 */
import type { Kysely } from 'kysely';
import { occupancy } from '../../domain/metrics/agent-metrics.ts';
import { agentsForServiceLevel } from '../../domain/metrics/erlang-c.ts';
import { inWindow, ROLLING_15_MINUTES, windowBounds, type MetricWindow } from '../../domain/metrics/metric-window.ts';
import { computeMetrics, type MetricRecords, type QueueMetrics } from '../../domain/metrics/metrics-snapshot.ts';
import type { QueueContact } from '../../domain/metrics/queue-contact.ts';
import { estimateWait } from '../../domain/routing/wait-estimate.ts';
import type { ServiceLevelFormula } from '../../domain/shared/contact-center.ts';
import {
  type CallRow,
  readAgents,
  readCalls,
  readHandled,
  readMetricRecords,
  readPendingCallbacks,
  readPosition,
  readQueueAgents,
  readQueues,
  type AgentRow,
  type QueueRow,
} from './dashboard-records.ts';

/** Metrics of one queue over one window. Durations in seconds; ratios 0..1; null when undefined (no data). */
export interface QueueWindowMetrics {
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number | null;
  serviceLevelFormula: string;
  serviceLevelThresholdSeconds: number;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonmentRate: number | null;
}

/** One queue on the wallboard. */
export interface DashboardQueue {
  tenant: string;
  queueId: string;
  name: string;
  waiting: number;
  longestWaitMs: number;
  agents: { available: number; onContact: number; afterCallWork: number; notProductive: number; staffed: number };
  rolling15: QueueWindowMetrics;
  today: QueueWindowMetrics;
  waitEstimate: { kind: 'unknown' } | { kind: 'estimate'; expectedSeconds: number; lowSeconds: number; highSeconds: number; confidence: 'low' | 'medium' | 'high' };
  pendingCallbacks: number;
  staffing: { recommendedAgents: number | null; staffedAgents: number };
}

/** One agent on the board. */
export interface DashboardAgent {
  tenant: string;
  agentId: string;
  state: string;
  since: number | null;
  reasonCode: string | null;
  callId: string | null;
  callsHandled: number;
  ahtSeconds: number | null;
  occupancy: number | null;
}

/** One call in progress: the active_calls row, with its tenant. */
export interface DashboardCall extends CallRow {
  tenant: string;
}

/** Everything the wallboard shows for one tenant at `at`. */
export interface DashboardSnapshot {
  tenant: string;
  at: number;
  /** The projections' checkpoints as one opaque string: equal strings mean nothing changed. */
  position: string | null;
  queues: DashboardQueue[];
  agents: DashboardAgent[];
  calls: DashboardCall[];
  serviceLevelToday: { at: number; queueId: string; serviceLevel: number | null; abandonmentRate: number | null }[];
}

/** The day window: since midnight UTC (the tenant's time zone is not configured yet). */
export const TODAY: MetricWindow = { kind: 'since-midnight', timeZone: 'UTC' };
/** Service-level target the Erlang C staffing aims at (queues configure the formula and threshold, not the target). */
export const STAFFING_TARGET_SERVICE_LEVEL = 0.8;
/** Points of the service-level chart. */
export const CHART_STEP_MS = 15 * 60_000;

/** Maps an agent_board state to the activity groups of domain/metrics (reserved counts as on contact here). */
function activityOf(state: string): 'available' | 'onContact' | 'afterCallWork' | 'notProductive' | null {
  switch (state) {
    case 'ready':
      return 'available';
    case 'offered':
    case 'ringing':
    case 'talking':
      return 'onContact';
    case 'wrap_up':
      return 'afterCallWork';
    case 'not_ready':
    case 'break_out':
      return 'notProductive';
    default:
      return null;
  }
}

function queueMetricsAt(contacts: readonly QueueContact[], queue: QueueRow, window: MetricWindow, now: number): QueueMetrics {
  const records: MetricRecords = { contacts, intervals: [] };
  return computeMetrics(records, now, {
    window,
    serviceLevel: { thresholdMs: queue.thresholdMs, shortAbandonMs: queue.shortAbandonMs },
    abandonment: { shortAbandonMs: queue.shortAbandonMs },
  }).all;
}

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

function windowMetrics(m: QueueMetrics, queue: QueueRow): QueueWindowMetrics {
  return {
    offered: m.entered,
    answered: m.answered,
    abandoned: m.abandoned,
    serviceLevel: m.serviceLevels[queue.formula as ServiceLevelFormula] ?? null,
    serviceLevelFormula: queue.formula,
    serviceLevelThresholdSeconds: queue.thresholdMs / 1000,
    asaSeconds: seconds(m.averageSpeedOfAnswer),
    ahtSeconds: seconds(m.averageHandleTime),
    abandonmentRate: m.abandonmentRate,
  };
}

/** Handle times (talk + hold + wrap, seconds) of contacts handled in the window; today's when the window has none. */
function recentHandleTimes(contacts: readonly QueueContact[], now: number): number[] {
  for (const window of [ROLLING_15_MINUTES, TODAY]) {
    const bounds = windowBounds(window, now);
    const times = contacts.filter((c) => inWindow(bounds, c.handledAt)).map((c) => (c.talkMs + c.holdMs + c.wrapMs) / 1000);
    if (times.length > 0) return times;
  }
  return [];
}

function queueFrom(tenant: string, queue: QueueRow, contacts: readonly QueueContact[], members: readonly AgentRow[], pendingCallbacks: number, now: number): DashboardQueue {
  const rolling = queueMetricsAt(contacts, queue, ROLLING_15_MINUTES, now);
  const today = queueMetricsAt(contacts, queue, TODAY, now);
  const agents = { available: 0, onContact: 0, afterCallWork: 0, notProductive: 0, staffed: 0 };
  for (const a of members) {
    const activity = activityOf(a.state);
    if (activity === null) continue;
    agents[activity] += 1;
    agents.staffed += 1;
  }
  const arrivalRatePerSecond = rolling.entered / (15 * 60);
  const handleTimes = recentHandleTimes(contacts, now);
  const estimate = estimateWait({
    position: rolling.waiting,
    staffedAgents: agents.staffed,
    idleAgents: agents.available,
    recentHandleTimesSeconds: handleTimes,
    ...(arrivalRatePerSecond > 0 ? { arrivalRatePerSecond } : {}),
  });
  const aht = rolling.averageHandleTime ?? today.averageHandleTime;
  let recommendedAgents: number | null = null;
  if (arrivalRatePerSecond > 0 && aht !== null && aht > 0) {
    try {
      recommendedAgents = agentsForServiceLevel({
        arrivalRate: arrivalRatePerSecond,
        handleTime: aht / 1000,
        answerTarget: queue.thresholdMs / 1000,
        targetServiceLevel: STAFFING_TARGET_SERVICE_LEVEL,
      });
    } catch {
      recommendedAgents = null;
    }
  }
  return {
    tenant,
    queueId: queue.queueId,
    name: queue.name,
    waiting: rolling.waiting,
    longestWaitMs: rolling.longestWaitMs,
    agents,
    rolling15: windowMetrics(rolling, queue),
    today: windowMetrics(today, queue),
    waitEstimate:
      estimate.kind === 'unknown'
        ? { kind: 'unknown' }
        : { kind: 'estimate', expectedSeconds: estimate.expectedSeconds, lowSeconds: estimate.interval.lowSeconds, highSeconds: estimate.interval.highSeconds, confidence: estimate.confidence },
    pendingCallbacks,
    staffing: { recommendedAgents, staffedAgents: agents.staffed },
  };
}

interface QueueInputs {
  queues: QueueRow[];
  contactsByQueue: Map<string, QueueContact[]>;
  records: MetricRecords;
}

async function queueInputs(db: Kysely<unknown>, tenant: string, now: number): Promise<QueueInputs> {
  const [queues, records] = [await readQueues(db, tenant), await readMetricRecords(db, tenant, now)];
  const contactsByQueue = new Map<string, QueueContact[]>();
  for (const c of records.contacts) contactsByQueue.set(c.queueId, [...(contactsByQueue.get(c.queueId) ?? []), c]);
  return { queues, contactsByQueue, records };
}

async function queuesFrom(db: Kysely<unknown>, tenant: string, now: number, inputs: QueueInputs, agents: readonly AgentRow[]): Promise<DashboardQueue[]> {
  const members = await readQueueAgents(db, tenant);
  const callbacks = await readPendingCallbacks(db, tenant);
  const byId = new Map(agents.map((a) => [a.agentId, a]));
  return inputs.queues.map((q) =>
    queueFrom(
      tenant,
      q,
      inputs.contactsByQueue.get(q.queueId) ?? [],
      (members.get(q.queueId) ?? []).flatMap((id) => byId.get(id) ?? []),
      callbacks.get(q.queueId) ?? 0,
      now,
    ),
  );
}

/** The queues of `tenant` with their metrics at `now` (epoch ms). */
export async function listQueues(db: Kysely<unknown>, tenant: string, now: number): Promise<DashboardQueue[]> {
  return queuesFrom(db, tenant, now, await queueInputs(db, tenant, now), await readAgents(db, tenant));
}

async function agentsFrom(db: Kysely<unknown>, tenant: string, now: number, rows: readonly AgentRow[], records: MetricRecords): Promise<DashboardAgent[]> {
  const handled = await readHandled(db, tenant);
  const today = windowBounds(TODAY, now);
  return rows.map((a) => {
    const mine = handled.filter((h) => h.agentId === a.agentId && inWindow(today, h.endedAt));
    const total = mine.reduce((s, h) => s + h.handleMs, 0);
    return {
      tenant,
      agentId: a.agentId,
      state: a.state,
      since: a.since,
      reasonCode: a.reasonCode,
      callId: a.callId,
      callsHandled: mine.length,
      ahtSeconds: mine.length === 0 ? null : total / mine.length / 1000,
      occupancy: occupancy(
        records.intervals.filter((i) => i.agentId === a.agentId),
        today,
      ),
    };
  });
}

/**
 * The agents of `tenant`: state since when, reason, call in hand; calls handled, AHT (talk + hold + wrap per call
 * whose wrap-up ended) and occupancy since midnight UTC at `now` (default: the clock).
 */
export async function listAgents(db: Kysely<unknown>, tenant: string, now: number = Date.now()): Promise<DashboardAgent[]> {
  return agentsFrom(db, tenant, now, await readAgents(db, tenant), await readMetricRecords(db, tenant, now));
}

/** The calls in progress of `tenant`, oldest first. */
export async function listCalls(db: Kysely<unknown>, tenant: string): Promise<DashboardCall[]> {
  return (await readCalls(db, tenant)).map((c) => ({ tenant, ...c }));
}

/** Service level and abandonment since midnight, as they stood every 15 minutes since midnight UTC, and at `now`. */
export function serviceLevelSeries(queues: readonly QueueRow[], contactsByQueue: ReadonlyMap<string, readonly QueueContact[]>, now: number): DashboardSnapshot['serviceLevelToday'] {
  const midnight = windowBounds(TODAY, now).from;
  const instants: number[] = [];
  for (let t = midnight + CHART_STEP_MS; t < now; t += CHART_STEP_MS) instants.push(t);
  instants.push(now);
  const out: DashboardSnapshot['serviceLevelToday'] = [];
  for (const q of queues) {
    const contacts = contactsByQueue.get(q.queueId) ?? [];
    for (const at of instants) {
      const m = queueMetricsAt(contacts, q, TODAY, at);
      out.push({ at, queueId: q.queueId, serviceLevel: m.serviceLevels[q.formula as ServiceLevelFormula] ?? null, abandonmentRate: m.abandonmentRate });
    }
  }
  return out;
}

/** The whole snapshot of `tenant` at `now` (epoch ms). */
export async function dashboardSnapshot(db: Kysely<unknown>, tenant: string, now: number): Promise<DashboardSnapshot> {
  const position = await readPosition(db);
  const inputs = await queueInputs(db, tenant, now);
  const agentRows = await readAgents(db, tenant);
  return {
    tenant,
    at: now,
    position,
    queues: await queuesFrom(db, tenant, now, inputs, agentRows),
    agents: await agentsFrom(db, tenant, now, agentRows, inputs.records),
    calls: await listCalls(db, tenant),
    serviceLevelToday: serviceLevelSeries(inputs.queues, inputs.contactsByQueue, now),
  };
}
