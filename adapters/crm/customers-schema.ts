/**
 * The built-in customer table the SQL look-up reads (PostgreSQL and PGlite alike). One row per customer of a
 * tenant (`''` is the default tenant); phone numbers are stored as digits only (`normalizePhone`), in an array
 * with a GIN index so a look-up by number is an index probe. Its own migration set and bookkeeping tables, so it
 * lives beside the event store or the read models in one database without clashing.
 */
import { sql, type ColumnType, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

/** The `customers` table as kysely sees it. */
// Type aliases, not interfaces: kysely's withTables wants an index-signature-compatible record.
export type CustomersTable = {
  tenant: string;
  id: string;
  phone_numbers: string[];
  name: string | null;
  tier: string | null;
  segment: string | null;
  attributes: ColumnType<Record<string, unknown>, string, string>;
  updated_at: ColumnType<Date, never, never>;
};

/** The tables of this module, for `db.withTables<CrmTables>()`. */
export type CrmTables = {
  customers: CustomersTable;
};

const customers0001: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`
      CREATE TABLE customers (
        tenant text NOT NULL,
        id text NOT NULL CHECK (id <> ''),
        -- digits only, as normalizePhone leaves them: '+32 475 00 00 01' is stored as 32475000001
        phone_numbers text[] NOT NULL DEFAULT '{}',
        name text,
        tier text,
        segment text,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, id)
      )`.execute(db);
    await sql`CREATE INDEX customers_phone_numbers ON customers USING gin (phone_numbers)`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`DROP TABLE customers`.execute(db);
  },
};

const migrations: Record<string, Migration> = { '0001-customers': customers0001 };
const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/** Creates or brings the `customers` table up to date; idempotent, safe for two processes at once (advisory lock). */
export async function migrateCustomers(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'll_crm_migration', migrationLockTableName: 'll_crm_migration_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** The value of the `tenant` column: the tenant id, or `''` for the default tenant. */
export function tenantColumn(tenant: string | undefined): string {
  return tenant ?? '';
}

/** A phone number as stored and searched: its digits only, or undefined when fewer than 2 remain. */
export function normalizePhone(phone: string): string | undefined {
  const digits = phone.replace(/[^0-9]/g, '');
  return digits.length >= 2 && digits.length <= 20 ? digits : undefined;
}
