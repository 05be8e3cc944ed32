/** Where the read models of the dashboard find an event's tenant, and the UTC day a time falls on. */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';

/** The event's tenant: `metadata.tenant`, else the tenant part of a `<category>-<tenant>.<id>` stream; undefined when neither. */
export function tenantOf(event: RecordedEvent): string | undefined {
  const t = event.metadata['tenant'];
  if (typeof t === 'string' && t.length > 0) return t;
  // The same rule as api/tenancy/tenant-streams.ts (projections do not import the API layer).
  return /^[a-z]+-([a-z0-9][a-z0-9_-]{0,62})\.(.+)$/.exec(event.streamId)?.[1];
}

const DAY_MS = 86_400_000;

/** The UTC calendar day of epoch ms `t`, as `YYYY-MM-DD` (the bucket rows are pruned by). */
export function utcDay(t: number): string {
  return new Date(Math.floor(t / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Rows of this many days before the event's day are dropped when a later event arrives (today + 15 min need one day back). */
export const KEEP_DAYS = 2;

/** The day whose rows an event at `t` prunes. */
export function pruneDay(t: number): string {
  return utcDay(t - KEEP_DAYS * DAY_MS);
}
