/**
 * The event store's migrations, listed statically (no directory scan, so they bundle and type-check), and the
 * migrator that applies them on open. kysely's Migrator holds a PostgreSQL advisory lock while it migrates and
 * tolerates a concurrent `CREATE TABLE IF NOT EXISTS` of its bookkeeping tables, so two processes may open the
 * store at once. Bookkeeping tables are the store's own so other migration sets in the database do not clash.
 */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as schema0001 from './0001-event-store-schema.ts';

const migrations: Record<string, Migration> = {
  '0001-event-store-schema': schema0001,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/** Brings the event-store schema to the latest version; idempotent. Throws the first migration error. */
export async function migrateEventStore(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'll_event_store_migration',
    migrationLockTableName: 'll_event_store_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
