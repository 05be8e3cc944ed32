// What `serve` runs besides HTTP and projections when switches are configured: the ESL switch port, the number
// directory (which IVR flow and tenant answer a dialled number), the customer look-up, and the engine. Configured
// by environment (infra/config/config.ts); nothing here decides anything.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { migrateCustomers } from '../../adapters/crm/customers-schema.ts';
import { HttpCustomerLookup } from '../../adapters/crm/http-customer-lookup.ts';
import { SqlCustomerLookup } from '../../adapters/crm/sql-customer-lookup.ts';
import { parseEslHosts } from '../../adapters/freeswitch/connection/switch-manager.ts';
import type { EslLogger } from '../../adapters/freeswitch/esl/esl-logger.ts';
import { RealClock, type Clock } from '../../engine/clock.ts';
import { NumberDirectory } from '../../engine/directory/number-directory.ts';
import { startEngine, type Engine } from '../../engine/engine.ts';
import type { CustomerLookup } from '../../engine/process-managers/inbound/customer-lookup.ts';
import { EslSwitchPort } from '../../engine/switch/esl-switch-port.ts';
import type { Config } from '../config/config.ts';
import { engineClockOf, parseAnchors } from './shared-clock.ts';

/** A running engine with its switch port and number directory. */
export interface EngineRuntime {
  readonly engine: Engine;
  readonly port: EslSwitchPort;
  readonly directory: NumberDirectory;
  readonly clock: Clock;
  readonly instanceId: string;
  /** The id of the first switch (click-to-call dials there). */
  readonly firstSwitchId: string;
  /** ESL events per second per switch, over the time since the last call (for /metrics). */
  eslEventsPerSecond(): { labels: { switch: string }; value: number }[];
  /** Calls in progress, every tenant. */
  activeCalls(): number;
  /** Throws unless every switch connection is ready (for /readyz). */
  checkSwitches(): Promise<void>;
  stop(): Promise<void>;
}

/** The share of calls (by a hash of the call stream) this process plays queue media to, from ENGINE_SHARD `i/n`. */
export function shardOf(shard: string | undefined): ((callStream: string) => boolean) | undefined {
  if (shard === undefined) return undefined;
  const [index, count] = shard.split('/').map(Number) as [number, number];
  return (callStream) => createHash('sha1').update(callStream).digest().readUInt32BE(0) % count === index;
}

/** The customer look-up: the CRM at CRM_LOOKUP_URL for every look-up a flow names, else the customers table. */
export async function customerLookupOf(config: Config, db: Kysely<unknown>): Promise<CustomerLookup> {
  if (config.CRM_LOOKUP_URL === undefined) {
    await migrateCustomers(db);
    return new SqlCustomerLookup({ db });
  }
  const endpoint = { url: config.CRM_LOOKUP_URL, ...(config.CRM_LOOKUP_TOKEN ? { bearerToken: config.CRM_LOOKUP_TOKEN } : {}) };
  return new HttpCustomerLookup({ endpoints: { 'customer-by-number': endpoint, 'customer-by-phone': endpoint, 'customer-by-id': endpoint } });
}

/** Starts the engine on the switches of ESL_HOSTS; undefined when none is configured (HTTP and projections only). */
export async function startEngineRuntime(config: Config, deps: { store: EventStore; db: Kysely<unknown>; logger: EslLogger; onError: (error: unknown, where: string) => void }): Promise<EngineRuntime | undefined> {
  const switches = parseEslHosts(config.ESL_HOSTS);
  if (switches.length === 0) return undefined;
  const anchors = parseAnchors(config.ENGINE_CLOCK);
  const clock: Clock = anchors ? engineClockOf(anchors) : new RealClock();
  const instanceId = config.ENGINE_INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  const directory = new NumberDirectory({ store: deps.store, onError: (e) => deps.onError(e, 'number directory') });
  directory.start();
  await directory.ready;
  const lookup = await customerLookupOf(config, deps.db);
  // The port asks the engine for its open channels on reconnect; the engine needs the port first.
  const ref: { engine?: Engine } = {};
  const port = new EslSwitchPort({
    switches,
    password: config.ESL_PASSWORD,
    commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
    logger: deps.logger,
    connection: { now: () => clock.now() },
    openChannels: (switchId) => ref.engine?.openChannels(switchId) ?? [],
  });
  // Switches that are not up yet keep being retried; the engine starts anyway (calls wait for a switch).
  await port.start(10_000);
  const ownsCall = shardOf(config.ENGINE_SHARD);
  const engine = (ref.engine = await startEngine({
    store: deps.store,
    switchPort: port,
    clock,
    instanceId,
    flowForDid: (did) => directory.flowFor(did),
    // Agents are the switch's directory users named by their id (the tenant's ids must be unique on the switch).
    agentEndpoint: (_scoped, agent) => ({ kind: 'user', user: agent.agentId }),
    lookup,
    ...(ownsCall ? { ownsCall } : {}),
    // Five seconds of wall time, whatever the clock's speed.
    danglingOfferGraceMs: 5_000 * (anchors?.factor ?? 1),
    onError: deps.onError,
  }));;
  // The first reconcile ran when the port connected, before the engine had caught up with the log (it believed no
  // channel live, so legs that ended while this process was down went unnoticed): reconcile again now.
  await Promise.all(port.manager.status().map((s) => port.manager.connection(s.switchId).reconcile().catch((e: unknown) => deps.onError(e, `reconcile ${s.switchId}`))));
  const started = engine;
  let lastCount = new Map<string, { events: number; at: number }>();
  return {
    engine: started,
    port,
    directory,
    clock,
    instanceId,
    firstSwitchId: `${switches[0]!.host}:${switches[0]!.port}`,
    eslEventsPerSecond() {
      const now = Date.now();
      const next = new Map<string, { events: number; at: number }>();
      const out: { labels: { switch: string }; value: number }[] = [];
      for (const { switchId } of port.manager.status()) {
        const events = port.manager.connection(switchId).stats.events;
        const prev = lastCount.get(switchId);
        next.set(switchId, { events, at: now });
        if (prev && now > prev.at) out.push({ labels: { switch: switchId }, value: ((events - prev.events) * 1000) / (now - prev.at) });
      }
      lastCount = next;
      return out;
    },
    activeCalls: () => started.routing.tenants.reduce((n, t) => n + started.routing.modelOf(t).calls.size, 0),
    async checkSwitches() {
      const down = port.manager.status().filter((s) => s.state !== 'ready');
      if (down.length > 0) throw new Error(`switch not connected: ${down.map((s) => `${s.switchId} (${s.state})`).join(', ')}`);
    },
    async stop() {
      await started.stop();
      port.close();
      await directory.stop();
    },
  };
}
