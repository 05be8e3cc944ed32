/**
 * Where a build's tables live: schema `<name>_v<version>_b<build>` holds the build's own tables, and schema
 * `<name>` holds one view per table pointing at the live build. Readers query `<name>.<table>` and never see a
 * half-built version; the switch recreates the views in the same transaction that marks the new build live.
 */
import { sql, type Kysely } from 'kysely';
import { columnNullable, columnType, type ProjectionDefinition } from '../projection.ts';

/** The schema of one build. */
export function buildSchemaName(name: string, version: number, build: number): string {
  return `${name}_v${version}_b${build}`;
}

/** Creates the build's schema and its (empty) tables. Run it inside the transaction that records the build. */
export async function createBuildTables(db: Kysely<unknown>, def: ProjectionDefinition, schema: string): Promise<void> {
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  for (const [table, spec] of Object.entries(def.tables)) {
    const columns = Object.entries(spec.columns).map(
      ([c, s]) => sql`${sql.id(c)} ${sql.raw(columnType(s))}${sql.raw(columnNullable(s) ? '' : ' NOT NULL')}`,
    );
    const key = sql`PRIMARY KEY (${sql.join(spec.primaryKey.map((k) => sql.id(k)))})`;
    await sql`CREATE TABLE ${sql.id(schema, table)} (${sql.join([...columns, key])})`.execute(db);
    for (const [i, index] of (spec.indexes ?? []).entries()) {
      await sql`CREATE INDEX ${sql.id(`${table}_i${i}`)} ON ${sql.id(schema, table)} (${sql.join(index.map((c) => sql.id(c)))})`.execute(db);
    }
  }
}

/** Points `<name>.<table>` at the build's tables. Run it inside the switch transaction. */
export async function publishLiveViews(db: Kysely<unknown>, def: ProjectionDefinition, schema: string): Promise<void> {
  // The live schema holds only these views; dropping it also drops views of tables an older version had.
  await sql`DROP SCHEMA IF EXISTS ${sql.id(def.name)} CASCADE`.execute(db);
  await sql`CREATE SCHEMA ${sql.id(def.name)}`.execute(db);
  for (const table of Object.keys(def.tables)) {
    await sql`CREATE VIEW ${sql.id(def.name, table)} AS SELECT * FROM ${sql.id(schema, table)}`.execute(db);
  }
}

/** Drops a build's schema and everything in it (a retired or abandoned build). */
export async function dropBuildTables(db: Kysely<unknown>, schema: string): Promise<void> {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
}
