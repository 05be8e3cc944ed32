/**
 * The exactly-once step: in ONE transaction, move the build's checkpoint from the position this runner last
 * saw to the end of the batch (compare-and-set: zero rows updated means someone else moved it, and nothing is
 * written), then apply the writes of every event after the old checkpoint. Commit makes both visible; any
 * failure (a handler bug, a constraint, a lost connection) rolls both back, and the runner retries from the
 * stored checkpoint.
 */
import { sql, type Kysely } from 'kysely';
import type { Position, RecordedEvent } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition, Write } from '../projection.ts';
import { comparePositions, positionColumns } from './position.ts';
import { planWrites } from './write-plan.ts';
import { writeSql } from './write-sql.ts';

/** Which build a batch goes to. */
export interface BatchTarget {
  readonly projection: string;
  readonly build: number;
  readonly schema: string;
}

export interface ApplyBatchInput {
  /** The checkpoint this runner believes is stored (undefined: the start of the log). */
  readonly expected: Position | undefined;
  /** Events in log order; those at or below `expected` are skipped. */
  readonly events: readonly RecordedEvent[];
  /** Where the checkpoint moves to: at least the last event's position (a filtered scan may have gone further). */
  readonly upTo: Position;
  /** When set, the batch commits only while this owner holds a valid lease on the projection. */
  readonly leaseOwner?: string;
}

/** `applied`: committed; `conflict`: the stored checkpoint was not `expected` (or the lease was lost): nothing written. */
export type ApplyBatchResult = { readonly outcome: 'applied'; readonly handled: number } | { readonly outcome: 'conflict' };

class CheckpointConflict extends Error {}

/** See the module comment. */
export async function applyBatch(db: Kysely<unknown>, def: ProjectionDefinition, target: BatchTarget, input: ApplyBatchInput): Promise<ApplyBatchResult> {
  if (comparePositions(input.upTo, input.expected) <= 0) return { outcome: 'applied', handled: 0 };
  // Strictly after the checkpoint and after each other: a replayed or duplicated delivery counts once.
  const fresh: RecordedEvent[] = [];
  let last = input.expected;
  for (const e of input.events) {
    if (comparePositions(e.position, last) <= 0 || comparePositions(e.position, input.upTo) > 0) continue;
    fresh.push(e);
    last = e.position;
  }
  // The handler is pure: run it (and build the SQL) before the transaction, which then holds the database only for the writes.
  const writes: Write[] = [];
  for (const event of fresh) writes.push(...def.handle(event));
  const statements = planWrites(def, writes).map((w) => writeSql(def, target.schema, w));
  const lastCreated = fresh.at(-1)?.created;
  const from = positionColumns(input.expected);
  const to = positionColumns(input.upTo);
  const fence =
    input.leaseOwner === undefined
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM projection_leases l WHERE l.projection = ${target.projection} AND l.owner = ${input.leaseOwner} AND l.expires_at >= now())`;
  try {
    await db.transaction().execute(async (trx) => {
      // First, so a conflicting runner waits on the row lock instead of doing work that will roll back.
      const moved = await sql`
        UPDATE projection_checkpoints SET position_commit = ${to.commit}::numeric, position_prepare = ${to.prepare}::numeric,
          events_handled = events_handled + ${fresh.length}, updated_at = now(),
          last_event_created = COALESCE(${lastCreated?.toISOString() ?? null}::timestamptz, last_event_created)
        WHERE projection = ${target.projection} AND build = ${target.build}
          AND position_commit IS NOT DISTINCT FROM ${from.commit}::numeric AND position_prepare IS NOT DISTINCT FROM ${from.prepare}::numeric
          ${fence}
        RETURNING build`.execute(trx);
      if (moved.rows.length !== 1) throw new CheckpointConflict();
      for (const statement of statements) await statement.execute(trx);
    });
  } catch (err) {
    if (err instanceof CheckpointConflict) return { outcome: 'conflict' };
    throw err;
  }
  return { outcome: 'applied', handled: fresh.length };
}
