/**
 * A catch-up subscription that survives drops. EventStoreDB's client does not re-establish a dropped
 * subscription, so this wrapper re-opens it from the last position it received (events and checkpoints),
 * with backoff, until `unsubscribe()`. Checkpoints are queued in order with events and reported only when the
 * consumer reaches them, so a stored checkpoint never runs ahead of an event the consumer has not processed.
 */
import type { Position, RecordedEvent, StreamSubscription } from '../port.ts';
import { isTransientSubscriptionError, mapEsdbError, type EsdbResolvedLike } from './esdb-mapping.ts';

/** The part of the client's subscription (a Readable in object mode) this wrapper drives. */
export interface EsdbSubscriptionSource {
  on(event: 'data', listener: (resolved: EsdbResolvedLike) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  removeAllListeners(): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
}

/** How to open, follow and translate one kind of subscription. `C` is the resume cursor (a position or a revision). */
export interface ResubscribeSpec<C> {
  /** Opens the client subscription strictly after `cursor` (undefined: where the caller asked to start). */
  open(cursor: C | undefined, onCheckpoint: (position: Position) => void): EsdbSubscriptionSource;
  /** The cursor a raw record advances to (also for records that are filtered out). */
  cursorOf(resolved: EsdbResolvedLike): C | undefined;
  /** A checkpoint as a cursor, for subscriptions that can resume from one (`$all`). */
  cursorOfCheckpoint?(position: Position): C;
  /** The port's event, or undefined to skip the record (system records, client-side filters). */
  map(resolved: EsdbResolvedLike): RecordedEvent | undefined;
  /**
   * For a skipped record, the position the subscription has now scanned past, reported as a checkpoint (so a
   * client-side filter still moves the consumer's checkpoint, as the server's filter does).
   */
  checkpointOfSkipped?(resolved: EsdbResolvedLike): Position | undefined;
  onCheckpoint?: (position: Position) => void | Promise<void>;
  streamName?: string;
  /** Delay before re-subscribing after the n-th consecutive drop (0-based), in ms. */
  backoffMs?: (attempt: number) => number;
}

type Item = { readonly kind: 'event'; readonly event: RecordedEvent } | { readonly kind: 'checkpoint'; readonly position: Position };

const HIGH_WATER = 2_000;
const LOW_WATER = 500;

/** Default backoff: 100 ms doubling to 5 s. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(attempt, 6));
}

/** Opens the subscription right away; iterate it to receive events. */
export function resubscribingSubscription<C>(spec: ResubscribeSpec<C>): StreamSubscription & { readonly drops: number } {
  return new ResubscribingSubscription(spec);
}

class ResubscribingSubscription<C> implements StreamSubscription {
  readonly #spec: ResubscribeSpec<C>;
  readonly #queue: Item[] = [];
  #cursor: C | undefined = undefined;
  #current: EsdbSubscriptionSource | undefined;
  #paused = false;
  #closed = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;
  #stopCurrent: (() => Promise<void>) | undefined;
  #drops = 0;
  #iterating = false;

  constructor(spec: ResubscribeSpec<C>) {
    this.#spec = spec;
    void this.#run();
  }

  /** How many times the underlying subscription dropped and was re-opened (for tests and logs). */
  get drops(): number {
    return this.#drops;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#closed) {
      const outcome = await this.#follow(() => {
        attempt = 0;
      });
      if (this.#closed) return;
      if (outcome !== 'end' && !isTransientSubscriptionError(outcome)) {
        this.#failure = mapEsdbError(outcome, { operation: 'subscribe', ...(this.#spec.streamName ? { streamName: this.#spec.streamName } : {}) });
        this.#notify();
        return;
      }
      this.#drops++;
      await this.#sleep((this.#spec.backoffMs ?? defaultBackoffMs)(attempt++));
    }
  }

  /** Follows one client subscription until it ends or fails; resolves with 'end' or the error. */
  #follow(onProgress: () => void): Promise<'end' | Error> {
    return new Promise((resolve) => {
      let source: EsdbSubscriptionSource;
      let cancelled: Promise<void> | undefined;
      const settle = (outcome: 'end' | Error): Promise<void> => {
        if (cancelled) return cancelled;
        source.removeAllListeners();
        // Cancel the gRPC call whatever happened, so a half-open stream never lingers.
        source.on('error', () => undefined);
        this.#current = undefined;
        this.#stopCurrent = undefined;
        this.#paused = false;
        cancelled = source.unsubscribe().catch(() => undefined);
        resolve(outcome);
        return cancelled;
      };
      try {
        source = this.#spec.open(this.#cursor, (position) => this.#acceptCheckpoint(position));
      } catch (err) {
        resolve(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.#current = source;
      this.#stopCurrent = () => settle('end');
      source.on('data', (resolved) => {
        onProgress();
        this.#accept(resolved);
      });
      source.on('error', (err) => void settle(err));
      source.on('end', () => void settle('end'));
      source.on('close', () => void settle('end'));
      if (this.#closed) void settle('end');
    });
  }

  #accept(resolved: EsdbResolvedLike): void {
    if (this.#closed) return;
    const cursor = this.#spec.cursorOf(resolved);
    if (cursor !== undefined) this.#cursor = cursor;
    const event = this.#spec.map(resolved);
    if (event !== undefined) {
      this.#push({ kind: 'event', event });
      return;
    }
    const scanned = this.#spec.checkpointOfSkipped?.(resolved);
    if (scanned !== undefined && this.#spec.onCheckpoint) this.#push({ kind: 'checkpoint', position: scanned });
  }

  #acceptCheckpoint(position: Position): void {
    if (this.#closed) return;
    if (this.#spec.cursorOfCheckpoint) this.#cursor = this.#spec.cursorOfCheckpoint(position);
    if (this.#spec.onCheckpoint) this.#push({ kind: 'checkpoint', position });
  }

  #push(item: Item): void {
    const last = this.#queue[this.#queue.length - 1];
    // Consecutive checkpoints collapse into the newest: the consumer only needs the furthest scanned position.
    if (item.kind === 'checkpoint' && last?.kind === 'checkpoint') this.#queue[this.#queue.length - 1] = item;
    else this.#queue.push(item);
    if (!this.#paused && this.#queue.length >= HIGH_WATER && this.#current) {
      this.#paused = true;
      this.#current.pause();
    }
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#cancelSleep = () => {
        this.#cancelSleep = undefined;
        done();
      };
    });
  }

  async #next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      const item = this.#queue.shift();
      if (item !== undefined) {
        if (this.#paused && this.#queue.length <= LOW_WATER && this.#current) {
          this.#paused = false;
          this.#current.resume();
        }
        if (item.kind === 'checkpoint') {
          await this.#spec.onCheckpoint?.(item.position);
          continue;
        }
        return { value: item.event, done: false };
      }
      if (this.#failure) throw this.#failure;
      if (this.#closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.#iterating) throw new Error('A subscription can be iterated only once');
    this.#iterating = true;
    return {
      next: () => this.#next(),
      return: async () => {
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }

  async unsubscribe(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#cancelSleep?.();
    this.#notify();
    await this.#stopCurrent?.();
  }
}
