import { mkdirSync } from 'node:fs';
import { build } from '../../../api/build.ts';
import { dashboardRoutes } from '../../../api/dashboard/dashboard-routes.ts';
import { wallboardPage } from '../../../api/dashboard/wallboard-page.ts';
import { redactUrl } from '../../../adapters/event-store/open-event-store.ts';
import { MetricsRegistry } from '../../../api/metrics/registry.ts';
import { openProjectionEnvironment } from '../../../projections/open-projection-environment.ts';
import { projectionRegistry } from '../../../projections/registry.ts';
import { startProjections } from '../../../projections/runtime/run-projections.ts';
import { loadConfig } from '../../config/config.ts';

/** `serve`: opens the event store and read-model database, runs the projections, and serves HTTP until SIGINT/SIGTERM. */
export async function run(_args: string[]): Promise<number> {
  const config = loadConfig();
  const storeUrl = config.EVENT_STORE_URL;
  if (storeUrl.startsWith('pglite:') && storeUrl !== 'pglite:memory') mkdirSync(storeUrl.slice('pglite:'.length), { recursive: true });
  // On PGlite the event store and the read models share one embedded database (it cannot be opened twice).
  const env = await openProjectionEnvironment({ eventStoreUrl: storeUrl, databaseUrl: config.DATABASE_URL });
  const projections = startProjections({ db: env.db, store: env.store }, projectionRegistry);
  const metrics = new MetricsRegistry();
  const app = await build(
    { store: env.store, metrics, plugins: [dashboardRoutes({ db: env.db }), wallboardPage] },
    { logger: { level: config.LOG_LEVEL } },
  );
  const address = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  console.log(`ledgerline: event store ${redactUrl(storeUrl)}; projections: ${projectionRegistry.map((p) => p.name).join(', ')}`);
  console.log(`ledgerline: listening on ${address}  (health: ${address}/healthz, readiness: ${address}/readyz, API docs: ${address}/docs)`);
  console.log(`ledgerline: wallboard at ${address}/  (open ${address}/#key=<api key>; create one with ./ledgerline keys create)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('ledgerline: stopping');
  await app.close();
  await projections.stop();
  await env.close();
  return 0;
}
