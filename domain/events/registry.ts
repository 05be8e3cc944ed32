// The registry of every event type Ledgerline stores, across stream categories. Adapters store `{type, data,
// schemaVersion}` (toStoredEvent) and read back through parseStoredEvent, which upcasts old versions and validates.
import type { z } from 'zod';
import { agentEvents, type AgentEvent } from '../agent/agent-events.ts';
import { callEvents, type CallEvent } from '../call/call-events.ts';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { ivrFlowEvents, type IvrFlowEvent } from '../ivr-flow/ivr-flow-events.ts';
import { numberEvents, type NumberEvent } from '../number/number-events.ts';
import { queueEvents, type QueueEvent } from '../queue/queue-events.ts';
import type { EventDefinition } from './event-definition.ts';

/** The stream categories and the definitions each holds. The stream of an event is `<category>-<id>`. */
export const eventDefinitionsByCategory = {
  call: callEvents,
  agent: agentEvents,
  queue: queueEvents,
  ivrflow: ivrFlowEvents,
  number: numberEvents,
} as const satisfies Record<string, readonly EventDefinition[]>;

export type EventCategory = keyof typeof eventDefinitionsByCategory;

/** Every event definition, grouped by category in a stable order (docs/domain.md follows it). */
export const allEventDefinitions: readonly EventDefinition[] = Object.values(eventDefinitionsByCategory).flat();

/** Any domain event as a decider emits it. */
export type DomainEvent = CallEvent | AgentEvent | QueueEvent | IvrFlowEvent | NumberEvent;

/** An event as adapters store it: the data at the definition's current version, and that version. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion: number;
}

function buildRegistry(defs: readonly EventDefinition[]): ReadonlyMap<string, EventDefinition> {
  const map = new Map<string, EventDefinition>();
  for (const def of defs) {
    // Two definitions with one type would make stored events ambiguous: refuse to start.
    if (map.has(def.type)) throw new Error(`event type defined twice: ${def.type}`);
    map.set(def.type, def);
  }
  return map;
}

/** Event type → its definition. */
export const eventRegistry: ReadonlyMap<string, EventDefinition> = buildRegistry(allEventDefinitions);

/** The definition of `type`, or EVENT_TYPE_UNKNOWN. */
export function eventDefinitionOf(type: string): EventDefinition {
  const def = eventRegistry.get(type);
  if (!def) throw new LedgerlineError('EVENT_TYPE_UNKNOWN', `Unknown event type: ${type}`, { type });
  return def;
}

function issues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * Reads a stored event: lifts `data` from `schemaVersion` to the current version through the upcasters, then validates.
 * Throws EVENT_TYPE_UNKNOWN, EVENT_VERSION_UNSUPPORTED (newer than this build, or not a positive integer) or
 * EVENT_DATA_INVALID (an upcaster failed or the result does not match the schema).
 */
export function parseStoredEvent(type: string, schemaVersion: number, data: unknown): DomainEvent {
  const def = eventDefinitionOf(type);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > def.version) {
    throw new LedgerlineError('EVENT_VERSION_UNSUPPORTED', `${type}: stored version ${schemaVersion}, this build knows 1..${def.version}`, {
      type,
      schemaVersion,
      currentVersion: def.version,
    });
  }
  let current = data;
  for (let v = schemaVersion; v < def.version; v++) {
    const up = def.upcasters[v]!; // defineEvent guarantees one upcaster per older version
    try {
      current = up(current);
    } catch (cause) {
      throw new LedgerlineError('EVENT_DATA_INVALID', `${type}: upcasting from version ${v} failed`, { type, schemaVersion: v }, { cause });
    }
  }
  const parsed = def.schema.safeParse(current);
  if (!parsed.success) {
    throw new LedgerlineError('EVENT_DATA_INVALID', `${type}: stored data does not match version ${def.version}`, { type, schemaVersion, issues: issues(parsed.error) });
  }
  return { type, data: parsed.data } as DomainEvent;
}

/** What to store for a domain event: validated data at the current version. Throws EVENT_TYPE_UNKNOWN or EVENT_DATA_INVALID. */
export function toStoredEvent(event: { readonly type: string; readonly data: unknown }): StoredEvent {
  const def = eventDefinitionOf(event.type);
  const parsed = def.schema.safeParse(event.data);
  if (!parsed.success) {
    throw new LedgerlineError('EVENT_DATA_INVALID', `${event.type}: data does not match version ${def.version}`, { type: event.type, issues: issues(parsed.error) });
  }
  return { type: event.type, data: parsed.data, schemaVersion: def.version };
}

/** The category of a stream name (`call-42` → `call`), or undefined when it is not a known category. */
export function categoryOfStream(streamName: string): EventCategory | undefined {
  const dash = streamName.indexOf('-');
  const category = dash > 0 ? streamName.slice(0, dash) : '';
  return Object.hasOwn(eventDefinitionsByCategory, category) ? (category as EventCategory) : undefined;
}
