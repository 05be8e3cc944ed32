// The inbound manager on an embedded store (PGlite) with the FakeSwitchPort: the test pushes switch facts and reads
// the call stream and the commands the switch received.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCallCommand } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { parseIvrFlowCommand } from '../../../domain/ivr-flow/ivr-flow-commands.ts';
import { ivrFlowDecider, ivrFlowStream } from '../../../domain/ivr-flow/ivr-flow-decider.ts';
import { VirtualClock } from '../../clock.ts';
import { handleCommand } from '../../command-handling/handle-command.ts';
import type { SwitchFact } from '../../ports/switch-port.ts';
import { fact, SWITCH } from '../../test-support/engine-fixture.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { InMemoryCustomerLookup } from './customer-lookup.ts';
import { InboundCallManager, type InboundFact } from './inbound-call-manager.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { inboundCallIdFor, inputStepKey, ivrTimerIdFor, IVR_TIMER_ACTOR, turnOfMediaId } from './inbound-ids.ts';

const FLOW = 'acme-main';
const DID = '+3225550100';
const T0 = 1_700_000_000_000;

const nodes = {
  welcome: { kind: 'play', prompt: { id: 'welcome' }, next: 'menu' },
  menu: {
    kind: 'menu',
    prompt: { id: 'main-menu' },
    options: [
      { key: '1', next: 'sales' },
      { key: '2', next: 'account' },
      { key: '9', next: 'bye' },
    ],
    timeoutMs: 5000,
    maxRetries: 1,
    invalidPrompt: { id: 'invalid' },
    noInputPrompt: { id: 'no-input' },
    onExhausted: 'give-up',
  },
  sales: { kind: 'queue', queueId: 'sales', priority: 5 },
  account: { kind: 'lookup', name: 'customer-by-number', inputs: { number: 'caller.number' }, outputs: { tier: 'caller.tier' }, timeoutMs: 3000, next: 'by-tier', onFailure: 'sales', onTimeout: 'sales' },
  'by-tier': { kind: 'condition', branches: [{ when: { kind: 'caller_tier', in: ['gold'] }, next: 'vip' }], default: 'sales' },
  vip: { kind: 'queue', queueId: 'vip', priority: 50 },
  bye: { kind: 'play', prompt: { id: 'goodbye' }, next: 'done' },
  done: { kind: 'hangup', reason: 'self_served' },
  'give-up': { kind: 'hangup', reason: 'no_input' },
};

async function publish(store: EventStore, flowNodes: Record<string, unknown>, n: number): Promise<void> {
  const flow = { id: FLOW, name: 'Acme', start: 'welcome', defaultLanguage: 'en-US', nodes: flowNodes };
  await handleCommand(store, ivrFlowDecider, ivrFlowStream(FLOW), parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: `save-${n}`, at: T0 - 1000, flowId: FLOW, flow }));
  await handleCommand(store, ivrFlowDecider, ivrFlowStream(FLOW), parseIvrFlowCommand({ type: 'PublishIvrFlow', commandId: `pub-${n}`, at: T0 - 1000, flowId: FLOW }));
}

