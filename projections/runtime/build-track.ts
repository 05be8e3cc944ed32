/**
 * Keeps one build of a projection moving: a catch-up subscription from the build's stored checkpoint feeds a
 * queue, and the applier takes up to `batchSize` events at a time and commits them with the checkpoint
 * (apply-batch.ts). Any failure stops the subscription; after a pause the track starts again from the stored
 * checkpoint, so nothing is applied twice and nothing is skipped.
 */
import type { Kysely } from 'kysely';
import type { EventStore, Position, RecordedEvent } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { applyBatch } from './apply-batch.ts';
import { readCheckpoint, recordBuildError, type BuildInfo } from './catalog.ts';
import { comparePositions, laterPosition } from './position.ts';

/** What a track needs from its runner. */
export interface TrackContext {
  readonly db: Kysely<unknown>;
  readonly store: EventStore;
  readonly definition: ProjectionDefinition;
  readonly owner: string;
  readonly batchSize: number;
  readonly retryDelayMs: number;
  readonly report: (error: unknown, where: string) => void;
}

type Item = { readonly position: Position; readonly event?: RecordedEvent };

/** See the module comment. `onCaughtUp` is called whenever the track has applied everything up to the head. */
export class BuildTrack {
  readonly build: BuildInfo;
  #role: 'live' | 'pending';
  readonly #ctx: TrackContext;
  readonly #onCaughtUp: (() => void) | undefined;
  #checkpoint: Position | undefined;
  #stopped = false;
  #done: Promise<void> = Promise.resolve();
  #queue: Item[] = [];
  #wakeApplier: (() => void) | undefined;
  #wakePump: (() => void) | undefined;
  #wakeSleep: (() => void) | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;
  #failing = false;
  #waiters: { position: Position | undefined; resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(ctx: TrackContext, build: BuildInfo, role: 'live' | 'pending', onCaughtUp?: () => void) {
    this.#ctx = ctx;
    this.build = build;
    this.#role = role;
    this.#onCaughtUp = onCaughtUp;
  }

  get role(): 'live' | 'pending' {
    return this.#role;
  }

  /** After the switch, the pending track goes on as the live one. */
  promote(): void {
    this.#role = 'live';
  }

  /** The checkpoint this track last committed (or loaded). */
  get position(): Position | undefined {
    return this.#checkpoint;
  }

  start(): void {
    this.#done = this.#run();
  }

  /** Stops after the batch in flight (which commits or rolls back whole). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeApplier?.();
    this.#wakePump?.();
    this.#wakeSleep?.();
    await this.#unsubscribe?.();
    await this.#done;
    for (const w of this.#waiters.splice(0)) w.reject(new Error(`track of ${this.build.schema} stopped`));
  }

  /** Resolves once the committed checkpoint is at or past `position`. */
  waitForPosition(position: Position | undefined): Promise<void> {
    if (comparePositions(this.#checkpoint, position) >= 0) return Promise.resolve();
    if (this.#stopped) return Promise.reject(new Error(`track of ${this.build.schema} stopped`));
    return new Promise((resolve, reject) => this.#waiters.push({ position, resolve, reject }));
  }

  async #run(): Promise<void> {
    const { db, definition } = this.#ctx;
    while (!this.#stopped) {
      try {
        const stored = await readCheckpoint(db, definition.name, this.build.build);
        if (stored === null) return; // the build was dropped
        this.#checkpoint = stored.position;
        this.#notifyWaiters();
        const outcome = await this.#follow();
        if (outcome === 'conflict') await this.#sleep(this.#ctx.retryDelayMs);
      } catch (err) {
        if (this.#stopped) return;
        this.#ctx.report(err, `${this.build.schema}: batch failed, retrying from the stored checkpoint`);
        this.#failing = true;
        await recordBuildError(db, definition.name, this.build.build, errorText(err)).catch(() => undefined);
        await this.#sleep(this.#ctx.retryDelayMs);
      }
    }
  }

  /** Follows the log until stopped ('stopped') or the checkpoint moved under us ('conflict'); throws on failures. */
  async #follow(): Promise<'stopped' | 'conflict'> {
    const { db, store, definition, batchSize } = this.#ctx;
    this.#queue = [];
    const sub = store.subscribeToAll({
      fromPosition: this.#checkpoint ?? 'start',
      ...(definition.filter ? { filter: definition.filter } : {}),
      // A filtered scan still moves the checkpoint past events the projection does not want.
      onCheckpoint: (position) => this.#push({ position }),
    });
    this.#unsubscribe = () => sub.unsubscribe();
    let pumpEnded = false;
    let pumpError: unknown;
    let following = true;
    const pump = (async () => {
      try {
        for await (const event of sub) {
          this.#push({ position: event.position, event });
          while (this.#queue.length >= 4 * batchSize && following && !this.#stopped) await new Promise<void>((r) => (this.#wakePump = r));
          if (!following) return;
        }
      } catch (err) {
        pumpError = err;
      } finally {
        pumpEnded = true;
        this.#wakeApplier?.();
      }
    })();
    try {
      while (!this.#stopped) {
        if (this.#queue.length === 0) {
          if (pumpEnded) throw pumpError ?? new Error('the subscription ended');
          if (this.#onCaughtUp) await this.#checkCaughtUp();
          if (this.#queue.length === 0 && !pumpEnded && !this.#stopped) await new Promise<void>((r) => (this.#wakeApplier = r));
          continue;
        }
        const items = this.#take(batchSize);
        this.#wakePump?.();
        let upTo: Position | undefined;
        const events: RecordedEvent[] = [];
        for (const item of items) {
          upTo = laterPosition(upTo, item.position);
          if (item.event) events.push(item.event);
        }
        if (upTo === undefined || comparePositions(upTo, this.#checkpoint) <= 0) continue;
        const result = await applyBatch(db, definition, this.build, { expected: this.#checkpoint, events, upTo, leaseOwner: this.#ctx.owner });
        if (result.outcome === 'conflict') return 'conflict';
        this.#checkpoint = upTo;
        if (this.#failing) {
          this.#failing = false;
          await recordBuildError(db, definition.name, this.build.build, undefined);
        }
        this.#notifyWaiters();
        // On PGlite every query resolves without leaving the microtask queue: without a turn of the event loop
        // here, timers (the lease renewal) and I/O (an HTTP server in the same process) would starve.
        await new Promise((r) => setImmediate(r));
      }
      return 'stopped';
    } finally {
      // A pump held back by a full queue must see that this follow is over, or awaiting it would hang.
      following = false;
      this.#wakePump?.();
      await sub.unsubscribe();
      await pump;
      this.#unsubscribe = undefined;
    }
  }

  /** Takes up to `n` events, and any checkpoint markers among and right after them. */
  #take(n: number): Item[] {
    let events = 0;
    let i = 0;
    while (i < this.#queue.length) {
      if (this.#queue[i]!.event) {
        if (events === n) break;
        events += 1;
      }
      i += 1;
    }
    return this.#queue.splice(0, i);
  }

  async #checkCaughtUp(): Promise<void> {
    const head = await this.#ctx.store.headPosition();
    if (this.#queue.length === 0 && comparePositions(this.#checkpoint, head) >= 0) this.#onCaughtUp?.();
  }

  #push(item: Item): void {
    this.#queue.push(item);
    this.#wakeApplier?.();
  }

  #notifyWaiters(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (comparePositions(this.#checkpoint, w.position) < 0) return true;
      w.resolve();
      return false;
    });
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = done;
    });
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 2000);
}
