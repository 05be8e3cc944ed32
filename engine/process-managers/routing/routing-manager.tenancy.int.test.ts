// The routing manager across tenants, on a real embedded store (PGlite), a virtual clock and a fake switch port.
// Given two tenants with the same bare ids (queue `sales`, agent `a1`, call `c1`) and the default tenant's own `a1`,
// Then each call is offered to its own tenant's agent only, every command lands on the tenant's streams with
// metadata.tenant, leg variables carry the scoped call id, and the durable wrap-up timer reaches the tenant's agent.
// And an agent logged in and a queue created through the HTTP API (its own streams and metadata) are routed to.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { startHarness, type Harness } from '../../../api/testing/api-harness.ts';
import { VirtualClock } from '../../clock.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { fact, SWITCH, tenantFixture } from '../../test-support/engine-fixture.ts';
import { checkRoutingInvariants } from '../../test-support/log-invariants.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { agentLegUuidFor } from './routing-ids.ts';
import { RoutingManager } from './routing-manager.ts';

const T0 = 1_700_000_000_000;
const acme = tenantFixture('acme');
const beta = tenantFixture('beta');
const plain = tenantFixture(undefined);

type Originate = { legUuid: string; callId: string; offerId: string; endpoint: unknown; variables: Record<string, string> };

