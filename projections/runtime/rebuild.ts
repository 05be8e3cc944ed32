/** Asking for a blue-green rebuild, and measuring how far it has got. */
import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { createBuild, currentBuilds, type BuildInfo } from './catalog.ts';
import { migrateProjectionCatalog } from './catalog-schema.ts';
import type { LogMeter } from './log-meter.ts';

/**
 * Records a new build of the code's version that the projection's runner (whoever holds the lease) will catch up
 * and switch to. A rebuild already under way is returned instead of starting another. Nothing built yet: the
 * first build, made live at once.
 */
export async function requestRebuild(db: Kysely<unknown>, def: ProjectionDefinition): Promise<BuildInfo> {
  await migrateProjectionCatalog(db);
  const builds = await currentBuilds(db, def.name);
  const pending = builds.find((b) => b.state === 'building');
  if (pending) return pending;
  const live = builds.find((b) => b.state === 'live');
  return createBuild(db, def, { live: !live });
}

/** How far a build has scanned the log. */
export interface BuildProgress {
  readonly state: BuildInfo['state'] | 'gone';
  /** Events at or before the build's checkpoint. */
  readonly processed: number;
  /** Events in the log up to the head now. */
  readonly total: number;
  readonly lastError: string | undefined;
}

/** Progress of `build` (processed ÷ total events to scan). */
export async function buildProgress(deps: { db: Kysely<unknown>; store: EventStore; meter: LogMeter }, def: ProjectionDefinition, build: number): Promise<BuildProgress> {
  const b = (await currentBuilds(deps.db, def.name)).find((x) => x.build === build);
  const head = await deps.store.headPosition();
  const total = await deps.meter.countEvents(undefined, head);
  if (!b) return { state: 'gone', processed: total, total, lastError: undefined };
  const processed = Math.min(total, await deps.meter.countEvents(undefined, b.position));
  return { state: b.state, processed, total, lastError: b.lastError };
}
