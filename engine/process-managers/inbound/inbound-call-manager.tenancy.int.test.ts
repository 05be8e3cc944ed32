// The inbound manager with tenants, on an embedded store (PGlite) with the FakeSwitchPort: a DID mapped to
// `{ tenant: 'acme', flowId }` makes a call on acme's call stream, runs acme's flow (not the default tenant's flow of
// the same id), and queues on acme's queue, where the routing manager offers it to acme's agent only. Caller-leg facts
// carry no call id: the manager finds the call from the media id or the leg, also in a new manager after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { parseIvrFlowCommand } from '../../../domain/ivr-flow/ivr-flow-commands.ts';
import { ivrFlowDecider } from '../../../domain/ivr-flow/ivr-flow-decider.ts';
import { tenantStream } from '../../../domain/shared/tenant-stream.ts';
import { VirtualClock } from '../../clock.ts';
import { handleCommand } from '../../command-handling/handle-command.ts';
import type { SwitchFact } from '../../ports/switch-port.ts';
import { fact, SWITCH, tenantFixture } from '../../test-support/engine-fixture.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { RoutingManager } from '../routing/routing-manager.ts';
import { InMemoryCustomerLookup } from './customer-lookup.ts';
import { InboundCallManager, type FlowForDid } from './inbound-call-manager.ts';
import { inboundCallIdFor } from './inbound-ids.ts';

const T0 = 1_700_000_000_000;
const ACME_DID = '+3225550100';
const PLAIN_DID = '+3225550199';
const acme = tenantFixture('acme');
const plain = tenantFixture(undefined);

/** The flow `main` of a tenant: a welcome prompt named after the tenant, a menu, key 1 queues on `sales`. */
function flowOf(welcome: string) {
  return {
    id: 'main',
    name: 'Main',
    start: 'welcome',
    defaultLanguage: 'en-US',
    nodes: {
      welcome: { kind: 'play', prompt: { id: welcome }, next: 'menu' },
      menu: {
        kind: 'menu',
        prompt: { id: 'menu' },
        options: [{ key: '1', next: 'sales' }],
        timeoutMs: 5000,
        maxRetries: 1,
        invalidPrompt: { id: 'invalid' },
        noInputPrompt: { id: 'no-input' },
        onExhausted: 'bye',
      },
      sales: { kind: 'queue', queueId: 'sales', priority: 5 },
      bye: { kind: 'hangup', reason: 'no_input' },
    },
  };
}

async function publish(store: EventStore, tenant: string | undefined, welcome: string): Promise<void> {
  const stream = tenantStream('ivrflow', tenant, 'main');
  const context = tenant === undefined ? {} : { tenant };
  await handleCommand(store, ivrFlowDecider, stream, parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: `save-${welcome}`, at: T0 - 1000, flowId: 'main', flow: flowOf(welcome) }), context);
  await handleCommand(store, ivrFlowDecider, stream, parseIvrFlowCommand({ type: 'PublishIvrFlow', commandId: `pub-${welcome}`, at: T0 - 1000, flowId: 'main' }), context);
}

