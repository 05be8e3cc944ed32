import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueStats, queueStatsWrites } from './queue-stats.ts';
import { recorded } from './recorded-event.ts';
import { tenantOf, utcDay } from './event-tenant.ts';

const T = Date.UTC(2026, 10, 22, 10, 0, 0);
const sl = { thresholdSeconds: 20, formula: 'asterisk-sl', shortAbandonSeconds: 5 };
const queueKey = { tenant: 'acme', queue_id: 'sales' };

describe('queue_stats handler', () => {
  it('Given QueueCreated, Then it stores the name and the configured service level (ms) under the tenant', () => {
    const e = recorded('queue-acme.sales', 'QueueCreated', { queueId: 'sales', at: T, settings: { name: 'Sales', serviceLevel: sl } });
    expect(queueStatsWrites(e)).toEqual([
      { op: 'upsert', table: 'queues', row: { ...queueKey, name: 'Sales', sl_formula: 'asterisk-sl', sl_threshold_ms: 20_000, short_abandon_ms: 5_000, deleted: false } },
    ]);
  });

  it('Given QueueServiceLevelChanged and QueueRenamed, Then it updates the stored queue', () => {
    const changed = recorded('queue-acme.sales', 'QueueServiceLevelChanged', { queueId: 'sales', at: T, serviceLevel: { thresholdSeconds: 30, formula: 'amazon', shortAbandonSeconds: 0 } });
    expect(queueStatsWrites(changed)).toEqual([{ op: 'update', table: 'queues', key: queueKey, set: { sl_formula: 'amazon', sl_threshold_ms: 30_000, short_abandon_ms: 0 } }]);
    expect(queueStatsWrites(recorded('queue-acme.sales', 'QueueRenamed', { queueId: 'sales', at: T, name: 'Ventes' }))).toEqual([
      { op: 'update', table: 'queues', key: queueKey, set: { name: 'Ventes' } },
    ]);
  });

  it('Given agents assigned, unassigned and the queue deleted, Then membership rows follow', () => {
    expect(queueStatsWrites(recorded('queue-acme.sales', 'QueueAgentsAssigned', { queueId: 'sales', at: T, agents: [{ agentId: 'a1', priority: 10 }] }))).toEqual([
      { op: 'upsert', table: 'queue_agents', row: { ...queueKey, agent_id: 'a1', priority: 10 } },
    ]);
    expect(queueStatsWrites(recorded('queue-acme.sales', 'QueueAgentsUnassigned', { queueId: 'sales', at: T, agentIds: ['a1'] }))).toEqual([
      { op: 'delete', table: 'queue_agents', where: { ...queueKey, agent_id: 'a1' } },
    ]);
    expect(queueStatsWrites(recorded('queue-acme.sales', 'QueueDeleted', { queueId: 'sales', at: T }))).toEqual([
      { op: 'update', table: 'queues', key: queueKey, set: { deleted: true } },
      { op: 'delete', table: 'queue_agents', where: queueKey },
    ]);
  });

  it('Given CallQueued, Then it keeps the fact in its UTC day and drops the day two days older', () => {
    const data = { callId: 'c1', at: T, queueId: 'sales', priority: 0, requiredSkills: [], reason: 'routed' };
    expect(queueStatsWrites(recorded('call-acme.c1', 'CallQueued', data, { commit: 42n }))).toEqual([
      { op: 'delete', table: 'facts', where: { tenant: 'acme', day: '2026-11-20' } },
      { op: 'upsert', table: 'facts', row: { tenant: 'acme', log_commit: 42n, log_prepare: 42n, day: '2026-11-22', at: T, event_type: 'CallQueued', data } },
    ]);
  });

  it('Given a callback requested, then completed, Then it is pending, then not', () => {
    const requested = queueStatsWrites(recorded('call-acme.c1', 'CallbackRequested', { callId: 'c1', at: T, callbackNumber: '+32475000001', queueId: 'sales', requestedIn: 'queue' }));
    expect(requested[0]).toEqual({ op: 'upsert', table: 'callbacks', row: { tenant: 'acme', call_id: 'c1', queue_id: 'sales', requested_at: T }, merge: { requested_at: 'keep' } });
    const completed = queueStatsWrites(recorded('call-acme.c1', 'CallbackCompleted', { callId: 'c1', at: T, callbackId: 'cb', attemptId: 't1', queueId: 'sales' }));
    expect(completed[0]).toEqual({ op: 'delete', table: 'callbacks', where: { tenant: 'acme', call_id: 'c1' } });
    const retrying = queueStatsWrites(recorded('call-acme.c1', 'CallbackFailed', { callId: 'c1', at: T, callbackId: 'cb', attemptId: 't1', cause: 'no_answer', willRetry: true }));
    expect(retrying).toEqual([]);
  });

  it('ignores events metrics do not read, and events of no tenant', () => {
    expect(queueStatsWrites(recorded('call-acme.c1', 'IvrNodeEntered', { callId: 'c1', at: T, nodeId: 'menu', nodeType: 'menu' }))).toEqual([]);
    expect(queueStatsWrites(recorded('call-c1', 'CallQueued', { callId: 'c1', at: T, queueId: 'sales' }, { tenant: null }))).toEqual([]);
  });

  it('takes the tenant from the stream name when the metadata has none', () => {
    expect(tenantOf(recorded('agent-globex.a1', 'AgentReady', {}, { tenant: null }))).toBe('globex');
    expect(tenantOf(recorded('agent-globex.a1', 'AgentReady', {}, { tenant: 'acme' }))).toBe('acme');
  });

  it('puts the tenant on every row and writes only declared tables and columns (property)', () => {
    const tenant = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
    const at = fc.integer({ min: 0, max: 4_000_000_000_000 });
    fc.assert(
      fc.property(tenant, at, fc.constantFrom('CallQueued', 'CallConnected', 'AgentReady', 'CallbackRequested'), (t, time, type) => {
        const stream = type.startsWith('Agent') ? `agent-${t}.a1` : `call-${t}.c1`;
        const writes = queueStatsWrites(recorded(stream, type, { callId: 'c1', agentId: 'a1', queueId: 'q', offerId: null, at: time }, { tenant: t }));
        expect(writes.length).toBeGreaterThan(0);
        for (const w of writes) {
          const spec = queueStats.tables[w.table]!;
          const cells = w.op === 'upsert' ? w.row : w.op === 'update' ? { ...w.key, ...w.set } : w.where;
          expect(cells['tenant']).toBe(t);
          for (const c of Object.keys(cells)) expect(spec.columns).toHaveProperty(c);
          if (w.op === 'upsert' && w.table === 'facts') expect(cells['day']).toBe(utcDay(time));
        }
      }),
    );
  });
});
