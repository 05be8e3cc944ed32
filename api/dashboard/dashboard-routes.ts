import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { dashboardSnapshot, listAgents, listCalls, listQueues, type DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { agentListSchema, callListSchema, dashboardSnapshotSchema, queueListSchema } from './dashboard-schemas.ts';
import { scopeAgents, scopeCalls, scopeSnapshot } from './dashboard-scope.ts';
import { DEFAULT_STREAM_TIMINGS, openDashboardStream, StreamSlots, type DashboardStream, type StreamTimings } from './dashboard-stream.ts';

/** What the dashboard routes need beside the API context. */
export interface DashboardRoutesOptions {
  /** The read-model database (the projections' kysely; on PGlite the event store's own). */
  readonly db: Kysely<unknown>;
  readonly timings?: Partial<StreamTimings>;
  /** Open SSE streams one key may hold at once (default 4): a wallboard or two, and a reconnect in flight. */
  readonly maxStreamsPerKey?: number;
}

const token = z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, 'letters, digits, and _ . : @ -, at most 100');
const agentQuery = z.strictObject({ state: token.optional().describe('Only agents in this state') });
const callQuery = z.strictObject({ state: token.optional().describe('Only calls in this state'), queueId: token.optional().describe('Only calls of this queue') });
const streamHeaders = z.looseObject({
  'last-event-id': z.string().max(1000).optional().describe('The `id` of the last event received: the snapshot is sent again only if the read models moved since'),
});

/**
 * The projection-backed read routes, as an `AppDeps.plugins` entry: the dashboard snapshot and its SSE stream, and the
 * queue, agent and call lists. Every route is scoped to the key's tenant; agent keys see only their own agent and calls.
 */
export function dashboardRoutes(options: DashboardRoutesOptions): FastifyPluginAsync<{ ctx: ApiContext }> {
  const { db } = options;
  const timings: StreamTimings = { ...DEFAULT_STREAM_TIMINGS, ...options.timings };
  return async function registerDashboardRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
    const { ctx } = opts;
    const slots = new StreamSlots(options.maxStreamsPerKey ?? 4);
    // Streams of one tenant share a snapshot computed within half a poll interval: N wallboards cost one query.
    const recent = new Map<string, { at: number; snapshot: Promise<DashboardSnapshot> }>();
    const sharedSnapshot = (tenant: string): Promise<DashboardSnapshot> => {
      const now = ctx.clock();
      const hit = recent.get(tenant);
      if (hit && now - hit.at >= 0 && now - hit.at < timings.pollMs / 2) return hit.snapshot;
      const snapshot = dashboardSnapshot(db, tenant, now);
      recent.set(tenant, { at: now, snapshot });
      snapshot.catch(() => recent.delete(tenant));
      return snapshot;
    };
    const open = new Set<DashboardStream>();
    // Long-lived responses would hold server.close() forever: end them first.
    app.addHook('preClose', async () => {
      for (const s of open) s.close();
    });

    app.get(
      '/v1/dashboard',
      protectedRoute(ctx, { permission: 'agents.read', summary: 'The wallboard snapshot: queues, agents, calls in progress and today\'s service level', tags: ['dashboard'], response: { 200: dashboardSnapshotSchema } }),
      async (request) => {
        const principal = principalOf(request);
        return scopeSnapshot(principal, await dashboardSnapshot(db, principal.tenant, ctx.clock()));
      },
    );

    const streamRoute = protectedRoute(ctx, {
      permission: 'agents.read',
      summary: 'Server-Sent Events: a `snapshot` event, then `change` events (per queue, agent and call) as the read models move',
      tags: ['dashboard'],
      response: { 200: z.string().describe('text/event-stream: `event: snapshot|change`, `id: <position>`, `data: <json>`; heartbeat comments every 15 s') },
    });
    app.get<{ Headers: { 'last-event-id'?: string } }>('/v1/dashboard/stream', { ...streamRoute, schema: { ...streamRoute.schema, headers: streamHeaders } }, async (request, reply) => {
      const principal = principalOf(request);
      if (!slots.take(principal.keyId)) {
        throw new LedgerlineError('RATE_LIMITED', `Key ${principal.keyId} already holds ${options.maxStreamsPerKey ?? 4} open dashboard streams`, { keyId: principal.keyId });
      }
      reply.hijack();
      const headers: Record<string, string> = { 'x-request-id': request.id };
      const remaining = reply.getHeader('x-ratelimit-remaining');
      if (remaining !== undefined) headers['x-ratelimit-remaining'] = String(remaining);
      const stream = openDashboardStream({
        res: reply.raw,
        load: async () => scopeSnapshot(principal, await sharedSnapshot(principal.tenant)),
        clock: ctx.clock,
        timings,
        lastEventId: request.headers['last-event-id'],
        headers,
        onError: (err) => request.log.warn({ err }, 'dashboard stream: reading the read models failed'),
      });
      open.add(stream);
      void stream.closed.then(() => {
        open.delete(stream);
        slots.release(principal.keyId);
        if (open.size === 0) recent.clear();
      });
    });

    app.get(
      '/v1/queues',
      protectedRoute(ctx, { permission: 'queues.read', summary: 'The tenant\'s queues with live counts and today\'s and the last 15 minutes\' metrics', tags: ['queues'], response: { 200: queueListSchema } }),
      async (request) => {
        const { tenant } = principalOf(request);
        const at = ctx.clock();
        return { at, queues: await listQueues(db, tenant, at) };
      },
    );

    app.get<{ Querystring: z.infer<typeof agentQuery> }>(
      '/v1/agents',
      protectedRoute(ctx, { permission: 'agents.read', summary: 'The tenant\'s agents and their live state (an agent key: only its own)', tags: ['agents'], query: agentQuery, response: { 200: agentListSchema } }),
      async (request) => {
        const principal = principalOf(request);
        const { state } = request.query;
        const agents = scopeAgents(principal, await listAgents(db, principal.tenant, ctx.clock()));
        return { agents: state === undefined ? agents : agents.filter((a) => a.state === state) };
      },
    );

    app.get<{ Querystring: z.infer<typeof callQuery> }>(
      '/v1/calls',
      protectedRoute(ctx, { permission: 'agents.read', summary: 'The tenant\'s calls in progress (an agent key: only the calls of its agent)', tags: ['calls'], query: callQuery, response: { 200: callListSchema } }),
      async (request) => {
        const principal = principalOf(request);
        const { state, queueId } = request.query;
        const calls = scopeCalls(principal, await listCalls(db, principal.tenant));
        return { calls: calls.filter((c) => (state === undefined || c.state === state) && (queueId === undefined || c.queueId === queueId)) };
      },
    );
  };
}
