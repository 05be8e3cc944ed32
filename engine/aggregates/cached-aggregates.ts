// An aggregate cache with revisions in front of the deciders: the engine decides on the state it already holds and
// appends at the revision it holds, so a command costs one append instead of a full stream read. A stale entry is
// caught by the store (expected-revision conflict) or by a refusal, and is then brought up to date by reading only
// the events after the cached revision. Same guarantees as handleCommand: deterministic event ids, command-id
// idempotency, conflicts decided again on fresh state.
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { WrongExpectedVersionError } from '../../adapters/event-store/errors.ts';
import type { CommandEnvelope, Decider } from '../../domain/decider.ts';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { DomainEvent } from '../../domain/events/registry.ts';
import { toDomainEvent, toEventData, type CommandContext, type CommandOutcome } from '../command-handling/handle-command.ts';

/** One cached stream: its folded state, the revision of its last event, and the command ids it holds. */
export interface CachedAggregate<S> {
  readonly state: S;
  readonly revision: bigint | undefined;
}

/** One event of a cached stream's history, with the command id that wrote it. */
export interface StreamHistoryItem {
  readonly event: DomainEvent;
  readonly commandId: string | undefined;
}

interface Entry {
  state: unknown;
  revision: bigint | undefined;
  commandIds: Set<string>;
  decider: Decider<never, DomainEvent, unknown>;
  /** Every event of the stream in order (instances built with keepHistory only). */
  history: StreamHistoryItem[] | undefined;
}

export interface CachedAggregatesOptions {
  /** Streams kept; the least recently used are dropped beyond it. */
  readonly maxStreams?: number;
  readonly maxConflictRetries?: number;
  /** Also keep each stream's events in order (`history()`), for a caller that folds more than the decider does. */
  readonly keepHistory?: boolean;
}

/** See the module comment. One instance per process (or per store connection); not shared across stores. */
export class CachedAggregates {
  readonly #store: EventStore;
  readonly #entries = new Map<string, Entry>();
  readonly #locks = new Map<string, Promise<void>>();
  readonly #maxStreams: number;
  readonly #maxRetries: number;
  readonly #keepHistory: boolean;
  /** Counters for benchmarks and tests: full loads, forward reads, conflicts. */
  readonly stats = { loads: 0, refreshes: 0, conflicts: 0, hits: 0 };

  constructor(store: EventStore, options: CachedAggregatesOptions = {}) {
    this.#store = store;
    this.#maxStreams = options.maxStreams ?? 50_000;
    this.#maxRetries = options.maxConflictRetries ?? 8;
    this.#keepHistory = options.keepHistory ?? false;
  }

  /** The cached stream's events in order with their command ids, without IO (keepHistory instances; else undefined). */
  history(stream: string): readonly StreamHistoryItem[] | undefined {
    return this.#entries.get(stream)?.history;
  }

  /** The cached state without any IO, or undefined when the stream is not cached. */
  peek<S>(stream: string): CachedAggregate<S> | undefined {
    const e = this.#entries.get(stream);
    return e ? { state: e.state as S, revision: e.revision } : undefined;
  }

