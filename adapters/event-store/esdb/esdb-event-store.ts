/**
 * The EventStoreDB adapter: the port mapped thinly onto `@eventstore/db-client` 6. What it adds on top of the
 * client: our deterministic event ids (the client would invent random ones), the per-stream hash chain carried in
 * each event's metadata under `$chain` (stripped on the way out), exact expected revisions for 'any' and
 * 'stream_exists' so the chain stays correct under concurrency, subscriptions that re-subscribe after a drop,
 * the shared input validation, and errors mapped to Ledgerline's coded ones.
 */
import { EventStoreDBClient, eventTypeFilter, excludeSystemEvents, jsonEvent, streamNameFilter } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AppendExpectedRevision, Filter, JSONType, ResolvedEvent, StreamingRead } from '@eventstore/db-client';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { InvalidEventStoreInputError, WrongExpectedVersionError } from '../errors.ts';
import { GENESIS_HASH, type ChainedEvent } from '../hash-chain.ts';
import type {
  AppendOptions,
  AppendResult,
  ChainReport,
  DeleteResult,
  EventData,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  StreamMetadataResult,
  StreamSubscription,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  SubscriptionFilter,
} from '../port.ts';
import {
  validateEvents,
  validateExpectedRevision,
  validateMaxCount,
  validatePosition,
  validateReadRevision,
  validateStreamMetadata,
  validateStreamName,
  type ValidatedEvent,
} from '../validation.ts';
import {
  buildChainedEvents,
  CHAIN_KEY,
  fromEsdbPosition,
  fromEsdbResolved,
  fromEsdbStreamMetadata,
  mapEsdbError,
  toEsdbDeleteRevision,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toEsdbReadRevision,
  toEsdbStreamMetadata,
  type ErrorContext,
  type EsdbResolvedLike,
} from './esdb-mapping.ts';
import { resubscribingSubscription, type EsdbSubscriptionSource } from './esdb-subscription.ts';
import { verifyReadableChains } from './esdb-verify.ts';

/** Append options this adapter understands beyond the port's: a per-call write deadline in milliseconds. */
export interface EsdbAppendOptions extends AppendOptions {
  deadline?: number;
}

/** Options of `openEsdbEventStore`. */
export interface EsdbStoreOptions {
  /** Deadline of writes (appends, metadata, deletes) when the call gives none; EventStoreDB's default is 10 s. */
  defaultDeadlineMs?: number;
  /** How often an 'any'/'stream_exists' append re-reads the stream head after losing a race, before giving up. */
  maxAppendAttempts?: number;
}

const DEFAULT_DEADLINE_MS = 10_000;
const DEFAULT_APPEND_ATTEMPTS = 20;
/** An expected revision no stream reaches: appends with it only ask the server for the actual revision. */
const UNREACHABLE_REVISION = 2n ** 62n;

/**
 * Opens an EventStoreDB-backed store from a connection string (`esdb://host:2113?tls=false`,
 * `esdb+discover://…`). The client connects lazily: an unreachable server surfaces as STORE_UNAVAILABLE on the
 * first call.
 */
export async function openEsdbEventStore(url: string, options: EsdbStoreOptions = {}): Promise<EventStore> {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(url);
  } catch (err) {
    throw new InvalidEventStoreInputError('UNSUPPORTED_STORE_URL', `Invalid EventStoreDB connection string: ${(err as Error).message}`, {});
  }
  return new EsdbEventStore(client, options);
}

class EsdbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #deadline: number;
  readonly #attempts: number;
  readonly #subscriptions = new Set<StreamSubscription>();

  constructor(client: EventStoreDBClient, options: EsdbStoreOptions) {
    this.#client = client;
    this.#deadline = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.#attempts = options.maxAppendAttempts ?? DEFAULT_APPEND_ATTEMPTS;
  }

  async appendToStream(stream: string, events: EventData | readonly EventData[], options: EsdbAppendOptions = {}): Promise<AppendResult> {
    validateStreamName(stream);
    const list = validateEvents(stream, events);
    rejectReserved(stream, list);
    const expected = validateExpectedRevision(options.expectedRevision);
    const deadline = validateDeadline(options.deadline ?? this.#deadline);
    const ctx: ErrorContext = { streamName: stream, expectedRevision: expected, operation: 'appendToStream' };
    return withDeadline(this.#append(stream, list, expected, deadline, ctx), deadline, ctx);
  }

  async #append(stream: string, list: readonly ValidatedEvent[], expected: ExpectedRevision, deadline: number, ctx: ErrorContext): Promise<AppendResult> {

    if (typeof expected === 'bigint') {
      // The server checks the revision (and recognises an idempotent retry); the link needs the hash at `expected`.
      // A hidden event there (soft delete, truncation) cannot be read: the chain then restarts from the genesis hash.
      const base = await this.#eventAt(stream, expected);
      return this.#write(stream, list, expected, expected + 1n, base?.chain.hash ?? GENESIS_HASH, deadline, ctx);
    }
    if (expected === 'no_stream') {
      const hidden = await this.#hiddenHead(stream, list, ctx);
      // New stream: revision 0. Readable events: the server rejects (or acknowledges an idempotent retry, writing
      // nothing), so the link does not matter. Soft-deleted: the server continues the revisions after the hidden head.
      const first = hidden === 'no_stream' || (await this.#tail(stream, 1)).length > 0 ? 0n : hidden + 1n;
      return this.#write(stream, list, 'no_stream', first, GENESIS_HASH, deadline, ctx);
    }

    // 'any' and 'stream_exists': learn the head, then write with that exact revision so the chain links to it.
    for (let attempt = 1; ; attempt++) {
      const tail = await this.#tail(stream, list.length);
      const head = tail[0];
      let esdbExpected: AppendExpectedRevision;
      let first: bigint;
      let prev: string;
      if (head !== undefined) {
        if (expected === 'any' && sameIds(tail, list)) {
          // A retried 'any' append whose events are already the stream's newest: acknowledge, write nothing.
          return { success: true, nextExpectedRevision: head.revision, position: head.position };
        }
        [esdbExpected, first, prev] = [head.revision, head.revision + 1n, head.chain.hash];
      } else {
        const hidden = await this.#hiddenHead(stream, list, ctx);
        // Nothing readable: a new stream, or a soft-deleted one (which, as on PostgreSQL, does not "exist").
        if (expected === 'stream_exists') throw new WrongExpectedVersionError(stream, 'stream_exists', 'no_stream');
        [esdbExpected, first, prev] = hidden === 'no_stream' ? ['no_stream', 0n, GENESIS_HASH] : [hidden, hidden + 1n, GENESIS_HASH];
      }
      try {
        return await this.#write(stream, list, esdbExpected, first, prev, deadline, ctx);
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError) || attempt >= this.#attempts) throw err;
        await pause(attempt);
      }
    }
  }

  /**
   * The stream's last revision even when no event is readable (soft delete, truncation), or 'no_stream': an append
   * with an expected revision no stream can reach is refused with the actual revision, and writes nothing.
   */
  async #hiddenHead(stream: string, list: readonly ValidatedEvent[], ctx: ErrorContext): Promise<bigint | 'no_stream'> {
    const probe = buildChainedEvents(stream, list, UNREACHABLE_REVISION + 1n, GENESIS_HASH).map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata }),
    );
    try {
      await this.#client.appendToStream(stream, probe, { expectedRevision: UNREACHABLE_REVISION, deadline: this.#deadline });
    } catch (err) {
      const mappedErr = mapEsdbError(err, ctx);
      if (mappedErr instanceof WrongExpectedVersionError) return mappedErr.actualVersion;
      throw mappedErr;
    }
    throw new Error(`EventStoreDB accepted an append to ${stream} at revision ${UNREACHABLE_REVISION}`);
  }

  /** Builds the chained events from `first`/`prev` and appends them with `esdbExpected`. */
  async #write(
    stream: string,
    list: readonly ValidatedEvent[],
    esdbExpected: AppendExpectedRevision,
    first: bigint,
    prev: string,
    deadline: number,
    ctx: ErrorContext,
  ): Promise<AppendResult> {
    // Our ids, always: the client would otherwise invent random ones and a retried command would write twice.
    const esdbEvents = buildChainedEvents(stream, list, first, prev).map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata }),
    );
    try {
      const result = await this.#client.appendToStream(stream, esdbEvents, { expectedRevision: esdbExpected, deadline });
      const position = result.position ? fromEsdbPosition(result.position) : await this.#positionOfRevision(stream, result.nextExpectedRevision);
      return { success: true, nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (err) {
      throw mapEsdbError(err, ctx);
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateStreamName(stream);
    const direction = validateDirection(options.direction);
    const fromRevision = validateReadRevision(options.fromRevision, direction === 'backwards' ? 'end' : 'start');
    const maxCount = validateMaxCount(options.maxCount);
    const client = this.#client;
    return {
      async *[Symbol.asyncIterator]() {
        if (maxCount === 0) return;
        const read = client.readStream(stream, {
          fromRevision: toEsdbReadRevision(fromRevision),
          direction,
          ...(Number.isFinite(maxCount) ? { maxCount } : {}),
        });
        yield* mapped(read, maxCount, { streamName: stream, operation: 'readStream' });
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const direction = validateDirection(options.direction);
    const fromPosition = validatePosition(options.fromPosition, direction === 'backwards' ? 'end' : 'start');
    const maxCount = validateMaxCount(options.maxCount);
    const client = this.#client;
    return {
      async *[Symbol.asyncIterator]() {
        if (maxCount === 0) return;
        // No server-side maxCount: system records count there but are skipped here; the read stops when enough arrived.
        const read = client.readAll({ fromPosition: toEsdbReadPosition(fromPosition), direction });
        yield* mapped(read, maxCount, { operation: 'readAll' });
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): StreamSubscription {
    const from = validatePosition(options.fromPosition, 'start');
    const { server, matches } = serverFilter(options.filter);
    const client = this.#client;
    return this.#track(resubscribingSubscription<Position>({
      open: (cursor, onCheckpoint) =>
        client.subscribeToAll({
          fromPosition: toEsdbReadPosition(cursor ?? from),
          filter: server({ checkpointInterval: 1, checkpointReached: (_sub, position) => onCheckpoint(fromEsdbPosition(position)) }),
        }) as unknown as EsdbSubscriptionSource,
      cursorOf: (r) => (r.event?.position ? fromEsdbPosition(r.event.position) : undefined),
      cursorOfCheckpoint: (p) => p,
      map: (r) => {
        const e = fromEsdbResolved(r);
        return e !== undefined && matches(e) ? e : undefined;
      },
      checkpointOfSkipped: (r) => (r.event?.position ? fromEsdbPosition(r.event.position) : undefined),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
    }));
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): StreamSubscription {
    validateStreamName(stream);
    const from = validateReadRevision(options.fromRevision, 'start');
    const client = this.#client;
    return this.#track(resubscribingSubscription<bigint>({
      open: (cursor) => client.subscribeToStream(stream, { fromRevision: toEsdbReadRevision(cursor ?? from) }) as unknown as EsdbSubscriptionSource,
      cursorOf: (r) => r.event?.revision,
      map: (r) => fromEsdbResolved(r),
      streamName: stream,
    }));
  }

  /** Remembers a subscription until it ends, so `close()` can end the ones still running. */
  #track(sub: StreamSubscription): StreamSubscription {
    this.#subscriptions.add(sub);
    const unsubscribe = sub.unsubscribe.bind(sub);
    return Object.assign(sub, {
      unsubscribe: async () => {
        this.#subscriptions.delete(sub);
        await unsubscribe();
      },
    });
  }

  async setStreamMetadata(stream: string, metadata: StreamMetadata, options: EsdbAppendOptions = {}): Promise<AppendResult> {
    validateStreamName(stream);
    const checked = validateStreamMetadata(stream, metadata);
    const expected = validateExpectedRevision(options.expectedRevision);
    const deadline = validateDeadline(options.deadline ?? this.#deadline);
    try {
      const ctx: ErrorContext = { streamName: `$$${stream}`, expectedRevision: expected, operation: 'setStreamMetadata' };
      const write = this.#client.setStreamMetadata(stream, toEsdbStreamMetadata(stream, checked), { expectedRevision: toEsdbExpectedRevision(expected), deadline });
      const result = await withDeadline(write, deadline, ctx);
      const position = result.position ? fromEsdbPosition(result.position) : ((await this.headPosition()) ?? { commit: 0n, prepare: 0n });
      return { success: true, nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (err) {
      throw mapEsdbError(err, { streamName: `$$${stream}`, expectedRevision: expected, operation: 'setStreamMetadata' });
    }
  }

  async getStreamMetadata(stream: string): Promise<StreamMetadataResult> {
    validateStreamName(stream);
    try {
      const r = await withDeadline(this.#client.getStreamMetadata(stream, { deadline: this.#deadline }), this.#deadline, { streamName: stream, operation: 'getStreamMetadata' });
      const metadata = fromEsdbStreamMetadata(r.metadata);
      return {
        streamName: stream,
        ...(metadata !== undefined ? { metadata } : {}),
        ...(r.metastreamRevision !== undefined ? { metastreamRevision: r.metastreamRevision } : {}),
      };
    } catch (err) {
      throw mapEsdbError(err, { streamName: stream, operation: 'getStreamMetadata' });
    }
  }

  deleteStream(stream: string, options: EsdbAppendOptions = {}): Promise<DeleteResult> {
    return this.#delete('deleteStream', stream, options);
  }

  tombstoneStream(stream: string, options: EsdbAppendOptions = {}): Promise<DeleteResult> {
    return this.#delete('tombstoneStream', stream, options);
  }

  async #delete(operation: 'deleteStream' | 'tombstoneStream', stream: string, options: EsdbAppendOptions): Promise<DeleteResult> {
    validateStreamName(stream);
    const expected = validateExpectedRevision(options.expectedRevision);
    const deadline = validateDeadline(options.deadline ?? this.#deadline);
    const ctx: ErrorContext = { streamName: stream, expectedRevision: expected, operation };
    for (let attempt = 1; ; attempt++) {
      // The client's deletes take no 'stream_exists': resolve it to the exact head revision.
      let revision: Exclude<ExpectedRevision, 'stream_exists'>;
      if (expected === 'stream_exists') {
        const head = (await this.#tail(stream, 1))[0];
        if (head === undefined) throw new WrongExpectedVersionError(stream, 'stream_exists', 'no_stream');
        revision = head.revision;
      } else {
        revision = expected;
      }
      try {
        const opts = { expectedRevision: toEsdbDeleteRevision(revision), deadline };
        const call = operation === 'deleteStream' ? this.#client.deleteStream(stream, opts) : this.#client.tombstoneStream(stream, opts);
        const r = await withDeadline(call, deadline, ctx);
        return r.position ? { position: fromEsdbPosition(r.position) } : {};
      } catch (err) {
        const mappedErr = mapEsdbError(err, ctx);
        if (expected !== 'stream_exists' || !(mappedErr instanceof WrongExpectedVersionError) || attempt >= this.#attempts) throw mappedErr;
        await pause(attempt);
      }
    }
  }

  async verifyChain(options: { stream?: string } = {}): Promise<ChainReport> {
    const read = (name: string) => this.#chainedStream(name);
    if (options.stream !== undefined) {
      validateStreamName(options.stream);
      return verifyReadableChains([options.stream], read);
    }
    // $all interleaves streams; the verifier wants each stream whole and in order: collect names, then read each.
    const names = new Set<string>();
    for await (const e of this.readAll()) names.add(e.streamId);
    return verifyReadableChains(names, read);
  }

  /** One stream's events for the verifier; a deleted or tombstoned stream has nothing left to verify. */
  async *#chainedStream(stream: string): AsyncGenerator<ChainedEvent> {
    try {
      for await (const e of this.readStream(stream)) yield e;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'STREAM_NOT_FOUND' && code !== 'STREAM_DELETED') throw err;
    }
  }

  async headPosition(): Promise<Position | undefined> {
    const newest = async () => {
      for await (const e of this.readAll({ fromPosition: 'end', direction: 'backwards' })) return e.position;
      return undefined;
    };
    return withDeadline(newest(), this.#deadline, { operation: 'headPosition' });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((sub) => sub.unsubscribe()));
    await this.#client.dispose();
  }

  /** A short read that belongs to a write: bounded by the write deadline, so a hung server cannot stall an append. */
  #headRead(stream: string, fromRevision: 'end' | bigint, direction: 'forwards' | 'backwards', maxCount: number): AsyncGenerator<RecordedEvent> {
    const read = this.#client.readStream(stream, { fromRevision, direction, maxCount, deadline: this.#deadline });
    return mapped(read, maxCount, { streamName: stream, operation: 'appendToStream (reading the stream head)' });
  }

  /** The stream's newest `n` events (newest first), or [] when it has none readable. */
  async #tail(stream: string, n: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const e of this.#headRead(stream, 'end', 'backwards', n)) out.push(e);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'STREAM_NOT_FOUND') throw err;
    }
    return out;
  }

  /** The event at `revision`, or undefined when the stream has none there (the server then rejects the append). */
  async #eventAt(stream: string, revision: bigint): Promise<RecordedEvent | undefined> {
    try {
      for await (const e of this.#headRead(stream, revision, 'forwards', 1)) return e.revision === revision ? e : undefined;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'STREAM_NOT_FOUND') throw err;
    }
    return undefined;
  }

  /** Position of the stream's event at `revision`, for servers that do not return positions from appends. */
  async #positionOfRevision(stream: string, revision: bigint): Promise<Position> {
    return (await this.#eventAt(stream, revision))?.position ?? { commit: 0n, prepare: 0n };
  }
}

/** Maps a client read to port events, skipping system records, stopping after `maxCount`, cancelling on exit. */
async function* mapped(
  read: StreamingRead<ResolvedEvent | AllStreamResolvedEvent>,
  maxCount: number,
  ctx: ErrorContext,
): AsyncGenerator<RecordedEvent> {
  let n = 0;
  let finished = false;
  try {
    for await (const resolved of read) {
      const e = fromEsdbResolved(resolved as EsdbResolvedLike);
      if (e === undefined) continue;
      yield e;
      if (++n >= maxCount) break;
    }
    finished = n < maxCount;
  } catch (err) {
    finished = true;
    throw mapEsdbError(err, ctx);
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

/** The server-side filter for a port filter, plus the client-side check for what the server cannot combine. */
function serverFilter(filter: SubscriptionFilter | undefined): {
  server: (o: { checkpointInterval: number; checkpointReached: NonNullable<Filter['checkpointReached']> }) => Filter;
  matches: (e: RecordedEvent) => boolean;
} {
  const streams = nonEmpty(filter?.streamNamePrefixes, 'streamNamePrefixes');
  const types = nonEmpty(filter?.eventTypePrefixes, 'eventTypePrefixes');
  const typeMatches = (e: RecordedEvent) => types === undefined || types.some((p) => e.type.startsWith(p));
  if (streams !== undefined) {
    // EventStoreDB filters on one field: stream names on the server, event types (if any) here.
    return { server: (o) => streamNameFilter({ prefixes: streams, ...o }), matches: typeMatches };
  }
  if (types !== undefined) return { server: (o) => eventTypeFilter({ prefixes: types, ...o }), matches: () => true };
  return { server: (o) => excludeSystemEvents(o), matches: () => true };
}

function nonEmpty(prefixes: readonly string[] | undefined, name: string): string[] | undefined {
  if (prefixes === undefined) return undefined;
  if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string' || p.length === 0)) {
    throw new InvalidEventStoreInputError('INVALID_EVENT', `filter.${name} must be an array of non-empty strings`, { filter: name });
  }
  return prefixes.length === 0 ? undefined : [...prefixes];
}

/** EventStoreDB treats `$`-prefixed types as system events, and `$chain` carries our link: refuse both up front. */
function rejectReserved(stream: string, list: readonly ValidatedEvent[]): void {
  list.forEach((e, index) => {
    if (e.type.startsWith('$')) {
      throw new InvalidEventStoreInputError('INVALID_EVENT', `Invalid event ${index} for stream ${stream}: types starting with "$" are reserved for system events`, {
        streamName: stream,
        index,
      });
    }
    if (Object.hasOwn(e.metadata, CHAIN_KEY)) {
      throw new InvalidEventStoreInputError('INVALID_EVENT', `Invalid event ${index} for stream ${stream}: metadata key "${CHAIN_KEY}" is reserved for the hash chain`, {
        streamName: stream,
        index,
      });
    }
  });
}

/** True when the stream's newest events (newest first) are exactly `list`, in order. */
function sameIds(tailNewestFirst: readonly RecordedEvent[], list: readonly ValidatedEvent[]): boolean {
  if (tailNewestFirst.length !== list.length) return false;
  return list.every((e, i) => tailNewestFirst[list.length - 1 - i]!.id.toLowerCase() === e.id);
}

function validateDirection(d: unknown): 'forwards' | 'backwards' {
  if (d === undefined || d === 'forwards') return 'forwards';
  if (d === 'backwards') return 'backwards';
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid direction ${String(d)}: use 'forwards' or 'backwards'`, { direction: String(d) });
}

function validateDeadline(ms: unknown): number {
  if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) return ms;
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid deadline ${String(ms)}: use a positive number of milliseconds`, { deadline: String(ms) });
}

/**
 * Bounds a whole operation by `ms`: the client applies deadlines per gRPC call, but not to the connection and
 * server-feature discovery that precede a call, so a server that accepts connections and never answers would
 * otherwise stall the caller forever. The late call may still complete; with deterministic event ids a retry is
 * safe (the server recognises it).
 */
function withDeadline<T>(work: Promise<T>, ms: number, ctx: ErrorContext): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LedgerlineError('TIMEOUT', `EventStoreDB ${ctx.operation} on ${ctx.streamName ?? '$all'} did not finish within ${ms} ms`, {
            operation: ctx.operation,
            ...(ctx.streamName ? { streamName: ctx.streamName } : {}),
            reason: 'deadline-exceeded',
            retryable: true,
          }),
        ),
      ms,
    );
  });
  work.catch(() => undefined); // a rejection after the timeout is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Short jittered pause between attempts after losing a race for the stream head. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
}

