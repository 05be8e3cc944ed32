import type { EventStore } from '../adapters/event-store/port.ts';
import type { ApiKeyIndex } from './auth/api-key-index.ts';
import type { AuthDeps } from './auth/authenticate.ts';
import type { ApiMetrics } from './metrics/api-metrics.ts';

/** What every route plugin receives: the store, the key index, rate-limit buckets, the clock and the metrics. */
export interface ApiContext extends AuthDeps {
  readonly store: EventStore;
  readonly keys: ApiKeyIndex;
  readonly metrics: ApiMetrics;
}
