// Durable timers: scheduled as events (TimerScheduled in `timer-<timerId>`), so they survive a restart. The service
// subscribes to every timer stream, keeps the pending ones in a min-heap, and at the due time dispatches the timer's
// command (idempotent by its commandId) and appends TimerFired (idempotent by a deterministic event id and the
// expected revision). Killed between the two, a restarted service dispatches again: the command is recognised as a
// duplicate, so every due timer fires exactly once in effect. Two services on one store are safe for the same reason.
import { WrongExpectedVersionError } from '../../adapters/event-store/errors.ts';
import type { EventStore, Position, StreamSubscription } from '../../adapters/event-store/port.ts';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';
import type { Clock, ClockTimer } from '../clock.ts';
import { dispatchCommand, handleCommandRunner, parseEngineCommand, type CommandRunner } from '../command-handling/command-runner.ts';
import { MinHeap } from './min-heap.ts';
import { parseTimerEvent, timerStream, type TimerCommand } from './timer-events.ts';

/** What to schedule. `timerId` is deterministic from what caused it, so scheduling twice is a no-op. */
export interface TimerRequest {
  readonly timerId: string;
  readonly dueAt: number;
  readonly purpose: string;
  readonly dispatch: TimerCommand;
}

/** Appends TimerScheduled. Idempotent: scheduling the same timer id again writes nothing (same event id). */
export async function scheduleTimer(store: EventStore, t: TimerRequest, at: number): Promise<void> {
  try {
    await store.appendToStream(
      timerStream(t.timerId),
      [
        {
          id: eventIdFor(`timer-scheduled|${t.timerId}`, 0),
          type: 'TimerScheduled',
          data: { timerId: t.timerId, at, dueAt: t.dueAt, purpose: t.purpose, dispatch: t.dispatch },
          metadata: { schemaVersion: 1, causationId: t.dispatch.command.commandId, ...(t.dispatch.tenant !== undefined ? { tenant: t.dispatch.tenant } : {}) },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  } catch (e) {
    // The stream exists with other content: the timer already fired or was cancelled.
    if (!(e instanceof WrongExpectedVersionError)) throw e;
  }
}

/** Appends TimerCancelled unless the timer already fired; true when the timer is (now) cancelled. Idempotent. */
export async function cancelTimer(store: EventStore, timerId: string, at: number, reason: string): Promise<boolean> {
  try {
    await store.appendToStream(
      timerStream(timerId),
      [{ id: eventIdFor(`timer-cancelled|${timerId}`, 0), type: 'TimerCancelled', data: { timerId, at, reason }, metadata: { schemaVersion: 1 } }],
      { expectedRevision: 0n },
    );
    return true;
  } catch (e) {
    if (e instanceof WrongExpectedVersionError || isLedgerlineError(e, 'STREAM_NOT_FOUND')) return false;
    throw e;
  }
}

interface Pending {
  readonly timerId: string;
  readonly dueAt: number;
  readonly dispatch: TimerCommand;
}

export interface TimerServiceOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  /** Defaults to handleCommand on `store`. */
  readonly runner?: CommandRunner;
  /** Exclusive start of the subscription (a checkpoint kept elsewhere); default: the start of the log. */
  readonly fromPosition?: Position | 'start';
  /** Called for a dispatch or append that failed for another reason than a refusal (the timer is retried later). */
  readonly onError?: (error: unknown, timerId: string) => void;
  /** Test hook: runs after a timer's command was dispatched and before TimerFired is appended. */
  readonly afterDispatch?: (timerId: string) => Promise<void> | void;
  /** Retry delay after an unexpected failure, ms (default 1000). */
  readonly retryMs?: number;
}

/** See the module comment. `start()` then `stop()`; a stopped service is not restarted (make a new one). */
export class TimerService {
  readonly #o: TimerServiceOptions;
  readonly #runner: CommandRunner;
  readonly #pending = new Map<string, Pending>();
  readonly #heap = new MinHeap<Pending>((a, b) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.timerId < b.timerId));
  #subscription: StreamSubscription | undefined;
  #loop: Promise<void> | undefined;
  #armed: { at: number; timer: ClockTimer } | undefined;
  #firing: Promise<void> = Promise.resolve();
  #stopped = false;
  #checkpoint: Position | undefined;
  /** How many timers this instance fired (dispatched and recorded). */
  fired = 0;

  constructor(options: TimerServiceOptions) {
    this.#o = options;
    this.#runner = options.runner ?? handleCommandRunner(options.store);
  }

  /** Timers known and not yet fired or cancelled. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** The last position this service has seen (a checkpoint a caller may keep). */
  get checkpoint(): Position | undefined {
    return this.#checkpoint;
  }

  start(): void {
    if (this.#loop) return;
    this.#subscription = this.#o.store.subscribeToAll({
      fromPosition: this.#o.fromPosition ?? 'start',
      filter: { streamNamePrefixes: ['timer-'] },
    });
    const sub = this.#subscription;
    this.#loop = (async () => {
      for await (const recorded of sub) {
        if (this.#stopped) break;
        this.#checkpoint = recorded.position;
        const e = parseTimerEvent(recorded);
        if (e.type === 'TimerScheduled') {
          if (this.#pending.has(e.data.timerId)) continue;
          const p: Pending = { timerId: e.data.timerId, dueAt: e.data.dueAt, dispatch: e.data.dispatch };
          this.#pending.set(p.timerId, p);
          this.#heap.push(p);
        } else {
          this.#pending.delete(e.data.timerId);
        }
        this.#arm();
      }
    })();
  }

  /** Stops the subscription and waits for the timer being fired, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#armed?.timer.cancel();
    await this.#subscription?.unsubscribe();
    await this.#loop?.catch(() => undefined);
    await this.#firing.catch(() => undefined);
  }

  /** Resolves once nothing is being fired right now (tests and benchmarks). */
  async idle(): Promise<void> {
    await this.#firing;
  }

  #arm(): void {
    if (this.#stopped) return;
    // Drop heap entries whose timer fired or was cancelled (lazy deletion).
    while (this.#heap.size > 0 && this.#pending.get(this.#heap.peek()!.timerId) !== this.#heap.peek()) this.#heap.pop();
    const next = this.#heap.peek();
    if (!next) return;
    if (this.#armed && this.#armed.at <= next.dueAt) return;
    this.#armed?.timer.cancel();
    const timer = this.#o.clock.at(next.dueAt, () => {
      this.#armed = undefined;
      this.#firing = this.#firing.then(() => this.#fireDue());
    });
    this.#armed = { at: next.dueAt, timer };
  }

  async #fireDue(): Promise<void> {
    while (!this.#stopped) {
      const next = this.#heap.peek();
      if (!next || next.dueAt > this.#o.clock.now()) break;
      this.#heap.pop();
      if (this.#pending.get(next.timerId) !== next) continue;
      try {
        await this.#fire(next);
        this.#pending.delete(next.timerId);
        this.fired++;
      } catch (error) {
        if (this.#stopped) return;
        this.#o.onError?.(error, next.timerId);
        // Retry later with the same commandId: nothing is lost, nothing doubles.
        const retry: Pending = { ...next, dueAt: this.#o.clock.now() + (this.#o.retryMs ?? 1000) };
        this.#pending.set(retry.timerId, retry);
        this.#heap.push(retry);
      }
    }
    this.#arm();
  }

  async #fire(p: Pending): Promise<void> {
    let outcome: 'applied' | 'duplicate' | 'refused';
    let code: string | null = null;
    try {
      const command = parseEngineCommand(p.dispatch.category, p.dispatch.command);
      const tenant = p.dispatch.tenant;
      const r = await dispatchCommand(this.#runner, command, { causationId: `timer:${p.timerId}`, ...(tenant !== undefined ? { tenant } : {}) });
      outcome = r.duplicate ? 'duplicate' : 'applied';
    } catch (error) {
      // A refusal is the timer's answer (the offer was answered, wrap-up was extended): recorded, not retried.
      if (!isLedgerlineError(error) || error.code === 'WRONG_EXPECTED_VERSION' || error.code === 'STORE_UNAVAILABLE') throw error;
      outcome = 'refused';
      code = error.code;
    }
    if (this.#stopped) return;
    await this.#o.afterDispatch?.(p.timerId);
    if (this.#stopped) return;
    try {
      await this.#o.store.appendToStream(
        timerStream(p.timerId),
        [{ id: eventIdFor(`timer-fired|${p.timerId}`, 0), type: 'TimerFired', data: { timerId: p.timerId, at: this.#o.clock.now(), outcome, code }, metadata: { schemaVersion: 1 } }],
        { expectedRevision: 0n },
      );
    } catch (e) {
      // Another instance recorded it, or the timer was cancelled meanwhile: either way it is settled.
      if (!(e instanceof WrongExpectedVersionError)) throw e;
    }
  }
}
