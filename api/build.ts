import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { EventStore } from '../adapters/event-store/port.ts';
import { ApiKeyIndex } from './auth/api-key-index.ts';
import { TokenBuckets, type TokenBucketConfig } from './auth/token-bucket.ts';
import type { ApiContext } from './context.ts';
import { registerErrorHandler } from './error-handler.ts';
import { registerJsonBodyParser } from './http/json-body.ts';
import { withSafeLogging } from './http/logging.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerRequestIdEcho, requestIdOf } from './http/request-id.ts';
import { zodValidatorCompiler } from './http/zod-validation.ts';
import { createApiMetrics, registerMetrics } from './metrics/api-metrics.ts';
import { registerGaugeSources, type GaugeSource } from './metrics/gauge-sources.ts';
import { MetricsRegistry } from './metrics/registry.ts';
import { registerAgentRoutes } from './routes/agents.ts';
import { registerCallControlRoutes } from './routes/call-control.ts';
import { registerCallRoutes } from './routes/calls.ts';
import { registerClickToCallRoutes, type OutboundSettings } from './routes/click-to-call.ts';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health.ts';
import { registerIvrFlowRoutes } from './routes/ivr-flows.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerQueueRoutes } from './routes/queues.ts';

/** What the HTTP app needs from the rest of the process. */
export interface AppDeps {
  store: EventStore;
  /** Extra readiness checks beside the event store and the key index, e.g. `{ name: 'switches', check }`: any failure makes /readyz 503. */
  readinessChecks?: readonly ReadinessCheck[];
  /** The process's metrics registry; other modules may register their own metrics on it. */
  metrics?: MetricsRegistry;
  /**
   * Figures the process owns, read at each /metrics scrape: projection lag, ESL events/s and active calls
   * (`processGauges({ projectionLag, eslEventsPerSecond, activeCalls })` from metrics/gauge-sources.ts names them).
   */
  gauges?: readonly GaugeSource[];
  /** Click-to-call: the switch outbound calls are dialled on and the default caller id. Without it POST /v1/calls is 503. */
  outbound?: OutboundSettings;
  /** Per-key rate limit; default a burst of 100 requests refilled at 50/s. */
  rateLimit?: TokenBucketConfig;
  /** Epoch milliseconds: command `at` and rate-limit refills. Default Date.now. */
  clock?: () => number;
  /**
   * Route plugins added by other modules, registered after the API's own with the same context (projection-backed
   * list endpoints, dashboards, SSE). Protect them with `protectedRoute(ctx, …)` from api/http/route-options.ts.
   */
  plugins?: readonly FastifyPluginAsync<{ ctx: ApiContext }>[];
}

export const DEFAULT_RATE_LIMIT: TokenBucketConfig = { capacity: 100, refillPerSecond: 50 };

/** Builds the fastify app without listening; tests drive it with `inject()`. Resolves once the key index has caught up. */
export async function build(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 1_048_576,
    genReqId: requestIdOf,
    ...withSafeLogging(options),
    // Long ids must reach the zod schemas (a coded 400 with the path), not the router's bare 414.
    routerOptions: { maxParamLength: 2048, ...options.routerOptions },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Responses are plain JSON; response schemas exist for the OpenAPI document.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonBodyParser(app);
  registerErrorHandler(app);
  registerRequestIdEcho(app);

  const keys = new ApiKeyIndex();
  const ctx: ApiContext = {
    store: deps.store,
    keys,
    buckets: new TokenBuckets(deps.rateLimit ?? DEFAULT_RATE_LIMIT),
    clock: deps.clock ?? Date.now,
    metrics: createApiMetrics(deps.metrics ?? new MetricsRegistry()),
  };
  await keys.start(deps.store, app.log);
  app.addHook('onClose', async () => keys.stop());

  await registerOpenApi(app);
  registerMetrics(app, ctx.metrics);
  registerGaugeSources(ctx.metrics.registry, deps.gauges ?? []);
  const checks: ReadinessCheck[] = [
    { name: 'event-store', check: async () => void (await deps.store.headPosition()) },
    { name: 'api-keys', check: async () => keys.check() },
    ...(deps.readinessChecks ?? []),
  ];
  await app.register(registerHealthRoutes, { checks });
  for (const routes of [registerKeyRoutes, registerAgentRoutes, registerQueueRoutes, registerIvrFlowRoutes, registerCallRoutes, registerCallControlRoutes]) {
    await app.register(routes, { ctx });
  }
  await app.register(registerClickToCallRoutes, { ctx, ...(deps.outbound ? { outbound: deps.outbound } : {}) });
  for (const routes of deps.plugins ?? []) await app.register(routes, { ctx });
  return app;
}
