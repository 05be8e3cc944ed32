// TEST AND BENCHMARK SUPPORT: "engine and switch are idle", the condition under which a stepped clock may move
// (stepped-clock.ts). Idle means, all at once and twice in a row with nothing moving in between:
// - every event the simulator fired that the engine's ESL connection subscribes to has been received (TCP is not
//   instantaneous even on loopback: counted on both ends);
// - no switch command of the engine awaits its reply (an originate's BACKGROUND_JOB is no reply: it comes when the
//   leg answers, on the switch's clock, and arrives as an event like any other);
// - no store operation is in flight, and every log subscription has scanned past the last append;
// - the fact fan-out holds nothing, and the managers' own idle() resolve.
// Waiting is event-driven (a store, port or switch hint wakes it) with a short timer as a backstop: never a busy loop.
import { TRANSLATED_EVENT_NAMES } from '../../../adapters/freeswitch/translator/to-switch-fact.ts';
import type { Engine } from '../../../engine/engine.ts';
import type { EslSwitchPort } from '../../../engine/switch/esl-switch-port.ts';
import type { SwitchPort } from '../../../engine/ports/switch-port.ts';
import type { FsEvent } from '../../simulator/events/fs-event.ts';
import type { Simulator } from '../../simulator/server/start-simulator.ts';
import type { ObservedStore } from './observed-store.ts';

const SUBSCRIBED = new Set(TRANSLATED_EVENT_NAMES);
const SUBCLASSES = new Set(['callcenter::info']);

/** Whether the engine's ESL connection (default subscription) receives this simulator event. */
function engineWants(e: FsEvent): boolean {
  if (e.name === 'CUSTOM') return e.subclass !== undefined && SUBCLASSES.has(e.subclass);
  return SUBSCRIBED.has(e.name);
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A SwitchPort whose commands are counted while in flight (facts() passes through). */
export function observePort(port: SwitchPort, moved: () => void): { port: SwitchPort; inFlight: () => number } {
  let inFlight = 0;
  const wrapped = new Proxy(port, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (prop === 'facts') return fn.bind(target);
      return (...args: unknown[]) => {
        const r = fn.apply(target, args);
        if (!(r instanceof Promise)) return r;
        inFlight++;
        return r.finally(() => {
          inFlight--;
          moved();
        });
      };
    },
  });
  return { port: wrapped, inFlight: () => inFlight };
}

/** What the detector watches. */
export interface QuiescenceParts {
  readonly sim: Simulator;
  readonly esl: EslSwitchPort;
  readonly portInFlight: () => number;
  readonly store: ObservedStore;
}

/** See the module comment. Create it once the ESL connection is ready, before any call. */
export class Quiescence {
  readonly #p: QuiescenceParts;
  readonly #switchId: string;
  #engine: Engine | undefined;
  #fired = 0;
  readonly #receivedBase: number;
  #activity = 0;
  #wake: (() => void) | undefined;
  /** How many times settle() had to wait for I/O (for the run's report). */
  waits = 0;

  constructor(parts: QuiescenceParts) {
    this.#p = parts;
    this.#switchId = parts.esl.manager.switchIds()[0]!;
    this.#receivedBase = this.#received();
    parts.sim.onEvent((e) => {
      if (engineWants(e)) this.#fired++;
      this.#moved();
    });
    parts.store.onActivity(() => this.#moved());
  }

  /** The engine whose managers must be idle too. */
  attach(engine: Engine): void {
    this.#engine = engine;
  }

  /** Something moved (a store operation settled, a command got its reply, a fact arrived). */
  moved = (): void => {
    this.#activity++;
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  };

  #moved(): void {
    this.moved();
  }

  #received(): number {
    return this.#p.esl.manager.connection(this.#switchId).stats.events;
  }

  /** Why the system is not idle right now, or undefined when it is. */
  busy(): string | undefined {
    const p = this.#p;
    const received = this.#received() - this.#receivedBase;
    if (received < this.#fired) return `switch events in transit (${this.#fired - received})`;
    if (p.portInFlight() > 0) return `switch commands awaiting replies (${p.portInFlight()})`;
    if (p.store.inFlight() > 0) return `store operations in flight (${p.store.inFlight()})`;
    if (!p.store.subscriptionsCaughtUp()) return 'log subscriptions behind the last append';
    const backlog = this.#engine ? Object.values(this.#engine.fanOut.backlog()).reduce((a, b) => a + b, 0) : 0;
    if (backlog > 0) return `facts waiting in the fan-out (${backlog})`;
    return undefined;
  }

  /** Resolves once engine and switch are idle (see the module comment); throws after `timeoutMs` of wall time. */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietOnce = -1;
    for (;;) {
      await turn();
      await this.#managersIdle();
      await turn();
      const reason = this.busy();
      if (reason === undefined) {
        if (quietOnce === this.#activity) return;
        quietOnce = this.#activity;
        continue;
      }
      quietOnce = -1;
      if (Date.now() > deadline) throw new Error(`engine and switch never went idle: ${reason}`);
      this.waits++;
      await this.#nextActivity(5);
    }
  }

  async #managersIdle(): Promise<void> {
    const e = this.#engine;
    if (!e) return;
    // The call-control manager's idle() polls the head every 5 ms until its own subscription reached it, and that
    // subscription is woken only by call- appends: on a timer- append it would sleep a poll interval per step. Its
    // lanes only await store and switch work, which the in-flight counts above already see.
    await Promise.all([e.routing.idle(), e.inbound.idle(), e.queueMedia.idle(), e.timers.idle()]);
  }

  #nextActivity(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