describe('RoutingManager with tenants', () => {
  let store: EventStore;
  let clock: VirtualClock;
  let port: FakeSwitchPort;
  let manager: RoutingManager | undefined;
  let timers: TimerService | undefined;
  let harness: Harness | undefined;
  const errors: unknown[] = [];

  beforeEach(() => {
    port = new FakeSwitchPort();
    errors.length = 0;
  });
  afterEach(async () => {
    await manager?.stop();
    await timers?.stop();
    manager = undefined;
    timers = undefined;
    port.close();
    if (harness) await harness.close();
    else await store.close();
    harness = undefined;
  });

  async function startEngine(): Promise<void> {
    manager = new RoutingManager({ store, switchPort: port, clock, instanceId: 'test', onError: (e, what) => errors.push({ e, what }) });
    timers = new TimerService({ store, clock });
    timers.start();
    await manager.start();
    await manager.idle();
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 40));
      await manager!.idle();
      await timers!.idle();
    }
  }

  const originates = () => port.named('originate').filter((c) => c.request.role === 'agent').map((c) => c.request as unknown as Originate);
  const originateOf = (scopedCallId: string) => originates().find((o) => o.callId === scopedCallId);

  it('offers each call to its own tenant agent only, writes to the tenant streams with metadata.tenant, and fires the tenant wrap-up timer', async () => {
    store = await openEventStore('pglite:memory');
    clock = new VirtualClock(T0);
    for (const t of [acme, beta, plain]) await t.createQueue(store, 'sales', T0, { wrapUp: { seconds: 30 } }, ['a1']);
    // Beta's a1 and the default tenant's a1 are ready; acme's a1 is not logged in yet.
    await beta.agentReady(store, 'a1', T0);
    await plain.agentReady(store, 'a1', T0);
    await startEngine();

    // Given acme's call c1 and no acme agent: nobody else's a1 is offered it.
    await acme.queueCall(store, 'c1', 'sales', T0 + 1000);
    await settle();
    expect(originates()).toEqual([]);
    expect((await acme.callState(store, 'c1')).status).toBe('queued');

    // Beta's call c1 goes to beta's a1.
    await beta.queueCall(store, 'c1', 'sales', T0 + 1100);
    await until(() => originateOf('beta.c1') !== undefined, 'beta originate');
    const betaCall = await beta.callState(store, 'c1');
    const betaAgent = await beta.agentState(store, 'a1');
    expect(betaCall.offer?.offerId).toBe(betaAgent.call?.offerId);
    expect(betaAgent.call?.callId).toBe('c1');
    expect((await plain.agentState(store, 'a1')).state).toBe('ready');

    // When acme's a1 logs in, acme's waiting call is offered to it.
    await acme.agentReady(store, 'a1', T0 + 1200);
    await until(() => originateOf('acme.c1') !== undefined, 'acme originate');
    const acmeCall = await acme.callState(store, 'c1');
    const acmeAgent = await acme.agentState(store, 'a1');
    expect(acmeCall.offer?.offerId).toBe(acmeAgent.call?.offerId);
    expect(acmeCall.offer?.offerId).not.toBe(betaCall.offer?.offerId);
    expect((await plain.agentState(store, 'a1')).state).toBe('ready');
    expect(originates()).toHaveLength(2);

    // The agent legs: deterministic, distinct, tagged with the scoped call and agent ids, dialled as distinct users.
    const a = originateOf('acme.c1')!;
    const b = originateOf('beta.c1')!;
    expect(a.legUuid).toBe(agentLegUuidFor(a.offerId));
    expect(a.legUuid).not.toBe(b.legUuid);
    expect(a).toMatchObject({ endpoint: { kind: 'user', user: 'acme.a1' }, variables: { ledgerline_agent_id: 'acme.a1' } });
    expect(b).toMatchObject({ endpoint: { kind: 'user', user: 'beta.a1' } });

    // Both agents answer (the facts carry the scoped call id), and both callers hang up (caller legs only).
    for (const [t, o] of [
      [acme, a],
      [beta, b],
    ] as const) {
      const leg = { legUuid: o.legUuid, callId: o.callId, offerId: o.offerId, role: 'agent' as const };
      port.emit(fact('leg_ringing', clock.now(), leg, {}));
      port.emit(fact('leg_answered', clock.now() + 3000, leg, {}));
      await until(async () => (await t.callState(store, 'c1')).status === 'connected', `${t.tenant} connected`);
      expect((await t.agentState(store, 'a1')).state).toBe('talking');
    }
    expect(port.named('bridge').map((c) => c.request)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ aLegUuid: acme.callerLegOf('c1'), bLegUuid: a.legUuid }),
        expect.objectContaining({ aLegUuid: beta.callerLegOf('c1'), bLegUuid: b.legUuid }),
      ]),
    );
    await clock.advanceBy(60_000);
    port.emit(fact('leg_hangup', clock.now(), { legUuid: acme.callerLegOf('c1') }, { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await acme.agentState(store, 'a1')).state === 'wrap_up', 'acme wrap-up');
    expect((await beta.callState(store, 'c1')).status).toBe('connected');
    port.emit(fact('leg_hangup', clock.now(), { legUuid: beta.callerLegOf('c1'), callId: 'beta.c1', role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await beta.agentState(store, 'a1')).state === 'wrap_up', 'beta wrap-up');

    // The durable wrap-up timers dispatch EndWrapUp to each tenant's own agent stream.
    await clock.advanceBy(31_000);
    await settle();
    await until(async () => (await acme.agentState(store, 'a1')).state === 'ready', 'acme ready after wrap-up');
    await until(async () => (await beta.agentState(store, 'a1')).state === 'ready', 'beta ready after wrap-up');

    // Every event on a tenant's streams carries that tenant; the default tenant's a1 and c1 streams were never written.
    for (const tenant of ['acme', 'beta']) {
      for (const stream of [`call-${tenant}.c1`, `agent-${tenant}.a1`]) {
        const events = await readAllOf(store, stream);
        expect(events.length).toBeGreaterThan(3);
        expect(events.filter((e) => e.metadata['tenant'] !== tenant).map((e) => e.type)).toEqual([]);
      }
      const agentEvents = (await readAllOf(store, `agent-${tenant}.a1`)).map((e) => e.type);
      expect(agentEvents).toEqual(expect.arrayContaining(['AgentOffered', 'AgentTalking', 'AgentWrapUpStarted', 'AgentWrapUpEnded']));
    }
    expect((await readAllOf(store, 'agent-a1')).map((e) => e.type)).toEqual(['AgentLoggedIn', 'AgentReady']);
    expect(await readAllOf(store, 'call-c1')).toEqual([]);
    const invariants = await checkRoutingInvariants(store);
    expect(invariants).toMatchObject({ violations: [], offers: 2, connects: 2 });
    expect(errors).toEqual([]);
  });

  it('routes a call to an agent logged in, and a queue created, through the HTTP API', async () => {
    harness = await startHarness();
    store = harness.store;
    const now = Date.now();
    clock = new VirtualClock(now);
    const sup = await harness.key('supervisor', 'acme');
    const agentKey = await harness.key('agent', 'acme', 'ann');
    expect((await harness.call('POST', '/v1/queues', { key: sup, body: { queueId: 'sales', settings: { name: 'Sales', routing: { strategy: 'longest-idle' } } } })).statusCode).toBe(201);
    expect((await harness.call('POST', '/v1/queues/sales/agents', { key: sup, body: { agents: [{ agentId: 'ann' }] } })).statusCode).toBe(200);
    expect((await harness.call('POST', '/v1/agents/ann/login', { key: agentKey, body: { skills: [], capacity: { voice: 1 }, ready: true } })).statusCode).toBe(200);
    expect((await readAllOf(store, 'agent-acme.ann'))[0]?.metadata['tenant']).toBe('acme');
    await startEngine();

    await acme.queueCall(store, 'c1', 'sales', now + 1000);
    await until(() => originateOf('acme.c1') !== undefined, 'originate to the API agent');
    expect((await acme.agentState(store, 'ann')).state).toBe('offered');
    const call = await acme.callState(store, 'c1');
    expect(call.offer?.agentId).toBe('ann');
    expect(originateOf('acme.c1')).toMatchObject({ switchId: SWITCH, endpoint: { kind: 'user', user: 'acme.ann' } });
    const offered = (await readAllOf(store, 'agent-acme.ann')).find((e) => e.type === 'AgentOffered');
    expect(offered?.metadata['tenant']).toBe('acme');
    expect(errors).toEqual([]);
  });
});
