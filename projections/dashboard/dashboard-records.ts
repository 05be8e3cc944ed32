/** Reading the dashboard's read models of one tenant (views `<projection>.<table>` on the live builds). */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MetricRecordsFolder, type AnyEvent } from '../../domain/metrics/contacts-from-events.ts';
import type { MetricRecords } from '../../domain/metrics/metrics-snapshot.ts';
import { currentBuilds } from '../runtime/catalog.ts';
import { formatPosition } from '../runtime/position.ts';
import { utcDay } from '../queue-stats/event-tenant.ts';

const DAY_MS = 86_400_000;

/** A read model that was never built has no views yet: read it as empty rather than failing the dashboard. */
async function rowsOf<R>(db: Kysely<unknown>, query: RawBuilder<R>): Promise<R[]> {
  try {
    return (await query.execute(db)).rows;
  } catch (e) {
    if (e instanceof Error && /does not exist/.test(e.message)) return [];
    throw e;
  }
}

export interface QueueRow {
  queueId: string;
  name: string;
  formula: string;
  thresholdMs: number;
  shortAbandonMs: number;
}

/** The tenant's queues (deleted ones left out), by id. */
export async function readQueues(db: Kysely<unknown>, tenant: string): Promise<QueueRow[]> {
  const rows = await rowsOf(
    db,
    sql<{ queue_id: string; name: string; sl_formula: string; sl_threshold_ms: string | number; short_abandon_ms: string | number }>`
      SELECT queue_id, name, sl_formula, sl_threshold_ms, short_abandon_ms FROM queue_stats.queues
      WHERE tenant = ${tenant} AND NOT deleted ORDER BY queue_id`,
  );
  return rows.map((r) => ({ queueId: r.queue_id, name: r.name, formula: r.sl_formula, thresholdMs: Number(r.sl_threshold_ms), shortAbandonMs: Number(r.short_abandon_ms) }));
}

/** Queue id → the agents assigned to it. */
export async function readQueueAgents(db: Kysely<unknown>, tenant: string): Promise<Map<string, string[]>> {
  const rows = await rowsOf(db, sql<{ queue_id: string; agent_id: string }>`SELECT queue_id, agent_id FROM queue_stats.queue_agents WHERE tenant = ${tenant} ORDER BY queue_id, agent_id`);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.queue_id, [...(out.get(r.queue_id) ?? []), r.agent_id]);
  return out;
}

/** Queue id → callbacks requested and not yet completed, cancelled or given up. */
export async function readPendingCallbacks(db: Kysely<unknown>, tenant: string): Promise<Map<string, number>> {
  const rows = await rowsOf(db, sql<{ queue_id: string; n: string | number }>`SELECT queue_id, count(*) AS n FROM queue_stats.callbacks WHERE tenant = ${tenant} GROUP BY queue_id`);
  return new Map(rows.map((r) => [r.queue_id, Number(r.n)]));
}

/** Contact records and agent intervals folded (domain/metrics/contacts-from-events.ts) from the kept facts, in log order. */
export async function readMetricRecords(db: Kysely<unknown>, tenant: string, now: number): Promise<MetricRecords> {
  const rows = await rowsOf(
    db,
    sql<{ event_type: string; data: unknown }>`
      SELECT event_type, data FROM queue_stats.facts WHERE tenant = ${tenant} AND day >= ${utcDay(now - DAY_MS)}
      ORDER BY log_commit, log_prepare`,
  );
  const folder = new MetricRecordsFolder();
  for (const r of rows) folder.apply({ type: r.event_type, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data } as AnyEvent);
  return folder.records();
}

export interface AgentRow {
  agentId: string;
  state: string;
  since: number;
  reasonCode: string | null;
  callId: string | null;
}

/** The tenant's agents (logged-out ones too), by id. */
export async function readAgents(db: Kysely<unknown>, tenant: string): Promise<AgentRow[]> {
  const rows = await rowsOf(
    db,
    sql<{ agent_id: string; state: string; since: string | number; reason_code: string | null; call_id: string | null }>`
      SELECT agent_id, state, since, reason_code, call_id FROM agent_board.agents WHERE tenant = ${tenant} ORDER BY agent_id`,
  );
  return rows.map((r) => ({ agentId: r.agent_id, state: r.state, since: Number(r.since), reasonCode: r.reason_code, callId: r.call_id }));
}

export interface HandledRow {
  agentId: string;
  handleMs: number;
  endedAt: number | null;
}

/** Calls the tenant's agents wrapped up (kept: today and yesterday). */
export async function readHandled(db: Kysely<unknown>, tenant: string): Promise<HandledRow[]> {
  const rows = await rowsOf(
    db,
    sql<{ agent_id: string; talk_ms: string | number; hold_ms: string | number; wrap_ms: string | number; ended_at: string | number | null }>`
      SELECT agent_id, talk_ms, hold_ms, wrap_ms, ended_at FROM agent_board.handled WHERE tenant = ${tenant}`,
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    handleMs: Number(r.talk_ms) + Number(r.hold_ms) + Number(r.wrap_ms),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  }));
}

export interface CallRow {
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

/** The tenant's calls in progress, oldest first, with their IVR paths. */
export async function readCalls(db: Kysely<unknown>, tenant: string): Promise<CallRow[]> {
  const calls = await rowsOf(
    db,
    sql<{ call_id: string; state: string; queue_id: string | null; agent_id: string | null; arrived_at: string | number; queued_at: string | number | null; hold_ms: string | number; on_hold: boolean }>`
      SELECT call_id, state, queue_id, agent_id, arrived_at, queued_at, hold_ms, on_hold FROM active_calls.calls WHERE tenant = ${tenant}
      ORDER BY arrived_at, call_id`,
  );
  const steps = await rowsOf(db, sql<{ call_id: string; node_id: string }>`SELECT call_id, node_id FROM active_calls.ivr_steps WHERE tenant = ${tenant} ORDER BY call_id, step`);
  const paths = new Map<string, string[]>();
  for (const s of steps) paths.set(s.call_id, [...(paths.get(s.call_id) ?? []), s.node_id]);
  return calls.map((r) => ({
    callId: r.call_id,
    state: r.state,
    queueId: r.queue_id,
    agentId: r.agent_id,
    ivrPath: paths.get(r.call_id) ?? [],
    arrivedAt: Number(r.arrived_at),
    queuedAt: r.queued_at === null ? null : Number(r.queued_at),
    holdMs: Number(r.hold_ms),
    onHold: r.on_hold,
  }));
}

/** The checkpoints of the dashboard's projections as one string (null before any has run). */
export async function readPosition(db: Kysely<unknown>): Promise<string | null> {
  try {
    const builds = (await currentBuilds(db)).filter((b) => ['queue_stats', 'agent_board', 'active_calls'].includes(b.projection) && b.state === 'live');
    if (builds.length === 0) return null;
    return builds.map((b) => `${b.projection}@${b.build}:${formatPosition(b.position)}`).join(' ');
  } catch (e) {
    if (e instanceof Error && /does not exist/.test(e.message)) return null;
    throw e;
  }
}
