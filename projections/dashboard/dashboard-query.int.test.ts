import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occupancy } from '../../domain/metrics/agent-metrics.ts';
import { recordsFromEvents } from '../../domain/metrics/contacts-from-events.ts';
import { ROLLING_15_MINUTES, windowBounds, type MetricWindow } from '../../domain/metrics/metric-window.ts';
import { computeMetrics } from '../../domain/metrics/metrics-snapshot.ts';
import { activeCalls } from '../active-calls/active-calls.ts';
import { agentBoard } from '../agent-board/agent-board.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { queueStats } from '../queue-stats/queue-stats.ts';
import { liveBuild } from '../runtime/catalog.ts';
import { comparePositions } from '../runtime/position.ts';
import { startProjections, type RunningProjections } from '../runtime/run-projections.ts';
import { pgliteEnvironment, postgresEnvironment, waitFor, type TestEnvironment } from '../runtime/testing.ts';
import { dashboardSnapshot, listAgents, listCalls, listQueues, TODAY, type DashboardSnapshot } from './dashboard-query.ts';
import { NOW, runMorning, T } from './dashboard-scenario.ts';
import type { Workload } from './dashboard-workload.ts';

const DEFS: readonly ProjectionDefinition[] = [queueStats, agentBoard, activeCalls];
const S = 1_000;

async function caughtUp(env: TestEnvironment): Promise<boolean> {
  const head = await env.store.headPosition();
  for (const def of DEFS) {
    const live = await liveBuild(env.db, def.name);
    if (live === undefined || comparePositions(live.position, head) < 0) return false;
  }
  return true;
}

