// TEST AND BENCHMARK SUPPORT: runs the Erlang C scenario end to end — the simulator's traffic generator over real TCP
// to the EslSwitchPort, the engine on a real event store — on ONE stepped virtual clock shared by engine and switch,
// and returns the queue contacts the domain's own metric fold reads from the log.
//
// Why a stepped clock and not the accelerated one of the other e2e runs: on an accelerated clock every wall-clock
// millisecond the engine spends reacting (appends, log polls, ESL round trips) becomes `factor` simulated
// milliseconds, added to the waits of callers answered at once and to every agent's busy time. From a caller's
// arrival to "connected" there are ~12 sequential appends and 3 ESL round trips: 30–190 ms of wall time measured here
// on 2 busy cores. At the factor 40 the other e2e runs use, that adds 1–8 simulated seconds to every wait (ASA is
// ≈ 18 s here, and its 95 % interval over 20,000 calls ±2–3 s), and no caller would ever wait exactly 0 s. A factor
// small enough for that to vanish (≤ 1) would need 7.7 days for 20,000 calls. The stepped clock moves only when
// engine and switch are idle (quiescence.ts), so the engine's latency is exactly zero simulated time at any load,
// and the run goes as fast as the engine can.
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { recordsFromEvents } from '../../../domain/metrics/contacts-from-events.ts';
import type { QueueContact } from '../../../domain/metrics/queue-contact.ts';
import { startEngine, type Engine } from '../../../engine/engine.ts';
import { InMemoryCustomerLookup } from '../../../engine/process-managers/inbound/customer-lookup.ts';
import { EslSwitchPort } from '../../../engine/switch/esl-switch-port.ts';
import { flowForDidOf, seedContactCenter } from '../../demo/seed-contact-center.ts';
import { startSimulator, type Simulator } from '../../simulator/server/start-simulator.ts';
import type { TrafficStats } from '../../simulator/traffic/traffic-generator.ts';
import { agentIdsOf, ERLANG_C_QUEUE, erlangCContactCenter, erlangCTraffic, type ErlangCParameters } from './erlang-c-scenario.ts';
import { observeStore } from './observed-store.ts';
import { observePort, Quiescence } from './quiescence.ts';
import { SteppedClock } from './stepped-clock.ts';

export interface ErlangCRunOptions {
  readonly parameters: ErlangCParameters;
  /** Calls offered in all (warm-up included). */
  readonly calls: number;
  readonly seed: string;
  /** A fresh, empty store (the run decorates it). */
  readonly store: EventStore;
  /** Called every 1,000 offered calls (progress of long runs). */
  readonly onProgress?: (stats: TrafficStats, wallMs: number) => void;
}

/** What a run produced. */
export interface ErlangCRun {
  /** The queue contacts of the log (domain fold), in order of entry. */
  readonly contacts: readonly QueueContact[];
  readonly traffic: TrafficStats;
  /** Clock steps taken (instants at which something was due). */
  readonly steps: number;
  /** Times the idle detector waited for store, switch or socket I/O before it could step (for the bench report). */
  readonly settleWaits: number;
  /** Simulated seconds from the first to the last step. */
  readonly simulatedSeconds: number;
  readonly wallMs: number;
  /** Errors the engine survived (expected: none). */
  readonly engineErrors: readonly { where: string; error: unknown }[];
}

const SIM_START_MS = Date.UTC(2026, 10, 23, 8, 0, 0);

/** See the module comment. */
export async function runErlangC(o: ErlangCRunOptions): Promise<ErlangCRun> {
  const started = Date.now();
  const clock = new SteppedClock(SIM_START_MS);
  const observed = observeStore(o.store);
  const spec = erlangCContactCenter(o.parameters);
  let sim: Simulator | undefined;
  let esl: EslSwitchPort | undefined;
  let engine: Engine | undefined;
  let stopTraffic: (() => void) | undefined;
  const engineErrors: { where: string; error: unknown }[] = [];
  try {
    sim = await startSimulator({ port: 0, clock: clock.sim, seed: o.seed, ringMs: 0, heartbeatSec: 0, users: agentIdsOf(o.parameters) });
    // Facts and command replies are hints for the idle detector, which needs the port to exist first.
    const hint = { moved: (): void => undefined };
    esl = new EslSwitchPort({
      switches: [{ host: sim.host, port: sim.port }],
      password: sim.password,
      commandTimeoutMs: 30_000,
      openChannels: (switchId) => (engine ? engine.openChannels(switchId) : []),
      onAdapterFact: () => hint.moved(),
      connection: { heartbeatMisses: 0 },
    });
    const ready = await esl.start(10_000);
    if (ready.notReady.length > 0) throw new Error(`switch not reachable: ${ready.notReady.join(', ')}`);
    const port = observePort(esl, () => hint.moved());
    const quiet = new Quiescence({ sim, esl, portInFlight: port.inFlight, store: observed });
    hint.moved = quiet.moved;
    await seedContactCenter(observed.store, spec, clock.engine.now());
    engine = await startEngine({
      store: observed.store,
      switchPort: port.port,
      clock: clock.engine,
      instanceId: `erlang-c-${randomUUID().slice(0, 8)}`,
      flowForDid: flowForDidOf(spec),
      lookup: new InMemoryCustomerLookup(),
      onError: (error, where) => engineErrors.push({ where, error }),
    });
    quiet.attach(engine);
    await quiet.settle();
    const traffic = sim.startTraffic(erlangCTraffic(o.parameters, o.calls, o.seed));
    stopTraffic = () => traffic.stop();
    const firstStepMs = clock.nowMs;
    let steps = 0;
    let reported = 0;
    while (traffic.stats.completed < o.calls) {
      await quiet.settle();
      if (!clock.step()) throw new Error(`nothing left to happen with ${o.calls - traffic.stats.completed} calls unfinished`);
      steps++;
      if (o.onProgress && traffic.stats.offered >= reported + 1000) {
        reported = traffic.stats.offered - (traffic.stats.offered % 1000);
        o.onProgress(traffic.stats, Date.now() - started);
      }
    }
    await quiet.settle();
    const records = recordsFromEvents(await readAll(observed.store));
    const contacts = records.contacts.filter((c) => c.queueId === ERLANG_C_QUEUE).sort((a, b) => a.enteredAt - b.enteredAt || (a.contactId < b.contactId ? -1 : 1));
    return { contacts, traffic: { ...traffic.stats }, steps, settleWaits: quiet.waits, simulatedSeconds: (clock.nowMs - firstStepMs) / 1000, wallMs: Date.now() - started, engineErrors };
  } finally {
    stopTraffic?.();
    await engine?.stop();
    esl?.close();
    await sim?.close();
  }
}

async function readAll(store: EventStore): Promise<{ type: string; data: unknown }[]> {
  const events: { type: string; data: unknown }[] = [];
  for await (const e of store.readAll()) events.push({ type: e.type, data: e.data });
  return events;
}
