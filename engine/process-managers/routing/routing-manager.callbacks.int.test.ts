// Callbacks are agent first, Given/When/Then on a real embedded store (PGlite), a virtual clock and the fake switch
// port: the caller is released, and nobody dials the customer until an agent is free, was offered the callback and
// answered; then the customer is dialled, and bridged to the waiting agent on answer. A customer who does not answer
// releases the agent to wrap-up and the callback is owed again (agent first again) after the retry interval, up to the
// queue's maxRetries. A restarted manager resumes a callback offer or dial-back without dialling anyone twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { RoutingTestBed } from '../../test-support/routing-test-bed.ts';
import { checkRoutingInvariants } from '../../test-support/log-invariants.ts';
import { agentReady, agentState, callDoes, callerLegOf, callState, createQueue, fact } from '../../test-support/engine-fixture.ts';
import { queueCall } from '../../test-support/engine-fixture.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { agentLegUuidFor, callbackAttemptIdFor, callbackLegUuidFor } from './routing-ids.ts';

const T0 = 1_700_000_000_000;
const CALLBACK_RULES = { offerAfterSeconds: 0, key: '1', maxRetries: 1, retryIntervalSeconds: 60 };

describe('RoutingManager callbacks (agent first)', () => {
  let bed: RoutingTestBed;
  let store: EventStore;
  let clock: RoutingTestBed['clock'];
  let port: RoutingTestBed['port'];
  beforeEach(async () => {
    bed = await RoutingTestBed.open(T0);
    ({ store, clock, port } = bed);
  });
  afterEach(() => bed.close());
  const startEngine = (name?: string) => bed.start(name);
  const stopEngine = () => bed.stop();
  const settle = () => bed.settle();
  const advance = (ms: number) => bed.advance(ms);

  const agentLegs = () => port.named('originate').filter((c) => c.request.role === 'agent').map((c) => c.request as unknown as { legUuid: string; callId: string; offerId: string });
  const customerLegs = () => port.named('originate').filter((c) => c.request.role === 'outbound').map((c) => c.request as unknown as { legUuid: string; callId: string; variables: Record<string, string> });
  const kills = () => port.named('kill').map((c) => c.request.legUuid);
  const callTypes = async (callId: string) => (await readAllOf(store, `call-${callId}`)).map((e) => e.type);
  const agentLeg = (o: { legUuid: string; offerId: string }, callId = 'c1') => ({ legUuid: o.legUuid, callId, offerId: o.offerId, role: 'agent' as const });
  const customerLeg = (legUuid: string, callId = 'c1') => ({ legUuid, callId, role: 'outbound' as const });

  /** A queued caller asks for a callback (as the queue-media manager records it on the callback key). */
  async function requestCallback(callId: string, at: number): Promise<void> {
    await callDoes(store, { type: 'RequestCallback', commandId: `req-${callId}-${at}`, at, callId });
  }

  it('Given a caller released for a callback, When no agent is free, Then nobody is dialled; When an agent frees up, Then the agent is offered and answers first, then the customer is dialled, answers, and is bridged to the agent', async () => {
    await createQueue(store, 'sales', T0, { limits: { maxWait: { seconds: 30, exit: { kind: 'callback' } }, maxWaitNoAgent: null, maxLength: null }, callback: CALLBACK_RULES }, ['a1']);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await settle();
    await advance(31_000);
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'callback pending');
    await settle();
    expect(kills()).toContain(callerLegOf('c1'));
    // The caller is gone, nobody is free: minutes pass and nobody is dialled, and no queue limit fires again.
    await advance(10 * 60_000);
    expect(customerLegs()).toHaveLength(0);
    expect(agentLegs()).toHaveLength(0);
    expect((await callState(store, 'c1')).status).toBe('callback_pending');
    // The caller's original leg hangs up (it was released): not the end of the callback.
    port.emit(fact('leg_hangup', clock.now(), { legUuid: callerLegOf('c1'), callId: 'c1', role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
    await settle();
    expect((await callState(store, 'c1')).status).toBe('callback_pending');

    await agentReady(store, 'a1', clock.now());
    await until(() => agentLegs().length === 1, 'the agent offered first');
    const o = agentLegs()[0]!;
    const offered = await callState(store, 'c1');
    expect(offered).toMatchObject({ status: 'offered', offer: { agentId: 'a1', offerId: o.offerId }, queue: { queueId: 'sales', enteredAt: T0 + 1000 } });
    expect(offered.callback).not.toBeNull();
    expect(o.legUuid).toBe(agentLegUuidFor(o.offerId));
    await settle();
    expect(customerLegs()).toHaveLength(0);

    port.emit(fact('leg_ringing', clock.now(), agentLeg(o), {}));
    port.emit(fact('leg_answered', clock.now() + 2000, agentLeg(o), {}));
    await until(() => customerLegs().length === 1, 'the customer dialled once the agent answered');
    const attemptId = callbackAttemptIdFor(o.offerId);
    expect(customerLegs()[0]).toMatchObject({ legUuid: callbackLegUuidFor(attemptId), callId: 'c1', variables: { ledgerline_attempt_id: attemptId } });
    expect((await callState(store, 'c1')).status).toBe('callback_dialing');
    expect((await agentState(store, 'a1')).state).toBe('talking');
    expect(port.named('bridge')).toHaveLength(0);

    port.emit(fact('leg_answered', clock.now() + 9000, customerLeg(customerLegs()[0]!.legUuid), {}));
    await until(async () => (await callState(store, 'c1')).status === 'connected', 'connected');
    expect(port.named('bridge').map((c) => c.request)).toMatchObject([{ aLegUuid: customerLegs()[0]!.legUuid, bLegUuid: o.legUuid }]);
    const types = await callTypes('c1');
    const order = ['CallbackScheduled', 'CallOfferedToAgent', 'AgentLegAnswered', 'CallbackAttempted', 'CallbackCompleted', 'CallConnected'];
    expect(order.map((t) => types.indexOf(t))).toEqual([...order.map((t) => types.indexOf(t))].sort((a, b) => a - b));
    expect(order.every((t) => types.includes(t))).toBe(true);
    // The port saw the agent's originate before the customer's.
    const names = port.named('originate').map((c) => c.request.role);
    expect(names).toEqual(['agent', 'outbound']);

    // From here it is an ordinary call: the customer hangs up, the agent wraps up.
    port.emit(fact('leg_hangup', clock.now() + 60_000, customerLeg(customerLegs()[0]!.legUuid), { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await callState(store, 'c1')).status === 'ended', 'ended');
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'wrap-up');
    expect((await readAllOf(store, 'call-c1')).find((e) => e.type === 'CallEnded')!.data).toMatchObject({ answered: true, hungUpBy: 'caller' });
    expect(bed.errors).toEqual([]);
  });

  it('When the customer does not answer, Then the agent is released to wrap-up, the callback is due again after the retry interval (agent first again), and after maxRetries it ends', async () => {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 5 }, callback: CALLBACK_RULES }, ['a1']);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 - 2000);
    await requestCallback('c1', T0 - 1000);
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'callback pending');
    await agentReady(store, 'a1', clock.now());
    await until(() => agentLegs().length === 1, 'first offer');
    const o1 = agentLegs()[0]!;
    port.emit(fact('leg_answered', clock.now(), agentLeg(o1), {}));
    await until(() => customerLegs().length === 1, 'first dial-back');
    const failedAt = clock.now();
    port.emit(fact('leg_hangup', failedAt, customerLeg(customerLegs()[0]!.legUuid), { cause: 'NO_ANSWER' }));
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'retry owed');
    const pending = await callState(store, 'c1');
    expect(pending.callback).toMatchObject({ attempts: 1, notBefore: failedAt + 60_000 });
    expect(pending.queue?.enteredAt).toBe(T0 - 2000);
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'the agent released to wrap-up');
    await settle();
    expect(kills()).toContain(o1.legUuid);
    expect((await readAllOf(store, 'call-c1')).find((e) => e.type === 'CallbackFailed')!.data).toMatchObject({ willRetry: true, retryAt: failedAt + 60_000, cause: 'no_answer' });

    // The agent is ready again after 5 s of wrap-up, but the callback is not due before its retry time.
    await advance(10_000);
    await until(async () => (await agentState(store, 'a1')).state === 'ready', 'ready after wrap-up');
    await settle();
    expect(agentLegs()).toHaveLength(1);
    await advance(failedAt + 60_000 - clock.now() + 1);
    await until(() => agentLegs().length === 2, 'offered again when due');
    // Agent first again: the customer is not dialled before the agent answers.
    await settle();
    expect(customerLegs()).toHaveLength(1);
    const o2 = agentLegs()[1]!;
    port.emit(fact('leg_answered', clock.now(), agentLeg(o2), {}));
    await until(() => customerLegs().length === 2, 'second dial-back');
    port.emit(fact('leg_hangup', clock.now(), customerLeg(customerLegs()[1]!.legUuid), { cause: 'USER_BUSY' }));
    // maxRetries 1: the second failure is the last; the call ends, never as an abandon, and the agent wraps up.
    await until(async () => (await callState(store, 'c1')).status === 'ended', 'given up');
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'the agent released again');
    const types = await callTypes('c1');
    expect(types.filter((t) => t === 'CallbackAttempted')).toHaveLength(2);
    expect(types).not.toContain('CallAbandoned');
    expect((await readAllOf(store, 'call-c1')).find((e) => e.type === 'CallEnded')!.data).toMatchObject({ cause: 'CALLBACK_FAILED', hungUpBy: 'system' });
    await settle();
    expect(kills()).toContain(o2.legUuid);
    // Each offer was closed before the next (CallOfferCancelled with the failed attempt): no call offered twice at once.
    expect((await checkRoutingInvariants(store)).violations).toEqual([]);
    expect(bed.errors).toEqual([]);
  });

  it('When the agent does not answer a callback offer, Then the callback goes back to its place and is offered to the next agent, nobody dialled meanwhile', async () => {
    await createQueue(store, 'sales', T0, { routing: { strategy: 'top-down' }, callback: CALLBACK_RULES }, ['a1', 'a2']);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 - 2000);
    await requestCallback('c1', T0 - 1000);
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'callback pending');
    await agentReady(store, 'a1', clock.now());
    await agentReady(store, 'a2', clock.now() + 1);
    await until(() => agentLegs().length === 1, 'first offer');
    const first = agentLegs()[0]!;
    const firstAgent = (await callState(store, 'c1')).offer!.agentId;
    port.emit(fact('leg_hangup', clock.now() + 15_000, agentLeg(first), { cause: 'NO_ANSWER' }));
    await until(() => agentLegs().length === 2, 'offered to the next agent');
    const again = await callState(store, 'c1');
    expect(again.offer?.agentId).not.toBe(firstAgent);
    expect(again.callback).toMatchObject({ attempts: 0 });
    expect(again.queue?.enteredAt).toBe(T0 - 2000);
    expect((await readAllOf(store, 'call-c1')).find((e) => e.type === 'AgentLegFailed')!.data).toMatchObject({ returnedTo: 'callback' });
    expect((await agentState(store, firstAgent)).totals.missed).toBe(1);
    expect(customerLegs()).toHaveLength(0);
    expect(bed.errors).toEqual([]);
  });

  it('When the agent hangs up while the customer is dialled, Then the customer leg is killed, the agent wraps up, and the callback is due now without spending an attempt', async () => {
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 5 }, callback: { ...CALLBACK_RULES, maxRetries: 0 } }, ['a1']);
    await startEngine();
    await queueCall(store, 'c1', 'sales', T0 - 2000);
    await requestCallback('c1', T0 - 1000);
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'callback pending');
    await agentReady(store, 'a1', clock.now());
    await until(() => agentLegs().length === 1, 'offer');
    const o = agentLegs()[0]!;
    port.emit(fact('leg_answered', clock.now(), agentLeg(o), {}));
    await until(() => customerLegs().length === 1, 'dial-back');
    port.emit(fact('leg_hangup', clock.now(), agentLeg(o), { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await callState(store, 'c1')).status === 'callback_pending', 'owed again');
    expect((await callState(store, 'c1')).callback).toMatchObject({ attempts: 0, notBefore: clock.now() });
    await until(async () => (await agentState(store, 'a1')).state === 'wrap_up', 'the agent wraps up');
    await settle();
    expect(kills()).toContain(customerLegs()[0]!.legUuid);
    // The killed customer leg reports its hangup: it is not a failed attempt any more.
    port.emit(fact('leg_hangup', clock.now(), customerLeg(customerLegs()[0]!.legUuid), { cause: 'ORIGINATOR_CANCEL' }));
    await settle();
    expect((await callTypes('c1'))).not.toContain('CallbackFailed');
    // maxRetries 0, yet the next agent-first attempt still comes: the withdrawn one did not count.
    await advance(6000);
    await until(() => agentLegs().length === 2, 'offered again');
    expect((await callState(store, 'c1')).status).not.toBe('ended');
  });

  it('Given a manager stopped while a callback is dialled, When a new one starts, Then it resumes against the switch: the customer who answered is bridged, nobody is dialled twice', async () => {
    await createQueue(store, 'sales', T0, { callback: CALLBACK_RULES }, ['a1', 'a2']);
    await startEngine('first');
    for (const c of ['c1', 'c2']) {
      await queueCall(store, c, 'sales', T0 - 2000);
      await requestCallback(c, T0 - 1000);
    }
    await until(async () => (await callState(store, 'c2')).status === 'callback_pending' && (await callState(store, 'c1')).status === 'callback_pending', 'callbacks pending');
    await agentReady(store, 'a1', clock.now());
    await agentReady(store, 'a2', clock.now() + 1);
    await until(() => agentLegs().length === 2, 'both offered');
    const byCall = new Map(agentLegs().map((l) => [l.callId, l]));
    // c1: the agent answers and the customer is dialled, then the manager stops.
    port.emit(fact('leg_answered', clock.now(), agentLeg(byCall.get('c1')!, 'c1'), {}));
    await until(() => customerLegs().length === 1, 'c1 dialled');
    await settle();
    await stopEngine();
    // While nobody listens: c1's customer answers, c2's agent answers (both facts lost).
    port.statuses.set(customerLegs()[0]!.legUuid, 'answered');
    port.statuses.set(byCall.get('c2')!.legUuid, 'answered');
    await clock.advanceBy(5000);

    await startEngine('second');
    await until(async () => (await callState(store, 'c1')).status === 'connected', 'c1 connected on resume');
    expect(port.named('bridge').map((c) => c.request)).toMatchObject([{ aLegUuid: customerLegs()[0]!.legUuid, bLegUuid: byCall.get('c1')!.legUuid }]);
    // c2: its agent answered while nobody listened: the customer is dialled now, once.
    await until(() => customerLegs().some((l) => l.callId === 'c2'), 'c2 dialled on resume');
    await until(async () => (await callState(store, 'c2')).status === 'callback_dialing', 'c2 dialling');
    await settle();
    for (const [legUuid, n] of port.originations) expect(n, `originations of ${legUuid}`).toBe(1);
    expect(customerLegs()).toHaveLength(2);
  });
});
