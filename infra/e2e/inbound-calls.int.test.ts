// End to end over real TCP and a real PostgreSQL: the simulator's traffic generator places a seeded 2,000-call
// scenario on number 5000 (IVR menu → sales or support; impatient callers; a busy spell in which callers ask to be
// called back and answer the dial-back, or wait until voicemail; agents who sometimes do not answer, are busy or
// reject), the engine runs it through ESL, and at the end (scenario-checks.ts):
// - every call has exactly one terminal outcome in its stream;
// - the simulator's view and ours agree (every caller leg is gone and has its call; a call is "handled" exactly
//   when the switch bridged its caller; a callback is completed exactly when it bridged the call's dial-back leg);
// - no agent ever had two answered legs at once (switch's view), nor was connected to two calls (log's view);
// - a routing model replayed from the log from zero equals the live one.
// Waits on conditions, asserts no timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { openPostgresEventStore } from '../../adapters/event-store/postgres/open-postgres.ts';
import { demoContactCenter } from '../demo/demo-contact-center.ts';
import { seedContactCenter } from '../demo/seed-contact-center.ts';
import type { TrafficGenerator } from '../simulator/traffic/traffic-generator.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/services.ts';
import { E2E_CONTACT_CENTER, e2eScenario, waitForEveryCallEnded, waitForQuietLog } from './e2e-scenario.ts';
import { anchorsNow, startLocalEngine, startSwitch, type LocalEngine, type SwitchUnderTest } from './engine-harness.ts';
import { modelDigest, replayRoutingModels } from './replay-check.ts';
import { checkScenario, type ScenarioReport } from './scenario-checks.ts';
import { waitUntil } from './wait-until.ts';

const CALLS = Number(process.env['E2E_CALLS'] ?? 2_000);
const SPEED = 40;

describe(`a seeded ${CALLS}-call scenario over ESL and PostgreSQL`, () => {
  let db: TestDatabase;
  let store: EventStore;
  let sw: SwitchUnderTest;
  let local: LocalEngine;
  let traffic: TrafficGenerator;
  let report: ScenarioReport;
  const spec = demoContactCenter(E2E_CONTACT_CENTER);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_inbound');
    store = await openPostgresEventStore(db.url);
    const anchors = anchorsNow(SPEED);
    sw = await startSwitch(anchors, { seed: 'e2e-2000' });
    await seedContactCenter(store, spec, anchors.anchorSimMs);
    local = await startLocalEngine(store, sw, spec);
    traffic = sw.traffic(e2eScenario(CALLS));
    await waitUntil(() => traffic.stats.offered >= CALLS && sw.view.live === 0, 'every generated call to be over on the switch', 900_000);
    await waitForEveryCallEnded(store, 120_000, (leg) => sw.view.describe(leg));
    report = await checkScenario(store, sw.view);
    console.log(`outcomes of the ${CALLS}-call run: ${JSON.stringify(report.counts)}; generator: ${JSON.stringify(traffic.stats)}`);
  }, 1_100_000);

  afterAll(async () => {
    traffic?.stop();
    await local?.stop();
    await sw?.close();
    await store?.close();
    await db?.drop();
  });

  it('gives every call exactly one terminal outcome', () => {
    expect(report.calls.size).toBe(CALLS);
    expect(report.outcomeProblems).toEqual([]);
    // The scenario reaches each outcome it is built to produce.
    expect(report.counts.handled).toBeGreaterThan(CALLS / 4);
    expect(report.counts.abandoned_in_queue + report.counts.abandoned_in_ivr).toBeGreaterThan(0);
    expect(report.counts.self_served_in_ivr).toBeGreaterThan(0);
    // The busy spell: callbacks asked for and completed (agent first, then the dial-back answered), and callers
    // who waited out the queue's max wait sent to voicemail.
    expect(report.counts.callback_completed).toBeGreaterThan(0);
    expect(report.counts.overflowed).toBeGreaterThan(0);
    expect(traffic.stats.callbackRequests).toBeGreaterThan(0);
    expect(traffic.stats.voicemails).toBeGreaterThan(0);
  });

  it('agrees with the switch: every caller leg is gone and has its call, "handled" exactly when the switch bridged the caller', () => {
    expect(report.mismatches).toEqual([]);
  });

  it('never had an agent on two calls at once, on the switch or in the log', () => {
    expect(sw.view.doubleBooked).toEqual([]);
    expect(report.violations).toEqual([]);
    expect(report.connects).toBeGreaterThan(CALLS / 4);
  });

  it('rebuilds the same state when the log is replayed from zero', async () => {
    await waitForQuietLog(store);
    await local.engine.routing.idle();
    const replayed = modelDigest(await replayRoutingModels(store));
    const live = modelDigest(new Map(local.engine.routing.tenants.map((t) => [t, local.engine.routing.modelOf(t)])));
    const differ = [...new Set([...replayed.keys(), ...live.keys()])].filter((k) => replayed.get(k) !== live.get(k));
    expect(differ).toEqual([]);
    expect(replayed.size).toBeGreaterThan(CALLS);
  });
});
