// The closest TypeScript peer: Emmett's PostgreSQL event store on the same workload. Only ever loaded in a child
// process (isolated.ts): its driver layer (@event-driven-io/dumbo) replaces pg's process-wide type parsers on first
// use (int8 → BigInt, json/jsonb → its own deserializer), which would change every other measurement in the process.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { databaseOf } from './cpu.ts';
import { runWriters, type Throughput } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';
import type { AppendLoad } from './settings.ts';

/** `eventsPerAppend` events per append with Emmett's expected stream versions (0 = new stream), tracked per stream. */
export async function benchEmmettAppend(url: string, eventsPerAppend: number, s: AppendLoad): Promise<Throughput> {
  const store = getPostgreSQLEventStore(url);
  try {
    await store.schema.migrate();
    const versions = new Map<number, bigint>();
    const next = Array.from({ length: s.writers }, (_, w) => ownedStreams(w, s.writers, s.streams));
    let seq = 0;
    return await runWriters(s.writers, s.warmupMs, s.durationMs, async (w) => {
      const i = next[w]!();
      const events = sampleBatch(i, seq++, eventsPerAppend).map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
      const result = await store.appendToStream(streamName('', i), events, { expectedStreamVersion: versions.get(i) ?? 0n });
      versions.set(i, result.nextExpectedStreamVersion);
      return eventsPerAppend;
    }, databaseOf(url));
  } finally {
    await store.close();
  }
}
