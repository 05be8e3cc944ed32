/**
 * Pure translations between the port's shapes and `@eventstore/db-client` 6's: expected revisions, positions,
 * recorded events (with the hash-chain link carried in event metadata), stream metadata and errors.
 * No IO here, so every mapping is unit-tested without a server (esdb-mapping.test.ts).
 */
import type {
  AppendExpectedRevision,
  ExpectedRevision as EsdbDeleteExpectedRevision,
  Position as EsdbPosition,
  ReadPosition,
  ReadRevision,
  StreamMetadata as EsdbStreamMetadata,
} from '@eventstore/db-client';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { InvalidEventStoreInputError, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.ts';
import { chainHash, contentHashOfCanonical } from '../hash-chain.ts';
import type { ValidatedEvent } from '../validation.ts';
import type { ChainLink, EventMetadata, ExpectedRevision, Position, RecordedEvent, StreamMetadata } from '../port.ts';

/** The reserved key under which each stored event's metadata carries its hash-chain link. */
export const CHAIN_KEY = '$chain';

/** The port's expected revision as the client's (the same words; kept explicit so a client change shows here). */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return 'any';
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
    default:
      return expected;
  }
}

/**
 * Deletes accept no `stream_exists` in the client: the caller resolves it to the exact last revision first
 * (`resolved`), so only 'any', 'no_stream' and bigints reach the server.
 */
export function toEsdbDeleteRevision(expected: Exclude<ExpectedRevision, 'stream_exists'>): EsdbDeleteExpectedRevision {
  return expected === 'any' ? 'any' : expected === 'no_stream' ? 'no_stream' : expected;
}

/** A client position as the port's (copied, so callers never share the client's object). */
export function fromEsdbPosition(p: EsdbPosition): Position {
  return { commit: p.commit, prepare: p.prepare };
}

/** 'start' | 'end' | Position for the client's `fromPosition`. */
export function toEsdbReadPosition(p: 'start' | 'end' | Position): ReadPosition {
  return p === 'start' || p === 'end' ? p : { commit: p.commit, prepare: p.prepare };
}

/** 'start' | 'end' | bigint for the client's `fromRevision`. */
export function toEsdbReadRevision(r: 'start' | 'end' | bigint): ReadRevision {
  return r;
}

/** Tuple order of positions: negative when `a` is before `b`. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The metadata written to EventStoreDB: the caller's, plus the chain link under `$chain`. */
export function withChain(metadata: EventMetadata, chain: ChainLink): Record<string, unknown> {
  return { ...metadata, [CHAIN_KEY]: { prev: chain.prev, hash: chain.hash } };
}

/** An event ready for the client's `jsonEvent`: our id, and metadata that carries the chain link. */
export interface ChainedEsdbEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly chain: ChainLink;
}

/**
 * Links validated events into the stream's chain: event i gets revision `first + i`, its `prev` is the previous
 * event's hash (`prev` for the first one), its hash covers the caller's metadata only (never `$chain`).
 */
export function buildChainedEvents(stream: string, list: readonly ValidatedEvent[], first: bigint, prev: string): ChainedEsdbEvent[] {
  let link = prev;
  return list.map((e, i) => {
    const chain = { prev: link, hash: chainHash(link, stream, first + BigInt(i), contentHashOfCanonical(e.id, e.type, e.dataJson, e.metadataJson)) };
    link = chain.hash;
    return { id: e.id, type: e.type, data: e.data, metadata: withChain(e.metadata, chain), chain };
  });
}

/** Splits stored metadata into the caller's metadata (exactly as supplied) and the chain link, if any. */
export function stripChain(stored: unknown): { metadata: EventMetadata; chain: ChainLink | undefined } {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored) || stored instanceof Uint8Array) {
    return { metadata: {}, chain: undefined };
  }
  const { [CHAIN_KEY]: link, ...metadata } = stored as Record<string, unknown>;
  return { metadata: metadata as EventMetadata, chain: isChainLink(link) ? { prev: link.prev, hash: link.hash } : undefined };
}

function isChainLink(x: unknown): x is ChainLink {
  return x !== null && typeof x === 'object' && typeof (x as ChainLink).prev === 'string' && typeof (x as ChainLink).hash === 'string';
}

