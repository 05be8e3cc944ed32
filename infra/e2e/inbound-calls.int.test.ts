// End to end over real TCP and a real PostgreSQL: the simulator's traffic generator places a seeded 2,000-call
// scenario on number 5000 (IVR menu → sales or support; impatient callers; agents who sometimes do not answer, are
// busy or reject), the engine runs it through ESL, and at the end:
// - every call has exactly one terminal outcome in its stream;
// - the simulator's view and ours agree (every caller leg is gone; a call is "handled" exactly when the switch
//   bridged its caller);
// - no agent ever had two answered legs at once (switch's view), nor was connected to two calls (log's view);
// - a routing model replayed from the log from zero equals the live one.
// Waits on conditions, asserts no timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { openPostgresEventStore } from '../../adapters/event-store/postgres/open-postgres.ts';
import { checkRoutingInvariants } from '../../engine/test-support/log-invariants.ts';
import { demoContactCenter } from '../demo/demo-contact-center.ts';
import { seedContactCenter } from '../demo/seed-contact-center.ts';
import type { TrafficGenerator } from '../simulator/traffic/traffic-generator.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/services.ts';
import { CALL_OUTCOMES, outcomeOf, type CallOutcome } from './call-outcomes.ts';
import { anchorsNow, startLocalEngine, startSwitch, type LocalEngine, type SwitchUnderTest } from './engine-harness.ts';
import { modelDigest, replayRoutingModels } from './replay-check.ts';
import { callStreams, e2eScenario } from './e2e-scenario.ts';
import { waitUntil } from './wait-until.ts';

const CALLS = Number(process.env['E2E_CALLS'] ?? 2_000);
const SPEED = 40;

describe(`a seeded ${CALLS}-call scenario over ESL and PostgreSQL`, () => {
  let db: TestDatabase;
  let store: EventStore;
  let sw: SwitchUnderTest;
  let local: LocalEngine;
  let traffic: TrafficGenerator;
  let calls: Map<string, RecordedEvent[]>;
  const spec = demoContactCenter({ agents: 20, wrapUpSeconds: 5 });

  beforeAll(async () => {
    db = await createTestDatabase('e2e_inbound');
    store = await openPostgresEventStore(db.url);
    const anchors = anchorsNow(SPEED);
    sw = await startSwitch(anchors, { seed: 'e2e-2000' });
    await seedContactCenter(store, spec, anchors.anchorSimMs);
    local = await startLocalEngine(store, sw, spec);
    traffic = sw.traffic(e2eScenario(CALLS));
    await waitUntil(() => traffic.stats.offered >= CALLS && sw.view.live === 0, 'every generated call to be over on the switch', 900_000);
    await waitUntil(async () => {
      calls = await callStreams(store);
      return [...calls.values()].every((events) => events.some((e) => e.type === 'CallEnded'));
    }, 'every call to be ended in the log', 120_000);
  }, 1_100_000);

  afterAll(async () => {
    traffic?.stop();
    await local?.stop();
    await sw?.close();
    await store?.close();
    await db?.drop();
  });

  it('gives every call exactly one terminal outcome', () => {
    expect(calls.size).toBe(sw.view.callers.size);
    expect(calls.size).toBe(CALLS);
    const problems: string[] = [];
    const counts = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as Record<CallOutcome, number>;
    for (const [stream, events] of calls) {
      const o = outcomeOf(events);
      if ('problem' in o) problems.push(`${stream}: ${o.problem}`);
      else if (o.outcome === 'ended_otherwise') problems.push(`${stream}: no outcome fits ${events.map((e) => e.type).join(' ')}`);
      else counts[o.outcome]++;
    }
    expect(problems).toEqual([]);
    // The scenario reaches each outcome it is built to produce.
    expect(counts.handled).toBeGreaterThan(CALLS / 4);
    expect(counts.abandoned_in_queue + counts.abandoned_in_ivr).toBeGreaterThan(0);
    expect(counts.self_served_in_ivr).toBeGreaterThan(0);
  });

  it('agrees with the switch: every caller leg is gone, and "handled" exactly when the switch bridged the caller', () => {
    const mismatches: string[] = [];
    for (const [stream, events] of calls) {
      const arrived = events.find((e) => e.type === 'CallArrived');
      const leg = (arrived?.data as { channelUuid?: string } | undefined)?.channelUuid;
      const seen = leg ? sw.view.callers.get(leg) : undefined;
      if (!seen) {
        mismatches.push(`${stream}: the switch never saw caller leg ${leg}`);
        continue;
      }
      if (!seen.destroyed) mismatches.push(`${stream}: caller leg still up on the switch`);
      const o = outcomeOf(events);
      const handled = 'outcome' in o && o.outcome === 'handled';
      if (handled !== seen.bridged) mismatches.push(`${stream}: ours ${'outcome' in o ? o.outcome : o.problem}, switch bridged=${seen.bridged}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('never had an agent on two calls at once, on the switch or in the log', async () => {
    expect(sw.view.doubleBooked).toEqual([]);
    const { violations, connects } = await checkRoutingInvariants(store);
    expect(violations).toEqual([]);
    expect(connects).toBeGreaterThan(CALLS / 4);
  });

  it('rebuilds the same state when the log is replayed from zero', async () => {
    await local.engine.routing.idle();
    const replayed = modelDigest(await replayRoutingModels(store));
    const live = modelDigest(new Map(local.engine.routing.tenants.map((t) => [t, local.engine.routing.modelOf(t)])));
    const differ = [...new Set([...replayed.keys(), ...live.keys()])].filter((k) => replayed.get(k) !== live.get(k));
    expect(differ).toEqual([]);
    expect(replayed.size).toBeGreaterThan(CALLS);
  });
});
