/** Starts one runner per registered projection (what `serve` or a dedicated worker process calls). */
import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.ts';

/** The running set; `stop()` stops every runner and gives the leases up. */
export interface RunningProjections {
  readonly runners: readonly ProjectionRunner[];
  stop(): Promise<void>;
}

/** Starts a runner for each projection in `registry`; each waits for its own lease. */
export function startProjections(
  deps: { db: Kysely<unknown>; store: EventStore },
  registry: readonly ProjectionDefinition[],
  options: Omit<ProjectionRunnerOptions, 'db' | 'store' | 'definition'> = {},
): RunningProjections {
  const runners = registry.map((definition) => new ProjectionRunner({ ...options, db: deps.db, store: deps.store, definition }));
  for (const r of runners) r.start();
  return {
    runners,
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
