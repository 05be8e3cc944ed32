/**
 * The dashboard query layer: reads the `queue_stats`, `agent_board` and `active_calls` read models of one tenant
 * and computes windowed metrics (rolling 15 minutes, since midnight) at `now` with the domain formulas. Handlers
 * cannot see the clock, so windows are applied here, at query time.
 */
import type { Kysely } from 'kysely';

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

/** One call in progress. */
export interface DashboardCall {
  tenant: string;
  callId: string;
  state: string;
  queueId: string | null;
  agentId: string | null;
  ivrPath: string[];
  arrivedAt: number;
  queuedAt: number | null;
  holdMs: number;
  onHold: boolean;
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

/** The whole snapshot of `tenant` at `now` (epoch ms). */
export async function dashboardSnapshot(db: Kysely<unknown>, tenant: string, now: number): Promise<DashboardSnapshot> {
  void db;
  return { tenant, at: now, position: null, queues: [], agents: [], calls: [], serviceLevelToday: [] };
}

/** The queues of `tenant` with their metrics at `now`. */
export async function listQueues(db: Kysely<unknown>, tenant: string, now: number): Promise<DashboardQueue[]> {
  void db;
  void tenant;
  void now;
  return [];
}

/** The agents of `tenant`. */
export async function listAgents(db: Kysely<unknown>, tenant: string): Promise<DashboardAgent[]> {
  void db;
  void tenant;
  return [];
}

/** The calls in progress of `tenant`. */
export async function listCalls(db: Kysely<unknown>, tenant: string): Promise<DashboardCall[]> {
  void db;
  void tenant;
  return [];
}
