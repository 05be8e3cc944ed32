// The invariant checker itself finds what it claims to find (otherwise the fuzz and scale-out tests could not fail).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { agentReady, callDoes, createQueue, queueCall } from './engine-fixture.ts';
import { checkRoutingInvariants } from './log-invariants.ts';

describe('checkRoutingInvariants', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
  });
  afterEach(async () => store.close());

  it('reports a call offered to an agent whose stream never took the offer, and two calls connected to one agent', async () => {
    await createQueue(store, 'q', 1000, {}, ['a1']);
    await agentReady(store, 'a1', 1000);
    for (const c of ['c1', 'c2']) {
      await queueCall(store, c, 'q', 2000);
      await callDoes(store, { type: 'OfferToAgent', commandId: `o-${c}`, at: 3000, callId: c, agentId: 'a1', offerId: `offer-${c}` });
      await callDoes(store, { type: 'RecordAgentLegAnswered', commandId: `a-${c}`, at: 4000, callId: c, offerId: `offer-${c}` });
      await callDoes(store, { type: 'ConnectCall', commandId: `k-${c}`, at: 4000, callId: c, offerId: `offer-${c}` });
    }
    const { violations, offers, connects } = await checkRoutingInvariants(store);
    expect(offers).toBe(2);
    expect(connects).toBe(2);
    expect(violations.some((v) => v.includes('offered to a1'))).toBe(true);
    expect(violations.some((v) => v.includes('connected to c1 and c2'))).toBe(true);
  });
});
