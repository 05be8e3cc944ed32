import { mkdirSync } from 'node:fs';
import { build } from '../../../api/build.ts';
import { dashboardRoutes } from '../../../api/dashboard/dashboard-routes.ts';
import { wallboardPage } from '../../../api/dashboard/wallboard-page.ts';
import { processGauges } from '../../../api/metrics/gauge-sources.ts';
import { MetricsRegistry } from '../../../api/metrics/registry.ts';
import { createNumberRoutes } from '../../../api/numbers/number-routes.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { redactUrl } from '../../../adapters/event-store/open-event-store.ts';
import { openProjectionEnvironment } from '../../../projections/open-projection-environment.ts';
import { projectionRegistry } from '../../../projections/registry.ts';
import { startProjections } from '../../../projections/runtime/run-projections.ts';
import { projectionStatus } from '../../../projections/runtime/status.ts';
import { loadConfig, type Config } from '../../config/config.ts';
import { startEngineRuntime, type EngineRuntime } from '../../runtime/engine-runtime.ts';
import { jsonLogger } from '../../runtime/json-logger.ts';

/** A running `serve`: what `stop()` shuts down, in order. */
export interface RunningServe {
  readonly address: string;
  readonly store: EventStore;
  readonly runtime: EngineRuntime | undefined;
  stop(): Promise<void>;
}

/**
 * Opens the event store and read-model database, runs the projections, the engine (when ESL_HOSTS names switches)
 * and the HTTP API. `serve` and `demo` both start here.
 */
export async function startServe(config: Config): Promise<RunningServe> {
  const storeUrl = config.EVENT_STORE_URL;
  if (storeUrl.startsWith('pglite:') && storeUrl !== 'pglite:memory') mkdirSync(storeUrl.slice('pglite:'.length), { recursive: true });
  // On PGlite the event store and the read models share one embedded database (it cannot be opened twice).
  const env = await openProjectionEnvironment({ eventStoreUrl: storeUrl, databaseUrl: config.DATABASE_URL });
  const projections = startProjections({ db: env.db, store: env.store }, projectionRegistry);
  const logger = jsonLogger(config.LOG_LEVEL, 'engine');
  let runtime: EngineRuntime | undefined;
  try {
    runtime = await startEngineRuntime(config, { store: env.store, db: env.db, logger, onError: (err, where) => logger.warn({ err, where }, 'engine: survived an error') });
  } catch (err) {
    await projections.stop();
    await env.close();
    throw err;
  }
  const metrics = new MetricsRegistry();
  const rt = runtime;
  const app = await build(
    {
      store: env.store,
      metrics,
      plugins: [dashboardRoutes({ db: env.db }), wallboardPage, createNumberRoutes(rt ? { directory: rt.directory } : {})],
      gauges: processGauges({
        projectionLag: async () =>
          (await projectionStatus({ db: env.db, store: env.store, meter: env.meter }, projectionRegistry)).map((p) => ({ labels: { projection: p.name }, value: p.lagEvents })),
        ...(rt ? { eslEventsPerSecond: () => rt.eslEventsPerSecond(), activeCalls: () => rt.activeCalls() } : {}),
      }),
      ...(rt ? { readinessChecks: [{ name: 'switches', check: () => rt.checkSwitches() }], outbound: { switchId: rt.firstSwitchId } } : {}),
    },
    { logger: { level: config.LOG_LEVEL } },
  );
  const address = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  console.log(`ledgerline: event store ${redactUrl(storeUrl)}; projections: ${projectionRegistry.map((p) => p.name).join(', ')}`);
  console.log(rt ? `ledgerline: engine ${rt.instanceId} on switches ${config.ESL_HOSTS}` : 'ledgerline: no switches configured (ESL_HOSTS): API and projections only');
  console.log(`ledgerline: listening on ${address}  (health: ${address}/healthz, readiness: ${address}/readyz, API docs: ${address}/docs)`);
  let stopping: Promise<void> | undefined;
  return {
    address,
    store: env.store,
    runtime,
    stop() {
      stopping ??= (async () => {
        await app.close();
        await runtime?.stop();
        await projections.stop();
        await env.close();
      })();
      return stopping;
    },
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `serve`: see startServe; runs until SIGINT/SIGTERM. */
export async function run(_args: string[]): Promise<number> {
  const served = await startServe(loadConfig());
  console.log(`ledgerline: wallboard at ${served.address}/  (open ${served.address}/#key=<api key>; create one with ./ledgerline keys create)`);
  await untilSignal();
  console.log('ledgerline: stopping');
  await served.stop();
  return 0;
}