describe.each([
  ['PGlite in memory', () => pgliteEnvironment()],
  ['PostgreSQL', () => postgresEnvironment('dashboard_query')],
])('dashboard query layer on %s', (_label, open) => {
  let env: TestEnvironment;
  let running: RunningProjections;
  let acme: Workload;
  let snap: DashboardSnapshot;

  beforeAll(async () => {
    env = await open();
    running = startProjections(env, DEFS, { leaseTtlMs: 2_000, renewEveryMs: 200, retryDelayMs: 50, batchSize: 64 });
    ({ acme } = await runMorning(env.store));
    await waitFor(() => caughtUp(env), 'the dashboard projections to catch up');
    snap = await dashboardSnapshot(env.db, 'acme', NOW);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await env?.dispose();
  });

  it('lists the configured queues of the tenant (not deleted ones), with the configured formula and threshold', () => {
    expect(snap.queues.map((q) => [q.tenant, q.queueId, q.name, q.rolling15.serviceLevelFormula, q.today.serviceLevelThresholdSeconds])).toEqual([
      ['acme', 'sales', 'Sales', 'asterisk-sl', 20],
      ['acme', 'support', 'Support', 'amazon', 30],
    ]);
  });

  it('computes the sales queue by hand: waiting, longest wait, agents, callbacks, rolling 15 minutes and today', () => {
    const sales = snap.queues.find((q) => q.queueId === 'sales')!;
    expect(sales.waiting).toBe(1); // c5
    expect(sales.longestWaitMs).toBe(NOW - (T + 410 * S));
    expect(sales.agents).toEqual({ available: 1, onContact: 0, afterCallWork: 0, notProductive: 1, staffed: 2 });
    expect(sales.pendingCallbacks).toBe(1); // c3
    // Rolling (T - 5 min, T + 10 min]: c1, c2, c3, c5 entered; c1 answered after 10 s; c2 abandoned after 30 s.
    expect(sales.rolling15).toMatchObject({ offered: 4, answered: 1, abandoned: 1, serviceLevel: 1, asaSeconds: 10, abandonmentRate: 0.25 });
    // c1: 75 s talk + 30 s hold + 30 s wrap-up.
    expect(sales.rolling15.ahtSeconds).toBe(135);
    // Today adds c0: waited 25 s (> 20 s), 60 s talk, 30 s wrap-up.
    expect(sales.today).toMatchObject({ offered: 5, answered: 2, abandoned: 1, serviceLevel: 0.5, asaSeconds: 17.5, ahtSeconds: 112.5, abandonmentRate: 0.2 });
    expect(sales.staffing.staffedAgents).toBe(2);
    expect(sales.staffing.recommendedAgents).toBeGreaterThanOrEqual(1);
    expect(sales.waitEstimate.kind).toBe('estimate');
  });

  it('computes the support queue: one call answered after 10 s (amazon formula), its agent on contact', () => {
    const support = snap.queues.find((q) => q.queueId === 'support')!;
    expect(support.waiting).toBe(0);
    expect(support.longestWaitMs).toBe(0);
    expect(support.agents).toEqual({ available: 0, onContact: 1, afterCallWork: 0, notProductive: 0, staffed: 1 });
    expect(support.rolling15).toMatchObject({ offered: 1, answered: 1, abandoned: 0, serviceLevel: 1, asaSeconds: 10, ahtSeconds: null, abandonmentRate: 0 });
    expect(support.pendingCallbacks).toBe(0);
    expect(support.staffing.recommendedAgents).toBeNull(); // no handled call yet: no AHT for Erlang C
  });

  it('agrees with domain/metrics computeMetrics over the same events', () => {
    const records = recordsFromEvents(acme.events);
    for (const q of snap.queues) {
      const config = q.queueId === 'sales' ? { thresholdMs: 20_000, shortAbandonMs: 5_000 } : { thresholdMs: 30_000, shortAbandonMs: 0 };
      for (const [window, got] of [[ROLLING_15_MINUTES, q.rolling15], [TODAY, q.today]] as [MetricWindow, typeof q.today][]) {
        const m = computeMetrics(records, NOW, { window, serviceLevel: config, abandonment: { shortAbandonMs: config.shortAbandonMs } }).byQueue[q.queueId]!;
        expect(got.serviceLevel).toBe(m.serviceLevels[got.serviceLevelFormula as 'amazon']);
        expect(got.offered).toBe(m.entered);
        expect(got.answered).toBe(m.answered);
        expect(got.abandonmentRate).toBe(m.abandonmentRate);
        expect(got.asaSeconds).toBe(m.averageSpeedOfAnswer === null ? null : m.averageSpeedOfAnswer / 1000);
        expect(got.ahtSeconds).toBe(m.averageHandleTime === null ? null : m.averageHandleTime / 1000);
        expect(q.longestWaitMs).toBe(m.longestWaitMs);
      }
    }
    const a1 = snap.agents.find((a) => a.agentId === 'a1')!;
    expect(a1.occupancy).toBeCloseTo(occupancy(records.intervals.filter((i) => i.agentId === 'a1'), windowBounds(TODAY, NOW))!, 12);
  });

  it('shows each agent: state since when, reason, call, calls handled, AHT and occupancy today', () => {
    expect(snap.agents.map((a) => [a.tenant, a.agentId, a.state, a.since, a.reasonCode, a.callId, a.callsHandled, a.ahtSeconds])).toEqual([
      ['acme', 'a1', 'ready', T + 150 * S, null, null, 2, 112.5],
      ['acme', 'a2', 'not_ready', T - 30 * 60 * S, 'lunch', null, 0, null],
      ['acme', 'a3', 'talking', T + 220 * S, null, 'c4', 0, null],
    ]);
    // a1 handled 60 + 30 + 105 + 30 s and was available 3630 + 7095 + 450 s since 07:00.
    expect(snap.agents[0]!.occupancy).toBeCloseTo(225 / (225 + 11_175), 12);
  });

  it('lists the calls in progress with IVR path, queue, agent, hold; ended calls are gone', () => {
    expect(snap.calls.map((c) => [c.tenant, c.callId, c.state, c.queueId, c.agentId, c.ivrPath, c.arrivedAt, c.queuedAt, c.holdMs, c.onHold])).toEqual([
      ['acme', 'c3', 'callback', 'sales', null, ['welcome', 'menu'], T, T + 10 * S, 0, false],
      ['acme', 'c4', 'held', 'support', 'a3', ['welcome', 'menu'], T + 200 * S, T + 210 * S, 0, true],
      ['acme', 'c5', 'queued', 'sales', null, ['welcome', 'menu'], T + 400 * S, T + 410 * S, 0, false],
    ]);
  });

  it('charts service level since midnight every 15 minutes and at now', () => {
    const sales = snap.serviceLevelToday.filter((p) => p.queueId === 'sales');
    expect(sales).toHaveLength(41); // 00:15 … 10:00, and 10:10
    expect(sales.find((p) => p.at === T)).toEqual({ at: T, queueId: 'sales', serviceLevel: 0, abandonmentRate: 0 });
    expect(sales.at(-1)).toEqual({ at: NOW, queueId: 'sales', serviceLevel: 0.5, abandonmentRate: 0.2 });
    expect(sales[0]).toEqual({ at: Date.UTC(2026, 10, 22, 0, 15), queueId: 'sales', serviceLevel: null, abandonmentRate: null });
  });

  it('keeps tenants apart: globex sees only its own queue, agent and caller', async () => {
    const queues = await listQueues(env.db, 'globex', NOW);
    expect(queues.map((q) => [q.tenant, q.queueId, q.name, q.waiting, q.longestWaitMs, q.agents.staffed])).toEqual([['globex', 'sales', 'Globex sales', 1, 100 * S, 1]]);
    expect((await listAgents(env.db, 'globex', NOW)).map((a) => [a.tenant, a.agentId, a.state])).toEqual([['globex', 'a1', 'ready']]);
    expect((await listCalls(env.db, 'globex')).map((c) => c.callId)).toEqual(['g1']);
    expect(await listQueues(env.db, 'nobody', NOW)).toEqual([]);
  });

  it('gives a position that changes when an event is projected', async () => {
    expect(snap.position).toEqual(expect.any(String));
    await acme.abandon('c5', T + 700 * S);
    await waitFor(() => caughtUp(env), 'the projections to catch up');
    const after = await dashboardSnapshot(env.db, 'acme', T + 700 * S);
    expect(after.position).not.toBe(snap.position);
    expect(after.calls.map((c) => c.callId)).toEqual(['c3', 'c4']);
    expect(after.queues.find((q) => q.queueId === 'sales')!.waiting).toBe(0);
  });
});
