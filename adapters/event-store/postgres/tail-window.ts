/**
 * The newest stretch of the log, read once for all the `subscribeToAll` subscriptions of one store instance.
 *
 * Why: an engine runs several subscriptions on one store (routing, media, call control, the IVR's, timers), and every
 * append of this instance wakes each that wants it. Polled one by one, every event is queried and decoded once per
 * subscription. Here one unfiltered read of what follows the window's tail serves every subscription whose cursor is
 * inside the window; each filters in memory exactly as its SQL would (prefix match on stream name and event type).
 *
 * The window is contiguous: it holds every event visible after `from` up to its tail, in log order, because it is
 * only ever extended by reading what follows its tail under the same visibility bound as a subscription's own poll
 * (nothing can later commit behind a position that bound returned: see sql-event-store.ts). A subscription outside
 * it (catching up from far behind, or skipping a start snapshot) polls on its own as before.
 *
 * Freshness: a poll needs a read that started after this instance's latest append (the wake that prompted it), so a
 * read is shared only by polls that arrive while it is in flight with no append since it started, or within
 * `freshMs` of it; otherwise the poll waits for the next read (at most one queued, shared by all who arrive).
 */
import type { Position, RecordedEvent } from '../port.ts';

/** What a window read returns: the events after `after`, in log order (at most one batch). */
export type TailRead = (after: Position | undefined) => Promise<readonly RecordedEvent[]>;

/** One subscription's slice of the window: what to deliver, the position scanned to, and whether more remains. */
export interface TailSlice {
  readonly events: RecordedEvent[];
  readonly full: boolean;
  readonly checkpoint: Position | undefined;
}

interface Read {
  readonly seq: number;
  readonly startedAt: number;
  readonly done: Promise<void>;
}

export interface TailWindowOptions {
  readonly read: TailRead;
  /** This instance's append counter: a read started at a lower value may miss an append a subscription was woken for. */
  readonly appendSeq: () => number;
  readonly now: () => number;
  /** Events kept; the oldest are dropped beyond it (subscriptions behind them poll on their own). */
  readonly maxEvents: number;
  /** How old a read may be and still serve a poll with no append since it started (ms). */
  readonly freshMs: number;
}

/** See the module comment. */
export class TailWindow {
  readonly #o: TailWindowOptions;
  #anchored = false;
  /** The window holds every event after this position (undefined: from the start of the log). */
  #from: Position | undefined;
  #events: RecordedEvent[] = [];
  #last: Read | undefined;
  #inFlight: Read | undefined;
  #queued: Promise<void> | undefined;
  /** Reads made (tests and benchmarks). */
  reads = 0;

  constructor(options: TailWindowOptions) {
    this.#o = options;
  }

  /** Starts the window at `cursor` (where a caught-up subscription stands) unless it has started already. */
  anchor(cursor: Position | undefined): void {
    if (this.#anchored) return;
    this.#anchored = true;
    this.#from = cursor;
  }

  /** Whether a subscription standing at `cursor` can be served from the window. */
  covers(cursor: Position | undefined): boolean {
    if (!this.#anchored) return false;
    if (this.#from === undefined) return true;
    return cursor !== undefined && !before(cursor, this.#from);
  }

  /** Makes sure a read that started after the latest append of this instance has completed. */
  fresh(): Promise<void> {
    const seq = this.#o.appendSeq();
    const last = this.#last;
    if (last && !this.#inFlight && last.seq === seq && this.#o.now() - last.startedAt <= this.#o.freshMs) return last.done;
    if (this.#inFlight) {
      if (this.#inFlight.seq === seq) return this.#inFlight.done;
      this.#queued ??= this.#inFlight.done
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined;
          // Never two reads at once (both would extend the same tail): join or queue behind whatever runs now.
          return this.fresh();
        });
      return this.#queued;
    }
    return this.#start().done;
  }

  /** The events after `cursor` that `matches` accepts, scanning at most `limit` window events. */
  slice(cursor: Position | undefined, limit: number, matches: (e: RecordedEvent) => boolean): TailSlice {
    const events = this.#events;
    let i = cursor === undefined ? 0 : firstAfter(events, cursor);
    const end = Math.min(events.length, i + limit);
    const out: RecordedEvent[] = [];
    let checkpoint: Position | undefined;
    for (; i < end; i++) {
      const e = events[i]!;
      if (matches(e)) out.push(e);
      checkpoint = e.position;
    }
    return { events: out, full: end < events.length, checkpoint };
  }

  #start(): Read {
    const seq = this.#o.appendSeq();
    const startedAt = this.#o.now();
    const done = (async () => {
      this.reads++;
      const tail = this.#events.length > 0 ? this.#events[this.#events.length - 1]!.position : this.#from;
      const got = await this.#o.read(tail);
      for (const e of got) this.#events.push(e);
      const excess = this.#events.length - this.#o.maxEvents;
      if (excess > 0) {
        this.#from = this.#events[excess - 1]!.position;
        this.#events = this.#events.slice(excess);
      }
    })();
    const read: Read = { seq, startedAt, done };
    this.#inFlight = read;
    done.then(
      () => {
        this.#last = read;
        if (this.#inFlight === read) this.#inFlight = undefined;
      },
      () => {
        if (this.#inFlight === read) this.#inFlight = undefined;
      },
    );
    return read;
  }
}

function before(a: Position, b: Position): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);
}

/** The index of the first event after `cursor` (events in log order). */
function firstAfter(events: readonly RecordedEvent[], cursor: Position): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(cursor, events[mid]!.position)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
