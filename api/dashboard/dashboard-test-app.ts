// Test support for the dashboard's integration and end-to-end tests: the real app with the dashboard routes and the
// wallboard page, on one in-memory PGlite shared by the event store and the running projections (as `serve` does).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import { parseCallCommand } from '../../domain/call/call-commands.ts';
import { handleCommand } from '../../engine/command-handling/handle-command.ts';
import { openProjectionEnvironment, type ProjectionEnvironment } from '../../projections/open-projection-environment.ts';
import { projectionRegistry } from '../../projections/registry.ts';
import { startProjections, type RunningProjections } from '../../projections/runtime/run-projections.ts';
import { createApiKey } from '../auth/api-key-store.ts';
import type { Role } from '../auth/roles.ts';
import { build } from '../build.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';
import { dashboardRoutes, type DashboardRoutesOptions } from './dashboard-routes.ts';
import { wallboardPage } from './wallboard-page.ts';

export interface DashboardTestApp {
  readonly app: FastifyInstance;
  readonly env: ProjectionEnvironment;
  readonly store: EventStore;
  /** Issues a key straight into the store and waits until the app's key index has it. */
  key(role: Role, tenant?: string, agentId?: string): Promise<string>;
  call(method: string, url: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** ReceiveCall then QueueCall through the real call decider, on the tenant's call stream. */
  arriveAndQueue(tenant: string, callId: string, queueId: string, at: number): Promise<void>;
  /** Any call command (its type and fields) through the real call decider. */
  callCommand(tenant: string, callId: string, type: string, fields: Record<string, unknown>, at: number): Promise<void>;
  /** Polls `probe` (every 25 ms, up to `timeoutMs`) until it returns a value other than undefined. */
  eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Starts the app and the registered projections on `pglite:memory`. */
export async function startDashboardTestApp(options: Omit<DashboardRoutesOptions, 'db'> = {}): Promise<DashboardTestApp> {
  const env = await openProjectionEnvironment({ eventStoreUrl: 'pglite:memory' });
  let projections: RunningProjections | undefined;
  let app: FastifyInstance | undefined;
  try {
    projections = startProjections({ db: env.db, store: env.store }, projectionRegistry, { leaseTtlMs: 5_000, retryDelayMs: 100 });
    app = await build({ store: env.store, plugins: [dashboardRoutes({ db: env.db, ...options }), wallboardPage] });
  } catch (err) {
    await projections?.stop();
    await env.close();
    throw err;
  }
  const built = app;
  const running = projections;
  let n = 0;
  let commands = 0;
  const t: DashboardTestApp = {
    app: built,
    env,
    store: env.store,
    async key(role, tenant = 'acme', agentId) {
      const { secret } = await createApiKey(env.store, { role, tenant, agentId: agentId ?? null, name: `${role}-${++n}` }, { actor: 'system:test', at: 1 });
      await t.eventually('the key index to know the new key', async () => ((await t.call('GET', '/v1/dashboard', { key: secret })).statusCode !== 401 ? true : undefined));
      return secret;
    },
    call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
      return built.inject({ method: method as 'GET', url, headers, ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
    },
    async arriveAndQueue(tenant, callId, queueId, at) {
      await t.callCommand(tenant, callId, 'ReceiveCall', { did: '+3225550100', callerNumber: '+32475000001', switchId: 'fs-1', channelUuid: `ch-${callId}` }, at);
      await t.callCommand(tenant, callId, 'QueueCall', { queueId, priority: 0 }, at);
    },
    async callCommand(tenant, callId, type, fields, at) {
      const command = parseCallCommand({ type, commandId: `test-${++commands}`, at, actor: 'system:test', callId, ...fields });
      const outcome = await handleCommand(env.store, callDecider, tenantStream('call', tenant, callId), command, { tenant });
      if (outcome.events.length === 0) throw new Error(`${type} on ${callId} decided nothing`);
    },
    async eventually(what, probe, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const v = await probe();
          if (v !== undefined) return v;
        } catch (err) {
          last = err;
        }
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await built.close();
      await running.stop();
      await env.close();
    },
  };
  return t;
}
