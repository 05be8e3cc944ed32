/**
 * A catch-up subscription driven by polling: fetch a batch after the cursor, deliver it, sleep only when the
 * batch came back short. After a full batch the next one is requested before this one is delivered. A wake-up from
 * the store (an append by the same instance) cuts the sleep short; one that arrives while a poll is in flight or its
 * batch is being delivered is remembered, so the next poll starts at once instead of after the idle interval (the
 * poll in flight may have been answered before that append committed). It is a hint only, the next poll is the truth.
 * Only appends the subscription's filter would deliver wake it, except while one of those is still held back from
 * readers (an older transaction, of any client of the server, was running when it committed: see sql-event-store.ts):
 * then any commit may release it, so every append wakes the subscription, and it polls again after a short
 * `heldBackRetryMs` instead of the idle interval, until a poll has scanned past it.
 */
import type { Position, RecordedEvent, StreamSubscription } from '../port.ts';

/** What the store tells its subscriptions after one of its own appends committed. */
export type Wake = (stream: string, types: readonly string[], position: Position) => void;

/** One poll's result: the events to deliver, whether the batch was full, and the position scanned up to. */
export interface PollBatch {
  readonly events: readonly RecordedEvent[];
  readonly full: boolean;
  readonly checkpoint: Position | undefined;
}

export interface PollingSubscriptionOptions {
  /** Fetches the next batch after the subscription's own cursor (the poll function keeps it). */
  readonly poll: () => Promise<PollBatch>;
  readonly onCheckpoint?: (position: Position) => void | Promise<void>;
  readonly idleMs: number;
  /** While an append of this instance is held back, the pause between polls (ms; default 2, at most idleMs). */
  readonly heldBackRetryMs?: number;
  /** The store's set of wake-up callbacks; the subscription is in it from its first poll to its end. */
  readonly wakers: Set<Wake>;
  /** Whether an append of these events would be delivered (default: every append). */
  readonly wants?: (stream: string, types: readonly string[]) => boolean;
  /** The store holds rows back from readers behind older running transactions (subscribeToAll's bound). */
  readonly heldBack?: boolean;
  /** Called once when the subscription ends, for any reason. */
  readonly onEnd: () => void;
}

/** See the module comment. Iterate it once; `unsubscribe()` ends the iteration and waits for the poll in flight. */
export class PollingSubscription implements StreamSubscription {
  readonly #options: PollingSubscriptionOptions;
  #stopped = false;
  #ended = false;
  #inFlight: Promise<unknown> = Promise.resolve();
  #wake: (() => void) | undefined;
  /** A wake-up came since the last poll started: the next poll does not wait. */
  #woken = false;
  /** The newest wanted append not yet scanned past (only where rows may be held back). */
  #awaited: Position | undefined;
  readonly #onWake: Wake = (stream, types, position) => {
    const wanted = this.#options.wants?.(stream, types) ?? true;
    if (wanted && this.#options.heldBack && (this.#awaited === undefined || after(position, this.#awaited))) this.#awaited = position;
    if (!wanted && this.#awaited === undefined) return;
    this.#woken = true;
    this.#wake?.();
  };
  #iterating = false;

  constructor(options: PollingSubscriptionOptions) {
    this.#options = options;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.#iterating) throw new Error('A subscription can be iterated only once');
    this.#iterating = true;
    return this.#run();
  }

  async unsubscribe(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#options.wakers.delete(this.#onWake);
    await this.#inFlight.catch(() => undefined);
    this.#end();
  }

  async *#run(): AsyncGenerator<RecordedEvent> {
    this.#options.wakers.add(this.#onWake);
    try {
      let pending = this.#poll();
      while (!this.#stopped) {
        const batch = await pending;
        // A full batch means more is waiting: ask for it now, so the database reads the next batch while the
        // consumer handles this one. The poll function advanced its cursor before resolving.
        const prefetched = batch.full ? this.#poll() : undefined;
        for (const event of batch.events) {
          if (this.#stopped) return;
          yield event;
        }
        if (this.#stopped) return;
        if (batch.checkpoint && this.#awaited && !after(this.#awaited, batch.checkpoint)) this.#awaited = undefined;
        if (batch.checkpoint && this.#options.onCheckpoint) await this.#options.onCheckpoint(batch.checkpoint);
        if (!prefetched) {
          await this.#sleep();
          if (this.#stopped) return;
        }
        pending = prefetched ?? this.#poll();
      }
    } finally {
      this.#stopped = true;
      this.#end();
    }
  }

  /** Starts a poll; `unsubscribe()` waits for it, and a failure is raised only where it is awaited. */
  #poll(): Promise<PollBatch> {
    this.#woken = false;
    const p = this.#options.poll();
    p.catch(() => undefined);
    this.#inFlight = p;
    return p;
  }

  #sleep(): Promise<void> {
    if (this.#woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const pause = this.#awaited ? Math.min(this.#options.heldBackRetryMs ?? 2, this.#options.idleMs) : this.#options.idleMs;
      const timer = setTimeout(done, pause);
      this.#wake = done;
    });
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.wakers.delete(this.#onWake);
    this.#options.onEnd();
  }
}

function after(a: Position, b: Position): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}
