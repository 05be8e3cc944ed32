// TEST AND BENCHMARK SUPPORT: one virtual time for the engine (engine/clock.ts Clock, epoch ms) and the switch
// simulator (SimClock, epoch µs), moved only by `step()`. Between steps nothing advances time, however long the
// engine takes in wall-clock terms: the caller steps only once engine and switch are idle (quiescence.ts), so the
// engine's reaction time never turns into simulated seconds (what an accelerated clock would do).
import type { Clock, ClockTimer } from '../../../engine/clock.ts';
import { MinHeap } from '../../../engine/timers/min-heap.ts';
import type { SimClock, SimTimer } from '../../simulator/clock/sim-clock.ts';

interface Entry {
  readonly id: number;
  /** Epoch µs. */
  readonly at: number;
  readonly fn: () => void;
}

/** See the module comment. Timers due at the same instant fire in the order they were set. */
export class SteppedClock {
  #nowMicros: number;
  #seq = 0;
  readonly #heap = new MinHeap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.id < b.id));
  readonly #live = new Set<number>();
  /** Timers fired so far (each fires once). */
  fired = 0;

  /** Starts at epoch ms `startMs`. */
  constructor(startMs: number) {
    this.#nowMicros = Math.round(startMs * 1000);
  }

  /** Epoch ms now (fractional: the simulator's µs are kept). */
  get nowMs(): number {
    return this.#nowMicros / 1000;
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.#live.size;
  }

  /** The engine's view: whole epoch ms, one-shot timers at absolute instants ("at or before now" means next step). */
  readonly engine: Clock = {
    now: () => Math.floor(this.#nowMicros / 1000),
    at: (atMs: number, fn: () => void): ClockTimer => {
      const id = this.#add(Math.max(this.#nowMicros, Math.round(atMs * 1000)), fn);
      return { cancel: () => this.#cancel(id) };
    },
  };

  /** The simulator's view: µs, relative timers. */
  readonly sim: SimClock = {
    kind: 'virtual',
    nowMicros: () => this.#nowMicros,
    setTimer: (ms: number, fn: () => void): SimTimer => ({ id: this.#add(this.#nowMicros + Math.max(0, Math.round(ms * 1000)), fn) }),
    clearTimer: (t: SimTimer) => this.#cancel(t.id),
  };

  /** Epoch µs of the earliest live timer, if any. */
  nextAtMicros(): number | undefined {
    return this.#peek()?.at;
  }

  /**
   * Moves time to the earliest live timer and fires every timer due at that instant (those set while firing, at the
   * same instant, wait for the next step). False when no timer is left.
   */
  step(): boolean {
    const head = this.#peek();
    if (!head) return false;
    const at = head.at;
    const lastId = this.#seq;
    this.#nowMicros = Math.max(this.#nowMicros, at);
    for (let e = this.#peek(); e && e.at === at && e.id <= lastId; e = this.#peek()) {
      this.#heap.pop();
      this.#live.delete(e.id);
      this.fired++;
      e.fn();
    }
    return true;
  }

  #add(at: number, fn: () => void): number {
    const id = ++this.#seq;
    this.#live.add(id);
    this.#heap.push({ id, at, fn });
    return id;
  }

  #cancel(id: number): void {
    this.#live.delete(id);
  }

  /** The earliest live entry (cancelled ones are dropped on the way). */
  #peek(): Entry | undefined {
    for (let e = this.#heap.peek(); e; e = this.#heap.peek()) {
      if (this.#live.has(e.id)) return e;
      this.#heap.pop();
    }
    return undefined;
  }
}
