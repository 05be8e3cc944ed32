// Agents named by a blind transfer or a consult are booked through their own stream like routed ones, Given/When/Then
// on a real embedded store and a fake switch port: a booked agent is never offered a queue call meanwhile, a busy one
// sends the transfer back to the queue or cancels the consult, and everyone on the call goes to wrap-up at its end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { agentReady, agentState, callDoes, callerLegOf, callState, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { checkRoutingInvariants } from '../../test-support/log-invariants.ts';
import { RoutingTestBed } from '../../test-support/routing-test-bed.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { agentLegUuidFor, consultOfferIdFor } from './routing-ids.ts';

const T0 = 1_700_000_000_000;

describe('RoutingManager: direct offers and consults book the agent', () => {
  let bed: RoutingTestBed;
  let store: EventStore;
  beforeEach(async () => {
    bed = await RoutingTestBed.open(T0);
    store = bed.store;
  });
  afterEach(() => bed.close());

  /** c1 queued in sales and connected to a1 (the only agent ready); then a2 logs in ready. */
  async function connectedToA1(): Promise<void> {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 30 } }, ['a1', 'a2']);
    await agentReady(store, 'a1', T0);
    await bed.start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => bed.agentOriginates().length === 1, 'a1 dialled');
    const [o] = bed.agentOriginates();
    bed.port.emit(fact('leg_answered', T0 + 3000, { legUuid: o!.legUuid, callId: 'c1', offerId: o!.offerId, role: 'agent' }, {}));
    await until(async () => (await callState(store, 'c1')).status === 'connected', 'c1 connected to a1');
    await agentReady(store, 'a2', T0 + 4000);
    await bed.settle();
  }

  it('Given a connected call, When it is transferred blind to a ready agent, Then that agent is booked and dialled, the first wraps up, and the caller is bridged to the new agent on answer', async () => {
    await connectedToA1();
    await callDoes(store, { type: 'TransferCall', commandId: 'xfer-1', at: T0 + 20_000, callId: 'c1', target: { kind: 'agent', agentId: 'a2', offerId: 'o-direct' } });
    await until(() => bed.agentOriginates().some((o) => o.offerId === 'o-direct'), 'a2 dialled for the transfer');
    const a2 = await agentState(store, 'a2');
    expect(a2.state).toBe('offered');
    expect(a2.call?.offerId).toBe('o-direct');
    expect((await agentState(store, 'a1')).state).toBe('wrap_up');

    const leg = agentLegUuidFor('o-direct');
    bed.port.emit(fact('leg_answered', T0 + 25_000, { legUuid: leg, callId: 'c1', offerId: 'o-direct', role: 'agent' }, {}));
    await until(async () => (await callState(store, 'c1')).status === 'connected' && (await callState(store, 'c1')).agentId === 'a2', 'c1 connected to a2');
    expect(bed.port.named('bridge').map((c) => c.request).at(-1)).toMatchObject({ aLegUuid: callerLegOf('c1'), bLegUuid: leg });
    expect((await agentState(store, 'a2')).state).toBe('talking');

    bed.port.emit(fact('leg_hangup', T0 + 60_000, { legUuid: callerLegOf('c1'), callId: 'c1', role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await agentState(store, 'a2')).state === 'wrap_up', 'a2 wraps up at the end');
    expect((await checkRoutingInvariants(store)).violations).toEqual([]);
    expect(bed.errors).toEqual([]);
  });

  it('Given the target agent is not ready, When the call is transferred to them, Then the offer fails and the call goes back to its last queue', async () => {
    await connectedToA1();
    await callDoes(store, { type: 'TransferCall', commandId: 'xfer-2', at: T0 + 20_000, callId: 'c1', target: { kind: 'agent', agentId: 'a3', offerId: 'o-nobody' } });
    await until(async () => (await readAllOf(store, 'call-c1')).filter((e) => e.type === 'CallQueued').length === 2, 'the call queued again');
    const types = (await readAllOf(store, 'call-c1')).map((e) => e.type);
    expect(types.filter((t) => t === 'CallQueued')).toHaveLength(2);
    expect(types).toContain('AgentLegFailed');
    // Back in sales, where a2 is ready: routed to a2 like any queued call.
    await until(async () => (await agentState(store, 'a2')).state === 'offered', 'offered to a2 from the queue');
    expect(bed.agentOriginates().some((o) => o.offerId === 'o-nobody')).toBe(false);
    expect(bed.errors).toEqual([]);
  });

  it('Given a consult to a ready agent, Then the agent is booked for it (a queued call is not offered to them), talks once answered, takes the call over on transfer, and wraps up at its end', async () => {
    await connectedToA1();
    await callDoes(store, { type: 'StartConsult', commandId: 'k1-start', at: T0 + 20_000, callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
    const offerId = consultOfferIdFor('c1', 'k1');
    await until(async () => (await agentState(store, 'a2')).call?.offerId === offerId, 'a2 booked for the consult');
    expect((await agentState(store, 'a2')).state).toBe('offered');

    // A new caller while a1 talks and a2 is booked: nobody may be offered it.
    await queueCall(store, 'c2', 'sales', T0 + 21_000);
    await bed.settle();
    expect((await callState(store, 'c2')).status).toBe('queued');

    await callDoes(store, { type: 'RecordConsultAnswered', commandId: 'k1-answered', at: T0 + 24_000, callId: 'c1', consultId: 'k1' });
    await until(async () => (await agentState(store, 'a2')).state === 'talking', 'a2 talking in the consult');
    await callDoes(store, { type: 'CompleteConsult', commandId: 'k1-complete', at: T0 + 40_000, callId: 'c1', consultId: 'k1', mode: 'transfer' });
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'a1 wraps up after handing over');
    await bed.settle();
    expect((await agentState(store, 'a2')).state).toBe('talking');
    expect((await callState(store, 'c1')).agentId).toBe('a2');
    expect((await callState(store, 'c2')).status).toBe('queued');

    await callDoes(store, { type: 'EndCall', commandId: 'c1-end', at: T0 + 90_000, callId: 'c1', cause: 'NORMAL_CLEARING', hungUpBy: 'caller' });
    await until(async () => (await agentState(store, 'a2')).state === 'wrap_up', 'a2 wraps up at the end');
    expect(bed.errors).toEqual([]);
  });

  it('Given a consult to an agent who is not ready, Then the consult is cancelled as target unavailable; a cancelled consult releases a booked agent', async () => {
    await connectedToA1();
    await callDoes(store, { type: 'StartConsult', commandId: 'k2-start', at: T0 + 20_000, callId: 'c1', consultId: 'k2', target: { kind: 'agent', agentId: 'a3' } });
    await until(async () => (await callState(store, 'c1')).consult === null, 'the consult cancelled');
    const cancelled = (await readAllOf(store, 'call-c1')).find((e) => e.type === 'ConsultCancelled');
    expect(cancelled?.data).toMatchObject({ consultId: 'k2', reason: 'target_unavailable' });

    await callDoes(store, { type: 'StartConsult', commandId: 'k3-start', at: T0 + 30_000, callId: 'c1', consultId: 'k3', target: { kind: 'agent', agentId: 'a2' } });
    await until(async () => (await agentState(store, 'a2')).state === 'offered', 'a2 booked');
    await callDoes(store, { type: 'CancelConsult', commandId: 'k3-cancel', at: T0 + 35_000, callId: 'c1', consultId: 'k3' });
    await until(async () => (await agentState(store, 'a2')).state === 'ready', 'a2 released');
    expect((await agentState(store, 'a1')).state).toBe('talking');
    expect(bed.errors).toEqual([]);
  });

  it('Given a click-to-call for a ready agent, Then the agent is booked while dialled (no queue call is offered to them), talks once connected, and wraps up at the end; a busy agent ends it', async () => {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 30 } }, ['a1', 'a2']);
    await agentReady(store, 'a2', T0);
    await bed.start();
    const originate = (callId: string, agentId: string, at: number) =>
      callDoes(store, { type: 'OriginateCall', commandId: `${callId}-originate`, at, callId, destinationNumber: '+32475000099', callerIdNumber: '+3225550100', switchId: 'sw-1', channelUuid: `${callId}-leg`, agentId, campaignId: null });
    await originate('out1', 'a2', T0 + 1000);
    await until(async () => (await agentState(store, 'a2')).state === 'offered', 'a2 booked for the outbound call');
    await queueCall(store, 'c2', 'sales', T0 + 2000);
    await bed.settle();
    expect((await callState(store, 'c2')).status).toBe('queued');

    await callDoes(store, { type: 'ConnectCall', commandId: 'out1-connect', at: T0 + 9000, callId: 'out1', offerId: null });
    await until(async () => (await agentState(store, 'a2')).state === 'talking', 'a2 talking');
    await callDoes(store, { type: 'EndCall', commandId: 'out1-end', at: T0 + 60_000, callId: 'out1', cause: 'NORMAL_CLEARING', hungUpBy: 'agent' });
    await until(async () => (await agentState(store, 'a2')).state === 'wrap_up', 'a2 wraps up');

    // a1 is not logged in: a click-to-call for them ends before it connects.
    await originate('out2', 'a1', T0 + 70_000);
    await until(async () => (await callState(store, 'out2')).status === 'ended', 'out2 ended');
    expect((await readAllOf(store, 'call-out2')).find((e) => e.type === 'CallEnded')?.data).toMatchObject({ cause: 'USER_BUSY', hungUpBy: 'system' });
    expect((await checkRoutingInvariants(store)).violations).toEqual([]);
    expect(bed.errors).toEqual([]);
  });

  it('Given a connected call, When an agent is added to its conference, Then they are booked and on the call (no queue call offered to them) until removed; a busy agent is removed again', async () => {
    await connectedToA1();
    await callDoes(store, { type: 'AddConferenceParty', commandId: 'p1-add', at: T0 + 20_000, callId: 'c1', partyId: 'p1', party: { kind: 'agent', agentId: 'a2' } });
    await until(async () => (await agentState(store, 'a2')).state === 'talking', 'a2 on the conference');
    await queueCall(store, 'c2', 'sales', T0 + 21_000);
    await bed.settle();
    expect((await callState(store, 'c2')).status).toBe('queued');
    await callDoes(store, { type: 'RemoveConferenceParty', commandId: 'p1-remove', at: T0 + 50_000, callId: 'c1', partyId: 'p1' });
    await until(async () => (await agentState(store, 'a2')).state === 'wrap_up', 'a2 wraps up after leaving');
    expect((await agentState(store, 'a1')).state).toBe('talking');

    await callDoes(store, { type: 'AddConferenceParty', commandId: 'p2-add', at: T0 + 60_000, callId: 'c1', partyId: 'p2', party: { kind: 'agent', agentId: 'a3' } });
    await until(async () => Object.keys((await callState(store, 'c1')).parties).length === 0 && (await readAllOf(store, 'call-c1')).some((e) => e.type === 'ConferencePartyRemoved' && (e.data as { partyId: string }).partyId === 'p2'), 'the unavailable party removed');
    expect(bed.errors).toEqual([]);
  });
});
