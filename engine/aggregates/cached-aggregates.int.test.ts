// CachedAggregates on a real embedded store: Given a cached stream, When another writer appends meanwhile, Then the
// cache catches the conflict, reads only what it missed, and decides again; retries are recognised by command id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider, agentStream } from '../../domain/agent/agent-decider.ts';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';
import { handleCommand } from '../command-handling/handle-command.ts';
import { readAllOf } from '../test-support/wait.ts';
import { CachedAggregates } from './cached-aggregates.ts';

const cmd = (input: Record<string, unknown>) => parseAgentCommand({ agentId: 'a1', ...input });
const logIn = cmd({ type: 'LogIn', commandId: 'c-login', at: 1000, skills: [], capacity: { voice: 1 } });
const logIn2 = cmd({ type: 'LogIn', agentId: 'a2', commandId: 'a2-login', at: 1000, skills: [], capacity: { voice: 1 } });

describe('CachedAggregates', () => {
  let store: EventStore;
  let cache: CachedAggregates;
  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    cache = new CachedAggregates(store);
  });
  afterEach(async () => store.close());

  it('decides on the cached state without reading the stream again, with the ids and metadata handleCommand writes', async () => {
    await cache.run(agentDecider, agentStream('a1'), logIn, { tenant: 't1' });
    const out = await cache.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready', at: 2000 }));
    expect(out.state.state).toBe('ready');
    expect(out.revision).toBe(1n);
    expect(cache.stats.loads).toBe(1);
    expect(cache.stats.refreshes).toBe(0);
    const stored = await readAllOf(store, agentStream('a1'));
    expect(stored.map((e) => e.type)).toEqual(['AgentLoggedIn', 'AgentReady']);
    expect(stored[0]!.metadata).toMatchObject({ commandId: 'c-login', tenant: 't1', schemaVersion: 1 });
  });

  it('with keepHistory, holds every event in order with its command id: its own appends and what it read forward', async () => {
    const history = new CachedAggregates(store, { keepHistory: true });
    await history.run(agentDecider, agentStream('a1'), logIn);
    await handleCommand(store, agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'other', at: 1500 }));
    await history.get(agentDecider, agentStream('a1'));
    await history.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeNotReady', commandId: 'c-nr', at: 2000, reasonCode: 'lunch' }));
    expect(history.history(agentStream('a1'))?.map((h) => [h.event.type, h.commandId])).toEqual([
      ['AgentLoggedIn', 'c-login'],
      ['AgentReady', 'other'],
      ['AgentNotReady', 'c-nr'],
    ]);
    // A cache without it keeps none; a fresh keepHistory cache reads the whole stream back the same.
    expect(cache.history(agentStream('a1'))).toBeUndefined();
    const reread = new CachedAggregates(store, { keepHistory: true });
    await reread.get(agentDecider, agentStream('a1'));
    expect(reread.history(agentStream('a1'))?.map((h) => h.commandId)).toEqual(['c-login', 'other', 'c-nr']);
  });

  it('when another writer appended, the conflict makes it read only the missing events and decide again', async () => {
    await cache.run(agentDecider, agentStream('a1'), logIn);
    // Another process makes the agent ready behind the cache's back.
    await handleCommand(store, agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'other', at: 1500 }));
    const out = await cache.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeNotReady', commandId: 'c-nr', at: 2000, reasonCode: 'lunch' }));
    expect(out.revision).toBe(2n);
    expect(cache.stats.conflicts).toBe(1);
    expect((await readAllOf(store, agentStream('a1'))).map((e) => e.type)).toEqual(['AgentLoggedIn', 'AgentReady', 'AgentNotReady']);
  });

  it('a refusal on stale state is re-decided on fresh state; on fresh state it is the decider\'s coded error', async () => {
    await cache.run(agentDecider, agentStream('a1'), logIn);
    await handleCommand(store, agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'other', at: 1500 }));
    // Stale cache says not_ready: OfferCall would be refused, but the agent is ready in the store.
    const policy = { ringTimeoutSeconds: 20, wrapUpSeconds: 0, maxNoAnswer: 3, rejectDelaySeconds: 0, busyDelaySeconds: 0, noAnswerDelaySeconds: 0 };
    const offer = cmd({ type: 'OfferCall', commandId: 'c-offer', at: 2000, offerId: 'o1', callId: 'k1', queueId: 'q', policy });
    expect((await cache.run(agentDecider, agentStream('a1'), offer)).state.state).toBe('offered');
    const second = cmd({ type: 'OfferCall', commandId: 'c-offer-2', at: 2001, offerId: 'o2', callId: 'k2', queueId: 'q', policy });
    await expect(cache.run(agentDecider, agentStream('a1'), second)).rejects.toSatisfy((e) => isLedgerlineError(e, 'AGENT_NOT_AVAILABLE'));
  });

  it('a retried command (same id) that another instance appended is not written twice, even from a stale cache', async () => {
    const other = new CachedAggregates(store);
    await cache.run(agentDecider, agentStream('a1'), logIn);
    await other.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready', at: 2000 }));
    await other.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeNotReady', commandId: 'c-nr', at: 2100, reasonCode: 'x' }));
    // The store recognises the event ids (an idempotent append): the events returned are the ones stored at revision 1.
    const again = await cache.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready', at: 2000 }));
    expect(again.revision).toBe(1n);
    const stored = await readAllOf(store, agentStream('a1'));
    expect(stored).toHaveLength(3);
    expect((stored[1] as unknown as { id: string }).id).toBe(eventIdFor('c-ready', 0));
    // The next command conflicts, reads revision 2, and decides on the real state (not ready → ready).
    const next = await cache.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready-2', at: 2200 }));
    expect(next.revision).toBe(3n);
    expect(next.events.map((e) => e.type)).toEqual(['AgentReady']);
  });

  it('a retry decided on the same revision as the original is an idempotent append: nothing is written twice', async () => {
    const other = new CachedAggregates(store);
    await cache.run(agentDecider, agentStream('a1'), logIn);
    await other.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready', at: 2000 }));
    const again = await cache.run(agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'c-ready', at: 2000 }));
    expect(again.state.state).toBe('ready');
    expect(await readAllOf(store, agentStream('a1'))).toHaveLength(2);
  });

  it('observe() applies the next revision seen on a subscription and drops the entry on a gap', async () => {
    await cache.run(agentDecider, agentStream('a1'), logIn);
    await handleCommand(store, agentDecider, agentStream('a1'), cmd({ type: 'MakeReady', commandId: 'r', at: 1500 }));
    await handleCommand(store, agentDecider, agentStream('a1'), cmd({ type: 'MakeNotReady', commandId: 'nr', at: 1600, reasonCode: 'x' }));
    const all = [];
    for await (const e of store.readStream(agentStream('a1'))) all.push(e);
    cache.observe(agentDecider, all[1]!);
    expect(cache.peek<{ state: string }>(agentStream('a1'))?.state.state).toBe('ready');
    cache.observe(agentDecider, all[1]!); // already applied: ignored
    expect(cache.peek(agentStream('a1'))?.revision).toBe(1n);
    cache.invalidate(agentStream('a1'));
    await cache.get(agentDecider, agentStream('a1'));
    cache.observe(agentDecider, all[0]!); // older: ignored
    expect(cache.peek<{ state: string }>(agentStream('a1'))?.state.state).toBe('not_ready');
  });

  it('observe(…, fromStart) starts an entry at a stream\'s first event, and the next command appends without reading', async () => {
    await handleCommand(store, agentDecider, agentStream('a2'), logIn2);
    const all = [];
    for await (const e of store.readStream(agentStream('a2'))) all.push(e);
    cache.observe(agentDecider, all[0]!); // without fromStart: nothing cached
    expect(cache.peek(agentStream('a2'))).toBeUndefined();
    cache.observe(agentDecider, all[0]!, true);
    expect(cache.peek(agentStream('a2'))?.revision).toBe(0n);
    const loads = cache.stats.loads + cache.stats.refreshes;
    const out = await cache.run(agentDecider, agentStream('a2'), cmd({ type: 'MakeReady', agentId: 'a2', commandId: 'a2-ready', at: 1500 }));
    expect(out.state.state).toBe('ready');
    expect(cache.stats.loads + cache.stats.refreshes).toBe(loads);
    const again = await cache.run(agentDecider, agentStream('a2'), logIn2); // its command id came with the observed event
    expect(again.duplicate).toBe(true);
  });
});
