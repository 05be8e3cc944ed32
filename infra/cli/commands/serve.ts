import { mkdirSync } from 'node:fs';
import { build } from '../../../api/build.ts';
import { openEventStore, redactUrl } from '../../../adapters/event-store/open-event-store.ts';
import { loadConfig } from '../../config/config.ts';

/** `serve`: opens the event store and serves HTTP until SIGINT/SIGTERM. */
export async function run(_args: string[]): Promise<number> {
  const config = loadConfig();
  const storeUrl = config.EVENT_STORE_URL;
  if (storeUrl.startsWith('pglite:') && storeUrl !== 'pglite:memory') mkdirSync(storeUrl.slice('pglite:'.length), { recursive: true });
  const store = await openEventStore(storeUrl);
  const app = await build({ store }, { logger: { level: config.LOG_LEVEL } });
  const address = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  console.log(`ledgerline: event store ${redactUrl(storeUrl)}`);
  console.log(`ledgerline: listening on ${address}  (health: ${address}/healthz, readiness: ${address}/readyz)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('ledgerline: stopping');
  await app.close();
  await store.close();
  return 0;
}
