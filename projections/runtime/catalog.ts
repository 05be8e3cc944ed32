/** Reading and changing the builds of a projection (tables: ./catalog-schema.ts). */
import { sql, type Kysely } from 'kysely';
import type { Position } from '../../adapters/event-store/port.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { buildSchemaName, createBuildTables, dropBuildTables, publishLiveViews } from './build-schema.ts';
import { positionFromColumns } from './position.ts';

export type BuildState = 'building' | 'live' | 'retired';

/** One build of a projection with its checkpoint. */
export interface BuildInfo {
  readonly projection: string;
  readonly build: number;
  readonly version: number;
  readonly schema: string;
  readonly state: BuildState;
  readonly position: Position | undefined;
  readonly eventsHandled: number;
  readonly lastEventCreated: Date | undefined;
  readonly createdAt: Date;
  readonly liveSince: Date | undefined;
  readonly lastError: string | undefined;
}

interface BuildRow {
  projection: string;
  build: number;
  version: number;
  schema_name: string;
  state: BuildState;
  position_commit: string | null;
  position_prepare: string | null;
  events_handled: string | null;
  last_event_created: Date | string | null;
  created_at: Date | string;
  live_since: Date | string | null;
  last_error: string | null;
}

const LOCK_CLASS = 1819047937;

/** The builds of one projection (or of all) that are not retired, oldest first. */
export async function currentBuilds(db: Kysely<unknown>, projection?: string): Promise<BuildInfo[]> {
  const only = projection === undefined ? sql`` : sql`AND v.projection = ${projection}`;
  const { rows } = await sql<BuildRow>`
    SELECT v.projection, v.build, v.version, v.schema_name, v.state, c.position_commit::text AS position_commit,
           c.position_prepare::text AS position_prepare, c.events_handled::text AS events_handled, c.last_event_created,
           v.created_at, v.live_since, v.last_error
    FROM projection_versions v LEFT JOIN projection_checkpoints c ON c.projection = v.projection AND c.build = v.build
    WHERE v.state <> 'retired' ${only}
    ORDER BY v.projection, v.build`.execute(db);
  return rows.map(toBuildInfo);
}

/** The live build of a projection, if any. */
export async function liveBuild(db: Kysely<unknown>, projection: string): Promise<BuildInfo | undefined> {
  return (await currentBuilds(db, projection)).find((b) => b.state === 'live');
}

/** The physical tables (`schema.table`) of the live build, keyed by logical table name; undefined when nothing is live. */
export async function liveTables(db: Kysely<unknown>, def: ProjectionDefinition): Promise<Record<string, string> | undefined> {
  const live = await liveBuild(db, def.name);
  return live ? buildTables(def, live.schema) : undefined;
}

/** `schema.table` for each logical table of a build. */
export function buildTables(def: ProjectionDefinition, schema: string): Record<string, string> {
  return Object.fromEntries(Object.keys(def.tables).map((t) => [t, `${schema}.${t}`]));
}

/**
 * Records a new build of `def.version` with empty tables and a checkpoint at the start of the log. `live`: make
 * it live at once (only when nothing is live yet: there is no older read model to protect).
 */
