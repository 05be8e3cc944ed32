/**
 * Counting events between two log positions, for lag in events and rebuild progress. The port has no count,
 * so there are two meters: one that scans the log through `readAll` (any adapter, costs a read of every event
 * counted) and one that counts index entries of the SQL store's `ll_events` when the event store lives in the
 * read-model database (PostgreSQL or PGlite), which is cheap.
 */
import { sql, type Kysely } from 'kysely';
import type { EventStore, Position } from '../../adapters/event-store/port.ts';
import { comparePositions } from './position.ts';

/** Counts events after one position up to and including another. */
export interface LogMeter {
  countEvents(after: Position | undefined, upTo: Position | undefined): Promise<number>;
}

/** Counts by reading the log (any EventStore). */
export function scanningLogMeter(store: EventStore): LogMeter {
  return {
    async countEvents(after, upTo) {
      if (upTo === undefined || comparePositions(after, upTo) >= 0) return 0;
      let n = 0;
      // readAll's fromPosition is inclusive.
      for await (const e of store.readAll({ fromPosition: after ?? 'start' })) {
        if (comparePositions(e.position, after) <= 0) continue;
        if (comparePositions(e.position, upTo) > 0) break;
        n += 1;
      }
      return n;
    },
  };
}

/** Counts rows of the SQL event store's `ll_events` in `db` (the store must live in that database). */
export function sqlLogMeter(db: Kysely<unknown>): LogMeter {
  return {
    async countEvents(after, upTo) {
      if (upTo === undefined || comparePositions(after, upTo) >= 0) return 0;
      const lower = after === undefined ? sql`` : sql`AND (e.tx_id, e.global_seq) > (${after.commit.toString()}::xid8, ${after.prepare.toString()}::bigint)`;
      const { rows } = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM ll_events e
        WHERE (e.tx_id, e.global_seq) <= (${upTo.commit.toString()}::xid8, ${upTo.prepare.toString()}::bigint) ${lower}`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
