import { describe, expect, it } from 'vitest';
import { recorded } from '../queue-stats/recorded-event.ts';
import { activeCalls, activeCallsWrites } from './active-calls.ts';

const T = Date.UTC(2026, 10, 22, 10, 0, 0);
const key = { tenant: 'acme', call_id: 'c1' };

describe('active_calls handler', () => {
  it('Given CallArrived, Then the call is in progress since then, not on hold', () => {
    const e = recorded('call-acme.c1', 'CallArrived', { callId: 'c1', at: T, did: '1', callerNumber: '2', callerName: null, switchId: 'fs', channelUuid: 'u' });
    expect(activeCallsWrites(e)).toEqual([
      {
        op: 'upsert',
        table: 'calls',
        row: { ...key, state: 'arrived', queue_id: null, agent_id: null, arrived_at: T, queued_at: null, hold_ms: 0, on_hold: false },
        merge: { arrived_at: 'keep' },
      },
    ]);
  });

  it('Given IVR nodes entered, Then each is a step at its stream revision', () => {
    expect(activeCallsWrites(recorded('call-acme.c1', 'IvrNodeEntered', { callId: 'c1', at: T, nodeId: 'menu', nodeType: 'menu' }, { revision: 3n }))).toEqual([
      { op: 'upsert', table: 'ivr_steps', row: { ...key, step: 3n, node_id: 'menu' } },
    ]);
  });

  it('Given CallQueued, Then it waits in that queue since then (an update: no row appears for an unknown call)', () => {
    expect(activeCallsWrites(recorded('call-acme.c1', 'CallQueued', { callId: 'c1', at: T, queueId: 'sales' }))).toEqual([
      { op: 'update', table: 'calls', key, set: { state: 'queued', queue_id: 'sales', queued_at: T, agent_id: null } },
    ]);
  });

  it('Given hold then resume, Then it is on hold, then off hold with the hold time added', () => {
    expect(activeCallsWrites(recorded('call-acme.c1', 'CallHeld', { callId: 'c1', at: T, agentId: 'a1' }))).toEqual([{ op: 'update', table: 'calls', key, set: { state: 'held', on_hold: true } }]);
    expect(activeCallsWrites(recorded('call-acme.c1', 'CallResumed', { callId: 'c1', at: T, agentId: 'a1', holdMs: 30_000 }))).toEqual([
      { op: 'update', table: 'calls', key, set: { state: 'connected', on_hold: false, hold_ms: 30_000 }, merge: { hold_ms: 'add' } },
    ]);
  });

  it('Given an attended transfer completed to another agent, Then that agent has the call; a conference changes nobody', () => {
    const consult = { callId: 'c1', at: T, consultId: 'k1', fromAgentId: 'a1', talkMs: 1, holdMs: 0 };
    expect(activeCallsWrites(recorded('call-acme.c1', 'ConsultCompleted', { ...consult, mode: 'transfer', target: { kind: 'agent', agentId: 'a2' } }))).toEqual([
      { op: 'update', table: 'calls', key, set: { state: 'connected', agent_id: 'a2', on_hold: false } },
    ]);
    expect(activeCallsWrites(recorded('call-acme.c1', 'ConsultCompleted', { ...consult, mode: 'conference', target: { kind: 'agent', agentId: 'a2' } }))).toEqual([]);
  });

  it('Given a callback offered to an agent (agent first), Then the row stays a callback handled by that agent, not a caller on the line; a failed dial-back or agent leg makes it an owed callback again', () => {
    const offer = { callId: 'c1', at: T, agentId: 'a1', offerId: 'o1' };
    const set = (type: string, data: Record<string, unknown>) => activeCallsWrites(recorded('call-acme.c1', type, { ...offer, ...data })).map((w) => (w.op === 'update' ? w.set : w));
    expect(set('CallOfferedToAgent', { queueId: 'sales', offerNumber: 1, callback: true })).toEqual([{ state: 'callback', agent_id: 'a1' }]);
    expect(set('AgentLegRinging', { channelUuid: 'u', callback: true })).toEqual([{ state: 'callback', agent_id: 'a1' }]);
    expect(set('CallbackAttempted', { callbackId: 'cb', attemptId: 't1', attempt: 1, number: '2', channelUuid: 'u2' })).toEqual([{ state: 'callback' }]);
    expect(set('CallbackCompleted', { callbackId: 'cb', attemptId: 't1', queueId: 'sales' })).toEqual([{ state: 'connecting', queue_id: 'sales' }]);
    expect(set('CallOfferCancelled', { reason: 'callback_failed' })).toEqual([{ state: 'callback', agent_id: null }]);
    expect(set('AgentLegFailed', { cause: 'no_answer', returnedTo: 'callback' })).toEqual([{ state: 'callback', agent_id: null }]);
    // An ordinary offer is unchanged.
    expect(set('CallOfferedToAgent', { queueId: 'sales', offerNumber: 1 })).toEqual([{ state: 'offered', agent_id: 'a1' }]);
    expect(set('AgentLegFailed', { cause: 'no_answer', returnedTo: 'queue' })).toEqual([{ state: 'queued', agent_id: null }]);
  });

  it('Given CallEnded, Then the call and its IVR path are deleted', () => {
    expect(activeCallsWrites(recorded('call-acme.c1', 'CallEnded', { callId: 'c1', at: T }))).toEqual([
      { op: 'delete', table: 'calls', where: key },
      { op: 'delete', table: 'ivr_steps', where: key },
    ]);
  });

  it('ignores events of no tenant and events that change nothing shown', () => {
    expect(activeCallsWrites(recorded('call-c1', 'CallArrived', { callId: 'c1', at: T }, { tenant: null }))).toEqual([]);
    expect(activeCallsWrites(recorded('call-acme.c1', 'RecordingStarted', { callId: 'c1', at: T, recordingId: 'r' }))).toEqual([]);
  });

  it('writes only declared tables and columns', () => {
    for (const type of ['CallArrived', 'CallQueued', 'CallConnected', 'CallTransferred', 'CallEnded', 'IvrNodeEntered']) {
      for (const w of activeCallsWrites(recorded('call-acme.c1', type, { callId: 'c1', at: T, queueId: 'q', agentId: 'a', nodeId: 'n' }))) {
        const cells = w.op === 'upsert' ? w.row : w.op === 'update' ? { ...w.key, ...w.set } : w.where;
        expect(cells['tenant']).toBe('acme');
        for (const c of Object.keys(cells)) expect(activeCalls.tables[w.table]!.columns).toHaveProperty(c);
      }
    }
  });
});
