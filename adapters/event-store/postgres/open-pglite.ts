/** The event store on an embedded PGlite database (a directory, or memory), for tests, demos and single-process use. */
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PgliteDialect } from '../../sql/pglite-dialect.ts';
import type { EventStore } from '../port.ts';
import { openSqlEventStore, type SqlEventStoreOptions } from './sql-event-store.ts';

/** A kysely over a new PGlite in `dir` (memory when undefined); PGlite opens a directory once, so share it. */
export function openPgliteDatabase(dir?: string): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new PgliteDialect({ pglite: new PGlite(dir) }) });
}

/** Opens (and migrates) the event store on `db`; `close()` destroys `db`, and so does a failure to open. */
export async function openSqlEventStoreOn(db: Kysely<unknown>, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  try {
    return await openSqlEventStore(db, options);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/** Opens (and migrates) a PGlite event store in `dir`, or in memory when `dir` is undefined. */
export async function openPgliteEventStore(dir?: string, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  return openSqlEventStoreOn(openPgliteDatabase(dir), options);
}
