// The simulator's notion of time: real, accelerated, or virtual (advanced by hand in tests and benchmarks).

/** An opaque timer handle. */
export interface SimTimer {
  readonly id: number;
}

/** Time source and timer service for everything in the simulator. */
export interface SimClock {
  /** Microseconds since the Unix epoch (FreeSWITCH's `switch_micro_time_now`). */
  nowMicros(): number;
  /** Runs `fn` after `ms` of this clock's time. */
  setTimer(ms: number, fn: () => void): SimTimer;
  clearTimer(timer: SimTimer): void;
  /** Real-time milliseconds that `ms` of simulated time takes (for callers that must wait on sockets). */
  readonly kind: 'real' | 'accelerated' | 'virtual';
}

/** Wall-clock time with µs resolution. */
export function createRealClock(): SimClock {
  const handles = new Map<number, NodeJS.Timeout>();
  let seq = 0;
  return {
    kind: 'real',
    nowMicros: () => Math.floor((performance.timeOrigin + performance.now()) * 1000),
    setTimer(ms, fn) {
      const id = ++seq;
      handles.set(id, setTimeout(() => { handles.delete(id); fn(); }, Math.max(0, ms)));
      return { id };
    },
    clearTimer(t) {
      const h = handles.get(t.id);
      if (h) clearTimeout(h);
      handles.delete(t.id);
    },
  };
}

/** Time that runs `factor` times faster than the wall clock, starting at `startMicros`. */
export function createAcceleratedClock(factor: number, startMicros?: number): SimClock {
  if (!(factor > 0)) throw new RangeError('factor must be > 0');
  const real = createRealClock();
  const realStart = real.nowMicros();
  const simStart = startMicros ?? realStart;
  return {
    kind: 'accelerated',
    nowMicros: () => Math.floor(simStart + (real.nowMicros() - realStart) * factor),
    setTimer: (ms, fn) => real.setTimer(ms / factor, fn),
    clearTimer: (t) => real.clearTimer(t),
  };
}

/** A clock that moves only when told to: `advance(ms)` fires due timers in time order. */
export interface VirtualClock extends SimClock {
  /** Moves time forward, firing each due timer at its own instant; yields to the event loop between timers so sockets flush. */
  advance(ms: number): Promise<void>;
  /** Fires timers until none is left or `maxMs` of simulated time passed. */
  runUntilIdle(maxMs?: number): Promise<void>;
  pendingTimers(): number;
}

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Virtual time starting at `startMicros` (default 2026-01-01T00:00:00Z). */
export function createVirtualClock(startMicros = Date.UTC(2026, 0, 1) * 1000): VirtualClock {
  let now = startMicros;
  let seq = 0;
  let queue: Pending[] = [];
  const fireDue = async (until: number): Promise<void> => {
    for (;;) {
      await yieldToLoop();
      queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const head = queue[0];
      if (!head || head.at > until) break;
      queue.shift();
      now = Math.max(now, head.at);
      head.fn();
    }
    now = Math.max(now, until);
    await yieldToLoop();
  };
  return {
    kind: 'virtual',
    nowMicros: () => now,
    setTimer(ms, fn) {
      const id = ++seq;
      queue.push({ id, at: now + Math.max(0, Math.round(ms * 1000)), fn });
      return { id };
    },
    clearTimer(t) {
      queue = queue.filter((p) => p.id !== t.id);
    },
    advance: (ms) => fireDue(now + Math.round(ms * 1000)),
    async runUntilIdle(maxMs = 3_600_000) {
      const limit = now + maxMs * 1000;
      while (queue.length > 0) {
        const nextAt = Math.min(...queue.map((p) => p.at));
        if (nextAt > limit) break;
        await fireDue(nextAt);
      }
    },
    pendingTimers: () => queue.length,
  };
}
