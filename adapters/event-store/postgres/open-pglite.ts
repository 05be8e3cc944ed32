/** The event store on an embedded PGlite database (a directory, or memory), for tests, demos and single-process use. */
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PgliteDialect } from '../../sql/pglite-dialect.ts';
import type { EventStore } from '../port.ts';
import { openSqlEventStore, type SqlEventStoreOptions } from './sql-event-store.ts';

/** Opens (and migrates) a PGlite event store in `dir`, or in memory when `dir` is undefined. */
export async function openPgliteEventStore(dir?: string, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  const pglite = new PGlite(dir);
  const db = new Kysely<unknown>({ dialect: new PgliteDialect({ pglite }) });
  try {
    return await openSqlEventStore(db, options);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
