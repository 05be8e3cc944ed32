// TEST AND BENCHMARK SUPPORT: the whole inbound path over real TCP — the FreeSWITCH simulator with its traffic
// generator, the ESL switch port, and the engine on a real event store — on one accelerated clock shared by both
// sides. The engine runs in this process (`startLocalEngine`) or as a `serve` child process (the kill -9 test).
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { startEngine, type Engine } from '../../engine/engine.ts';
import { InMemoryCustomerLookup } from '../../engine/process-managers/inbound/customer-lookup.ts';
import { EslSwitchPort } from '../../engine/switch/esl-switch-port.ts';
import type { ContactCenterSpec } from '../demo/seed-contact-center.ts';
import { flowForDidOf } from '../demo/seed-contact-center.ts';
import { engineClockOf, simClockOf, type ClockAnchors } from '../runtime/shared-clock.ts';
import { startSimulator, type Simulator } from '../simulator/server/start-simulator.ts';
import type { TrafficGenerator } from '../simulator/traffic/traffic-generator.ts';
import type { TrafficScenarioInput } from '../simulator/traffic/traffic-scenario.ts';
import type { FsEvent } from '../simulator/events/fs-event.ts';
import { headerOf } from '../simulator/events/fs-event.ts';

/** Anchors for a run `factor` times faster than the wall clock, starting now at a fixed simulated date. */
export function anchorsNow(factor: number, simStart = Date.UTC(2026, 10, 23, 8, 0, 0)): ClockAnchors {
  return { factor, anchorWallMs: Date.now(), anchorSimMs: simStart };
}

/** What the simulator saw, per leg, collected from its own events (its view, to compare with ours). */
export class SwitchView {
  /** Caller legs (inbound) → whether they were ever bridged, and whether they are gone. */
  readonly callers = new Map<string, { bridged: boolean; destroyed: boolean; createdWallMs: number; destroyedWallMs: number | undefined; trace: string[] }>();
  /** Customer legs: outbound legs to an external number (a callback's dial-back) → whether bridged, whether gone. */
  readonly customers = new Map<string, { bridged: boolean; destroyed: boolean }>();
  /** Directory user → its answered legs not yet hung up. */
  readonly #talking = new Map<string, Set<string>>();
  /** Users that once had two answered legs up at the same time (a double booking), with the legs. */
  readonly doubleBooked: { user: string; legs: string[] }[] = [];
  /** Channels created and not yet destroyed. */
  live = 0;

  /** What the switch did with a caller leg (for error messages). */
  describe(leg: string): string {
    const c = this.callers.get(leg);
    return c ? `switch ${c.destroyed ? 'destroyed' : 'still up'}, created wall ${c.createdWallMs}: ${c.trace.join(' ')}` : 'the switch never saw it';
  }

  /** Feeds one simulator event. */
  see(e: FsEvent): void {
    const uuid = headerOf(e, 'Unique-ID');
    if (!uuid) return;
    const inbound = headerOf(e, 'Call-Direction') === 'inbound';
    const user = /^sofia\/[^/]+\/sip:(\d+)@/.exec(headerOf(e, 'Channel-Name') ?? '')?.[1];
    // What happened to a caller leg, in the switch's words and times (for a mismatch's explanation).
    const traced = this.callers.get(uuid) ?? (e.name === 'CHANNEL_BRIDGE' || e.name === 'CHANNEL_UNBRIDGE' ? this.callers.get(headerOf(e, 'Bridge-B-Unique-ID') ?? headerOf(e, 'Other-Leg-Unique-ID') ?? '') : undefined);
    if (traced && e.name !== 'CHANNEL_STATE' && e.name !== 'CHANNEL_CALLSTATE' && e.name !== 'HEARTBEAT') {
      const detail = headerOf(e, 'Application') ?? headerOf(e, 'Hangup-Cause') ?? headerOf(e, 'Other-Leg-Unique-ID') ?? headerOf(e, 'DTMF-Digit') ?? '';
      traced.trace.push(`${e.name.replace(/^CHANNEL_/, '')}${detail ? `(${detail})` : ''}@${headerOf(e, 'Event-Date-Timestamp') ?? ''}`);
    }
    switch (e.name) {
      case 'CHANNEL_CREATE':
        this.live++;
        if (inbound) this.callers.set(uuid, { bridged: false, destroyed: false, createdWallMs: Date.now(), destroyedWallMs: undefined, trace: [] });
        else if (!user && (headerOf(e, 'Channel-Name') ?? '').startsWith('sofia/')) this.customers.set(uuid, { bridged: false, destroyed: false });
        break;
      case 'CHANNEL_ANSWER':
        if (!inbound && user) {
          const legs = this.#talking.get(user) ?? new Set<string>();
          legs.add(uuid);
          this.#talking.set(user, legs);
          if (legs.size > 1) this.doubleBooked.push({ user, legs: [...legs] });
        }
        break;
      case 'CHANNEL_BRIDGE': {
        const a = headerOf(e, 'Bridge-A-Unique-ID') ?? uuid;
        const b = headerOf(e, 'Bridge-B-Unique-ID') ?? '';
        const c = this.callers.get(a) ?? this.callers.get(b);
        if (c) c.bridged = true;
        for (const leg of [a, b]) {
          const customer = this.customers.get(leg);
          if (customer) customer.bridged = true;
        }
        break;
      }
      case 'CHANNEL_HANGUP':
        if (user) this.#talking.get(user)?.delete(uuid);
        break;
      case 'CHANNEL_DESTROY': {
        this.live--;
        const c = this.callers.get(uuid);
        if (c) {
          c.destroyed = true;
          c.destroyedWallMs = Date.now();
        }
        const customer = this.customers.get(uuid);
        if (customer) customer.destroyed = true;
        break;
      }
    }
  }
}

