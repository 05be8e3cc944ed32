/** How far a checkpoint is behind the head of the log, in events and in milliseconds of event time. */
import type { EventStore, Position } from '../../adapters/event-store/port.ts';
import type { LogMeter } from './log-meter.ts';
import { comparePositions } from './position.ts';

export interface Lag {
  readonly head: Position | undefined;
  /** Events after the checkpoint up to the head. */
  readonly events: number;
  /** `created` of the head event minus `created` of the event at the checkpoint (0 when caught up). */
  readonly ms: number;
}

/** See the interface. `lastCreated` is the stored `created` of the last handled event, used when the event at the checkpoint cannot be read. */
export async function measureLag(store: EventStore, meter: LogMeter, checkpoint: Position | undefined, lastCreated?: Date): Promise<Lag> {
  const head = await store.headPosition();
  if (head === undefined || comparePositions(checkpoint, head) >= 0) return { head, events: 0, ms: 0 };
  const events = await meter.countEvents(checkpoint, head);
  const headCreated = await createdAt(store, head);
  // From the start, the reference is the first event of the log.
  const behind = checkpoint === undefined ? await firstCreated(store) : ((await createdAt(store, checkpoint)) ?? lastCreated);
  const ms = headCreated && behind ? Math.max(0, headCreated.getTime() - behind.getTime()) : 0;
  return { head, events, ms };
}

async function createdAt(store: EventStore, position: Position): Promise<Date | undefined> {
  for await (const e of store.readAll({ fromPosition: position, maxCount: 1 })) {
    return comparePositions(e.position, position) === 0 ? e.created : undefined;
  }
  return undefined;
}

async function firstCreated(store: EventStore): Promise<Date | undefined> {
  for await (const e of store.readAll({ maxCount: 1 })) return e.created;
  return undefined;
}
