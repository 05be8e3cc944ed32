/** The event store on a PostgreSQL server (13+), over a pg connection pool. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { EventStore } from '../port.ts';
import { openSqlEventStore, type SqlEventStoreOptions } from './sql-event-store.ts';

/** Pool size and timeouts on top of the shared store options. */
export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** `statement_timeout` of every pooled connection, ms (default 30,000). */
  readonly statementTimeoutMs?: number;
  /** `idle_in_transaction_session_timeout` of every pooled connection, ms (default 10,000). */
  readonly idleInTransactionTimeoutMs?: number;
  /** How the connections name themselves in `pg_stat_activity` (default `ledgerline-event-store`). */
  readonly applicationName?: string;
}

/**
 * Opens (and migrates) the event store at a `postgres://` URL. Every pooled connection carries a statement
 * timeout and an idle-in-transaction timeout: readers wait for the oldest running transaction (see
 * sql-event-store.ts), so no connection of ours may hold one open forever.
 */
export async function openPostgresEventStore(url: string, options: PostgresEventStoreOptions = {}): Promise<EventStore> {
  const pool = createEventStorePool(url, options);
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  // The appends run as named prepared statements: parsed and planned once per connection, not per call.
  const runPrepared = async (name: string, text: string, values: readonly unknown[]) => (await pool.query<Record<string, unknown>>({ name, text, values: [...values] })).rows[0];
  try {
    return await openSqlEventStore(db, options, { runPrepared });
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/** The pg Pool the store uses: sized, named `ledgerline-event-store`, with both timeouts on every connection. */
export function createEventStorePool(url: string, options: PostgresEventStoreOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'ledgerline-event-store',
  });
  // An idle client losing its server (restart, dropped database) must not crash the process; the next query
  // on a fresh client reports the problem.
  pool.on('error', () => undefined);
  return pool;
}