export interface SwitchUnderTest {
  readonly sim: Simulator;
  readonly view: SwitchView;
  readonly anchors: ClockAnchors;
  /** Starts the traffic generator. */
  traffic(scenario: TrafficScenarioInput): TrafficGenerator;
  close(): Promise<void>;
}

/** Starts the simulator on the shared clock, watching its own events. */
export async function startSwitch(anchors: ClockAnchors, options: { seed: string | number; ringMs?: number; users?: Iterable<string> }): Promise<SwitchUnderTest> {
  const sim = await startSimulator({ port: 0, clock: simClockOf(anchors), seed: options.seed, ringMs: options.ringMs ?? 2000, heartbeatSec: 20, ...(options.users ? { users: options.users } : {}) });
  const view = new SwitchView();
  const off = sim.onEvent((e) => view.see(e));
  return {
    sim,
    view,
    anchors,
    traffic: (scenario) => sim.startTraffic(scenario),
    async close() {
      off();
      await sim.close();
    },
  };
}

export interface LocalEngine {
  readonly engine: Engine;
  readonly port: EslSwitchPort;
  readonly errors: { where: string; error: unknown }[];
  stop(): Promise<void>;
}

/** The engine in this process, on `store`, talking ESL to the simulator. */
export async function startLocalEngine(store: EventStore, sw: SwitchUnderTest, spec: ContactCenterSpec, instanceId = `e2e-${randomUUID().slice(0, 8)}`): Promise<LocalEngine> {
  // The port asks the engine for its open channels on reconnect; the engine needs the port first.
  const ref: { engine?: Engine } = {};
  const port = new EslSwitchPort({
    switches: [{ host: sw.sim.host, port: sw.sim.port }],
    password: sw.sim.password,
    commandTimeoutMs: 10_000,
    openChannels: (switchId) => (ref.engine ? ref.engine.openChannels(switchId) : []),
    connection: { heartbeatMisses: 0, now: () => clock.now() },
  });
  const clock = engineClockOf(sw.anchors);
  const ready = await port.start(10_000);
  if (ready.notReady.length > 0) throw new Error(`switch not reachable: ${ready.notReady.join(', ')}`);
  const errors: { where: string; error: unknown }[] = [];
  const engine = (ref.engine = await startEngine({
    store,
    switchPort: port,
    clock,
    instanceId,
    danglingOfferGraceMs: 5_000 * sw.anchors.factor,
    flowForDid: flowForDidOf(spec),
    lookup: new InMemoryCustomerLookup(),
    onError: (error, where) => errors.push({ where, error }),
  }));;
  // As serve does: reconcile again once the engine knows which legs it believes live.
  await Promise.all(port.manager.status().map((s) => port.manager.connection(s.switchId).reconcile()));
  return {
    engine,
    port,
    errors,
    async stop() {
      await engine.stop();
      port.close();
    },
  };
}
