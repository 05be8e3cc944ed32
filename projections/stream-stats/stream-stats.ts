/**
 * `stream_stats`: how many events each stream category (`call`, `agent`, `queue`, …: the part of the stream
 * name before the first `-`) and each event type has, and the log position of the newest one. The example
 * projection the runner's tests use; it reads every event.
 */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineProjection, type Write } from '../projection.ts';

/** The category of a stream name, as EventStoreDB's `$ce-` streams take it. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/** Pure: one event counts once in its category and once in its type. */
export function streamStatsWrites(event: RecordedEvent): Write[] {
  const last = { last_commit: event.position.commit, last_prepare: event.position.prepare, last_created: event.created };
  return [
    { op: 'upsert', table: 'by_category', row: { category: streamCategory(event.streamId), events: 1, ...last }, merge: { events: 'add' } },
    { op: 'upsert', table: 'by_type', row: { event_type: event.type, events: 1, ...last }, merge: { events: 'add' } },
  ];
}

const counters = {
  events: 'bigint',
  last_commit: 'numeric',
  last_prepare: 'numeric',
  last_created: 'timestamptz',
} as const;

export const streamStats = defineProjection({
  name: 'stream_stats',
  version: 1,
  description: 'Events per stream category and per event type, with the position of the newest',
  tables: {
    by_category: { columns: { category: 'text', ...counters }, primaryKey: ['category'] },
    by_type: { columns: { event_type: 'text', ...counters }, primaryKey: ['event_type'] },
  },
  handle: streamStatsWrites,
});
