// What changed between two dashboard snapshots of one tenant: the `change` event of the SSE stream.
import type { DashboardAgent, DashboardCall, DashboardQueue, DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';

/** Rows that appeared or changed (whole rows), and ids of rows that went away. */
export interface RowChanges<T> {
  readonly upserted: T[];
  readonly removed: string[];
}

/** The payload of a `change` event. Sections without changes are absent. */
export interface DashboardChange {
  readonly at: number;
  readonly position: string | null;
  readonly queues?: RowChanges<DashboardQueue>;
  readonly agents?: RowChanges<DashboardAgent>;
  readonly calls?: RowChanges<DashboardCall>;
  /** New points of today's chart; `replace` when earlier points changed or went away (a new day): then `points` is the whole series. */
  readonly serviceLevelToday?: { replace: boolean; points: DashboardSnapshot['serviceLevelToday'] };
}

function rowChanges<T>(prev: readonly T[], next: readonly T[], idOf: (row: T) => string): RowChanges<T> | undefined {
  const before = new Map(prev.map((r) => [idOf(r), JSON.stringify(r)]));
  const upserted = next.filter((r) => before.get(idOf(r)) !== JSON.stringify(r));
  const present = new Set(next.map(idOf));
  const removed = [...before.keys()].filter((id) => !present.has(id));
  return upserted.length || removed.length ? { upserted, removed } : undefined;
}

function chartChanges(prev: DashboardSnapshot['serviceLevelToday'], next: DashboardSnapshot['serviceLevelToday']): DashboardChange['serviceLevelToday'] {
  const keyOf = (p: DashboardSnapshot['serviceLevelToday'][number]) => `${p.queueId}@${p.at}`;
  const nextByKey = new Map(next.map((p) => [keyOf(p), JSON.stringify(p)]));
  const kept = prev.every((p) => nextByKey.get(keyOf(p)) === JSON.stringify(p));
  if (!kept) return { replace: true, points: next };
  const known = new Set(prev.map(keyOf));
  const points = next.filter((p) => !known.has(keyOf(p)));
  return points.length ? { replace: false, points } : undefined;
}

/**
 * The differences from `prev` to `next` (queues by queueId, agents by agentId, calls by callId, chart points), or null
 * when nothing but the time of the snapshot differs. Applying the change to `prev` gives `next` (see applyChange).
 */
export function diffSnapshots(prev: DashboardSnapshot, next: DashboardSnapshot): DashboardChange | null {
  const queues = rowChanges(prev.queues, next.queues, (q) => q.queueId);
  const agents = rowChanges(prev.agents, next.agents, (a) => a.agentId);
  const calls = rowChanges(prev.calls, next.calls, (c) => c.callId);
  const serviceLevelToday = chartChanges(prev.serviceLevelToday, next.serviceLevelToday);
  if (!queues && !agents && !calls && !serviceLevelToday && prev.position === next.position) return null;
  return {
    at: next.at,
    position: next.position,
    ...(queues ? { queues } : {}),
    ...(agents ? { agents } : {}),
    ...(calls ? { calls } : {}),
    ...(serviceLevelToday ? { serviceLevelToday } : {}),
  };
}

function applyRows<T>(rows: readonly T[], change: RowChanges<T> | undefined, idOf: (row: T) => string): T[] {
  if (!change) return [...rows];
  const removed = new Set(change.removed);
  const byId = new Map(rows.filter((r) => !removed.has(idOf(r))).map((r) => [idOf(r), r]));
  for (const r of change.upserted) byId.set(idOf(r), r);
  return [...byId.values()];
}

/** `snapshot` with `change` applied (what a client does; the wallboard's JS mirrors it). Row order is not kept. */
export function applyChange(snapshot: DashboardSnapshot, change: DashboardChange): DashboardSnapshot {
  const chart = change.serviceLevelToday;
  return {
    ...snapshot,
    at: change.at,
    position: change.position,
    queues: applyRows(snapshot.queues, change.queues, (q) => q.queueId),
    agents: applyRows(snapshot.agents, change.agents, (a) => a.agentId),
    calls: applyRows(snapshot.calls, change.calls, (c) => c.callId),
    serviceLevelToday: !chart ? snapshot.serviceLevelToday : chart.replace ? chart.points : [...snapshot.serviceLevelToday, ...chart.points],
  };
}
