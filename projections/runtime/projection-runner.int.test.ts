import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineProjection, type ProjectionDefinition } from '../projection.ts';
import { readModelChecksum } from '../read-model-checksum.ts';
import { streamStats } from '../stream-stats/stream-stats.ts';
import { applyBatch } from './apply-batch.ts';
import { buildTables, createBuild, currentBuilds, liveBuild } from './catalog.ts';
import { migrateProjectionCatalog } from './catalog-schema.ts';
import { readLease } from './lease.ts';
import { comparePositions } from './position.ts';
import { ProjectionRunner, type ProjectionRunnerOptions, type RunnerEvent } from './projection-runner.ts';
import { requestRebuild } from './rebuild.ts';
import { projectionStatus } from './status.ts';
import { allEvents, appendSampleEvents, pgliteEnvironment, postgresEnvironment, waitFor, type TestEnvironment } from './testing.ts';
import type { ProjectionEnvironment } from '../open-projection-environment.ts';

const fast = { leaseTtlMs: 1_500, renewEveryMs: 100, retryDelayMs: 50, batchSize: 16 } as const;

function runner(env: ProjectionEnvironment, definition: ProjectionDefinition, extra: Partial<ProjectionRunnerOptions> = {}): ProjectionRunner {
  return new ProjectionRunner({ db: env.db, store: env.store, definition, ...fast, ...extra });
}

function named(name: string, version = 1): ProjectionDefinition {
  return defineProjection({ ...streamStats, name, version });
}

/** True once the live build of `def` has applied everything up to the head of the log. */
async function liveCaughtUp(env: ProjectionEnvironment, def: ProjectionDefinition): Promise<boolean> {
  const live = await liveBuild(env.db, def.name);
  const head = await env.store.headPosition();
  return live !== undefined && live.version === def.version && comparePositions(live.position, head) >= 0;
}

/** The checksum of a one-pass build of `def` (under a scratch name) over every event in the log. */
async function referenceChecksum(env: ProjectionEnvironment, def: ProjectionDefinition, scratch: string): Promise<string> {
  const ref = defineProjection({ ...def, name: scratch });
  const build = await createBuild(env.db, ref, { live: true });
  const events: RecordedEvent[] = await allEvents(env.store);
  if (events.length > 0) await applyBatch(env.db, ref, build, { expected: undefined, events, upTo: events.at(-1)!.position });
  return (await readModelChecksum(env.db, Object.values(buildTables(ref, build.schema)))).sha256;
}

async function liveChecksum(env: ProjectionEnvironment, def: ProjectionDefinition): Promise<string> {
  const live = await liveBuild(env.db, def.name);
  return (await readModelChecksum(env.db, Object.values(buildTables(def, live!.schema)))).sha256;
}

