/**
 * The runner's own bookkeeping tables, in the read-model database:
 * - `projection_versions`: one row per build of a projection (a version built into its own schema from position
 *   zero). `state` is `live` (what reads use; at most one per projection), `building` (a blue-green rebuild
 *   catching up; at most one), or `retired` (switched away from; its schema is dropped).
 * - `projection_checkpoints`: per build, the last log position applied, advanced by compare-and-set in the same
 *   transaction as the build's read-model writes.
 * - `projection_leases`: who runs a projection, until when (the database clock decides expiry).
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

const catalog0001: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      CREATE TABLE projection_versions (
        projection text NOT NULL,
        build integer NOT NULL,
        version integer NOT NULL,
        schema_name text NOT NULL UNIQUE,
        state text NOT NULL CHECK (state IN ('building', 'live', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        live_since timestamptz,
        retired_at timestamptz,
        -- the last failure applying a batch to this build (cleared by the next success)
        last_error text,
        last_error_at timestamptz,
        PRIMARY KEY (projection, build)
      )`.execute(db);
    await sql`CREATE UNIQUE INDEX projection_versions_one_live ON projection_versions (projection) WHERE state = 'live'`.execute(db);
    await sql`CREATE UNIQUE INDEX projection_versions_one_building ON projection_versions (projection) WHERE state = 'building'`.execute(db);
    await sql`
      CREATE TABLE projection_checkpoints (
        projection text NOT NULL,
        build integer NOT NULL,
        -- the log position applied up to (both null: nothing yet); unsigned 64-bit, hence numeric
        position_commit numeric(20, 0),
        position_prepare numeric(20, 0),
        events_handled bigint NOT NULL DEFAULT 0,
        last_event_created timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, build),
        FOREIGN KEY (projection, build) REFERENCES projection_versions (projection, build) ON DELETE CASCADE
      )`.execute(db);
    await sql`
      CREATE TABLE projection_leases (
        projection text PRIMARY KEY,
        owner text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`.execute(db);
  },
};

const migrations: Record<string, Migration> = { '0001-projection-catalog': catalog0001 };
const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/** Creates or updates the bookkeeping tables; idempotent and safe from several processes at once. */
export async function migrateProjectionCatalog(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'll_projection_migration',
    migrationLockTableName: 'll_projection_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
