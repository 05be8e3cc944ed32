/**
 * One active runner per projection: a lease row (owner, expiry) in `projection_leases`. The holder renews it
 * well before it expires; anyone else takes it over only once it has expired. Expiry is judged by the
 * database's clock, so runners on hosts with skewed clocks still agree. The lease keeps a second runner idle;
 * exactly-once does not rest on it (the checkpoint compare-and-set does), but batches are also fenced by it.
 */
import { sql, type Kysely } from 'kysely';

/** Who holds a projection's lease, and whether it is still valid. */
export interface LeaseInfo {
  readonly owner: string;
  readonly expiresAt: Date;
  readonly valid: boolean;
}

/** Takes the lease if it is free, expired, or already ours (then it is extended); true when we hold it. */
export async function acquireLease(db: Kysely<unknown>, projection: string, owner: string, ttlMs: number): Promise<boolean> {
  const { rows } = await sql<{ owner: string }>`
    INSERT INTO projection_leases AS l (projection, owner, acquired_at, expires_at)
    VALUES (${projection}, ${owner}, now(), now() + make_interval(secs => ${ttlMs / 1000}))
    ON CONFLICT (projection) DO UPDATE SET
      owner = EXCLUDED.owner,
      acquired_at = CASE WHEN l.owner = EXCLUDED.owner THEN l.acquired_at ELSE now() END,
      expires_at = EXCLUDED.expires_at
    WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
    RETURNING l.owner`.execute(db);
  return rows.length === 1;
}

/** Extends our lease; false when it is no longer ours (it expired and someone took it). */
export async function renewLease(db: Kysely<unknown>, projection: string, owner: string, ttlMs: number): Promise<boolean> {
  const { rows } = await sql<{ owner: string }>`
    UPDATE projection_leases SET expires_at = now() + make_interval(secs => ${ttlMs / 1000})
    WHERE projection = ${projection} AND owner = ${owner} AND expires_at >= now()
    RETURNING owner`.execute(db);
  return rows.length === 1;
}

/** Gives the lease up so another runner can start at once. */
export async function releaseLease(db: Kysely<unknown>, projection: string, owner: string): Promise<void> {
  await sql`DELETE FROM projection_leases WHERE projection = ${projection} AND owner = ${owner}`.execute(db);
}

/** The current lease of a projection, if anyone ever took it. */
export async function readLease(db: Kysely<unknown>, projection: string): Promise<LeaseInfo | undefined> {
  const { rows } = await sql<{ owner: string; expires_at: Date | string; valid: boolean }>`
    SELECT owner, expires_at, expires_at >= now() AS valid FROM projection_leases WHERE projection = ${projection}`.execute(db);
  const r = rows[0];
  return r ? { owner: r.owner, expiresAt: new Date(r.expires_at), valid: r.valid } : undefined;
}
