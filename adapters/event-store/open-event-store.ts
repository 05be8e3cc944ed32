import { InvalidEventStoreInputError } from './errors.ts';
import type { EventStore } from './port.ts';

/**
 * Opens the event store a URL names: `postgres://…` (or `postgresql://…`), `pglite:<dir>`, `pglite:memory`,
 * or `esdb://…` / `esdb+discover://…` (an EventStoreDB connection string).
 * Adapters load lazily so that a process only pulls in the client it uses.
 */
export async function openEventStore(url: string): Promise<EventStore> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresEventStore } = await import('./postgres/open-postgres.ts');
    return openPostgresEventStore(url);
  }
  if (url.startsWith('pglite:')) {
    const { openPgliteEventStore } = await import('./postgres/open-pglite.ts');
    const target = url.slice('pglite:'.length);
    if (target === '') throw new InvalidEventStoreInputError('UNSUPPORTED_STORE_URL', 'pglite: needs a directory or "memory"', { url });
    return openPgliteEventStore(target === 'memory' ? undefined : target);
  }
  if (/^esdb(\+discover)?:\/\//.test(url)) {
    const { openEsdbEventStore } = await import('./esdb/esdb-event-store.ts');
    return openEsdbEventStore(url);
  }
  throw new InvalidEventStoreInputError(
    'UNSUPPORTED_STORE_URL',
    `Unsupported event store URL "${redactUrl(url)}": expected postgres://…, pglite:<dir>, pglite:memory or esdb://…`,
    { url: redactUrl(url) },
  );
}

/** The URL with any password replaced, safe to log. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
