// Catch-up read rate: fill the log with many events, then read it all from the start, as a rebuilt projection does.
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

/** Opens the store at `url`, fills it, reads it back twice, closes it. */
export async function benchCatchUp(url: string, events: number, eventsPerAppend: number, writers: number, streams: number): Promise<CatchUpResult> {
  const store = await openEventStore(url);
  try {
    return await catchUpOn(store, events, eventsPerAppend, writers, streams, databaseOf(url));
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
): Promise<CatchUpResult> {
  const fill = await fillLog(store, events, eventsPerAppend, writers, streams);
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
