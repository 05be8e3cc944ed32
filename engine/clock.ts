// The engine's only source of time. Production uses RealClock; tests and benchmarks use VirtualClock, which moves
// only when told to, so timer behaviour is tested without sleeping and without asserting on wall-clock timings.

/** A scheduled callback that can be cancelled. */
export interface ClockTimer {
  cancel(): void;
}

/** Epoch-millisecond time and one-shot timers at absolute instants. */
export interface Clock {
  now(): number;
  /** Calls `fn` once at (or as soon as possible after) epoch ms `at`; at or before now means "soon". */
  at(at: number, fn: () => void): ClockTimer;
}

/**
 * Calls `fn` once `now()` has reached `at`, for a clock running `rate` times as fast as the wall clock: the wall
 * timer is re-armed until then (beyond setTimeout's range, or when it fired early), and unref'd.
 */
export function timerAt(now: () => number, rate: number, at: number, fn: () => void): ClockTimer {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    const delay = Math.max(0, Math.min((at - now()) / rate, 2_000_000_000));
    handle = setTimeout(() => {
      if (cancelled) return;
      if (now() < at) arm();
      else fn();
    }, delay);
    handle.unref?.();
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}

/** Wall-clock time. Timers beyond setTimeout's range are chained. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(at: number, fn: () => void): ClockTimer {
    return timerAt(Date.now, 1, at, fn);
  }
}

interface VirtualEntry {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Time that moves only through `advanceTo`/`advanceBy`. Due callbacks run in (time, scheduling) order, each at its
 * own instant, with pending promise jobs flushed between them so async work a callback starts can schedule more.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #entries: VirtualEntry[] = [];

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  at(at: number, fn: () => void): ClockTimer {
    const entry: VirtualEntry = { at: Math.max(at, this.#now), seq: this.#seq++, fn, cancelled: false };
    this.#entries.push(entry);
    return {
      cancel() {
        entry.cancelled = true;
      },
    };
  }

  /** How many callbacks are waiting (cancelled ones excluded). */
  get pending(): number {
    return this.#entries.filter((e) => !e.cancelled).length;
  }

  /** Moves time to `target`, running every callback due on the way at its own instant. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await flushJobs();
      this.#entries = this.#entries.filter((e) => !e.cancelled);
      let next: VirtualEntry | undefined;
      for (const e of this.#entries) if (e.at <= target && (!next || e.at < next.at || (e.at === next.at && e.seq < next.seq))) next = e;
      if (!next) break;
      this.#entries.splice(this.#entries.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, target);
    await flushJobs();
  }

  /** Moves time forward by `ms`. */
  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.#now + ms);
  }
}

/** Lets queued promise jobs and immediate callbacks run. */
async function flushJobs(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}
