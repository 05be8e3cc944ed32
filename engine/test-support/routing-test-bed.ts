// TEST SUPPORT: a routing manager and a timer service on an embedded store (PGlite), a virtual clock and a fake switch
// port, with the waits the routing tests share. Not for production code.
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { VirtualClock } from '../clock.ts';
import { RoutingManager } from '../process-managers/routing/routing-manager.ts';
import { TimerService } from '../timers/timer-service.ts';
import { FakeSwitchPort } from './fake-switch-port.ts';

/** An agent leg the routing manager asked the switch to dial. */
export interface AgentOriginate {
  readonly legUuid: string;
  readonly callId: string;
  readonly offerId: string;
}

/** See the module comment. `open` per test, `close` after it; `start`/`stop` may run several times (restarts). */
export class RoutingTestBed {
  readonly store: EventStore;
  readonly clock: VirtualClock;
  readonly port: FakeSwitchPort;
  /** What the manager reported through onError, as `{ e, what }`. */
  readonly errors: unknown[] = [];
  #manager: RoutingManager | undefined;
  #timers: TimerService | undefined;

  private constructor(store: EventStore, clock: VirtualClock, port: FakeSwitchPort) {
    this.store = store;
    this.clock = clock;
    this.port = port;
  }

  /** A fresh in-memory store, a clock at `t0` and a fake switch. */
  static async open(t0: number): Promise<RoutingTestBed> {
    return new RoutingTestBed(await openEventStore('pglite:memory'), new VirtualClock(t0), new FakeSwitchPort());
  }

  /** Starts a routing manager (named `instanceId`) and the timer service, and waits until it caught up. */
  async start(instanceId = 'test'): Promise<void> {
    this.#manager = new RoutingManager({ store: this.store, switchPort: this.port, clock: this.clock, instanceId, onError: (e, what) => this.errors.push({ e, what }) });
    this.#timers = new TimerService({ store: this.store, clock: this.clock });
    this.#timers.start();
    await this.#manager.start();
    await this.#manager.idle();
  }

  /** Stops the manager and the timers (the store and the switch stay). */
  async stop(): Promise<void> {
    await this.#manager?.stop();
    await this.#timers?.stop();
    this.#manager = undefined;
    this.#timers = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    this.port.close();
    await this.store.close();
  }

  /** Gives the subscription time to deliver what was appended, then lets the mailbox and the timers drain. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 40));
      await this.#manager?.idle();
      await this.#timers?.idle();
    }
  }

  /** Moves the virtual clock on, then settles. */
  async advance(ms: number): Promise<void> {
    await this.clock.advanceBy(ms);
    await this.settle();
  }

  /** The agent legs dialled so far, in order. */
  agentOriginates(): AgentOriginate[] {
    return this.port
      .named('originate')
      .filter((c) => c.request.role === 'agent')
      .map((c) => c.request as unknown as AgentOriginate);
  }
}
