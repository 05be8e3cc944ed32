// Catch-up read rate: fill the log with many events, then read it all from the start, as a rebuilt projection does.
import pg from 'pg';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { databaseOf } from './cpu.ts';
import { timeOnce, type Throughput } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';

/** The fill rate and both ways of reading the whole log back. */
export interface CatchUpResult {
  /** Writing the events with `eventsPerAppend`-event appends, `writers` in parallel (informational). */
  readonly fill: Throughput;
  /** `readAll({ fromPosition: 'start' })` iterated to the end. */
  readonly readAll: Throughput;
  /** `subscribeToAll({ fromPosition: 'start' })` until every event was received. */
  readonly subscribeToAll: Throughput;
}

/**
 * Opens the store at `url`, fills it, reads it back twice, closes it. Between the fill and the reads the database
 * is vacuumed, as autovacuum would have done by the time a projection is rebuilt: otherwise the first reader alone
 * pays for setting every row's commit hint bits (dirtying and writing back every page), and readAll, measured
 * first, would look slower than the subscription for that reason only.
 */
export async function benchCatchUp(url: string, events: number, eventsPerAppend: number, writers: number, streams: number): Promise<CatchUpResult> {
  const store = await openEventStore(url);
  try {
    const vacuum = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('VACUUM (ANALYZE)');
      } finally {
        await client.end();
      }
    };
    return await catchUpOn(store, events, eventsPerAppend, writers, streams, databaseOf(url), vacuum);
  } finally {
    await store.close();
  }
}

/** The catch-up measurement on an already open, empty store. */
export async function catchUpOn(
  store: EventStore,
  events: number,
  eventsPerAppend: number,
  writers: number,
  streams: number,
  database?: string,
  afterFill?: () => Promise<void>,
): Promise<CatchUpResult> {
  const fill = await fillLog(store, events, eventsPerAppend, writers, streams);
  await afterFill?.();
  const readAll = await timeOnce(async () => {
    let n = 0;
    for await (const _e of store.readAll({ fromPosition: 'start' })) n++;
    if (n !== events) throw new Error(`readAll returned ${n} events, expected ${events}`);
    return n;
  }, database);
  const subscribeToAll = await timeOnce(async () => {
    const sub = store.subscribeToAll({ fromPosition: 'start' });
    let n = 0;
    try {
      for await (const _e of sub) if (++n >= events) break;
    } finally {
      await sub.unsubscribe();
    }
    return n;
  }, database);
  return { fill, readAll, subscribeToAll };
}

async function fillLog(store: EventStore, events: number, eventsPerAppend: number, writers: number, streams: number): Promise<Throughput> {
  const appends = Math.ceil(events / eventsPerAppend);
  let issued = 0;
  return timeOnce(async () => {
    const revisions = new Map<number, bigint>();
    const lane = async (w: number) => {
      const next = ownedStreams(w, writers, streams);
      while (issued < appends) {
        const k = issued++;
        const count = Math.min(eventsPerAppend, events - k * eventsPerAppend);
        const i = next();
        const last = revisions.get(i);
        const r = await store.appendToStream(streamName('', i), sampleBatch(i, k, count), {
          expectedRevision: last === undefined ? 'no_stream' : last,
        });
        revisions.set(i, r.nextExpectedRevision);
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => lane(w)));
    return events;
  });
}