/** The chain an event without a stored link reports: empty strings, which `verifyChainLinks` flags as a broken link. */
export const MISSING_CHAIN: ChainLink = { prev: '', hash: '' };

/** The subset of the client's recorded event this adapter reads. */
export interface EsdbRecordedLike {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly created: Date;
  readonly position?: EsdbPosition;
}

/** The subset of the client's resolved event (from reads and subscriptions) this adapter reads. */
export interface EsdbResolvedLike {
  readonly event?: EsdbRecordedLike;
  readonly link?: unknown;
  readonly commitPosition?: bigint;
}

/**
 * True for EventStoreDB's own records: system streams (`$…`, including metadata streams `$$…`), system event
 * types (`$streamDeleted`, `$metadata`, `$>` links, `$statistics…`). Ledgerline never writes such names.
 */
export function isSystemRecord(e: Pick<EsdbRecordedLike, 'streamId' | 'type'>): boolean {
  return e.streamId.startsWith('$') || e.type.startsWith('$');
}

/**
 * A client event as the port's `RecordedEvent`, or undefined for a system record or a bare link.
 * Data arrives parsed by the client (JSON content type). The position falls back to the resolved event's
 * commit position on servers older than 22.6, which do not return positions for stream reads.
 */
export function fromEsdbResolved(resolved: EsdbResolvedLike): RecordedEvent | undefined {
  const e = resolved.event;
  if (e === undefined || isSystemRecord(e)) return undefined;
  const { metadata, chain } = stripChain(e.metadata);
  const position: Position = e.position
    ? fromEsdbPosition(e.position)
    : { commit: resolved.commitPosition ?? 0n, prepare: resolved.commitPosition ?? 0n };
  return {
    id: e.id,
    type: e.type,
    data: e.data instanceof Uint8Array ? decodeBinary(e.data) : e.data,
    metadata,
    streamId: e.streamId,
    revision: e.revision,
    position,
    created: e.created,
    chain: chain ?? MISSING_CHAIN,
  };
}

function decodeBinary(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Port metadata to the client's: `truncateBefore` bigint → number (the client's type); other keys unchanged. */
export function toEsdbStreamMetadata(stream: string, m: StreamMetadata): EsdbStreamMetadata {
  const { truncateBefore, ...rest } = m;
  const out: Record<string, unknown> = { ...rest };
  if (truncateBefore !== undefined) {
    if (truncateBefore > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InvalidEventStoreInputError('INVALID_REVISION', `truncateBefore ${truncateBefore}n of stream ${stream} exceeds what EventStoreDB's client accepts (2^53 - 1)`, {
        streamName: stream,
        truncateBefore: truncateBefore.toString(),
      });
    }
    out.truncateBefore = Number(truncateBefore);
  }
  return out as EsdbStreamMetadata;
}

/**
 * Client metadata to the port's: `truncateBefore` number → bigint. A soft delete stores the server's
 * "everything" marker (2^63 - 1), which a JSON number cannot hold exactly; it comes back as at least 2^63 - 1.
 */
export function fromEsdbStreamMetadata(m: EsdbStreamMetadata | undefined): StreamMetadata | undefined {
  if (m === undefined) return undefined;
  const { truncateBefore, ...rest } = m as Record<string, unknown>;
  const out: StreamMetadata = { ...rest };
  if (typeof truncateBefore === 'number' && Number.isFinite(truncateBefore)) {
    out.truncateBefore = truncateBefore >= 2 ** 63 ? 2n ** 63n - 1n : BigInt(Math.trunc(truncateBefore));
  } else if (typeof truncateBefore === 'bigint') {
    out.truncateBefore = truncateBefore;
  }
  return out;
}

/** The fields of the client's errors this adapter looks at (duck-typed, so two copies of the client still match). */
interface EsdbErrorLike {
  readonly type?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly streamName?: unknown;
  readonly actualVersion?: unknown;
  readonly maxAppendSize?: unknown;
}

/** gRPC status RESOURCE_EXHAUSTED: the server sheds load; retry later. */
const GRPC_RESOURCE_EXHAUSTED = 8;