describe.each([
  ['PGlite in memory', () => pgliteEnvironment()],
  ['PostgreSQL', () => postgresEnvironment('projections_runner')],
])('ProjectionRunner on %s', (_label, open) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await open();
    await migrateProjectionCatalog(env.db);
    await appendSampleEvents(env.store, 60);
  });
  afterAll(async () => env?.dispose());

  it('Given events in the log, When a runner starts, Then the first build goes live and follows the log, live writes included', async () => {
    const def = named('follow');
    const r = runner(env, def);
    r.start();
    try {
      await waitFor(() => liveCaughtUp(env, def), 'the first build to catch up');
      await appendSampleEvents(env.store, 25, 1000);
      await waitFor(() => liveCaughtUp(env, def), 'live events to be applied');
      expect(await liveChecksum(env, def)).toBe(await referenceChecksum(env, def, 'follow_ref'));
      // Readers go through the live views.
      const { rows } = await sql<{ n: string }>`SELECT sum(events)::text AS n FROM follow.by_category`.execute(env.db);
      expect(Number(rows[0]!.n)).toBe((await allEvents(env.store)).length);
    } finally {
      await r.stop();
    }
    expect(await readLease(env.db, def.name)).toBeUndefined();
  });

  it('Given a live version 1, When the code says version 2, Then version 2 is built from zero in new tables, reads switch, and version 1 is dropped', async () => {
    const v1 = named('bluegreen', 1);
    const first = runner(env, v1);
    first.start();
    await waitFor(() => liveCaughtUp(env, v1), 'version 1 to catch up');
    await first.stop();
    const oldLive = (await liveBuild(env.db, v1.name))!;
    const v1Sum = await liveChecksum(env, v1);

    const v2 = named('bluegreen', 2);
    const seen: RunnerEvent[] = [];
    const second = runner(env, v2, { onEvent: (e) => seen.push(e) });
    second.start();
    try {
      await waitFor(() => seen.some((e) => e.kind === 'switched' && e.version === 2), 'the switch to version 2');
      await waitFor(() => liveCaughtUp(env, v2), 'version 2 to catch up');
      const builds = await currentBuilds(env.db, v2.name);
      expect(builds.map((b) => [b.version, b.state])).toEqual([[2, 'live']]);
      expect(await liveChecksum(env, v2)).toBe(v1Sum);
      const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM information_schema.schemata WHERE schema_name = ${oldLive.schema}`.execute(env.db);
      expect(rows[0]!.n).toBe('0');
    } finally {
      await second.stop();
    }
  });

  it('Given a running projection, When a rebuild is requested and events keep coming, Then the new build replaces the live one and equals a one-pass build', async () => {
    const def = named('rebuilt');
    const r = runner(env, def);
    r.start();
    try {
      await waitFor(() => liveCaughtUp(env, def), 'the live build to catch up');
      const before = (await liveBuild(env.db, def.name))!;
      // A reader of the live view all along: it never fails and never sees the count go back.
      const totals: number[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          const { rows } = await sql<{ n: string }>`SELECT COALESCE(sum(events), 0)::text AS n FROM rebuilt.by_category`.execute(env.db);
          totals.push(Number(rows[0]!.n));
          await new Promise((res) => setTimeout(res, 5));
        }
      })();
      const pending = await requestRebuild(env.db, def);
      expect(pending.state).toBe('building');
      r.nudge();
      await appendSampleEvents(env.store, 20, 2000);
      await waitFor(async () => (await liveBuild(env.db, def.name))?.build === pending.build, 'the rebuild to go live');
      reading = false;
      await reader;
      expect(totals.length).toBeGreaterThan(1);
      for (let i = 1; i < totals.length; i += 1) expect(totals[i]!).toBeGreaterThanOrEqual(totals[i - 1]!);
      await waitFor(() => liveCaughtUp(env, def), 'the new live build to catch up');
      expect(before.build).not.toBe(pending.build);
      expect(await liveChecksum(env, def)).toBe(await referenceChecksum(env, def, 'rebuilt_ref'));
    } finally {
      await r.stop();
    }
  });

  it('Given a stopped runner and new events, Then status reports the lag in events and in event time, and none once caught up', async () => {
    const def = named('lagging');
    const r = runner(env, def);
    r.start();
    await waitFor(() => liveCaughtUp(env, def), 'catch up');
    await r.stop();
    const checkpointEvent = (await allEvents(env.store)).at(-1)!;
    await appendSampleEvents(env.store, 9, 3000);
    const head = (await allEvents(env.store)).at(-1)!;

    const [stopped] = await projectionStatus(env, [def]);
    expect(stopped!.state).toBe('stopped');
    expect(stopped!.lagEvents).toBe(9);
    expect(stopped!.lagMs).toBe(head.created.getTime() - checkpointEvent.created.getTime());
    expect(stopped!.position).toEqual(checkpointEvent.position);

    const again = runner(env, def);
    again.start();
    try {
      await waitFor(() => liveCaughtUp(env, def), 'catch up again');
      const [running] = await projectionStatus(env, [def]);
      expect(running).toMatchObject({ state: 'running', lagEvents: 0, lagMs: 0, leaseOwner: again.owner, leaseValid: true });
    } finally {
      await again.stop();
    }
  });
});

describe('Two runners on one PostgreSQL database', () => {
  let env: TestEnvironment;
  let other: ProjectionEnvironment;
  beforeAll(async () => {
    env = await postgresEnvironment('projections_lease');
    other = await env.reopen!();
    await migrateProjectionCatalog(env.db);
    await appendSampleEvents(env.store, 50);
  });
  afterAll(async () => env?.dispose());

  it('Given two runners of one projection, Then one is active and the other waits; When the active one dies without releasing, Then the other takes over after expiry and no event counts twice', async () => {
    const def = named('leased');
    const a = runner(env, def, { owner: 'runner-a' });
    const b = runner(other, def, { owner: 'runner-b' });
    a.start();
    await waitFor(() => a.state === 'active', 'runner A to take the lease');
    b.start();
    await appendSampleEvents(env.store, 30, 100);
    await waitFor(() => liveCaughtUp(env, def), 'A to catch up');
    expect(b.state).toBe('waiting_for_lease');
    expect(b.tracks).toEqual([]);
    expect((await readLease(env.db, def.name))?.owner).toBe('runner-a');

    await a.stop({ releaseLease: false }); // a crash: the lease stays until it expires
    await appendSampleEvents(other.store, 30, 200);
    await waitFor(() => b.state === 'active', 'runner B to take over');
    try {
      await waitFor(() => liveCaughtUp(other, def), 'B to catch up');
      expect((await readLease(env.db, def.name))?.owner).toBe('runner-b');
      const { rows } = await sql<{ n: string }>`SELECT sum(events)::text AS n FROM leased.by_type`.execute(env.db);
      expect(Number(rows[0]!.n)).toBe((await allEvents(env.store)).length);
      expect(await liveChecksum(env, def)).toBe(await referenceChecksum(env, def, 'leased_ref'));
    } finally {
      await b.stop();
    }
  });
});

describe('ProjectionRunner when a handler fails, and with a filter (PGlite)', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await pgliteEnvironment();
    await appendSampleEvents(env.store, 45);
  });
  afterAll(async () => env?.dispose());

  it('Given a handler that throws on one event, Then the batch rolls back, status says failing with the error, and once it stops throwing the runner resumes to the one-pass result', async () => {
    let broken = true;
    const poison = (await allEvents(env.store))[20]!.id;
    const def = defineProjection({
      ...streamStats,
      name: 'poisoned',
      handle: (e) => {
        if (broken && e.id === poison) throw new Error('cannot handle the poison event');
        return streamStats.handle(e);
      },
    });
    const r = runner(env, def, { batchSize: 2 }); // a backlog several times the queue's high-water mark
    r.start();
    try {
      await waitFor(async () => (await projectionStatus(env, [def]))[0]!.state === 'failing', 'the failure to show');
      const [failing] = await projectionStatus(env, [def]);
      expect(failing!.lastError).toContain('cannot handle the poison event');
      // Whatever committed stops before the poison event, and the rows agree with the checkpoint.
      const handled = failing!.live!.eventsHandled;
      expect(handled).toBeLessThanOrEqual(20);
      expect(failing!.position).toEqual(handled === 0 ? undefined : (await allEvents(env.store))[handled - 1]!.position);
      const { rows } = await sql<{ n: string }>`SELECT COALESCE(sum(events), 0)::text AS n FROM poisoned.by_type`.execute(env.db);
      expect(Number(rows[0]!.n)).toBe(handled);

      broken = false;
      await waitFor(() => liveCaughtUp(env, def), 'the runner to resume');
      const [healed] = await projectionStatus(env, [def]);
      expect(healed).toMatchObject({ state: 'running', lastError: undefined, lagEvents: 0 });
      expect(await liveChecksum(env, def)).toBe(await referenceChecksum(env, streamStats, 'poisoned_ref'));
    } finally {
      await r.stop();
    }
  });

  it('Given a filter on call streams, Then only call events reach the handler and the checkpoint still reaches the head', async () => {
    const def = defineProjection({ ...streamStats, name: 'calls_only', filter: { streamNamePrefixes: ['call-'] } });
    const r = runner(env, def);
    r.start();
    try {
      await waitFor(() => liveCaughtUp(env, def), 'the filtered projection to reach the head');
      const { rows } = await sql<{ category: string; events: string }>`SELECT category, events::text AS events FROM calls_only.by_category`.execute(env.db);
      const calls = (await allEvents(env.store)).filter((e) => e.streamId.startsWith('call-')).length;
      expect(rows).toEqual([{ category: 'call', events: String(calls) }]);
    } finally {
      await r.stop();
    }
  });
});
