import { mkdirSync } from 'node:fs';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import { parseKeysArgs, runKeysCommand } from '../../../api/auth/key-admin.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { loadConfig } from '../../config/config.ts';

/** `keys create|list|revoke`: API keys as events in the configured store (see api/auth/key-admin.ts for the usage). */
export async function run(args: string[]): Promise<number> {
  let command;
  try {
    command = parseKeysArgs(args);
  } catch (e) {
    if (isLedgerlineError(e)) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const url = loadConfig().EVENT_STORE_URL;
  if (url.startsWith('pglite:') && url !== 'pglite:memory') mkdirSync(url.slice('pglite:'.length), { recursive: true });
  const store = await openEventStore(url);
  try {
    return await runKeysCommand(store, command, (line) => console.log(line));
  } finally {
    await store.close();
  }
}
