// Our store through the public entry point, as the application uses it: exact expected revisions per stream.
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore, ExpectedRevision } from '../../adapters/event-store/port.ts';
import { databaseOf } from './cpu.ts';
import { runWriters, type Throughput } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';
import type { AppendLoad } from './settings.ts';

/** `eventsPerAppend` events per `appendToStream`, `s.writers` concurrent writers over `s.streams` streams. */
export async function benchLedgerlineAppend(url: string, eventsPerAppend: number, s: AppendLoad): Promise<Throughput> {
  const store = await openEventStore(url);
  try {
    return await appendLoad(store, eventsPerAppend, s.writers, s.streams, s.warmupMs, s.durationMs, databaseOf(url));
  } finally {
    await store.close();
  }
}

/** The append workload on an already open store (shared with the PGlite measurement). */
export async function appendLoad(
  store: EventStore,
  eventsPerAppend: number,
  writers: number,
  streams: number,
  warmupMs: number,
  durationMs: number,
  database?: string,
): Promise<Throughput> {
  const revisions = new Map<number, bigint>();
  const next = Array.from({ length: writers }, (_, w) => ownedStreams(w, writers, streams));
  let seq = 0;
  return runWriters(writers, warmupMs, durationMs, async (w) => {
    const i = next[w]!();
    const last = revisions.get(i);
    const expectedRevision: ExpectedRevision = last === undefined ? 'no_stream' : last;
    const result = await store.appendToStream(streamName('', i), sampleBatch(i, seq++, eventsPerAppend), { expectedRevision });
    revisions.set(i, result.nextExpectedRevision);
    return eventsPerAppend;
  }, database);
}
