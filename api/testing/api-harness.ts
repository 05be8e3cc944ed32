// Test support for the API's integration tests: a real app on a real in-memory PGlite event store, and keys.
import type { FastifyInstance, FastifyServerOptions, LightMyRequestResponse } from 'fastify';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { createApiKey } from '../auth/api-key-store.ts';
import type { Role } from '../auth/roles.ts';
import { build, type AppDeps } from '../build.ts';

export interface Harness {
  readonly app: FastifyInstance;
  readonly store: EventStore;
  /** Issues a key straight into the store (as the CLI does) and waits until the app's index has it. */
  key(role: Role, tenant?: string, agentId?: string): Promise<string>;
  /** `inject` with a bearer key and a JSON body. */
  call(method: string, url: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Every event of one stream. */
  events(stream: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/** The outbound settings the harness gives the app unless a test passes its own. */
export const TEST_OUTBOUND = { switchId: 'fs-test', callerIdNumber: '+15550000000' } as const;

/** Starts the app on `pglite:memory` (with click-to-call dialling on switch `fs-test` unless `deps.outbound` says otherwise). */
export async function startHarness(deps: Partial<AppDeps> = {}, options: FastifyServerOptions = {}): Promise<Harness> {
  const store = await openEventStore('pglite:memory');
  const app = await build({ store, outbound: TEST_OUTBOUND, ...deps }, options);
  let n = 0;
  return {
    app,
    store,
    async key(role, tenant = 'acme', agentId) {
      const { secret } = await createApiKey(store, { role, tenant, agentId: agentId ?? null, name: `${role}-${++n}` }, { actor: 'system:test', at: 1 });
      // The app follows the key streams with a subscription, as it would follow a CLI in another process.
      // The probe takes one token from the key's rate-limit bucket.
      for (let i = 0; i < 500; i++) {
        const r = await app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${secret}` } });
        if (r.statusCode !== 401) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return secret;
    },
    call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
      return app.inject({ method: method as 'GET', url, headers, ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
    },
    async events(stream) {
      const out: RecordedEvent[] = [];
      try {
        for await (const e of store.readStream(stream)) out.push(e);
      } catch {
        return [];
      }
      return out;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
