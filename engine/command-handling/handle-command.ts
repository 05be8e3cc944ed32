import type { EventData, EventMetadata, EventStore, Position, RecordedEvent } from '../../adapters/event-store/port.ts';
import { WrongExpectedVersionError } from '../../adapters/event-store/errors.ts';
import type { CommandEnvelope, Decider } from '../../domain/decider.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseStoredEvent, toStoredEvent, type DomainEvent } from '../../domain/events/registry.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';

/** Who and what a command runs for: copied into every event's metadata. */
export interface CommandContext {
  readonly tenant?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** The outcome of one command: the events it appended (empty when it decided nothing) and the state after them. */
export interface CommandOutcome<State> {
  readonly events: readonly DomainEvent[];
  readonly state: State;
  /** The stream's last revision after the command, or undefined when the stream is still empty. */
  readonly revision: bigint | undefined;
  readonly position?: Position;
  /** True when the command had already been applied (a retry): nothing was written this time. */
  readonly duplicate: boolean;
}

export interface HandleCommandOptions {
  /** Conflicts (another writer appended first) are retried this many times with fresh state. */
  readonly maxConflictRetries?: number;
}

/** Reads a stream and folds it; an absent stream gives the initial state. */
export async function loadAggregate<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  stream: string,
): Promise<{ state: S; revision: bigint | undefined; commandIds: Set<string> }> {
  let state = decider.initialState;
  let revision: bigint | undefined;
  const commandIds = new Set<string>();
  try {
    for await (const recorded of store.readStream(stream)) {
      state = decider.evolve(state, toDomainEvent(recorded) as E);
      revision = recorded.revision;
      const commandId = recorded.metadata.commandId;
      if (typeof commandId === 'string') commandIds.add(commandId);
    }
  } catch (e) {
    if (!(e instanceof LedgerlineError && e.code === 'STREAM_NOT_FOUND')) throw e;
  }
  return { state, revision, commandIds };
}

/** A stored event as the domain sees it (upcast and validated). */
export function toDomainEvent(recorded: RecordedEvent): DomainEvent {
  const version = typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1;
  return parseStoredEvent(recorded.type, version, recorded.data);
}

/**
 * Runs a command against one stream: load, decide, append with the revision it read as the expected revision.
 * Event ids derive from the command id, so a retried command is recognised (nothing written twice) and an append
 * racing with another writer fails on the expected revision and is decided again on fresh state.
 */
export async function handleCommand<C extends CommandEnvelope, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  stream: string,
  command: C,
  context: CommandContext = {},
  options: HandleCommandOptions = {},
): Promise<CommandOutcome<S>> {
  const maxRetries = options.maxConflictRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const { state, revision, commandIds } = await loadAggregate(store, decider, stream);
    if (commandIds.has(command.commandId)) return { events: [], state, revision, duplicate: true };
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision, duplicate: false };
    const data = toEventData(command, context, events);
    try {
      const result = await store.appendToStream(stream, data, { expectedRevision: revision ?? 'no_stream' });
      let next = state;
      for (const e of events) next = decider.evolve(next, e);
      return { events, state: next, revision: result.nextExpectedRevision, position: result.position, duplicate: false };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError && attempt < maxRetries) continue;
      throw e;
    }
  }
}

/** The events to append for a command: ids derived from the command id, metadata carrying who, why and the schema version. */
export function toEventData(command: CommandEnvelope, context: CommandContext, events: readonly DomainEvent[]): EventData[] {
  const metadata: EventMetadata = {
    commandId: command.commandId,
    ...(command.actor !== undefined ? { actor: command.actor } : {}),
    ...(context.tenant !== undefined ? { tenant: context.tenant } : {}),
    correlationId: context.correlationId ?? command.commandId,
    ...(context.causationId !== undefined ? { causationId: context.causationId } : {}),
  };
  return events.map((event, i) => {
    const stored = toStoredEvent(event);
    return { id: eventIdFor(command.commandId, i), type: stored.type, data: stored.data, metadata: { ...metadata, schemaVersion: stored.schemaVersion } };
  });
}
