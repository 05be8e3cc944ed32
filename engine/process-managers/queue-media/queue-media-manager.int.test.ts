// The queue media manager against a real event store (PGlite in memory), the fake switch port and a virtual clock:
// hold music, announcements at the right instants with the domain's estimate, the callback key, restarts, and media
// stopped when the call leaves the queue. No routing manager runs: offers are made by hand where a test needs one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { queueDecider, queueStream } from '../../../domain/queue/queue-decider.ts';
import { offerPolicyOf } from '../../../domain/queue/queue-offer-policy.ts';
import type { QueueSettingsInput } from '../../../domain/queue/queue-settings.ts';
import { estimateWait } from '../../../domain/routing/wait-estimate.ts';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { VirtualClock } from '../../clock.ts';
import { handleCommand, loadAggregate } from '../../command-handling/handle-command.ts';
import { parseAgentCommand, type AgentCommandInput } from '../../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../../domain/agent/agent-decider.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import { parseQueueCommand, type QueueCommandInput } from '../../../domain/queue/queue-commands.ts';
import type { SwitchCommandBase } from '../../ports/switch-port.ts';
import { agentDoes, agentReady, callDoes, callerLegOf, callState, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { FakeSwitchPort, type RecordedSwitchCommand } from '../../test-support/fake-switch-port.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { RoutingManager } from '../routing/routing-manager.ts';
import { agentLegUuidFor } from '../routing/routing-ids.ts';
import type { SwitchPort } from '../../ports/switch-port.ts';
import { announceCommandId, announcePlaybackId, callbackConfirmationPlaybackId } from './queue-media-ids.ts';
import { QueueMediaManager, type QueueMediaManagerOptions } from './queue-media-manager.ts';

/** A command input without its id (distributed over the union, so each command keeps its own fields). */
type NoId<T> = T extends unknown ? Omit<T, 'commandId'> : never;
const T0 = 1_700_000_000_000;
const MIN = 60_000;

/** The fake port plus the stop command the manager uses when a port has it (uuid_break all). */
class StoppablePort extends FakeSwitchPort {
  override stopMedia(r: SwitchCommandBase & { legUuid: string }): Promise<void> {
    this.commands.push({ name: 'stopMedia', request: r as unknown as RecordedSwitchCommand['request'] });
    return Promise.resolve();
  }
}

type Req = { legUuid: string; path: string; playbackId: string };
const announcing = (every = 60, onEntry = false): Partial<QueueSettingsInput> => ({ announcements: { estimatedWait: { enabled: true, everySeconds: every, onEntry }, musicOnHold: 'moh/sales.wav' } });

describe('QueueMediaManager', () => {
  let store: EventStore;
  let clock: VirtualClock;
  let port: FakeSwitchPort;
  let errors: unknown[];
  const running: QueueMediaManager[] = [];

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    clock = new VirtualClock(T0);
    port = new StoppablePort();
    errors = [];
  });
  afterEach(async () => {
    for (const m of running.splice(0)) await m.stop();
    port.close();
    await store.close();
    expect(errors).toEqual([]);
  });

  async function start(name = 'qm-1', more: Partial<QueueMediaManagerOptions> = {}): Promise<QueueMediaManager> {
    const m = new QueueMediaManager({ store, switchPort: port, clock, instanceId: name, onError: (e) => errors.push(e), ...more });
    await m.start();
    running.push(m);
    return m;
  }

  const plays = (callId: string): Req[] => port.named('play').map((c) => c.request as unknown as Req).filter((r) => r.legUuid === callerLegOf(callId));
  const stops = (callId: string): number => port.named('stopMedia').filter((c) => c.request.legUuid === callerLegOf(callId)).length;
  const announced = async (callId: string) =>
    (await readAllOf(store, `call-${callId}`)).filter((e) => e.type === 'WaitEstimateAnnounced').map((e) => ({ ...(e.data as { at: number; estimatedWaitSeconds: number; positionInQueue: number; method: string }), commandId: e.metadata.commandId }));
  const settle = async (m: QueueMediaManager): Promise<void> => {
    await m.idle();
    await new Promise((r) => setTimeout(r, 30));
    await m.idle();
  };

  /** Agents of the queue who each handled one call (talk + after-call work) and are now talking on another. */
  async function busyAgentsWithHistory(queueId: string, history: Record<string, { talkS: number; wrapS: number }>): Promise<void> {
    const config = (await loadAggregate(store, queueDecider, queueStream(queueId))).state.config!;
    const policy = offerPolicyOf(config);
    let t = T0 - 3_600_000;
    for (const [agentId, h] of Object.entries(history)) {
      await agentReady(store, agentId, t);
      await agentDoes(store, { type: 'OfferCall', commandId: `${agentId}-o1`, at: t, agentId, offerId: `${agentId}-o1`, callId: `old-${agentId}`, queueId, policy });
      await agentDoes(store, { type: 'RecordTalking', commandId: `${agentId}-t1`, at: t, agentId, offerId: `${agentId}-o1` });
      await agentDoes(store, { type: 'StartWrapUp', commandId: `${agentId}-w1`, at: t + h.talkS * 1000, agentId, offerId: `${agentId}-o1` });
      await agentDoes(store, { type: 'EndWrapUp', commandId: `${agentId}-e1`, at: t + (h.talkS + h.wrapS) * 1000, agentId, offerId: `${agentId}-o1`, reason: 'agent' });
      t += 1_000_000;
      await agentDoes(store, { type: 'OfferCall', commandId: `${agentId}-o2`, at: t, agentId, offerId: `${agentId}-o2`, callId: `busy-${agentId}`, queueId, policy });
      await agentDoes(store, { type: 'RecordTalking', commandId: `${agentId}-t2`, at: t, agentId, offerId: `${agentId}-o2` });
    }
  }

  it('plays the queue music from entry and announces every interval the estimate of the domain and the position, recorded before played', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1', 'a2']);
    await busyAgentsWithHistory('sales', { a1: { talkS: 100, wrapS: 20 }, a2: { talkS: 200, wrapS: 40 } });
    const m = await start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await queueCall(store, 'c2', 'sales', T0 + 2000);
    await until(() => plays('c1').length === 1 && plays('c2').length === 1, 'hold music for both callers');
    expect(plays('c1')[0]!.path).toBe('moh/sales.wav');

    await clock.advanceTo(T0 + 1000 + MIN - 1);
    await settle(m);
    expect(await announced('c1')).toEqual([]);

    await clock.advanceTo(T0 + 2000 + MIN);
    await until(async () => (await announced('c2')).length === 1, 'first announcements');
    const [a1] = await announced('c1');
    const [b1] = await announced('c2');
    // Handle times 120 s and 240 s (mean 180), two agents serving, none free: the first caller needs one departure
    // (90 s), the second two (180 s).
    const first = estimateWait({ position: 0, staffedAgents: 2, idleAgents: 0, recentHandleTimesSeconds: [120, 240] });
    expect(first.kind === 'estimate' && Math.round(first.expectedSeconds)).toBe(90);
    expect(a1).toMatchObject({ at: T0 + 1000 + MIN, estimatedWaitSeconds: 90, positionInQueue: 1, method: 'position', commandId: announceCommandId('call-c1', 1) });
    expect(b1).toMatchObject({ at: T0 + 2000 + MIN, estimatedWaitSeconds: 180, positionInQueue: 2 });
    await until(() => plays('c1').some((p) => p.playbackId === announcePlaybackId('call-c1', 1)), 'announcement played');
    const spoken = plays('c1').find((p) => p.playbackId === announcePlaybackId('call-c1', 1))!;
    expect(spoken.path).toBe('say:You are number 1 in the queue. Your estimated wait time is about 2 minutes.');
    // The music was stopped for it (the port can), and comes back when the announcement ends.
    expect(stops('c1')).toBe(1);
    port.emit(fact('playback_done', clock.now(), { legUuid: callerLegOf('c1') }, { playbackId: spoken.playbackId }));
    await until(() => plays('c1').length === 3 && plays('c1')[2]!.path === 'moh/sales.wav', 'music again');

    await clock.advanceTo(T0 + 1000 + 2 * MIN);
    await until(async () => (await announced('c1')).length === 2, 'second announcement');
    expect((await announced('c1'))[1]).toMatchObject({ at: T0 + 1000 + 2 * MIN, commandId: announceCommandId('call-c1', 2) });
    await settle(m);
    expect(await announced('c2')).toHaveLength(1);
  });

  it('music for a leg the switch no longer has (the caller just hung up) is counted, not reported; another failure is reported', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1']);
    let failure: Error = new LedgerlineError('ESL_NO_SUCH_CHANNEL', 'sendmsg: -ERR invalid session id');
    port.onCommand = (c) => {
      if (c.name === 'play') throw failure;
    };
    const m = await start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => m.stats.legsGone === 1, 'the failed play counted');
    expect(errors).toEqual([]);
    failure = new Error('connection reset');
    await queueCall(store, 'c2', 'sales', T0 + 2000);
    await until(() => errors.length === 1, 'the other failure reported');
    expect(String(errors[0])).toContain('connection reset');
    errors.length = 0;
  });

  it('announces on entry when the queue says so; with no estimate possible it plays a comfort prompt and records nothing', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60, true), ['a1']);
    await busyAgentsWithHistory('sales', { a1: { talkS: 50, wrapS: 10 } });
    await createQueue(store, 'empty', T0 - 7_200_000, announcing(60, true));
    const m = await start('qm-1');
    await queueCall(store, 'c1', 'sales', T0);
    await until(() => plays('c1').length === 1, 'hold music');
    await clock.advanceBy(0);
    await until(async () => (await announced('c1')).length === 1, 'announcement on entry');
    expect((await announced('c1'))[0]).toMatchObject({ at: T0, estimatedWaitSeconds: 60, positionInQueue: 1 });

    await queueCall(store, 'c9', 'empty', T0);
    await until(() => plays('c9').length === 1, 'hold music');
    await clock.advanceBy(0);
    await until(() => plays('c9').some((p) => p.path.startsWith('say:Thank you for waiting')), 'comfort prompt');
    const comfort = plays('c9').find((p) => p.path.startsWith('say:Thank you for waiting'))!;
    port.emit(fact('playback_done', clock.now(), { legUuid: callerLegOf('c9') }, { playbackId: comfort.playbackId }));
    await until(() => plays('c9').length === 3 && plays('c9')[2]!.path === 'moh/sales.wav', 'music after the comfort prompt');
    await clock.advanceBy(MIN - 1);
    await settle(m);
    expect(plays('c9').filter((p) => p.path.startsWith('say:Thank you for waiting'))).toHaveLength(1);
    await clock.advanceBy(1);
    await until(() => plays('c9').filter((p) => p.path.startsWith('say:Thank you for waiting')).length === 2, 'comfort again an interval later');
    expect(await announced('c9')).toEqual([]);
  });

  it('the callback key, once offered, requests the callback exactly once (repeated and duplicate facts), stops the music and confirms', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, { callback: { offerAfterSeconds: 30, key: '1', maxRetries: 1, retryIntervalSeconds: 60 } }, ['a1']);
    const m = await start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => plays('c1').length === 1, 'hold music');
    const leg = { legUuid: callerLegOf('c1') };

    port.emit(fact('dtmf', T0 + 2000, leg, { digit: '1' }));
    await settle(m);
    expect((await callState(store, 'c1')).status).toBe('queued');

    await clock.advanceTo(T0 + 31_000);
    await until(() => plays('c1').some((p) => p.path === 'say:Press 1 to be called back, keeping your place in the queue.'), 'callback offered');

    port.emit(fact('dtmf', T0 + 32_000, leg, { digit: '2' }));
    const one = fact('dtmf', T0 + 33_000, leg, { digit: '1' });
    port.emit(one);
    port.emit(one);
    port.emit(fact('dtmf', T0 + 33_300, leg, { digit: '1' }));
    await until(async () => (await callState(store, 'c1')).status === 'callback_requested', 'callback requested');
    await settle(m);
    const events = await readAllOf(store, 'call-c1');
    expect(events.filter((e) => e.type === 'CallbackRequested')).toHaveLength(1);
    expect(events.find((e) => e.type === 'CallbackRequested')!.data).toMatchObject({ at: T0 + 33_000, requestedIn: 'queue', callbackNumber: '+32475000001' });
    expect(stops('c1')).toBeGreaterThanOrEqual(1);
    const confirmation = plays('c1').filter((p) => p.playbackId === callbackConfirmationPlaybackId('call-c1', 1));
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.path).toMatch(/^say:Thank you\. We will call you back/);
    // The stop came before the confirmation.
    const names = port.commands.filter((c) => c.request.legUuid === leg.legUuid).map((c) => (c.name === 'play' ? (c.request as unknown as Req).playbackId : c.name));
    expect(names.lastIndexOf('stopMedia')).toBeLessThan(names.indexOf(callbackConfirmationPlaybackId('call-c1', 1)));
  });

  it('a restart mid-wait resumes the announcements from the log: none repeated, one made at start if it fell due meanwhile', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1']);
    await busyAgentsWithHistory('sales', { a1: { talkS: 50, wrapS: 10 } });
    const first = await start('first');
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => plays('c1').length === 1, 'hold music');
    await clock.advanceTo(T0 + 1000 + MIN);
    await until(async () => (await announced('c1')).length === 1, 'announcement 1');
    await settle(first);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    await clock.advanceTo(T0 + 100_000);
    const stopsBefore = stops('c1');
    const second = await start('second');
    await until(() => plays('c1').filter((p) => p.path === 'moh/sales.wav').length === 2, 'music resumed');
    // What the first instance left playing is stopped before the music starts again.
    expect(stops('c1')).toBe(stopsBefore + 1);
    await settle(second);
    expect(await announced('c1')).toHaveLength(1);
    await clock.advanceTo(T0 + 1000 + 2 * MIN - 1);
    await settle(second);
    expect(await announced('c1')).toHaveLength(1);
    await clock.advanceTo(T0 + 1000 + 2 * MIN);
    await until(async () => (await announced('c1')).length === 2, 'announcement 2 on time');
    await settle(second);
    await second.stop();
    running.splice(running.indexOf(second), 1);

    // Down past the third due time (T0 + 181 s): announced once at start, then an interval after that.
    await clock.advanceTo(T0 + 250_000);
    const third = await start('third');
    await clock.advanceBy(0);
    await until(async () => (await announced('c1')).length === 3, 'missed announcement made at start');
    await settle(third);
    const all = await announced('c1');
    expect(all.map((a) => a.at)).toEqual([T0 + 61_000, T0 + 121_000, T0 + 250_000]);
    expect(new Set(all.map((a) => a.commandId)).size).toBe(3);
    expect(plays('c1').filter((p) => p.playbackId === announcePlaybackId('call-c1', 1))).toHaveLength(1);
    await clock.advanceTo(T0 + 250_000 + MIN - 1);
    await settle(third);
    expect(await announced('c1')).toHaveLength(3);
  });

  it('stops the media when the call is offered, plays nothing while offered, and starts again when the offer fails', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1', 'a2']);
    await busyAgentsWithHistory('sales', { a2: { talkS: 50, wrapS: 10 } });
    const m = await start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => plays('c1').length === 1, 'hold music');

    // What the routing manager does for an offer (agent stream first, then the call).
    const config = (await loadAggregate(store, queueDecider, queueStream('sales'))).state.config!;
    await agentReady(store, 'a1', T0 + 5000);
    await agentDoes(store, { type: 'OfferCall', commandId: 'offer', at: T0 + 5000, agentId: 'a1', offerId: 'of-1', callId: 'c1', queueId: 'sales', policy: offerPolicyOf(config) });
    await callDoes(store, { type: 'OfferToAgent', commandId: 'offer-call', at: T0 + 5000, callId: 'c1', agentId: 'a1', offerId: 'of-1' });
    await until(() => stops('c1') === 1, 'media stopped on offer');

    const before = port.commands.length;
    await clock.advanceTo(T0 + 1000 + MIN);
    await settle(m);
    expect(await announced('c1')).toEqual([]);
    expect(port.commands.length).toBe(before);
    // A late playback_done of the stopped music plays nothing.
    port.emit(fact('playback_done', clock.now(), { legUuid: callerLegOf('c1') }, { playbackId: plays('c1')[0]!.playbackId }));
    await settle(m);
    expect(port.commands.length).toBe(before);

    await clock.advanceTo(T0 + 70_000);
    await callDoes(store, { type: 'RecordAgentLegFailed', commandId: 'failed', at: T0 + 70_000, callId: 'c1', offerId: 'of-1', cause: 'no_answer' });
    await until(() => plays('c1').length >= 2, 'back in queue: media again');
    await clock.advanceBy(0);
    // The announcement that fell due during the offer is made now.
    await until(async () => (await announced('c1')).length === 1, 'overdue announcement');
  });

  it('serves tenant-scoped calls: the queue, agents and handle times of the call\'s tenant, commands on the call\'s own stream', async () => {
    const ctx = { tenant: 'acme' };
    let n = 0;
    const q = (c: NoId<QueueCommandInput>) => handleCommand(store, queueDecider, 'queue-acme.sales', parseQueueCommand({ commandId: `tq${++n}`, ...c }), ctx);
    const a = (c: NoId<AgentCommandInput>) => handleCommand(store, agentDecider, 'agent-acme.a1', parseAgentCommand({ commandId: `ta${++n}`, ...c }), ctx);
    const c = (cmd: NoId<CallCommandInput>) => handleCommand(store, callDecider, 'call-acme.c1', parseCallCommand({ commandId: `tc${++n}`, ...cmd }), ctx);
    const t = T0 - 3_600_000;
    await q({ type: 'CreateQueue', at: t, queueId: 'sales', settings: { name: 'Sales', routing: { strategy: 'longest-idle' }, ...announcing(60), callback: { offerAfterSeconds: 0, key: '1', maxRetries: 0, retryIntervalSeconds: 60 } } });
    await q({ type: 'AssignAgentsToQueue', at: t, queueId: 'sales', agents: [{ agentId: 'a1' }] });
    const policy = offerPolicyOf((await loadAggregate(store, queueDecider, 'queue-acme.sales')).state.config!);
    await a({ type: 'LogIn', at: t, agentId: 'a1', skills: [], capacity: { voice: 1 }, ready: true });
    await a({ type: 'OfferCall', at: t, agentId: 'a1', offerId: 'o1', callId: 'old', queueId: 'sales', policy });
    await a({ type: 'RecordTalking', at: t, agentId: 'a1', offerId: 'o1' });
    await a({ type: 'StartWrapUp', at: t + 40_000, agentId: 'a1', offerId: 'o1' });
    await a({ type: 'EndWrapUp', at: t + 50_000, agentId: 'a1', offerId: 'o1', reason: 'agent' });
    await a({ type: 'OfferCall', at: t + 60_000, agentId: 'a1', offerId: 'o2', callId: 'busy', queueId: 'sales', policy });
    await a({ type: 'RecordTalking', at: t + 60_000, agentId: 'a1', offerId: 'o2' });
    // The default tenant has a queue of the same name with nobody in it: it must not be the one used.
    await createQueue(store, 'sales', t, announcing(60));
    const m = await start();
    const leg = callerLegOf('acme.c1');
    await c({ type: 'ReceiveCall', at: T0, callId: 'c1', did: '+3225550100', callerNumber: '+32475000001', switchId: 'sw-1', channelUuid: leg });
    await c({ type: 'QueueCall', at: T0, callId: 'c1', queueId: 'sales', priority: 0 });
    await until(() => port.named('play').some((p) => p.request.legUuid === leg), 'hold music');
    await clock.advanceTo(T0 + MIN);
    await until(async () => (await readAllOf(store, 'call-acme.c1')).some((e) => e.type === 'WaitEstimateAnnounced'), 'announcement');
    const ann = (await readAllOf(store, 'call-acme.c1')).find((e) => e.type === 'WaitEstimateAnnounced')!;
    expect(ann.data).toMatchObject({ callId: 'c1', queueId: 'sales', estimatedWaitSeconds: 50, positionInQueue: 1 });
    expect(ann.metadata.tenant).toBe('acme');
    expect(ann.metadata.commandId).toBe(announceCommandId('call-acme.c1', 1));

    port.emit(fact('dtmf', T0 + MIN + 500, { legUuid: leg, callId: 'acme.c1', role: 'caller' }, { digit: '1' }));
    await until(async () => (await readAllOf(store, 'call-acme.c1')).some((e) => e.type === 'CallbackRequested'), 'callback requested');
    await settle(m);
    expect(await readAllOf(store, 'call-c1')).toEqual([]);
  });

  it('with the routing manager: the music stops when the call is offered, before the bridge, and nothing plays after it', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1']);
    // Each manager reads its own copy of the facts (as the engine's fan-out gives them); commands go to one port.
    const mediaFacts = new FakeSwitchPort();
    const mediaPort = new Proxy(port, {
      get(target, prop) {
        if (prop === 'facts') return () => mediaFacts.facts();
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as SwitchPort;
    const routing = new RoutingManager({ store, switchPort: port, clock, instanceId: 'routing', onError: (e) => errors.push(e) });
    await routing.start();
    const m = new QueueMediaManager({ store, switchPort: mediaPort, clock, instanceId: 'qm', onError: (e) => errors.push(e) });
    await m.start();
    running.push(m);
    try {
      await queueCall(store, 'c1', 'sales', T0 + 1000);
      await until(() => plays('c1').length === 1, 'hold music');
      await agentReady(store, 'a1', T0 + 2000);
      await until(() => port.named('originate').length === 1 && stops('c1') === 1, 'offered: agent dialled, music stopped');
      const offerId = (port.named('originate')[0]!.request as unknown as { offerId: string }).offerId;
      port.emit(fact('leg_answered', T0 + 5000, { legUuid: agentLegUuidFor(offerId), callId: 'c1', offerId, role: 'agent' }, {}));
      await until(async () => (await callState(store, 'c1')).status === 'connected', 'connected');
      await clock.advanceTo(T0 + 3 * MIN);
      await routing.idle();
      await settle(m);
      const onCaller = port.commands.filter((c) => c.request.legUuid === callerLegOf('c1') || c.request.aLegUuid === callerLegOf('c1')).map((c) => c.name);
      expect(onCaller).toEqual(['play', 'stopMedia', 'bridge']);
      expect(await announced('c1')).toEqual([]);
    } finally {
      await routing.stop();
      mediaFacts.close();
    }
  });

  it('instances that split the calls play to their own calls only', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1']);
    await busyAgentsWithHistory('sales', { a1: { talkS: 50, wrapS: 10 } });
    const one = await start('one', { ownsCall: (s) => s === 'call-c1' });
    const two = await start('two', { ownsCall: (s) => s !== 'call-c1' });
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await queueCall(store, 'c2', 'sales', T0 + 1000);
    await until(() => plays('c1').length === 1 && plays('c2').length === 1, 'music for both');
    await clock.advanceTo(T0 + 1000 + MIN);
    await until(async () => (await announced('c1')).length === 1 && (await announced('c2')).length === 1, 'one announcement each');
    await settle(one);
    await settle(two);
    expect(plays('c1').filter((p) => p.path === 'moh/sales.wav')).toHaveLength(1);
    expect(plays('c2').filter((p) => p.path === 'moh/sales.wav')).toHaveLength(1);
    expect(plays('c1').filter((p) => p.path.startsWith('say:'))).toHaveLength(1);
    expect(plays('c2').filter((p) => p.path.startsWith('say:'))).toHaveLength(1);
    expect(one.stats.announced + two.stats.announced).toBe(2);
  });

  it('a deleted queue: the music its callers hear is stopped and nothing more is announced', async () => {
    await createQueue(store, 'sales', T0 - 7_200_000, announcing(60), ['a1']);
    await busyAgentsWithHistory('sales', { a1: { talkS: 50, wrapS: 10 } });
    const m = await start();
    await queueCall(store, 'c1', 'sales', T0 + 1000);
    await until(() => plays('c1').length === 1, 'hold music');
    await handleCommand(store, queueDecider, queueStream('sales'), parseQueueCommand({ type: 'DeleteQueue', commandId: 'del', at: T0 + 2000, queueId: 'sales' }));
    await until(() => stops('c1') === 1, 'music stopped');
    await clock.advanceTo(T0 + 3 * MIN);
    await settle(m);
    expect(await announced('c1')).toEqual([]);
    expect(plays('c1')).toHaveLength(1);
  });
});
