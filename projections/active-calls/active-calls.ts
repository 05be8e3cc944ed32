/**
 * `active_calls`: the calls in progress, per tenant: state, queue, agent, arrival and queue times, hold time so far
 * and whether the caller is on hold now (`calls`), and the IVR nodes each passed (`ivr_steps`, in stream order).
 * A call's rows are deleted when it ends (CallEnded); events after that change nothing (updates of absent rows).
 */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineProjection, type Cells, type Write } from '../projection.ts';
import { tenantOf } from '../queue-stats/event-tenant.ts';

type Data = Record<string, unknown>;

function nullableString(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The columns a (non-first, non-final) event changes on the call's row; undefined when it changes none. */
function changesOf(type: string, d: Data): Cells | undefined {
  switch (type) {
    case 'IvrStarted':
      return { state: 'ivr' };
    case 'IvrCompleted':
      return { state: 'routing' };
    case 'CallQueued':
      return { state: 'queued', queue_id: String(d['queueId']), queued_at: Number(d['at']), agent_id: null };
    case 'CallbackCompleted':
      // Agent first: the customer answered and is being connected to the agent who waits (CallConnected follows).
      return { state: 'connecting', queue_id: String(d['queueId']) };
    // A callback offer is a callback being handled (the customer is not on the line), not a caller being offered.
    case 'CallOfferedToAgent':
      return { state: d['callback'] === true ? 'callback' : 'offered', agent_id: String(d['agentId']) };
    case 'AgentLegRinging':
      return { state: d['callback'] === true ? 'callback' : 'ringing', agent_id: String(d['agentId']) };
    case 'AgentLegFailed':
      // A callback offer that failed on the agent side: the callback is owed again (the customer is not on the line).
      return { state: d['returnedTo'] === 'callback' ? 'callback' : 'queued', agent_id: null };
    case 'CallOfferCancelled':
      return { state: d['reason'] === 'callback_failed' ? 'callback' : 'queued', agent_id: null };
    case 'CallConnected':
      return { state: 'connected', agent_id: String(d['agentId']), on_hold: false };
    case 'CallHeld':
      return { state: 'held', on_hold: true };
    case 'CallTransferred':
      return { state: 'transferring', agent_id: null, on_hold: false };
    case 'ConsultCompleted': {
      if (d['mode'] !== 'transfer') return undefined;
      const target = d['target'] as { kind: string; agentId?: string };
      return { state: 'connected', agent_id: target.kind === 'agent' ? (target.agentId ?? null) : null, on_hold: false };
    }
    case 'CallbackRequested':
    case 'CallbackScheduled':
    case 'CallbackFailed':
      return { state: 'callback', agent_id: null };
    case 'CallbackAttempted':
      // The agent who answered the callback offer waits while the customer is dialled: the row keeps that agent.
      return { state: 'callback' };
    case 'CallAbandoned':
      return { state: 'abandoned' };
    case 'CallOverflowed':
      return { state: 'overflowed', agent_id: null };
    default:
      return undefined;
  }
}

/** Pure: the writes of one call event. */
export function activeCallsWrites(event: RecordedEvent): Write[] {
  const tenant = tenantOf(event);
  const d = (event.data ?? {}) as Data;
  if (tenant === undefined || typeof d['callId'] !== 'string') return [];
  const key = { tenant, call_id: d['callId'] };
  switch (event.type) {
    case 'CallArrived':
    case 'CallOriginated':
      return [
        {
          op: 'upsert',
          table: 'calls',
          row: {
            ...key,
            state: event.type === 'CallArrived' ? 'arrived' : 'dialling',
            queue_id: null,
            agent_id: nullableString(d['agentId']),
            arrived_at: Number(d['at']),
            queued_at: null,
            hold_ms: 0,
            on_hold: false,
          },
          merge: { arrived_at: 'keep' },
        },
      ];
    case 'IvrNodeEntered':
      return [{ op: 'upsert', table: 'ivr_steps', row: { ...key, step: event.revision, node_id: String(d['nodeId']) } }];
    case 'CallResumed':
      return [{ op: 'update', table: 'calls', key, set: { state: 'connected', on_hold: false, hold_ms: Number(d['holdMs']) }, merge: { hold_ms: 'add' } }];
    case 'CallEnded':
      return [
        { op: 'delete', table: 'calls', where: key },
        { op: 'delete', table: 'ivr_steps', where: key },
      ];
    default: {
      const set = changesOf(event.type, d);
      return set ? [{ op: 'update', table: 'calls', key, set }] : [];
    }
  }
}

export const activeCalls = defineProjection({
  name: 'active_calls',
  version: 1,
  description: 'Calls in progress: state, IVR path, queue, agent, hold time and on-hold flag; deleted when the call ends',
  filter: { streamNamePrefixes: ['call-'] },
  tables: {
    calls: {
      columns: {
        tenant: 'text',
        call_id: 'text',
        state: 'text',
        queue_id: { type: 'text', nullable: true },
        agent_id: { type: 'text', nullable: true },
        arrived_at: 'bigint',
        queued_at: { type: 'bigint', nullable: true },
        hold_ms: 'bigint',
        on_hold: 'boolean',
      },
      primaryKey: ['tenant', 'call_id'],
    },
    ivr_steps: {
      columns: { tenant: 'text', call_id: 'text', step: 'bigint', node_id: 'text' },
      primaryKey: ['tenant', 'call_id', 'step'],
    },
  },
  handle: activeCallsWrites,
});