describe('InboundCallManager', () => {
  let store: EventStore;
  let sw: FakeSwitchPort;
  let lookup: InMemoryCustomerLookup;
  let clock: VirtualClock;
  let mgr: InboundCallManager;
  let errors: unknown[];
  let t: number;
  const leg = 'caller-leg-1';
  const callId = inboundCallIdFor(SWITCH, leg);

  const newManager = (port: FakeSwitchPort): InboundCallManager => {
    const m = new InboundCallManager({ store, switchPort: port, flowForDid: { [DID]: FLOW }, lookup, clock, noInputGraceMs: 1000, onError: (e) => errors.push(e) });
    m.start();
    return m;
  };
  const push = async (f: SwitchFact | InboundFact, m = mgr, port = sw): Promise<void> => {
    const before = m.handled;
    port.emit(f);
    await until(() => m.handled > before, `fact ${f.kind} handled`);
    await m.idle();
  };
  const arrive = () => push({ ...fact('leg_ringing', (t += 10), { legUuid: leg }, {}), direction: 'inbound', did: DID, callerNumber: '+32475000001' } as InboundFact);
  const last = (name: string, port = sw) => port.named(name).at(-1)!.request;
  const playDone = (port = sw, m = mgr) => push(fact('playback_done', (t += 10), { legUuid: leg }, { playbackId: last('play', port)['playbackId'] as string }), m, port);
  const keys = (digits: string | null, port = sw, m = mgr) =>
    push(fact('digits_collected', (t += 10), { legUuid: leg }, { collectId: last('collectDigits', port)['collectId'] as string, digits }), m, port);
  const events = async () => (await readAllOf(store, `call-${callId}`)).map((e) => e.type);
  const nodesEntered = async () => (await readAllOf(store, `call-${callId}`)).filter((e) => e.type === 'IvrNodeEntered').map((e) => (e.data as { nodeId: string }).nodeId);

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    sw = new FakeSwitchPort();
    lookup = new InMemoryCustomerLookup({ 'customer-by-number': (i) => ({ ok: true, values: { tier: i['number'] === '+32475000001' ? 'gold' : 'standard' } }) });
    clock = new VirtualClock(T0);
    errors = [];
    t = T0;
    await publish(store, nodes, 1);
    mgr = newManager(sw);
  });
  afterEach(async () => {
    await mgr.stop();
    sw.close();
    await store.close();
  });

  it('takes a call through the menu to a queue, recording every step and the flow version', async () => {
    await arrive();
    expect(sw.named('answer')).toHaveLength(1);
    expect(last('play')['path']).toBe('ivr/en-US/welcome.wav');
    await playDone();
    expect(last('collectDigits')).toMatchObject({ promptPath: 'ivr/en-US/main-menu.wav', minDigits: 1, maxDigits: 1, timeoutMs: 5000 });
    await keys('1');
    expect(await events()).toEqual(['CallArrived', 'IvrStarted', 'IvrNodeEntered', 'IvrPromptPlayed', 'IvrNodeEntered', 'IvrInputReceived', 'IvrNodeEntered', 'IvrCompleted', 'CallQueued']);
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored[1]!.data).toMatchObject({ flowId: FLOW, flowVersion: 1 });
    expect(stored.at(-1)!.data).toMatchObject({ queueId: 'sales', priority: 5 });
    expect(await nodesEntered()).toEqual(['welcome', 'menu', 'sales']);
    expect(errors).toEqual([]);
  });

  it('runs the latest published version and keeps it pinned for the call', async () => {
    await publish(store, { ...nodes, sales: { kind: 'queue', queueId: 'sales-v2', priority: 1 } }, 2);
    await arrive();
    await publish(store, { ...nodes, sales: { kind: 'queue', queueId: 'sales-v3', priority: 1 } }, 3);
    await playDone();
    await keys('1');
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored[1]!.data).toMatchObject({ flowVersion: 2 });
    expect(stored.at(-1)!.data).toMatchObject({ queueId: 'sales-v2' });
  });

  it('takes keys from the collector only: key events during a menu do not count as input', async () => {
    await arrive();
    await playDone();
    const n = (await events()).length;
    await push(fact('dtmf', (t += 10), { legUuid: leg }, { digit: '7' }));
    expect(await events()).toHaveLength(n);
    await keys('1');
    expect((await events()).at(-1)).toBe('CallQueued');
  });

  it('re-prompts after an invalid key, then gives up after the retries with a hangup', async () => {
    await arrive();
    await playDone();
    await keys('7');
    expect(sw.named('play').map((c) => c.request['path'])).toEqual(['ivr/en-US/welcome.wav', 'ivr/en-US/invalid.wav']);
    expect(sw.named('collectDigits')).toHaveLength(2);
    await keys('8');
    expect(await nodesEntered()).toEqual(['welcome', 'menu', 'give-up']);
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.find((e) => e.type === 'IvrCompleted')!.data).toMatchObject({ outcome: 'hangup' });
    expect(stored.at(-1)!.type).toBe('CallEnded');
    expect(sw.named('kill')).toHaveLength(1);
  });

  it('treats a collector that got nothing as no input, plays the no-input prompt and accepts the next key', async () => {
    await arrive();
    await playDone();
    await keys(null);
    expect(last('play')['path']).toBe('ivr/en-US/no-input.wav');
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.filter((e) => e.type === 'IvrInputReceived').map((e) => e.data)).toMatchObject([{ nodeId: 'menu', input: { kind: 'timeout' } }]);
    await keys('1');
    expect((await events()).at(-1)).toBe('CallQueued');
  });

  it('records a no-input timeout through the durable timer when the switch never reports the collector', async () => {
    const timers = new TimerService({ store, clock });
    timers.start();
    try {
      await arrive();
      await playDone();
      const staleCollect = last('collectDigits')['collectId'] as string;
      await until(() => timers.pendingCount === 1, 'the no-input timer is known to the timer service');
      const playsBefore = sw.named('play').length;
      await clock.advanceBy(5000 + 1000 + 100);
      await until(() => sw.named('play').length > playsBefore, 'the no-input re-prompt');
      await mgr.idle();
      expect(last('play')['path']).toBe('ivr/en-US/no-input.wav');
      expect(sw.named('collectDigits')).toHaveLength(2);
      const stored = await readAllOf(store, `call-${callId}`);
      const timeout = stored.find((e) => e.type === 'IvrInputReceived')!;
      expect(timeout.data).toMatchObject({ nodeId: 'menu', input: { kind: 'timeout' } });
      expect(timeout.metadata).toMatchObject({ actor: IVR_TIMER_ACTOR });
      // The collector's own late result (the old turn) is stale; the new collector's key goes on.
      const n = stored.length;
      await push(fact('digits_collected', (t += 10_000), { legUuid: leg }, { collectId: staleCollect, digits: '1' }));
      expect(await events()).toHaveLength(n);
      await keys('1');
      expect((await events()).at(-1)).toBe('CallQueued');
      expect(errors).toEqual([]);
    } finally {
      await timers.stop();
    }
  });

  it('cancels the no-input timer when the caller answers', async () => {
    await arrive();
    await playDone();
    const timer = `timer-${ivrTimerIdFor(callId, turnOfMediaId(last('collectDigits')['collectId'] as string)!)}`;
    const collectTurnTimer = (await readAllOf(store, timer)).map((e) => e.type);
    await keys('1');
    const after = (await readAllOf(store, timer)).map((e) => e.type);
    expect({ collectTurnTimer, after }).toEqual({ collectTurnTimer: ['TimerScheduled'], after: ['TimerScheduled', 'TimerCancelled'] });
  });

  it('runs a look-up and branches on its result', async () => {
    await arrive();
    await playDone();
    await keys('2');
    await until(async () => (await events()).includes('CallQueued'), 'queued after the look-up');
    await mgr.idle();
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.find((e) => e.type === 'IvrLookupAnswered')!.data).toMatchObject({ nodeId: 'account', lookup: 'customer-by-number', values: { tier: 'gold' } });
    expect(await nodesEntered()).toEqual(['welcome', 'menu', 'account', 'by-tier', 'vip']);
    expect(stored.at(-1)!.data).toMatchObject({ queueId: 'vip', priority: 50 });
    expect(lookup.calls).toEqual([{ name: 'customer-by-number', inputs: { number: '+32475000001' } }]);
  });

  it('takes the timeout branch when the look-up never answers (in-process and durable timers agree: one result)', async () => {
    lookup = new InMemoryCustomerLookup({ 'customer-by-number': () => new Promise(() => undefined) });
    const timers = new TimerService({ store, clock });
    timers.start();
    try {
      await mgr.stop();
      sw.close();
      sw = new FakeSwitchPort();
      mgr = newManager(sw);
      await arrive();
      await playDone();
      await keys('2');
      await until(() => timers.pendingCount === 1, 'the look-up timer is known to the timer service');
      await clock.advanceTo(t + 3000 + 100);
      await until(async () => (await events()).includes('CallQueued'), 'queued after the look-up timed out');
      await until(() => timers.pendingCount === 0, 'the timer fired');
      await mgr.idle();
      const stored = await readAllOf(store, `call-${callId}`);
      expect(stored.filter((e) => e.type.startsWith('IvrLookup')).map((e) => e.data)).toMatchObject([{ nodeId: 'account', reason: 'timeout' }]);
      expect(stored.at(-1)!.data).toMatchObject({ queueId: 'sales' });
      expect(stored.filter((e) => e.type === 'CallQueued')).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await timers.stop();
    }
  });

  it('acts at its next start on a no-input timer that fired while no manager ran', async () => {
    await arrive();
    await playDone();
    await mgr.stop();
    sw.close();
    const timers = new TimerService({ store, clock });
    timers.start();
    try {
      await until(() => timers.pendingCount === 1, 'the no-input timer is known to the timer service');
      await clock.advanceBy(5000 + 1000 + 100);
      await until(() => timers.pendingCount === 0, 'the timer fired');
    } finally {
      await timers.stop();
    }
    expect((await events()).at(-1)).toBe('IvrInputReceived');
    sw = new FakeSwitchPort();
    mgr = newManager(sw);
    await until(() => sw.named('collectDigits').length === 1, 'the re-prompt after the restart');
    await mgr.idle();
    expect(sw.named('play').map((c) => c.request['path'])).toEqual(['ivr/en-US/no-input.wav']);
    await keys('1');
    expect((await events()).at(-1)).toBe('CallQueued');
  });

  it('takes the failure branch when the look-up fails', async () => {
    lookup = new InMemoryCustomerLookup({});
    await mgr.stop();
    sw.close();
    sw = new FakeSwitchPort();
    mgr = newManager(sw);
    await arrive();
    await playDone();
    await keys('2');
    await until(async () => (await events()).includes('CallQueued'), 'queued after the failed look-up');
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.find((e) => e.type === 'IvrLookupFailed')!.data).toMatchObject({ lookup: 'customer-by-number', reason: 'error' });
    expect(stored.at(-1)!.data).toMatchObject({ queueId: 'sales' });
  });

  it('ends a self-served call: goodbye prompt, IvrCompleted self_served, call ended by the system, leg killed', async () => {
    await arrive();
    await playDone();
    await keys('9');
    expect(last('play')['path']).toBe('ivr/en-US/goodbye.wav');
    await playDone();
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.find((e) => e.type === 'IvrCompleted')!.data).toMatchObject({ outcome: 'self_served' });
    expect(stored.at(-1)).toMatchObject({ type: 'CallEnded', data: { hungUpBy: 'system' } });
    expect(sw.named('kill')).toHaveLength(1);
    // The switch then reports the hangup we caused: nothing more is written.
    const n = stored.length;
    await push(fact('leg_hangup', (t += 10), { legUuid: leg }, { cause: 'NORMAL_CLEARING' }));
    expect(await events()).toHaveLength(n);
  });

  it('records a caller hanging up mid-IVR as abandoned in the IVR', async () => {
    await arrive();
    await playDone();
    await push(fact('leg_hangup', (t += 10), { legUuid: leg }, { cause: 'ORIGINATOR_CANCEL' }));
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.find((e) => e.type === 'CallAbandoned')!.data).toMatchObject({ where: 'ivr', queueId: null });
    expect(stored.at(-1)!.type).toBe('CallEnded');
    // A late collector result after the hangup changes nothing.
    const n = stored.length;
    await keys('1');
    expect(await events()).toHaveLength(n);
    expect(errors).toEqual([]);
  });

  it('writes nothing twice when facts are replayed', async () => {
    const arrival = { ...fact('leg_ringing', (t += 10), { legUuid: leg }, {}), direction: 'inbound', did: DID, callerNumber: '+32475000001' } as InboundFact;
    await push(arrival);
    await push(arrival);
    const done = fact('playback_done', (t += 10), { legUuid: leg }, { playbackId: last('play')['playbackId'] as string });
    await push(done);
    await push(done);
    const digits = fact('digits_collected', (t += 10), { legUuid: leg }, { collectId: last('collectDigits')['collectId'] as string, digits: '1' });
    await push(digits);
    await push(digits);
    expect(await events()).toEqual(['CallArrived', 'IvrStarted', 'IvrNodeEntered', 'IvrPromptPlayed', 'IvrNodeEntered', 'IvrInputReceived', 'IvrNodeEntered', 'IvrCompleted', 'CallQueued']);
    expect(sw.named('collectDigits')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('resumes mid-IVR in a new manager from the log alone', async () => {
    await arrive();
    await playDone();
    await keys('7'); // one failed attempt, held only in the log
    const collectId = last('collectDigits')['collectId'] as string;
    await mgr.stop();
    sw.close();
    sw = new FakeSwitchPort();
    mgr = newManager(sw);
    // Catching up, the new manager re-issues the pending collector with the same ids (the adapter dedups by them).
    await until(() => sw.named('collectDigits').length === 1, 'the pending collector re-issued');
    await mgr.idle();
    expect(last('collectDigits')['collectId']).toBe(collectId);
    expect(sw.named('play').map((c) => c.request['path'])).toEqual(['ivr/en-US/invalid.wav']);
    await push(fact('digits_collected', (t += 10), { legUuid: leg }, { collectId, digits: '6' }));
    // Second failed attempt: retries exhausted.
    expect(await nodesEntered()).toEqual(['welcome', 'menu', 'give-up']);
    expect((await events()).at(-1)).toBe('CallEnded');
  });

  it('repairs, at start, an input recorded before a crash whose step was never carried out', async () => {
    await arrive();
    await playDone();
    const collectId = last('collectDigits')['collectId'] as string;
    await mgr.stop();
    sw.close();
    // What the old manager wrote just before it died: the key, and nothing after it.
    const turn = turnOfMediaId(collectId)!;
    await handleCommand(store, callDecider, `call-${callId}`, parseCallCommand({ type: 'RecordIvrInput', commandId: `${inputStepKey(callId, turn)}|input`, at: (t += 10), callId, nodeId: 'menu', input: { kind: 'dtmf', digits: '1' } }));
    sw = new FakeSwitchPort();
    mgr = newManager(sw);
    await until(async () => (await events()).includes('CallQueued'), 'the step carried out after the restart');
    await mgr.idle();
    expect(await nodesEntered()).toEqual(['welcome', 'menu', 'sales']);
    expect(errors).toEqual([]);
  });

  it('takes on, at start, a call that arrived but never started its IVR (a crash in between), if the caller is still there; ends it if not', async () => {
    await mgr.stop();
    sw.close();
    // What the old manager wrote just before it died: the call, and nothing after it.
    await handleCommand(store, callDecider, `call-${callId}`, parseCallCommand({ type: 'ReceiveCall', commandId: `${callId}|receive`, at: (t += 10), callId, did: DID, callerNumber: '+32475000001', switchId: SWITCH, channelUuid: leg }));
    const other = 'caller-leg-gone';
    const otherCall = inboundCallIdFor(SWITCH, other);
    await handleCommand(store, callDecider, `call-${otherCall}`, parseCallCommand({ type: 'ReceiveCall', commandId: `${otherCall}|receive`, at: (t += 10), callId: otherCall, did: DID, callerNumber: '+32475000002', switchId: SWITCH, channelUuid: other }));
    sw = new FakeSwitchPort();
    sw.statuses.set(leg, 'ringing');
    mgr = newManager(sw);
    await until(async () => (await events()).includes('IvrStarted'), 'the IVR started after the restart');
    await until(async () => (await readAllOf(store, `call-${otherCall}`)).some((e) => e.type === 'CallEnded'), 'the call whose caller is gone ended');
    await mgr.idle();
    expect(sw.named('answer').map((c) => c.request.legUuid)).toEqual([leg]);
    expect(await nodesEntered()).toEqual(['welcome']);
    expect(errors).toEqual([]);
  });

  it('ignores legs on DIDs it has no flow for, and agent legs', async () => {
    await push({ ...fact('leg_ringing', (t += 10), { legUuid: 'other' }, {}), direction: 'inbound', did: '+3299999999', callerNumber: '+1' } as InboundFact);
    await push(fact('leg_answered', (t += 10), { legUuid: 'agent-leg', callId: 'c9', role: 'agent' }, {}));
    expect(sw.commands).toEqual([]);
    expect(await readAllOf(store, `call-${inboundCallIdFor(SWITCH, 'other')}`)).toEqual([]);
  });
});