describe('InboundCallManager with tenants', () => {
  let store: EventStore;
  let sw: FakeSwitchPort;
  let clock: VirtualClock;
  let mgr: InboundCallManager;
  let errors: unknown[];
  let t: number;
  const flowForDid: FlowForDid = { [ACME_DID]: { tenant: 'acme', flowId: 'main' }, [PLAIN_DID]: 'main' };

  const newManager = (): InboundCallManager => {
    const m = new InboundCallManager({ store, switchPort: sw, flowForDid, lookup: new InMemoryCustomerLookup({}), clock, noInputGraceMs: 1000, onError: (e) => errors.push(e) });
    m.start();
    return m;
  };
  const push = async (f: SwitchFact, m = mgr): Promise<void> => {
    const before = m.handled;
    sw.emit(f);
    await until(() => m.handled > before, `fact ${f.kind} handled`);
    await m.idle();
  };
  const arrive = (leg: string, did: string) => push({ ...fact('leg_ringing', (t += 10), { legUuid: leg }, {}), direction: 'inbound', did, callerNumber: '+32475000001' } as SwitchFact);
  const last = (name: string) => sw.named(name).at(-1)!.request;
  const playDone = (leg: string, m = mgr) => push(fact('playback_done', (t += 10), { legUuid: leg }, { playbackId: last('play')['playbackId'] as string }), m);
  const keys = (leg: string, digits: string) => push(fact('digits_collected', (t += 10), { legUuid: leg }, { collectId: last('collectDigits')['collectId'] as string, digits }));

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    sw = new FakeSwitchPort();
    clock = new VirtualClock(T0);
    errors = [];
    t = T0;
    await publish(store, 'acme', 'acme-welcome');
    await publish(store, undefined, 'plain-welcome');
    mgr = newManager();
  });
  afterEach(async () => {
    await mgr.stop();
    sw.close();
    await store.close();
  });

  it("runs acme's flow on acme's call stream and queues on acme's queue, where only acme's agent is offered the call", async () => {
    for (const f of [acme, plain]) {
      await f.createQueue(store, 'sales', T0, {}, ['a1']);
      await f.agentReady(store, 'a1', T0);
    }
    // The routing manager on its own port (a fake port hands each fact to one reader; the engine fans them out).
    const routingPort = new FakeSwitchPort();
    const routing = new RoutingManager({ store, switchPort: routingPort, clock, instanceId: 'test', onError: (e, what) => errors.push({ e, what }) });
    await routing.start();
    try {
      const leg = 'acme-caller-leg';
      const callId = inboundCallIdFor(SWITCH, leg);
      await arrive(leg, ACME_DID);
      expect(last('answer')).toMatchObject({ legUuid: leg });
      expect(last('play')['path']).toBe('ivr/en-US/acme-welcome.wav');
      await playDone(leg);
      await keys(leg, '1');

      const stored = await readAllOf(store, `call-acme.${callId}`);
      // (The routing manager may already have offered it: CallOfferedToAgent may follow.)
      expect(stored.map((e) => e.type).slice(0, 9)).toEqual(['CallArrived', 'IvrStarted', 'IvrNodeEntered', 'IvrPromptPlayed', 'IvrNodeEntered', 'IvrInputReceived', 'IvrNodeEntered', 'IvrCompleted', 'CallQueued']);
      expect(stored.filter((e) => e.metadata['tenant'] !== 'acme').map((e) => e.type)).toEqual([]);
      expect(stored[0]!.data).toMatchObject({ callId, did: ACME_DID });
      expect(stored[8]!.data).toMatchObject({ callId, queueId: 'sales' });
      expect(await readAllOf(store, `call-${callId}`)).toEqual([]);

      // The routing manager offers it to acme's a1, with the scoped call id on the agent leg.
      await until(() => routingPort.named('originate').length === 1, 'originate');
      expect(routingPort.named('originate')[0]!.request).toMatchObject({ callId: `acme.${callId}`, role: 'agent', endpoint: { kind: 'user', user: 'acme.a1' } });
      expect((await acme.agentState(store, 'a1')).call?.callId).toBe(callId);
      expect((await plain.agentState(store, 'a1')).state).toBe('ready');
      expect(errors).toEqual([]);
    } finally {
      await routing.stop();
      routingPort.close();
    }
  });

  it('keeps a plain flow id for the default tenant', async () => {
    const leg = 'plain-caller-leg';
    const callId = inboundCallIdFor(SWITCH, leg);
    await arrive(leg, PLAIN_DID);
    expect(last('play')['path']).toBe('ivr/en-US/plain-welcome.wav');
    await playDone(leg);
    await keys(leg, '1');
    const stored = await readAllOf(store, `call-${callId}`);
    expect(stored.at(-1)).toMatchObject({ type: 'CallQueued', data: { queueId: 'sales' } });
    expect(stored.filter((e) => e.metadata['tenant'] !== undefined)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("records acme's no-input timeout through the durable timer on acme's stream, and the caller's hangup after a restart", async () => {
    const timers = new TimerService({ store, clock });
    timers.start();
    try {
      const leg = 'acme-caller-leg-2';
      const callId = inboundCallIdFor(SWITCH, leg);
      await arrive(leg, ACME_DID);
      await playDone(leg);
      await until(() => timers.pendingCount === 1, 'the no-input timer is known to the timer service');
      const playsBefore = sw.named('play').length;
      await clock.advanceBy(5000 + 1000 + 100);
      await until(() => sw.named('play').length > playsBefore, 'the no-input re-prompt');
      await mgr.idle();
      expect(last('play')['path']).toBe('ivr/en-US/no-input.wav');
      const timeout = (await readAllOf(store, `call-acme.${callId}`)).find((e) => e.type === 'IvrInputReceived')!;
      expect(timeout).toMatchObject({ data: { callId, input: { kind: 'timeout' } }, metadata: { tenant: 'acme' } });

      // A new manager learns the leg from the log: the hangup (no call id on a caller leg) abandons acme's call.
      await mgr.stop();
      sw.close();
      sw = new FakeSwitchPort();
      mgr = newManager();
      await push(fact('leg_hangup', (t += 10), { legUuid: leg }, { cause: 'ORIGINATOR_CANCEL' }));
      const stored = await readAllOf(store, `call-acme.${callId}`);
      expect(stored.find((e) => e.type === 'CallAbandoned')).toMatchObject({ data: { where: 'ivr' }, metadata: { tenant: 'acme' } });
      expect(stored.at(-1)!.type).toBe('CallEnded');
      expect(await readAllOf(store, `call-${callId}`)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await timers.stop();
    }
  });
});
