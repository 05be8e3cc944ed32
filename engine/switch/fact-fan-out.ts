// Several process managers (routing, inbound IVR, in-call control, queue media) each read every switch fact, but a
// SwitchPort has one fact stream. The fan-out reads it once and hands each consumer its own copy, in the same order;
// commands pass straight through to the port. Backpressure: while any consumer holds more than `highWater` facts the
// fan-out stops reading, so the port's own bounded buffer (and its overflow-then-reconcile rule) takes over.
import type { SwitchFact, SwitchPort } from '../ports/switch-port.ts';

interface Consumer {
  readonly name: string;
  readonly queue: SwitchFact[];
  waiting: ((r: IteratorResult<SwitchFact>) => void) | undefined;
  closed: boolean;
}

export interface FactFanOutOptions {
  /** Facts one consumer may hold before the fan-out stops reading the port (default 5 000). */
  readonly highWater?: number;
}

/** See the module comment. Create every consumer before `start()`: a consumer added later misses earlier facts. */
export class FactFanOut {
  readonly #port: SwitchPort;
  readonly #consumers: Consumer[] = [];
  readonly #highWater: number;
  #drained: (() => void) | undefined;
  #pump: Promise<void> | undefined;
  #ended = false;

  constructor(port: SwitchPort, options: FactFanOutOptions = {}) {
    this.#port = port;
    this.#highWater = options.highWater ?? 5_000;
  }

  /** A view of the port whose `facts()` is this consumer's own copy; every command goes to the port. */
  consumer(name: string): SwitchPort {
    const c: Consumer = { name, queue: [], waiting: undefined, closed: false };
    this.#consumers.push(c);
    const facts = (): AsyncIterable<SwitchFact> => ({
      [Symbol.asyncIterator]: () => ({
        next: () => this.#next(c),
        return: () => {
          c.closed = true;
          c.queue.length = 0;
          this.#maybeResume();
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    });
    const port = this.#port;
    return new Proxy(port, {
      get(target, prop) {
        if (prop === 'facts') return facts;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  /** Facts waiting per consumer (for metrics). */
  backlog(): Record<string, number> {
    return Object.fromEntries(this.#consumers.map((c) => [c.name, c.queue.length]));
  }

  /** Starts reading the port's facts. */
  start(): void {
    this.#pump ??= this.#run();
  }

  /** Resolves when the port's fact stream ended and every consumer was told. */
  async done(): Promise<void> {
    await this.#pump;
  }

  async #run(): Promise<void> {
    try {
      for await (const fact of this.#port.facts()) {
        for (const c of this.#consumers) {
          if (c.closed) continue;
          if (c.waiting) {
            const w = c.waiting;
            c.waiting = undefined;
            w({ value: fact, done: false });
          } else c.queue.push(fact);
        }
        if (this.#consumers.some((c) => !c.closed && c.queue.length >= this.#highWater)) {
          await new Promise<void>((r) => (this.#drained = r));
        }
      }
    } finally {
      this.#ended = true;
      for (const c of this.#consumers) {
        const w = c.waiting;
        c.waiting = undefined;
        w?.({ value: undefined, done: true });
      }
    }
  }

  #next(c: Consumer): Promise<IteratorResult<SwitchFact>> {
    const fact = c.queue.shift();
    if (fact !== undefined) {
      this.#maybeResume();
      return Promise.resolve({ value: fact, done: false });
    }
    if (this.#ended || c.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (c.waiting = resolve));
  }

  #maybeResume(): void {
    if (!this.#drained) return;
    if (this.#consumers.every((c) => c.closed || c.queue.length < this.#highWater / 2)) {
      const r = this.#drained;
      this.#drained = undefined;
      r();
    }
  }
}
