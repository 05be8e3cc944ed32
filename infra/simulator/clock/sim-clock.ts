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
      // Unref'd: the simulator's timers never keep a process alive on their own (the TCP server does).
      handles.set(id, setTimeout(() => { handles.delete(id); fn(); }, Math.max(0, ms)).unref());
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

/** Min-heap on (at, id): timers due at the same instant fire in the order they were set. */
class TimerHeap {
  private items: Pending[] = [];
  private readonly cancelled = new Set<number>();
  private readonly live = new Set<number>();

  get size(): number {
    return this.live.size;
  }

  push(p: Pending): void {
    this.live.add(p.id);
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  cancel(id: number): void {
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** The earliest live timer, without removing it. */
  peek(): Pending | undefined {
    this.dropCancelled();
    return this.items[0];
  }

  pop(): Pending | undefined {
    this.dropCancelled();
    const top = this.removeTop();
    if (top) this.live.delete(top.id);
    return top;
  }

  private dropCancelled(): void {
    while (this.items[0] && this.cancelled.has(this.items[0].id)) {
      this.cancelled.delete(this.items[0].id);
      this.removeTop();
    }
  }

  private removeTop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: Pending, y: Pending): boolean => x.at < y.at || (x.at === y.at && x.id < y.id);

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Virtual time starting at `startMicros` (default 2026-01-01T00:00:00Z). */
export function createVirtualClock(startMicros = Date.UTC(2026, 0, 1) * 1000): VirtualClock {
  let now = startMicros;
  let seq = 0;
  const heap = new TimerHeap();
  const fireDue = async (until: number): Promise<void> => {
    for (;;) {
      await yieldToLoop();
      const head = heap.peek();
      if (!head || head.at > until) break;
      heap.pop();
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
      heap.push({ id, at: now + Math.max(0, Math.round(ms * 1000)), fn });
      return { id };
    },
    clearTimer(t) {
      heap.cancel(t.id);
    },
    advance: (ms) => fireDue(now + Math.round(ms * 1000)),
    async runUntilIdle(maxMs = 3_600_000) {
      const limit = now + maxMs * 1000;
      for (;;) {
        const head = heap.peek();
        if (!head || head.at > limit) break;
        await fireDue(head.at);
      }
    },
    pendingTimers: () => heap.size,
  };
}
