import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineProjection, type ProjectionDefinition } from '../projection.ts';
import { readModelChecksum } from '../read-model-checksum.ts';
import { streamStats, streamStatsWrites } from '../stream-stats/stream-stats.ts';
import { applyBatch } from './apply-batch.ts';
import { buildTables, createBuild, readCheckpoint, type BuildInfo } from './catalog.ts';
import { migrateProjectionCatalog } from './catalog-schema.ts';
import { comparePositions } from './position.ts';
import { allEvents, appendSampleEvents, pgliteEnvironment, postgresEnvironment, type TestEnvironment } from './testing.ts';

/** Applies events in batches of `size` through applyBatch, as the runner does. */
async function applyAll(env: TestEnvironment, def: ProjectionDefinition, build: BuildInfo, events: readonly RecordedEvent[], size: number): Promise<void> {
  for (let i = 0; i < events.length; i += size) {
    const expected = (await readCheckpoint(env.db, def.name, build.build))!.position;
    const batch = events.slice(i, i + size);
    const upTo = batch.reduce((p, e) => (comparePositions(e.position, p) > 0 ? e.position : p), batch[0]!.position);
    const r = await applyBatch(env.db, def, build, { expected, events: batch, upTo });
    expect(r.outcome).toBe('applied');
  }
}

/** stream_stats under another name, whose handler fails (throws, or writes a null into a NOT NULL column) on the `n`-th event it sees. */
function failingStats(name: string, failOn: { n: number; how: 'throw' | 'sql' }): ProjectionDefinition & { seen: () => number } {
  let seen = 0;
  const def = defineProjection({
    ...streamStats,
    name,
    handle: (event) => {
      seen += 1;
      if (seen === failOn.n && failOn.how === 'throw') throw new Error(`handler refuses event ${seen}`);
      const writes = streamStatsWrites(event);
      // The database refuses this one in the middle of the transaction, after other writes went through.
      if (seen === failOn.n) return [...writes, { op: 'upsert', table: 'by_type', row: { event_type: 'x', events: null, last_commit: 0, last_prepare: 0, last_created: event.created } }];
      return writes;
    },
  });
  return Object.assign(def, { seen: () => seen });
}

describe.each([
  ['PGlite in memory', () => pgliteEnvironment()],
  ['PostgreSQL', () => postgresEnvironment('projections_apply_batch')],
])('applyBatch on %s', (_label, open) => {
  let env: TestEnvironment;
  let events: RecordedEvent[];
  beforeAll(async () => {
    env = await open();
    await migrateProjectionCatalog(env.db);
    await appendSampleEvents(env.store, 40);
    events = await allEvents(env.store);
  });
  afterAll(async () => env?.dispose());

  async function statsRows(build: BuildInfo): Promise<number> {
    const { rows } = await sql<{ n: string }>`SELECT COALESCE(sum(events), 0)::text AS n FROM ${sql.id(build.schema, 'by_category')}`.execute(env.db);
    return Number(rows[0]!.n);
  }

  it.each(['throw', 'sql'] as const)(
    'Given a handler that fails (%s) on the 7th event of a batch, When the batch of 10 runs, Then neither the earlier writes nor the checkpoint moved, and a retry resumes from the last committed batch',
    async (how) => {
      const def = failingStats(`failing_${how}`, { n: 7, how });
      const build = await createBuild(env.db, def, { live: true });
      await applyAll(env, def, build, events.slice(0, 5), 5);
      const before = await readCheckpoint(env.db, def.name, build.build);
      expect(before!.position).toEqual(events[4]!.position);

      await expect(applyAll(env, def, build, events.slice(5, 15), 10)).rejects.toThrow();
      expect(await readCheckpoint(env.db, def.name, build.build)).toEqual(before);
      expect(await statsRows(build)).toBe(5);

      // The handler is past its failure now: the retry starts from the stored checkpoint and completes.
      await applyAll(env, def, build, events.slice(5), 10);
      expect(await statsRows(build)).toBe(events.length);
      expect((await readCheckpoint(env.db, def.name, build.build))!.position).toEqual(events.at(-1)!.position);
    },
  );

  it('Given a stale expected checkpoint, When a batch is applied, Then it reports a conflict and writes nothing', async () => {
    const def = defineProjection({ ...streamStats, name: 'stale_cas' });
    const build = await createBuild(env.db, def, { live: true });
    await applyAll(env, def, build, events.slice(0, 10), 10);
    const r = await applyBatch(env.db, def, build, { expected: events[4]!.position, events: events.slice(5, 20), upTo: events[19]!.position });
    expect(r).toEqual({ outcome: 'conflict' });
    expect(await statsRows(build)).toBe(10);
    expect((await readCheckpoint(env.db, def.name, build.build))!.position).toEqual(events[9]!.position);
  });

  it('Given every event delivered twice, When applied, Then the read model equals a single pass (checksum)', async () => {
    const once = defineProjection({ ...streamStats, name: 'once' });
    const twice = defineProjection({ ...streamStats, name: 'twice' });
    const a = await createBuild(env.db, once, { live: true });
    const b = await createBuild(env.db, twice, { live: true });
    await applyAll(env, once, a, events, 7);
    const doubled = events.flatMap((e) => [e, e]);
    await applyAll(env, twice, b, doubled, 6);
    // And the whole log once more on top: everything is at or below the checkpoint.
    await applyAll(env, twice, b, events, 9);
    const sumA = await readModelChecksum(env.db, Object.values(buildTables(once, a.schema)));
    const sumB = await readModelChecksum(env.db, Object.values(buildTables(twice, b.schema)));
    expect(sumB.sha256).toBe(sumA.sha256);
    expect(sumA.tables[0]!.rows).toBe(3);
    expect(await statsRows(b)).toBe(events.length);
  });

  it('Given two read models that differ in one row, Then their checksums differ', async () => {
    const def = defineProjection({ ...streamStats, name: 'differ' });
    const a = await createBuild(env.db, def, { live: true });
    await applyAll(env, def, a, events, 40);
    const before = await readModelChecksum(env.db, Object.values(buildTables(def, a.schema)));
    await sql`UPDATE ${sql.id(a.schema, 'by_type')} SET events = events + 1 WHERE event_type = 'callStarted'`.execute(env.db);
    const after = await readModelChecksum(env.db, Object.values(buildTables(def, a.schema)));
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.tables[0]).toEqual(before.tables[0]);
  });
});
