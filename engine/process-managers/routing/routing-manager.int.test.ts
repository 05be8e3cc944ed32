// The routing manager, Given/When/Then, on a real embedded store (PGlite), a virtual clock and a fake switch port that
// records commands. Given a contact center (queues, agents, calls through the deciders), When the log and the switch
// report something, Then these commands reach the deciders and the switch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { VirtualClock } from '../../clock.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { agentReady, agentState, callDoes, callerLegOf, callState, createQueue, fact, queueCall, SWITCH } from '../../test-support/engine-fixture.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { agentLegUuidFor } from './routing-ids.ts';
import { RoutingManager } from './routing-manager.ts';

const T0 = 1_700_000_000_000;

describe('RoutingManager (Given/When/Then)', () => {
  let store: EventStore;
  let clock: VirtualClock;
  let port: FakeSwitchPort;
  let manager: RoutingManager;
  let timers: TimerService;
  const errors: unknown[] = [];

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    clock = new VirtualClock(T0);
    port = new FakeSwitchPort();
    errors.length = 0;
  });
  afterEach(async () => {
    await manager?.stop();
    await timers?.stop();
    port.close();
    await store.close();
  });

  async function startEngine(): Promise<void> {
    manager = new RoutingManager({ store, switchPort: port, clock, instanceId: 'test', onError: (e, what) => errors.push({ e, what }) });
    timers = new TimerService({ store, clock });
    timers.start();
    await manager.start();
    await manager.idle();
  }

  async function settle(): Promise<void> {
    // The subscription polls: give it time to deliver what was appended, then let the mailbox drain.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 40));
      await manager.idle();
      await timers.idle();
    }
  }

  async function advance(ms: number): Promise<void> {
    await clock.advanceBy(ms);
    await settle();
  }

  const originates = () => port.named('originate').filter((c) => c.request.role === 'agent').map((c) => c.request as unknown as { legUuid: string; callId: string; offerId: string; variables: Record<string, string> });

  it('Given a ready agent in the queue, When a call is queued, Then the agent is offered first, then the call, then one agent leg is dialled', async () => {
    await createQueue(store, 'sales', T0, {}, ['a1']);
    await agentReady(store, 'a1', T0);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    const a1 = await agentState(store, 'a1');
    expect(a1.state).toBe('offered');
    const c1 = await callState(store, 'c1');
    expect(c1.status).toBe('offered');
    expect(c1.offer?.agentId).toBe('a1');
    const [o] = originates();
    expect(o!.legUuid).toBe(agentLegUuidFor(c1.offer!.offerId));
    expect(o).toMatchObject({ callId: 'c1', offerId: c1.offer!.offerId, switchId: SWITCH, role: 'agent' });
    expect(errors).toEqual([]);
  });

  it('Given an answered agent whose bridge was sent but never recorded as connected, When the reconcile finds the caller gone, Then the call was connected, then ended', async () => {
    await createQueue(store, 'sales', T0, {}, ['a1']);
    await agentReady(store, 'a1', T0);
    await startEngine();
    // The bridge is sent (claimed) but its answer never comes back: the process that sent it died right then.
    port.onCommand = (c) => {
      if (c.name === 'bridge') throw new Error('the process died before the bridge returned');
    };
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    const [o] = originates();
    port.emit(fact('leg_answered', T0 + 3000, { legUuid: o!.legUuid, callId: 'c1', offerId: o!.offerId, role: 'agent' }, {}));
    await until(() => port.named('bridge').length === 1, 'the bridge sent');
    await settle();
    expect((await callState(store, 'c1')).status).toBe('agent_answered');
    port.emit(fact('leg_hangup', T0 + 60_000, { legUuid: callerLegOf('c1') }, { cause: 'RECONCILE_ENDED' }));
    await until(async () => (await callState(store, 'c1')).status === 'ended', 'the call ended');
    const types = (await readAllOf(store, 'call-c1')).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['CallConnected', 'CallEnded']);
    expect((await callState(store, 'c1')).answeredAt).toBe(T0 + 3000);
  });

  it('Given a connected call, When the agent transfers it blind to another queue, Then the agent goes to wrap-up and the call waits in that queue', async () => {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 30 } }, ['a1']);
    await createQueue(store, 'billing', T0, {}, []);
    await agentReady(store, 'a1', T0);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    const [o] = originates();
    port.emit(fact('leg_answered', T0 + 3000, { legUuid: o!.legUuid, callId: 'c1', offerId: o!.offerId, role: 'agent' }, {}));
    await until(async () => (await callState(store, 'c1')).status === 'connected', 'connected');
    await callDoes(store, { type: 'TransferCall', commandId: 'xfer-1', at: T0 + 20_000, callId: 'c1', target: { kind: 'queue', queueId: 'billing', priority: 0, requiredSkills: [] } });
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'the transferring agent in wrap-up', 10_000);
    expect((await callState(store, 'c1')).status).toBe('queued');
    expect((await callState(store, 'c1')).queue?.queueId).toBe('billing');
  });

  it('When the agent answers and later the caller hangs up, Then bridge, connect, wrap-up, and the wrap-up timer makes the agent ready', async () => {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 30 } }, ['a1']);
    await agentReady(store, 'a1', T0);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    const { offerId } = originates()[0]!;
    const leg = { legUuid: agentLegUuidFor(offerId), callId: 'c1', offerId, role: 'agent' as const };
    port.emit(fact('leg_ringing', clock.now(), leg, {}));
    port.emit(fact('leg_answered', clock.now() + 3000, leg, {}));
    await until(async () => (await callState(store, 'c1')).status === 'connected', 'connected');
    expect(port.named('bridge').map((c) => c.request)).toMatchObject([{ aLegUuid: callerLegOf('c1'), bLegUuid: leg.legUuid }]);
    expect((await agentState(store, 'a1')).state).toBe('talking');

    await advance(60_000);
    port.emit(fact('leg_hangup', clock.now(), { legUuid: callerLegOf('c1'), callId: 'c1', role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'wrap-up');
    expect((await callState(store, 'c1')).status).toBe('ended');
    await settle();
    expect(port.named('kill').some((c) => c.request.legUuid === leg.legUuid)).toBe(true);
    await advance(31_000);
    await until(async () => (await agentState(store, 'a1')).state === 'ready', 'ready after wrap-up');
    expect(errors).toEqual([]);
  });

  it('When the agent does not answer, Then a miss is recorded and the call goes back keeping its place, to the next agent', async () => {
    await createQueue(store, 'q2', T0, { routing: { strategy: 'top-down' } }, ['a1', 'a2']);
    await agentReady(store, 'a1', T0);
    await agentReady(store, 'a2', T0 + 10);
    await startEngine();
    await queueCall(store, 'c1', 'q2', T0 + 1000);
    await until(() => originates().length === 1, 'first originate');
    const first = originates()[0]!;
    const firstAgent = (await callState(store, 'c1')).offer!.agentId;
    port.emit(fact('leg_hangup', clock.now() + 20_000, { legUuid: first.legUuid, callId: 'c1', offerId: first.offerId, role: 'agent' }, { cause: 'NO_ANSWER' }));
    await until(() => originates().length === 2, 'second originate');
    const missed = await agentState(store, firstAgent);
    expect(missed.totals.missed).toBe(1);
    expect(missed.unavailableUntil).toBeGreaterThan(clock.now());
    const c1 = await callState(store, 'c1');
    expect(c1.queue?.enteredAt).toBe(T0 + 1000);
    expect(c1.offer?.agentId).not.toBe(firstAgent);
    const events = (await readAllOf(store, 'call-c1')).map((e) => e.type);
    expect(events).toContain('AgentLegFailed');
  });

  it('When the caller hangs up during the offer, Then the agent leg is killed and the agent is free again without a miss', async () => {
    await createQueue(store, 'sales', T0, {}, ['a1']);
    await agentReady(store, 'a1', T0);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    const o = originates()[0]!;
    port.emit(fact('leg_hangup', clock.now() + 2000, { legUuid: callerLegOf('c1'), callId: 'c1', role: 'caller' }, { cause: 'ORIGINATOR_CANCEL' }));
    await until(async () => (await agentState(store, 'a1')).state === 'ready', 'agent ready');
    await settle();
    expect(port.named('kill').map((c) => c.request.legUuid)).toContain(o.legUuid);
    const a1 = await agentState(store, 'a1');
    expect(a1.totals.missed).toBe(0);
    expect((await readAllOf(store, 'call-c1')).map((e) => e.type)).toContain('CallAbandoned');
  });

  it('When nobody answers and the switch says nothing, Then the ring-timeout timer records the miss and the leg is killed', async () => {
    await createQueue(store, 'sales', T0, { noAnswer: { maxNoAnswer: 3, ringTimeoutSeconds: 15, rejectDelaySeconds: 0, busyDelaySeconds: 0, noAnswerDelaySeconds: 30 } }, ['a1']);
    await agentReady(store, 'a1', T0);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => originates().length === 1, 'originate');
    await settle();
    await advance(18_000);
    await until(async () => (await agentState(store, 'a1')).totals.missed === 1, 'miss');
    await settle();
    expect(port.named('kill').map((c) => c.request.legUuid)).toContain(originates()[0]!.legUuid);
    expect((await callState(store, 'c1')).status).toBe('queued');
    // The no-answer delay ends, the router reviews, and the same agent gets the call again.
    await advance(31_000);
    await until(() => originates().length === 2, 'offered again after the delay');
  });

  it('When a caller waits past the queue max wait with nobody free, Then it overflows to voicemail and the caller leg is transferred', async () => {
    await createQueue(store, 'sales', T0, { limits: { maxWait: { seconds: 30, exit: { kind: 'voicemail', mailbox: 'mb1' } }, maxWaitNoAgent: null, maxLength: null } }, ['a1']);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await settle();
    await advance(31_500);
    await until(async () => (await callState(store, 'c1')).status === 'voicemail', 'voicemail');
    await settle();
    expect(port.named('transfer').map((c) => c.request)).toMatchObject([{ legUuid: callerLegOf('c1'), exten: 'voicemail-mb1' }]);
    expect(originates()).toHaveLength(0);
  });
});