export async function createBuild(db: Kysely<unknown>, def: ProjectionDefinition, options: { live: boolean }): Promise<BuildInfo> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${def.name}))`.execute(trx);
    const { rows } = await sql<{ next: number }>`SELECT COALESCE(MAX(build), 0) + 1 AS next FROM projection_versions WHERE projection = ${def.name}`.execute(trx);
    const build = Number(rows[0]!.next);
    const schema = buildSchemaName(def.name, def.version, build);
    const state: BuildState = options.live ? 'live' : 'building';
    await sql`INSERT INTO projection_versions (projection, build, version, schema_name, state, live_since)
              VALUES (${def.name}, ${build}, ${def.version}, ${schema}, ${state}, ${options.live ? sql`now()` : null})`.execute(trx);
    await sql`INSERT INTO projection_checkpoints (projection, build) VALUES (${def.name}, ${build})`.execute(trx);
    await createBuildTables(trx, def, schema);
    if (options.live) await publishLiveViews(trx, def, schema);
  });
  const created = (await currentBuilds(db, def.name)).at(-1);
  if (!created) throw new Error(`build of ${def.name} vanished after creation`);
  return created;
}

/**
 * Makes `next` the live build in one transaction: the old live build is retired, the views move, and readers
 * see either the old tables or the new ones, never a mix. Then drops the retired build's tables. With
 * `leaseOwner`, switches only while that owner holds the projection's lease.
 */
export async function switchLive(db: Kysely<unknown>, def: ProjectionDefinition, next: BuildInfo, leaseOwner?: string): Promise<void> {
  const retired = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${def.name}))`.execute(trx);
    if (leaseOwner !== undefined) {
      const { rows: held } = await sql`SELECT 1 FROM projection_leases WHERE projection = ${def.name} AND owner = ${leaseOwner} AND expires_at >= now()`.execute(trx);
      if (held.length === 0) throw new LedgerlineError('UNAVAILABLE', `Lost the lease on ${def.name} before switching to build ${next.build}`, { projection: def.name });
    }
    const { rows } = await sql<{ state: string }>`SELECT state FROM projection_versions WHERE projection = ${def.name} AND build = ${next.build} FOR UPDATE`.execute(trx);
    if (rows[0]?.state !== 'building') {
      throw new LedgerlineError('VALIDATION_FAILED', `Build ${next.build} of ${def.name} is ${rows[0]?.state ?? 'missing'}, not building`, { projection: def.name, build: next.build });
    }
    const { rows: old } = await sql<{ build: number; schema_name: string }>`
      UPDATE projection_versions SET state = 'retired', retired_at = now() WHERE projection = ${def.name} AND state = 'live'
      RETURNING build, schema_name`.execute(trx);
    await sql`UPDATE projection_versions SET state = 'live', live_since = now() WHERE projection = ${def.name} AND build = ${next.build}`.execute(trx);
    await publishLiveViews(trx, def, next.schema);
    return old;
  });
  for (const old of retired) await dropBuild(db, def.name, old.build, old.schema_name);
}

/** Abandons a build that is still building (its version is no longer wanted): retired, tables dropped. */
export async function abandonBuild(db: Kysely<unknown>, build: BuildInfo): Promise<void> {
  await sql`UPDATE projection_versions SET state = 'retired', retired_at = now() WHERE projection = ${build.projection} AND build = ${build.build} AND state = 'building'`.execute(db);
  await dropBuild(db, build.projection, build.build, build.schema);
}

async function dropBuild(db: Kysely<unknown>, projection: string, build: number, schema: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await dropBuildTables(trx, schema);
    await sql`DELETE FROM projection_checkpoints WHERE projection = ${projection} AND build = ${build}`.execute(trx);
  });
}

/** Notes a failed batch on the build (shown by `projections status`); `undefined` clears it. */
export async function recordBuildError(db: Kysely<unknown>, projection: string, build: number, message: string | undefined): Promise<void> {
  await sql`UPDATE projection_versions SET last_error = ${message ?? null}, last_error_at = ${message === undefined ? null : sql`now()`}
            WHERE projection = ${projection} AND build = ${build}`.execute(db);
}

/** The stored checkpoint of a build; `null` when the build has no checkpoint row (it was dropped). */
export async function readCheckpoint(db: Kysely<unknown>, projection: string, build: number): Promise<{ position: Position | undefined } | null> {
  const { rows } = await sql<{ c: string | null; p: string | null }>`
    SELECT position_commit::text AS c, position_prepare::text AS p FROM projection_checkpoints
    WHERE projection = ${projection} AND build = ${build}`.execute(db);
  const r = rows[0];
  return r ? { position: positionFromColumns(r.c, r.p) } : null;
}

function toBuildInfo(r: BuildRow): BuildInfo {
  return {
    projection: r.projection,
    build: Number(r.build),
    version: Number(r.version),
    schema: r.schema_name,
    state: r.state,
    position: positionFromColumns(r.position_commit, r.position_prepare),
    eventsHandled: Number(r.events_handled ?? 0),
    lastEventCreated: toDate(r.last_event_created),
    createdAt: toDate(r.created_at)!,
    liveSince: toDate(r.live_since),
    lastError: r.last_error ?? undefined,
  };
}

function toDate(v: Date | string | null): Date | undefined {
  if (v === null) return undefined;
  return v instanceof Date ? v : new Date(v);
}
