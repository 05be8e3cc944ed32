import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { EventStore } from '../adapters/event-store/port.ts';
import { registerErrorHandler } from './error-handler.ts';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health.ts';

/** What the HTTP app needs from the rest of the process. */
export interface AppDeps {
  store: EventStore;
  /** Extra readiness checks (switches, projections) beside the event store. */
  readinessChecks?: readonly ReadinessCheck[];
}

/** Builds the fastify app without listening; tests drive it with `inject()`. */
export async function build(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576, ...options });
  registerErrorHandler(app);
  const checks: ReadinessCheck[] = [
    { name: 'event-store', check: async () => void (await deps.store.headPosition()) },
    ...(deps.readinessChecks ?? []),
  ];
  await app.register(registerHealthRoutes, { checks });
  return app;
}
