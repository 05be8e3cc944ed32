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
  /**
   * Today's chart. `replace`: `points` is the whole series (earlier points changed or went away: a new day). Otherwise
   * drop the points stamped with the previous snapshot's `at` (provisional: the instant it was computed) and append `points`.
   */
  readonly serviceLevelToday?: { replace: boolean; points: DashboardSnapshot['serviceLevelToday'] };
}

function rowChanges<T>(prev: readonly T[], next: readonly T[], idOf: (row: T) => string): RowChanges<T> | undefined {
  const before = new Map(prev.map((r) => [idOf(r), JSON.stringify(r)]));
  const upserted = next.filter((r) => before.get(idOf(r)) !== JSON.stringify(r));
  const present = new Set(next.map(idOf));
  const removed = [...before.keys()].filter((id) => !present.has(id));
  return upserted.length || removed.length ? { upserted, removed } : undefined;
}

function chartChanges(prev: DashboardSnapshot, next: DashboardSnapshot): DashboardChange['serviceLevelToday'] {
  const json = (p: DashboardSnapshot['serviceLevelToday'][number]) => JSON.stringify(p);
  const keyOf = (p: DashboardSnapshot['serviceLevelToday'][number]) => `${p.queueId}@${p.at}`;
  const [a, b] = [prev.serviceLevelToday, next.serviceLevelToday];
  if (a.length === b.length && a.every((p, i) => json(p) === json(b[i]!))) return undefined;
  // Points stamped with the snapshot's own time are provisional (the current instant): the client drops them when
  // the next change arrives, so they never count as history that went away.
  const stable = a.filter((p) => p.at !== prev.at);
  const nextByKey = new Map(b.map((p) => [keyOf(p), json(p)]));
  if (!stable.every((p) => nextByKey.get(keyOf(p)) === json(p))) return { replace: true, points: b };
  const known = new Set(stable.map(keyOf));
  return { replace: false, points: b.filter((p) => !known.has(keyOf(p))) };
}

/**
 * The differences from `prev` to `next` (queues by queueId, agents by agentId, calls by callId, chart points), or null
 * when nothing but the time of the snapshot differs. Applying the change to `prev` gives `next` (see applyChange).
 */
export function diffSnapshots(prev: DashboardSnapshot, next: DashboardSnapshot): DashboardChange | null {
  const queues = rowChanges(prev.queues, next.queues, (q) => q.queueId);
  const agents = rowChanges(prev.agents, next.agents, (a) => a.agentId);
  const calls = rowChanges(prev.calls, next.calls, (c) => c.callId);
  const serviceLevelToday = chartChanges(prev, next);
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
    serviceLevelToday: !chart
      ? snapshot.serviceLevelToday
      : chart.replace
        ? chart.points
        : [...snapshot.serviceLevelToday.filter((p) => p.at !== snapshot.at), ...chart.points],
  };
}