  /** The state brought up to date with the store (reads only events after the cached revision). */
  async get<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string): Promise<CachedAggregate<S>> {
    const e = await this.#refresh(decider, stream);
    return { state: e.state as S, revision: e.revision };
  }

  /**
   * Feeds an event seen elsewhere (a subscription). Applied when it is the next revision; ignored when already
   * applied; a gap drops the entry so the next use reads the stream again. `fromStart`: a stream's first event
   * (revision 0) starts an entry, for a caller that sees every event of the stream in order (a subscription to the
   * whole log), so its first command on the stream need not read it.
   */
  observe<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, recorded: RecordedEvent, fromStart = false): void {
    let e = this.#entries.get(recorded.streamId);
    if (!e && fromStart && recorded.revision === 0n) {
      e = this.#newEntry(decider);
      this.#touch(recorded.streamId, e);
    }
    if (!e) return;
    const next = e.revision === undefined ? 0n : e.revision + 1n;
    if (recorded.revision < next) return;
    if (recorded.revision > next) {
      this.#entries.delete(recorded.streamId);
      return;
    }
    this.#apply(e, decider as unknown as Entry['decider'], recorded);
  }

  /** Forgets a stream (its next use reads it from the start). */
  invalidate(stream: string): void {
    this.#entries.delete(stream);
  }

  /**
   * Runs a command on one stream: decide on the cached state, append at the cached revision. On a conflict, or when
   * the decider refuses or decides nothing on a possibly stale state, the entry is read forward and the command is
   * decided again. Throws the decider's coded error when it refuses on up-to-date state.
   */
  run<C extends CommandEnvelope, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    stream: string,
    command: C,
    context: CommandContext = {},
  ): Promise<CommandOutcome<S>> {
    // Commands on one stream run one after the other in this instance (they would only conflict with each other).
    const prev = this.#locks.get(stream) ?? Promise.resolve();
    const next = prev.then(() => this.#run(decider, stream, command, context));
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(stream, settled);
    void settled.then(() => {
      if (this.#locks.get(stream) === settled) this.#locks.delete(stream);
    });
    return next;
  }

  async #run<C extends CommandEnvelope, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    stream: string,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<S>> {
    let entry = this.#entries.get(stream) ?? (await this.#refresh(decider, stream));
    let fresh = false;
    for (let attempt = 0; ; attempt++) {
      this.#touch(stream, entry);
      if (entry.commandIds.has(command.commandId)) return { events: [], state: entry.state as S, revision: entry.revision, duplicate: true };
      let events: readonly E[];
      try {
        events = decider.decide(command, entry.state as S);
      } catch (error) {
        if (fresh || !isLedgerlineError(error)) throw error;
        entry = await this.#refresh(decider, stream);
        fresh = true;
        continue;
      }
      if (events.length === 0) {
        if (!fresh) {
          entry = await this.#refresh(decider, stream);
          fresh = true;
          continue;
        }
        return { events, state: entry.state as S, revision: entry.revision, duplicate: false };
      }
      const data = toEventData(command, context, events);
      try {
        const result = await this.#store.appendToStream(stream, data, { expectedRevision: entry.revision ?? 'no_stream' });
        let state = entry.state as S;
        for (const ev of events) state = decider.evolve(state, ev);
        entry.state = state;
        entry.revision = result.nextExpectedRevision;
        entry.commandIds.add(command.commandId);
        if (entry.history) for (const ev of events) entry.history.push({ event: ev, commandId: command.commandId });
        this.stats.hits += fresh ? 0 : 1;
        return { events, state, revision: entry.revision, position: result.position, duplicate: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= this.#maxRetries) throw error;
        this.stats.conflicts++;
        entry = await this.#refresh(decider, stream);
        fresh = true;
      }
    }
  }

  async #refresh<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string): Promise<Entry> {
    let e = this.#entries.get(stream);
    if (!e) {
      this.stats.loads++;
      e = this.#newEntry(decider);
    } else {
      this.stats.refreshes++;
    }
    const from = e.revision === undefined ? 'start' : e.revision + 1n;
    try {
      for await (const recorded of this.#store.readStream(stream, { fromRevision: from })) this.#apply(e, e.decider, recorded);
    } catch (error) {
      if (!isLedgerlineError(error, 'STREAM_NOT_FOUND')) throw error;
    }
    this.#touch(stream, e);
    return e;
  }

  #newEntry<C, E extends DomainEvent, S>(decider: Decider<C, E, S>): Entry {
    return { state: decider.initialState, revision: undefined, commandIds: new Set(), decider: decider as unknown as Entry['decider'], history: this.#keepHistory ? [] : undefined };
  }

  #apply(e: Entry, decider: Entry['decider'], recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded);
    e.state = decider.evolve(e.state, event);
    e.revision = recorded.revision;
    const commandId = typeof recorded.metadata.commandId === 'string' ? recorded.metadata.commandId : undefined;
    if (commandId !== undefined) e.commandIds.add(commandId);
    e.history?.push({ event, commandId });
  }

  #touch(stream: string, e: Entry): void {
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.#entries.delete(stream);
    this.#entries.set(stream, e);
    if (this.#entries.size > this.#maxStreams) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
