import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE, type Counter, type Histogram, type MetricsRegistry } from './registry.ts';

/** The metrics the HTTP layer owns. */
export interface ApiMetrics {
  readonly registry: MetricsRegistry;
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly eventsAppended: Counter;
}

/** Registers the API's metrics on `registry`. */
export function createApiMetrics(registry: MetricsRegistry): ApiMetrics {
  return {
    registry,
    requests: registry.counter({ name: 'ledgerline_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'] }),
    duration: registry.histogram({ name: 'ledgerline_http_request_duration_seconds', help: 'HTTP request latency, by method, route and status', labelNames: ['method', 'route', 'status'] }),
    eventsAppended: registry.counter({ name: 'ledgerline_events_appended_total', help: 'Events appended by API commands, by stream category and event type', labelNames: ['category', 'type'] }),
  };
}

/**
 * Counts every response and its latency per route pattern (`/v1/agents/:agentId`, never the raw URL, so ids do not
 * explode the series), and serves `/metrics` in the Prometheus text format.
 */
export function registerMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.duration.observe(reply.elapsedTime / 1000, labels);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', PROMETHEUS_CONTENT_TYPE);
    return metrics.registry.render();
  });
}