/** What the caller was doing, so a mapped error names the right stream and expected revision. */
export interface ErrorContext {
  readonly streamName?: string;
  readonly expectedRevision?: ExpectedRevision;
  readonly operation: string;
}

/**
 * A client error as a Ledgerline error: WrongExpectedVersion/StreamNotFound/StreamDeleted as the port's typed
 * errors (with the server's actual version), append-size limits as EVENT_TOO_LARGE, deadlines as TIMEOUT and
 * unavailability/load shedding/leader changes as STORE_UNAVAILABLE, both with `details.retryable: true`.
 * Errors that are already Ledgerline errors pass through; anything else becomes STORE_UNAVAILABLE (not retryable)
 * with the original as `cause`.
 */
export function mapEsdbError(err: unknown, ctx: ErrorContext): Error {
  if (err instanceof LedgerlineError) return err;
  const e = (err ?? {}) as EsdbErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const stream = ctx.streamName ?? (typeof e.streamName === 'string' ? e.streamName : '');
  const type = typeof e.type === 'string' ? e.type : undefined;
  switch (type) {
    case 'wrong-expected-version':
      return new WrongExpectedVersionError(stream, ctx.expectedRevision ?? 'any', toActualVersion(e.actualVersion));
    case 'stream-not-found':
      return new StreamNotFoundError(stream);
    case 'stream-deleted':
      return new StreamDeletedError(stream);
    case 'maximum-append-size-exceeded':
      return new InvalidEventStoreInputError('EVENT_TOO_LARGE', `Append to ${stream} exceeds EventStoreDB's maximum append size${typeof e.maxAppendSize === 'number' ? ` (${e.maxAppendSize} bytes)` : ''}`, {
        streamName: stream,
        ...(typeof e.maxAppendSize === 'number' ? { limit: e.maxAppendSize } : {}),
      });
    case 'deadline-exceeded':
    case 'timeout':
      return coded('TIMEOUT', `EventStoreDB ${ctx.operation} on ${stream || '$all'} timed out: ${message}`, ctx, type, true, err);
    case 'unavailable':
    case 'not-leader':
    case 'cancelled':
      return coded('STORE_UNAVAILABLE', `EventStoreDB ${ctx.operation} on ${stream || '$all'} failed: ${message}`, ctx, type, true, err);
  }
  if (e.code === GRPC_RESOURCE_EXHAUSTED) {
    return coded('STORE_UNAVAILABLE', `EventStoreDB is overloaded (RESOURCE_EXHAUSTED) during ${ctx.operation}: ${message}`, ctx, 'resource-exhausted', true, err);
  }
  return coded('STORE_UNAVAILABLE', `EventStoreDB ${ctx.operation} on ${stream || '$all'} failed: ${message}`, ctx, type ?? 'unknown', false, err);
}

function coded(code: 'TIMEOUT' | 'STORE_UNAVAILABLE', message: string, ctx: ErrorContext, reason: string, retryable: boolean, cause: unknown): LedgerlineError {
  return new LedgerlineError(code, message, { operation: ctx.operation, ...(ctx.streamName ? { streamName: ctx.streamName } : {}), reason, retryable }, { cause });
}

function toActualVersion(v: unknown): bigint | 'no_stream' {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return 'no_stream';
}

/** Client error types after which re-subscribing cannot help: the consumer must see the error. */
const TERMINAL_SUBSCRIPTION_ERRORS = new Set(['stream-deleted', 'access-denied', 'invalid-argument', 'unsupported', 'not-found']);

/**
 * True when a dropped subscription should be re-established from its last position: connection loss, server
 * restarts, leader changes, deadlines, load shedding and unclassified gRPC errors. Not for a tombstoned stream,
 * missing permissions, a bad request, Ledgerline's own errors, or plain exceptions (bugs must surface).
 */
export function isTransientSubscriptionError(err: unknown): boolean {
  if (err instanceof LedgerlineError || err === null || typeof err !== 'object') return false;
  const { type, code } = err as EsdbErrorLike;
  if (typeof type === 'string') return !TERMINAL_SUBSCRIPTION_ERRORS.has(type);
  // A raw gRPC status the client did not classify; anything else is a bug here, not a dropped connection.
  return typeof code === 'number';
}
