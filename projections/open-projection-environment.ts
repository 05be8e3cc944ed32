/**
 * Opens what projections need: the event store, the read-model database, and a log meter. Read models live in
 * the event store's own database unless DATABASE_URL names another; on PGlite the store and the read models
 * must share ONE instance (PGlite cannot open a directory twice), so both get the same kysely.
 */
import { Kysely, PostgresDialect } from 'kysely';
import { openEventStore } from '../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../adapters/event-store/port.ts';
import { openPgliteDatabase, openSqlEventStoreOn } from '../adapters/event-store/postgres/open-pglite.ts';
import { createEventStorePool, openPostgresEventStore } from '../adapters/event-store/postgres/open-postgres.ts';
import { LedgerlineError } from '../domain/errors/ledgerline-error.ts';
import { migrateProjectionCatalog } from './runtime/catalog-schema.ts';
import { scanningLogMeter, sqlLogMeter, type LogMeter } from './runtime/log-meter.ts';

export interface ProjectionEnvironment {
  readonly store: EventStore;
  /** The read-model database. */
  readonly db: Kysely<unknown>;
  readonly meter: LogMeter;
  close(): Promise<void>;
}

/** Where events are and where read models go (EVENT_STORE_URL and DATABASE_URL). */
export interface ProjectionEnvironmentUrls {
  readonly eventStoreUrl: string;
  readonly databaseUrl?: string;
}

/** See the module comment. The runner catalog is migrated before this returns, so readers never race the first runner to it. */
export async function openProjectionEnvironment(urls: ProjectionEnvironmentUrls): Promise<ProjectionEnvironment> {
  const env = await openStoreAndDatabase(urls);
  try {
    await migrateProjectionCatalog(env.db);
  } catch (err) {
    await env.close().catch(() => undefined);
    throw err;
  }
  return env;
}

async function openStoreAndDatabase(urls: ProjectionEnvironmentUrls): Promise<ProjectionEnvironment> {
  const dbUrl = urls.databaseUrl ?? urls.eventStoreUrl;
  if (dbUrl.startsWith('pglite:')) {
    if (dbUrl !== urls.eventStoreUrl) {
      throw new LedgerlineError('CONFIG_INVALID', 'Read models on PGlite must share the event store (set DATABASE_URL to EVENT_STORE_URL or leave it unset)', {
        databaseUrl: dbUrl,
      });
    }
    const target = dbUrl.slice('pglite:'.length);
    const db = openPgliteDatabase(target === 'memory' ? undefined : target);
    const store = await openSqlEventStoreOn(db);
    // store.close() destroys the shared kysely (and PGlite) last.
    return { store, db, meter: sqlLogMeter(db), close: () => store.close() };
  }
  if (!/^postgres(ql)?:\/\//.test(dbUrl)) {
    throw new LedgerlineError('CONFIG_INVALID', 'Read models need PostgreSQL or PGlite: set DATABASE_URL', { databaseUrl: dbUrl });
  }
  const db = openReadModelDatabase(dbUrl);
  const sameDatabase = dbUrl === urls.eventStoreUrl;
  let store: EventStore;
  try {
    store = sameDatabase ? await openPostgresEventStore(dbUrl) : await openEventStore(urls.eventStoreUrl);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    store,
    db,
    meter: sameDatabase ? sqlLogMeter(db) : scanningLogMeter(store),
    async close() {
      await store.close();
      await db.destroy();
    },
  };
}

/** A kysely over its own small pool for read models, with the event store's timeouts (an open transaction would hold back every reader of the log). */
export function openReadModelDatabase(url: string, options: { maxConnections?: number } = {}): Kysely<unknown> {
  const pool = createEventStorePool(url, { maxConnections: options.maxConnections ?? 4, applicationName: 'ledgerline-projections' });
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
}
