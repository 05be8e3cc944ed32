import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeCalls } from '../active-calls/active-calls.ts';
import { agentBoard } from '../agent-board/agent-board.ts';
import { listAgents, listQueues } from '../dashboard/dashboard-query.ts';
import { Workload } from '../dashboard/dashboard-workload.ts';
import { liveBuild } from '../runtime/catalog.ts';
import { comparePositions } from '../runtime/position.ts';
import { startProjections, type RunningProjections } from '../runtime/run-projections.ts';
import { pgliteEnvironment, postgresEnvironment, waitFor, type TestEnvironment } from '../runtime/testing.ts';
import { queueStats } from './queue-stats.ts';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const DEFS = [queueStats, agentBoard, activeCalls];

async function caughtUp(env: TestEnvironment): Promise<boolean> {
  const head = await env.store.headPosition();
  for (const def of DEFS) {
    const live = await liveBuild(env.db, def.name);
    if (live === undefined || comparePositions(live.position, head) < 0) return false;
  }
  return true;
}

async function count(env: TestEnvironment, table: string, day: string): Promise<number> {
  const [schema, name] = table.split('.') as [string, string];
  const { rows } = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.id(schema, name)} WHERE day = ${day}`.execute(env.db);
  return Number(rows[0]!.n);
}

describe.each([
  ['PGlite in memory', () => pgliteEnvironment()],
  ['PostgreSQL', () => postgresEnvironment('queue_stats_pruning')],
])('queue_stats and agent_board keep today and yesterday only, on %s', (_label, open) => {
  let env: TestEnvironment;
  let running: RunningProjections;
  let w: Workload;

  beforeAll(async () => {
    env = await open();
    running = startProjections(env, DEFS, { leaseTtlMs: 2_000, renewEveryMs: 200, retryDelayMs: 50 });
    w = new Workload(env.store, 'acme');
    await w.login('a1', D0);
    await w.createQueue('sales', 'Sales', D0, { thresholdSeconds: 20, formula: 'genesys', shortAbandonSeconds: 0 }, ['a1']);
    await w.arriveAndQueue('c1', 'sales', D0, D0 + 1_000);
    await w.answer('c1', 'sales', 'a1', 'o1', D0 + 5_000);
    await w.finish('c1', 'a1', 'o1', D0 + 65_000, D0 + 95_000);
    await waitFor(() => caughtUp(env), 'the projections');
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await env?.dispose();
  });

  it('keeps the facts and handled calls of the day, and answers for that day', async () => {
    expect(await count(env, 'queue_stats.facts', '2026-11-20')).toBeGreaterThan(0);
    expect(await count(env, 'agent_board.handled', '2026-11-20')).toBe(1);
    const [sales] = await listQueues(env.db, 'acme', D0 + 100_000);
    expect(sales!.today).toMatchObject({ offered: 1, answered: 1, serviceLevel: 1, asaSeconds: 4, ahtSeconds: 90 });
    expect((await listAgents(env.db, 'acme', D0 + 100_000))[0]).toMatchObject({ callsHandled: 1, ahtSeconds: 90 });
  });

  it('drops them when events of two days later arrive, keeping configuration and current state', async () => {
    await w.arriveAndQueue('c2', 'sales', D0 + 2 * DAY, D0 + 2 * DAY + 1_000);
    await w.answer('c2', 'sales', 'a1', 'o2', D0 + 2 * DAY + 3_000);
    await w.finish('c2', 'a1', 'o2', D0 + 2 * DAY + 63_000, D0 + 2 * DAY + 93_000);
    await waitFor(() => caughtUp(env), 'the projections');
    expect(await count(env, 'queue_stats.facts', '2026-11-20')).toBe(0);
    expect(await count(env, 'agent_board.handled', '2026-11-20')).toBe(0);
    const [sales] = await listQueues(env.db, 'acme', D0 + 2 * DAY + 100_000);
    expect(sales).toMatchObject({ queueId: 'sales', name: 'Sales', agents: { available: 1, staffed: 1 } });
    expect(sales!.today).toMatchObject({ offered: 1, answered: 1, asaSeconds: 2, ahtSeconds: 90 });
  });
});
