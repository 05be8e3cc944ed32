// Scale-out: two real `serve` processes on one PostgreSQL and one switch, each owning half of the calls' IVR and
// queue media (ENGINE_SHARD 0/2 and 1/2) and both routing every queue. Over a seeded scenario neither ever books an
// agent twice nor handles a call twice (the agents' expected revisions fence the offers; originates and bridges are
// claimed), every call still gets exactly one outcome, and both processes did real work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { openPostgresEventStore } from '../../adapters/event-store/postgres/open-postgres.ts';
import { demoContactCenter } from '../demo/demo-contact-center.ts';
import { seedContactCenter } from '../demo/seed-contact-center.ts';
import { formatAnchors } from '../runtime/shared-clock.ts';
import type { TrafficGenerator } from '../simulator/traffic/traffic-generator.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/services.ts';
import { E2E_CONTACT_CENTER, e2eScenario, waitForEveryCallEnded } from './e2e-scenario.ts';
import { anchorsNow, startSwitch, type SwitchUnderTest } from './engine-harness.ts';
import { checkScenario, type ScenarioReport } from './scenario-checks.ts';
import { startServeProcess, type ServeProcess } from './serve-process.ts';
import { waitUntil } from './wait-until.ts';

const CALLS = Number(process.env['E2E_CALLS'] ?? 600);
const SPEED = 30;

describe(`two serve processes on one PostgreSQL and one switch, ${CALLS} calls`, () => {
  let db: TestDatabase;
  let store: EventStore;
  let sw: SwitchUnderTest;
  let traffic: TrafficGenerator;
  const processes: ServeProcess[] = [];
  let report: ScenarioReport;
  const issuers = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase('e2e_scale_out');
    store = await openPostgresEventStore(db.url);
    const anchors = anchorsNow(SPEED);
    sw = await startSwitch(anchors, { seed: 'e2e-scale-out' });
    await seedContactCenter(store, demoContactCenter({ ...E2E_CONTACT_CENTER, tenant: 'e2e' }), anchors.anchorSimMs);
    const env = { EVENT_STORE_URL: db.url, ESL_HOSTS: `${sw.sim.host}:${sw.sim.port}`, ESL_PASSWORD: sw.sim.password, ENGINE_CLOCK: formatAnchors(anchors) };
    processes.push(await startServeProcess({ ...env, ENGINE_INSTANCE_ID: 'serve-a', ENGINE_SHARD: '0/2' }));
    processes.push(await startServeProcess({ ...env, ENGINE_INSTANCE_ID: 'serve-b', ENGINE_SHARD: '1/2' }));
    traffic = sw.traffic(e2eScenario(CALLS));
    try {
      await waitUntil(() => traffic.stats.offered >= CALLS && sw.view.live === 0, 'every generated call to be over on the switch', 600_000);
      await waitForEveryCallEnded(store, 120_000, (leg) => sw.view.describe(leg));
    } catch (err) {
      // What each process survived tells why a call got stuck.
      const tail = (p: ServeProcess) => p.output().split('\n').filter((l) => l.includes('"level"')).slice(-15).join('\n');
      throw new Error(`${String(err)}\nserve-a:\n${tail(processes[0]!)}\nserve-b:\n${tail(processes[1]!)}`, { cause: err });
    }
    report = await checkScenario(store, sw.view);
    for await (const r of store.readAll()) {
      if (r.type !== 'SwitchCommandIssued') continue;
      const issuer = String((r.data as { issuer?: unknown }).issuer);
      issuers.set(issuer, (issuers.get(issuer) ?? 0) + 1);
    }
  }, 1_100_000);

  afterAll(async () => {
    traffic?.stop();
    for (const p of processes) await p.stop();
    await sw?.close();
    await store?.close();
    await db?.drop();
  });

  it('never books an agent twice: no agent had two answered legs, none was connected to two calls', () => {
    expect(sw.view.doubleBooked).toEqual([]);
    expect(report.violations).toEqual([]);
  });

  it('never handles a call twice: exactly one outcome per call, and the switch agrees', () => {
    expect(report.calls.size).toBe(CALLS);
    expect(report.outcomeProblems).toEqual([]);
    expect(report.mismatches).toEqual([]);
    expect(report.counts.handled).toBeGreaterThan(CALLS / 4);
  });

  it('both processes did real work (each claimed switch commands)', () => {
    expect(issuers.get('serve-a') ?? 0).toBeGreaterThan(0);
    expect(issuers.get('serve-b') ?? 0).toBeGreaterThan(0);
  });
});
