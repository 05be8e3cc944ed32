import type { z } from 'zod';

/**
 * One event type: its name (a past-tense fact), its current schema version, the zod schema of its data at that
 * version, upcasters that lift older stored versions one step at a time, and the sentence docs/domain.md shows.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  /** The stream category this event lives in: `call`, `agent`, `queue`, `ivrflow`. */
  readonly category: string;
  readonly version: number;
  readonly schema: Schema;
  readonly description: string;
  /** `upcasters[v]` turns data stored at version v into version v + 1. */
  readonly upcasters: Readonly<Record<number, (data: unknown) => unknown>>;
}

/** Declares an event type. */
export function defineEvent<Type extends string, Schema extends z.ZodType>(def: {
  type: Type;
  category: string;
  version?: number;
  schema: Schema;
  description: string;
  upcasters?: Record<number, (data: unknown) => unknown>;
}): EventDefinition<Type, Schema> {
  const version = def.version ?? 1;
  for (let v = 1; v < version; v++) {
    if (!def.upcasters?.[v]) throw new Error(`${def.type}: version ${version} needs an upcaster from ${v}`);
  }
  return { ...def, version, upcasters: def.upcasters ?? {} };
}

/** Lifts `data` stored at `storedVersion` to the definition's current version and validates it. */
export function upcast<Schema extends z.ZodType>(def: EventDefinition<string, Schema>, storedVersion: number, data: unknown): z.infer<Schema> {
  let current = data;
  for (let v = storedVersion; v < def.version; v++) {
    const up = def.upcasters[v];
    if (!up) throw new Error(`${def.type}: no upcaster from version ${v}`);
    current = up(current);
  }
  return def.schema.parse(current);
}
