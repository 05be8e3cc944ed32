// `make run` / `./ledgerline demo`: the whole product in one process on the embedded store — the FreeSWITCH
// simulator with a steady stream of callers, the engine speaking ESL to it, projections, the API and the wallboard.
// The demo contact center (tenant `demo`: sales and support behind an IVR on number 5000, 20 agents) is recorded
// through the deciders on first start; state stays in .data/ across runs, and the wallboard's key is kept in
// .data/demo/wallboard-key so the printed URL stays the same.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { apiKeyStream } from '../../api/auth/api-key-events.ts';
import { keyIdOfSecret } from '../../api/auth/api-key-secret.ts';
import { createApiKey } from '../../api/auth/api-key-store.ts';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { Config } from '../config/config.ts';
import { startServe, type RunningServe } from '../cli/commands/serve.ts';
import { startSimulator, type Simulator } from '../simulator/server/start-simulator.ts';
import type { TrafficGenerator } from '../simulator/traffic/traffic-generator.ts';
import { demoContactCenter } from './demo-contact-center.ts';
import { demoTraffic } from './demo-traffic.ts';
import { seedContactCenter } from './seed-contact-center.ts';

export const DEMO_TENANT = 'demo';

export interface DemoOptions {
  /** Where the wallboard key is kept (default .data/demo/wallboard-key). */
  readonly keyFile?: string;
  /** New calls per second (default 0.25). */
  readonly ratePerSecond?: number;
  /** The simulator's ESL port (default: any free port). */
  readonly simPort?: number;
}

/** A running demo. */
export interface RunningDemo {
  readonly served: RunningServe;
  readonly sim: Simulator;
  readonly traffic: TrafficGenerator;
  /** The wallboard, with its key in the fragment (never sent to the server in a request line). */
  readonly wallboardUrl: string;
  stop(): Promise<void>;
}

/** Whether the log holds the key of this secret, not revoked (the file may belong to another store). */
async function keyIsLive(store: EventStore, secret: string): Promise<boolean> {
  const keyId = keyIdOfSecret(secret);
  if (keyId === undefined) return false;
  let live = false;
  try {
    for await (const e of store.readStream(apiKeyStream(keyId))) live = e.type !== 'ApiKeyRevoked';
  } catch (err) {
    if (isLedgerlineError(err, 'STREAM_NOT_FOUND')) return false;
    throw err;
  }
  return live;
}

/** The supervisor key the wallboard uses: created once per store, then read back from the file. */
async function wallboardKey(store: EventStore, file: string): Promise<string> {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (await keyIsLive(store, kept)) return kept;
  }
  const { secret } = await createApiKey(store, { role: 'supervisor', tenant: DEMO_TENANT, agentId: null, name: 'demo wallboard' }, { actor: 'system:demo', at: Date.now() });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Starts the simulator, `serve` wired to it, the demo contact center and its callers. */
export async function startDemo(config: Config, options: DemoOptions = {}): Promise<RunningDemo> {
  const spec = demoContactCenter({ tenant: DEMO_TENANT, agents: 20, wrapUpSeconds: 10 });
  const sim = await startSimulator({ port: options.simPort ?? 0, seed: 'ledgerline-demo', users: spec.agents.map((a) => a.id), ringMs: 2500 });
  let served: RunningServe;
  try {
    served = await startServe({ ...config, ESL_HOSTS: `${sim.host}:${sim.port}`, ESL_PASSWORD: sim.password });
  } catch (err) {
    await sim.close();
    throw err;
  }
  await seedContactCenter(served.store, spec, Date.now());
  const key = await wallboardKey(served.store, options.keyFile ?? '.data/demo/wallboard-key');
  const traffic = sim.startTraffic(demoTraffic(options.ratePerSecond));
  return {
    served,
    sim,
    traffic,
    wallboardUrl: `${served.address}/#key=${key}`,
    async stop() {
      traffic.stop();
      await served.stop();
      await sim.close();
    },
  };
}
