/**
 * `queue_stats`: the records queue metrics are computed from, per tenant. A handler cannot see the clock, so it
 * stores facts, not windows: the call and agent events the metric fold reads (domain/metrics/contacts-from-events.ts),
 * each queue's configuration (name, service-level formula and thresholds), its agents and its pending callbacks.
 * The dashboard query layer folds the facts into QueueContact/AgentInterval records and applies the windows at
 * `now`. Facts are bucketed by UTC day and each event drops the bucket two days older (today + 15 min need less).
 */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { isMetricsEvent } from '../../domain/metrics/contacts-from-events.ts';
import { defineProjection, type Write } from '../projection.ts';
import { pruneDay, tenantOf, utcDay } from './event-tenant.ts';

type Data = Record<string, unknown>;

function queueWrites(tenant: string, type: string, d: Data): Write[] {
  const key = { tenant, queue_id: String(d['queueId']) };
  switch (type) {
    case 'QueueCreated': {
      const settings = d['settings'] as { name: string; serviceLevel: { thresholdSeconds: number; formula: string; shortAbandonSeconds: number } };
      const sl = settings.serviceLevel;
      return [
        {
          op: 'upsert',
          table: 'queues',
          row: { ...key, name: settings.name, sl_formula: sl.formula, sl_threshold_ms: sl.thresholdSeconds * 1000, short_abandon_ms: sl.shortAbandonSeconds * 1000, deleted: false },
        },
      ];
    }
    case 'QueueRenamed':
      return [{ op: 'update', table: 'queues', key, set: { name: String(d['name']) } }];
    case 'QueueServiceLevelChanged': {
      const sl = d['serviceLevel'] as { thresholdSeconds: number; formula: string; shortAbandonSeconds: number };
      return [{ op: 'update', table: 'queues', key, set: { sl_formula: sl.formula, sl_threshold_ms: sl.thresholdSeconds * 1000, short_abandon_ms: sl.shortAbandonSeconds * 1000 } }];
    }
    case 'QueueDeleted':
      return [
        { op: 'update', table: 'queues', key, set: { deleted: true } },
        { op: 'delete', table: 'queue_agents', where: key },
      ];
    case 'QueueAgentsAssigned':
      return (d['agents'] as { agentId: string; priority: number }[]).map((a) => ({
        op: 'upsert' as const,
        table: 'queue_agents',
        row: { ...key, agent_id: a.agentId, priority: a.priority },
      }));
    case 'QueueAgentsUnassigned':
      return (d['agentIds'] as string[]).map((agentId) => ({ op: 'delete' as const, table: 'queue_agents', where: { ...key, agent_id: agentId } }));
    default:
      return [];
  }
}

function callbackWrites(tenant: string, type: string, d: Data): Write[] {
  const key = { tenant, call_id: String(d['callId']) };
  switch (type) {
    case 'CallbackRequested':
      return [{ op: 'upsert', table: 'callbacks', row: { ...key, queue_id: String(d['queueId']), requested_at: Number(d['at']) }, merge: { requested_at: 'keep' } }];
    case 'CallbackScheduled':
      return [{ op: 'update', table: 'callbacks', key, set: { queue_id: String(d['queueId']) } }];
    case 'CallbackCompleted':
    case 'CallbackCancelled':
      return [{ op: 'delete', table: 'callbacks', where: key }];
    case 'CallbackFailed':
      return d['willRetry'] === false ? [{ op: 'delete', table: 'callbacks', where: key }] : [];
    default:
      return [];
  }
}

/** Pure: the writes of one event. */
export function queueStatsWrites(event: RecordedEvent): Write[] {
  const tenant = tenantOf(event);
  if (tenant === undefined) return [];
  const d = (event.data ?? {}) as Data;
  if (event.streamId.startsWith('queue-')) return queueWrites(tenant, event.type, d);
  const writes: Write[] = callbackWrites(tenant, event.type, d);
  if (isMetricsEvent({ type: event.type, data: d }) && typeof d['at'] === 'number') {
    const at = d['at'];
    writes.push(
      { op: 'delete', table: 'facts', where: { tenant, day: pruneDay(at) } },
      {
        op: 'upsert',
        table: 'facts',
        row: { tenant, log_commit: event.position.commit, log_prepare: event.position.prepare, day: utcDay(at), at, event_type: event.type, data: d },
      },
    );
  }
  return writes;
}

export const queueStats = defineProjection({
  name: 'queue_stats',
  version: 1,
  description: 'Queue configuration, agents and pending callbacks, and the call/agent facts queue metrics are folded from (today and yesterday)',
  filter: { streamNamePrefixes: ['call-', 'agent-', 'queue-'] },
  tables: {
    queues: {
      columns: { tenant: 'text', queue_id: 'text', name: 'text', sl_formula: 'text', sl_threshold_ms: 'bigint', short_abandon_ms: 'bigint', deleted: 'boolean' },
      primaryKey: ['tenant', 'queue_id'],
    },
    queue_agents: {
      columns: { tenant: 'text', queue_id: 'text', agent_id: 'text', priority: 'integer' },
      primaryKey: ['tenant', 'queue_id', 'agent_id'],
    },
    callbacks: {
      columns: { tenant: 'text', call_id: 'text', queue_id: 'text', requested_at: 'bigint' },
      primaryKey: ['tenant', 'call_id'],
    },
    facts: {
      columns: { tenant: 'text', log_commit: 'numeric', log_prepare: 'numeric', day: 'text', at: 'bigint', event_type: 'text', data: 'jsonb' },
      primaryKey: ['tenant', 'log_commit', 'log_prepare'],
      indexes: [['tenant', 'day']],
    },
  },
  handle: queueStatsWrites,
});
