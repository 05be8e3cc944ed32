/**
 * A catch-up subscription driven by polling: fetch a batch after the cursor, deliver it, sleep only when the
 * batch came back short. After a full batch the next one is requested before this one is delivered. A wake-up from the store (an append by the same instance) cuts the sleep short; it is
 * a hint only, the next poll is the truth.
 */
import type { Position, RecordedEvent, StreamSubscription } from '../port.ts';

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
  /** The store's set of wake-up callbacks; the subscription adds itself while it sleeps. */
  readonly wakers: Set<() => void>;
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
    await this.#inFlight.catch(() => undefined);
    this.#end();
  }

  async *#run(): AsyncGenerator<RecordedEvent> {
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
    const p = this.#options.poll();
    p.catch(() => undefined);
    this.#inFlight = p;
    return p;
  }

  #sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#options.wakers.delete(done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#options.idleMs);
      this.#wake = done;
      this.#options.wakers.add(done);
    });
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#options.onEnd();
  }
}
