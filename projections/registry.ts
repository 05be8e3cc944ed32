/**
 * Every projection Ledgerline runs, in one list. To add a read model: write `projections/<name>/<name>.ts`
 * exporting a `defineProjection(…)` and add it here; the runner, `./ledgerline projections status` and
 * `rebuild` pick it up from this list.
 */
import { LedgerlineError } from '../domain/errors/ledgerline-error.ts';
import type { ProjectionDefinition } from './projection.ts';
import { activeCalls } from './active-calls/active-calls.ts';
import { agentBoard } from './agent-board/agent-board.ts';
import { queueStats } from './queue-stats/queue-stats.ts';
import { streamStats } from './stream-stats/stream-stats.ts';

/** The registered projections, by name order of registration. */
export const projectionRegistry: readonly ProjectionDefinition[] = checkedRegistry([streamStats, queueStats, agentBoard, activeCalls]);

/** The registered projection called `name`; NOT_FOUND lists the known names. */
export function findProjection(name: string, registry: readonly ProjectionDefinition[] = projectionRegistry): ProjectionDefinition {
  const def = registry.find((p) => p.name === name);
  if (!def) {
    const known = registry.map((p) => p.name);
    throw new LedgerlineError('NOT_FOUND', `No projection "${name}" (registered: ${known.join(', ') || 'none'})`, { projection: name, known });
  }
  return def;
}

/** Names must be unique: each owns the schema of its name. */
export function checkedRegistry(list: readonly ProjectionDefinition[]): readonly ProjectionDefinition[] {
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.name)) throw new LedgerlineError('VALIDATION_FAILED', `Projection "${p.name}" is registered twice`, { projection: p.name });
    seen.add(p.name);
  }
  return Object.freeze([...list]);
}
