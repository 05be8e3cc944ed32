// A bounded queue between the ESL sockets (which push facts synchronously) and the engine (which pulls them at its
// own pace). The sockets cannot be paused from here, so backpressure is: once `capacity` facts wait, further facts of
// that switch are dropped (`onOverflow`) until the engine has drained the queue to half, then `onRecovered` is told
// (the port reconciles that switch, so legs that ended meanwhile still arrive as hangups). Memory stays bounded.
import type { SwitchFact } from '../ports/switch-port.ts';

export interface FactBufferOptions {
  readonly capacity: number;
  /** Called once per overflow episode of a switch. */
  readonly onOverflow?: (switchId: string) => void;
  /** Called when an overflow episode ends (the queue drained to half its capacity). */
  readonly onRecovered?: (switchId: string) => void;
}

/** Bounded single-consumer async queue of port facts. */
export class FactBuffer {
  readonly #options: FactBufferOptions;
  #queue: SwitchFact[] = [];
  #head = 0;
  #waiter: ((r: IteratorResult<SwitchFact>) => void) | undefined;
  #closed = false;
  readonly #overflowing = new Set<string>();
  /** Facts dropped because the consumer was too slow. */
  dropped = 0;

  constructor(options: FactBufferOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#options = options;
  }

  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** Offers a fact; false when it was dropped (full or closed). `force` bypasses the bound (reconcile facts, bounded by open channels). */
  push(fact: SwitchFact, force = false): boolean {
    if (this.#closed) return false;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w({ value: fact, done: false });
      return true;
    }
    if (!force && (this.size >= this.#options.capacity || this.#overflowing.has(fact.switchId))) {
      this.dropped++;
      if (!this.#overflowing.has(fact.switchId)) {
        this.#overflowing.add(fact.switchId);
        this.#options.onOverflow?.(fact.switchId);
      }
      return false;
    }
    this.#queue.push(fact);
    return true;
  }

  /** Ends the stream once the queued facts are consumed. */
  close(): void {
    this.#closed = true;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  #recovered(): void {
    const switches = [...this.#overflowing];
    this.#overflowing.clear();
    for (const s of switches) this.#options.onRecovered?.(s);
  }

  /** The next fact, waiting for one; done once closed and drained. One consumer at a time. */
  next(): Promise<IteratorResult<SwitchFact>> {
    if (this.size > 0) {
      const value = this.#queue[this.#head++]!;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (this.#overflowing.size > 0 && this.size * 2 <= this.#options.capacity) this.#recovered();
      return Promise.resolve({ value, done: false });
    }
    if (this.#overflowing.size > 0) this.#recovered();
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    if (this.#waiter) return Promise.reject(new Error('FactBuffer has one consumer at a time'));
    return new Promise((resolve) => (this.#waiter = resolve));
  }
}
