/**
 * Done-when: a rebuild of every projection from zero gives the same read models as the live ones. Every registered
 * projection runs live while a mixed workload is appended (interleaved with the runners), then each is rebuilt
 * blue-green (requestRebuild) and the checksum of the rebuilt tables must equal that of the live tables before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMorning } from './dashboard/dashboard-scenario.ts';
import type { ProjectionDefinition } from './projection.ts';
import { readModelChecksum } from './read-model-checksum.ts';
import { projectionRegistry } from './registry.ts';
import { buildTables, liveBuild } from './runtime/catalog.ts';
import { comparePositions } from './runtime/position.ts';
import { requestRebuild } from './runtime/rebuild.ts';
import { startProjections, type RunningProjections } from './runtime/run-projections.ts';
import { appendSampleEvents, pgliteEnvironment, postgresEnvironment, waitFor, type TestEnvironment } from './runtime/testing.ts';

async function liveAtHead(env: TestEnvironment, def: ProjectionDefinition, afterBuild = 0): Promise<boolean> {
  const live = await liveBuild(env.db, def.name);
  const head = await env.store.headPosition();
  return live !== undefined && live.build > afterBuild && comparePositions(live.position, head) >= 0;
}

async function liveChecksum(env: TestEnvironment, def: ProjectionDefinition): Promise<{ build: number; sha256: string; rows: number }> {
  const live = (await liveBuild(env.db, def.name))!;
  const sum = await readModelChecksum(env.db, Object.values(buildTables(def, live.schema)));
  return { build: live.build, sha256: sum.sha256, rows: sum.tables.reduce((n, t) => n + t.rows, 0) };
}

describe.each([
  ['PGlite in memory', () => pgliteEnvironment()],
  ['PostgreSQL', () => postgresEnvironment('rebuild_equals_live')],
])('rebuild equals live, every registered projection, on %s', (_label, open) => {
  let env: TestEnvironment;
  let running: RunningProjections;
  const before = new Map<string, { build: number; sha256: string; rows: number }>();

  beforeAll(async () => {
    env = await open();
    running = startProjections(env, projectionRegistry, { leaseTtlMs: 2_000, renewEveryMs: 200, retryDelayMs: 50, batchSize: 7 });
    let step = 0;
    // Interleave: every other step waits until the runners have caught up, the others let them race the appends.
    await runMorning(env.store, async () => {
      step += 1;
      await appendSampleEvents(env.store, 5, step * 5);
      if (step % 2 === 0) {
        for (const def of projectionRegistry) await waitFor(() => liveAtHead(env, def), `${def.name} to catch up`);
      }
    });
    for (const def of projectionRegistry) await waitFor(() => liveAtHead(env, def), `${def.name} to catch up`);
    for (const def of projectionRegistry) before.set(def.name, await liveChecksum(env, def));
    for (const def of projectionRegistry) await requestRebuild(env.db, def);
    for (const def of projectionRegistry) await waitFor(() => liveAtHead(env, def, before.get(def.name)!.build), `the rebuild of ${def.name} to go live`);
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
    await env?.dispose();
  });

  it('registers the dashboard read models beside stream_stats', () => {
    expect(projectionRegistry.map((p) => p.name)).toEqual(['stream_stats', 'queue_stats', 'agent_board', 'active_calls']);
  });

  it.each(projectionRegistry.map((p) => [p.name, p] as const))('%s: the rebuilt read model has the checksum of the live one', async (_name, def) => {
    const old = before.get(def.name)!;
    const rebuilt = await liveChecksum(env, def);
    expect(rebuilt.build).toBeGreaterThan(old.build);
    expect(old.rows).toBeGreaterThan(0);
    expect(rebuilt).toEqual({ ...old, build: rebuilt.build });
  });
});
