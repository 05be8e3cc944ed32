/** What `projections status` shows: per registered projection, the live build, its position, lag, lease and state. */
import type { Kysely } from 'kysely';
import type { EventStore, Position } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { currentBuilds, type BuildInfo } from './catalog.ts';
import { migrateProjectionCatalog } from './catalog-schema.ts';
import { measureLag } from './lag.ts';
import { readLease } from './lease.ts';
import type { LogMeter } from './log-meter.ts';

/** `not_built`: never run; `stopped`: no valid lease; `running`; `rebuilding`: a pending build is catching up; `failing`: the last batch failed. */
export type ProjectionState = 'not_built' | 'stopped' | 'running' | 'rebuilding' | 'failing';

export interface ProjectionStatus {
  readonly name: string;
  /** The version the code defines. */
  readonly codeVersion: number;
  readonly live: BuildInfo | undefined;
  readonly pending: BuildInfo | undefined;
  readonly position: Position | undefined;
  readonly lagEvents: number;
  readonly lagMs: number;
  readonly leaseOwner: string | undefined;
  readonly leaseValid: boolean;
  readonly state: ProjectionState;
  readonly lastError: string | undefined;
}

/** The status of each projection in `registry`. */
export async function projectionStatus(deps: { db: Kysely<unknown>; store: EventStore; meter: LogMeter }, registry: readonly ProjectionDefinition[]): Promise<ProjectionStatus[]> {
  await migrateProjectionCatalog(deps.db);
  const out: ProjectionStatus[] = [];
  for (const def of registry) {
    const builds = await currentBuilds(deps.db, def.name);
    const live = builds.find((b) => b.state === 'live');
    const pending = builds.find((b) => b.state === 'building');
    const lease = await readLease(deps.db, def.name);
    const lag = live ? await measureLag(deps.store, deps.meter, live.position, live.lastEventCreated) : undefined;
    const lastError = live?.lastError ?? pending?.lastError;
    const leaseValid = lease?.valid ?? false;
    const state: ProjectionState = !live && !pending ? 'not_built' : lastError ? 'failing' : !leaseValid ? 'stopped' : pending ? 'rebuilding' : 'running';
    out.push({
      name: def.name,
      codeVersion: def.version,
      live,
      pending,
      position: live?.position,
      lagEvents: lag?.events ?? 0,
      lagMs: lag?.ms ?? 0,
      leaseOwner: lease?.owner,
      leaseValid,
      state,
      lastError,
    });
  }
  return out;
}
