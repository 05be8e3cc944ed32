import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { streamCategory, streamStats, streamStatsWrites } from './stream-stats.ts';

function recorded(streamId: string, type: string, commit: bigint, prepare: bigint): RecordedEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type,
    data: {},
    metadata: {},
    streamId,
    revision: 0n,
    position: { commit, prepare },
    created: new Date('2026-11-22T03:00:00Z'),
    chain: { prev: '0'.repeat(64), hash: '1'.repeat(64) },
  };
}

describe('stream_stats handler', () => {
  it('Given a CallQueued on call-42, Then it adds one to category "call" and to type "CallQueued", recording the position', () => {
    const writes = streamStatsWrites(recorded('call-42', 'CallQueued', 7n, 3n));
    const last = { last_commit: 7n, last_prepare: 3n, last_created: new Date('2026-11-22T03:00:00Z') };
    expect(writes).toEqual([
      { op: 'upsert', table: 'by_category', row: { category: 'call', events: 1, ...last }, merge: { events: 'add' } },
      { op: 'upsert', table: 'by_type', row: { event_type: 'CallQueued', events: 1, ...last }, merge: { events: 'add' } },
    ]);
  });

  it('is a function of the event alone: the same event gives the same writes', () => {
    const e = recorded('agent-7-b', 'AgentLoggedIn', 1n, 1n);
    expect(streamStats.handle(e)).toEqual(streamStats.handle(e));
  });

  it.each([
    ['call-1', 'call'],
    ['agent-7-b', 'agent'],
    ['ivrflow-main', 'ivrflow'],
    ['nodash', 'nodash'],
  ])('takes the category of %s as %s (before the first dash)', (stream, category) => {
    expect(streamCategory(stream)).toBe(category);
  });

  it('only writes tables and columns it declares', () => {
    for (const w of streamStatsWrites(recorded('queue-1', 'QueueOpened', 1n, 2n))) {
      const table = streamStats.tables[w.table];
      expect(table).toBeDefined();
      if (w.op === 'upsert') for (const c of Object.keys(w.row)) expect(table!.columns).toHaveProperty(c);
    }
  });
});
