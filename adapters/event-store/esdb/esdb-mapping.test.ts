import {
  convertToCommandError,
  MaxAppendSizeExceededError,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError, type LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { InvalidEventStoreInputError, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.ts';
import { GENESIS_HASH, verifyChainLinks, type ChainedEvent } from '../hash-chain.ts';
import { validateEvents } from '../validation.ts';
import {
  buildChainedEvents,
  CHAIN_KEY,
  comparePositions,
  fromEsdbPosition,
  fromEsdbResolved,
  fromEsdbStreamMetadata,
  isSystemRecord,
  isTransientSubscriptionError,
  mapEsdbError,
  MISSING_CHAIN,
  stripChain,
  toEsdbDeleteRevision,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toEsdbStreamMetadata,
  withChain,
  type EsdbRecordedLike,
} from './esdb-mapping.ts';

/** A gRPC ServiceError as the client receives it, converted by the client's own code. */
function grpcError(code: number, details = 'boom'): Error {
  return convertToCommandError(Object.assign(new Error(details), { code, details }));
}

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function recorded(over: Partial<EsdbRecordedLike> = {}): EsdbRecordedLike {
  return {
    streamId: 'call-1',
    id: id(1),
    revision: 0n,
    type: 'CallQueued',
    data: { callId: 'c1' },
    metadata: { correlationId: 'k', [CHAIN_KEY]: { prev: GENESIS_HASH, hash: 'ab'.repeat(32) } },
    created: new Date('2026-11-22T03:00:00.000Z'),
    position: { commit: 10n, prepare: 9n },
    ...over,
  };
}

describe('expected revisions and positions', () => {
  it('maps every expected revision to the client word or the same bigint', () => {
    expect(toEsdbExpectedRevision('any')).toBe('any');
    expect(toEsdbExpectedRevision('no_stream')).toBe('no_stream');
    expect(toEsdbExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
    expect(toEsdbDeleteRevision('any')).toBe('any');
    expect(toEsdbDeleteRevision('no_stream')).toBe('no_stream');
    expect(toEsdbDeleteRevision(7n)).toBe(7n);
  });

  it('copies positions both ways and keeps start/end words', () => {
    const client = { commit: 5n, prepare: 4n };
    const ours = fromEsdbPosition(client);
    expect(ours).toEqual({ commit: 5n, prepare: 4n });
    expect(ours).not.toBe(client);
    expect(toEsdbReadPosition('start')).toBe('start');
    expect(toEsdbReadPosition('end')).toBe('end');
    expect(toEsdbReadPosition({ commit: 1n, prepare: 0n })).toEqual({ commit: 1n, prepare: 0n });
  });

  it('orders positions as (commit, prepare) tuples', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n }), fc.bigInt({ min: 0n, max: 2n ** 63n }), fc.bigInt({ min: 0n, max: 2n ** 63n }), fc.bigInt({ min: 0n, max: 2n ** 63n }), (c1, p1, c2, p2) => {
        const expected = c1 !== c2 ? (c1 < c2 ? -1 : 1) : p1 !== p2 ? (p1 < p2 ? -1 : 1) : 0;
        expect(comparePositions({ commit: c1, prepare: p1 }, { commit: c2, prepare: p2 })).toBe(expected);
      }),
    );
  });
});

describe('the chain link in event metadata', () => {
  it('round-trips any metadata exactly: $chain is added on write and stripped on read', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== CHAIN_KEY && k !== '__proto__'), fc.jsonValue()), (metadata) => {
        const link = { prev: GENESIS_HASH, hash: 'cd'.repeat(32) };
        const stored = JSON.parse(JSON.stringify(withChain(metadata, link))) as unknown;
        const { metadata: back, chain } = stripChain(stored);
        expect(back).toEqual(JSON.parse(JSON.stringify(metadata)));
        expect(back).not.toHaveProperty(CHAIN_KEY);
        expect(chain).toEqual(link);
      }),
    );
  });

  it('reports no link for metadata that is absent, not an object, or lacks $chain', () => {
    expect(stripChain(undefined)).toEqual({ metadata: {}, chain: undefined });
    expect(stripChain('text')).toEqual({ metadata: {}, chain: undefined });
    expect(stripChain([1, 2])).toEqual({ metadata: {}, chain: undefined });
    expect(stripChain(new Uint8Array([1]))).toEqual({ metadata: {}, chain: undefined });
    expect(stripChain({ a: 1 })).toEqual({ metadata: { a: 1 }, chain: undefined });
    expect(stripChain({ a: 1, [CHAIN_KEY]: { prev: 1 } })).toEqual({ metadata: { a: 1 }, chain: undefined });
  });

  it('builds links the shared verifier accepts, and the verifier catches edited data', async () => {
    const stream = 'call-9';
    const first = validateEvents(stream, [
      { id: id(1), type: 'CallQueued', data: { q: 1 }, metadata: { actor: 'a' } },
      { id: id(2), type: 'CallOffered', data: { agent: 'x' } },
    ]);
    const second = validateEvents(stream, [{ id: id(3), type: 'CallAnswered', data: null }]);
    const batch1 = buildChainedEvents(stream, first, 0n, GENESIS_HASH);
    // A second append links to the last hash of the first, as the adapter does after reading the head.
    const batch2 = buildChainedEvents(stream, second, 2n, batch1[1]!.chain.hash);
    const asRead = [...batch1, ...batch2].map((e, i): ChainedEvent => {
      const stored = stripChain(JSON.parse(JSON.stringify(e.metadata)));
      expect(stored.chain).toEqual(e.chain);
      return { streamId: stream, revision: BigInt(i), id: e.id, type: e.type, data: e.data, metadata: stored.metadata, chain: stored.chain! };
    });
    expect(asRead[0]!.chain.prev).toBe(GENESIS_HASH);
    expect(asRead[2]!.chain.prev).toBe(asRead[1]!.chain.hash);
    expect(await verifyChainLinks(asRead)).toEqual({ ok: true, streams: 1, events: 3 });

    const tampered = asRead.map((e) => (e.revision === 1n ? { ...e, data: { agent: 'y' } } : e));
    expect(await verifyChainLinks(tampered)).toMatchObject({ ok: false, revision: 1n, problem: 'hash_mismatch' });
  });
});

describe('recorded events', () => {
  it('maps a client event to the port shape with the caller metadata and the stored link', () => {
    const e = fromEsdbResolved({ event: recorded() });
    expect(e).toEqual({
      id: id(1),
      type: 'CallQueued',
      data: { callId: 'c1' },
      metadata: { correlationId: 'k' },
      streamId: 'call-1',
      revision: 0n,
      position: { commit: 10n, prepare: 9n },
      created: new Date('2026-11-22T03:00:00.000Z'),
      chain: { prev: GENESIS_HASH, hash: 'ab'.repeat(32) },
    });
  });

  it('falls back to the commit position when the server returns none with a stream read', () => {
    const { position: _omit, ...withoutPosition } = recorded();
    expect(fromEsdbResolved({ event: withoutPosition, commitPosition: 77n })?.position).toEqual({ commit: 77n, prepare: 77n });
  });

  it('gives events written by someone else a link the verifier rejects', () => {
    expect(fromEsdbResolved({ event: recorded({ metadata: undefined }) })?.chain).toEqual(MISSING_CHAIN);
  });

  it('skips system records and bare links', () => {
    expect(isSystemRecord({ streamId: '$$call-1', type: '$metadata' })).toBe(true);
    expect(isSystemRecord({ streamId: 'call-1', type: '$streamDeleted' })).toBe(true);
    expect(isSystemRecord({ streamId: '$stats-127.0.0.1:2113', type: 'x' })).toBe(true);
    expect(isSystemRecord({ streamId: 'call-1', type: 'CallQueued' })).toBe(false);
    expect(fromEsdbResolved({ event: recorded({ streamId: '$$call-1', type: '$metadata' }) })).toBeUndefined();
    expect(fromEsdbResolved({ event: recorded({ type: '$>' }) })).toBeUndefined();
    expect(fromEsdbResolved({ link: {} })).toBeUndefined();
  });

  it('decodes JSON that arrived as bytes', () => {
    const e = fromEsdbResolved({ event: recorded({ data: new TextEncoder().encode('{"a":1}') }) });
    expect(e?.data).toEqual({ a: 1 });
  });
});

describe('stream metadata', () => {
  it('turns truncateBefore into the client number and back into a bigint', () => {
    const m = toEsdbStreamMetadata('call-1', { maxAge: 60, maxCount: 5, truncateBefore: 3n, owner: 'x' });
    expect(m).toEqual({ maxAge: 60, maxCount: 5, truncateBefore: 3, owner: 'x' });
    expect(fromEsdbStreamMetadata(m)).toEqual({ maxAge: 60, maxCount: 5, truncateBefore: 3n, owner: 'x' });
    expect(fromEsdbStreamMetadata(undefined)).toBeUndefined();
  });

  it('refuses a truncateBefore the client cannot carry exactly', () => {
    expect(() => toEsdbStreamMetadata('call-1', { truncateBefore: 2n ** 53n })).toThrow(InvalidEventStoreInputError);
  });

  it("reads a soft delete's truncate-everything marker (2^63 - 1, which JSON rounds to 2^63) as 2^63 - 1", () => {
    expect(fromEsdbStreamMetadata({ truncateBefore: 2 ** 63 })?.truncateBefore).toBe(2n ** 63n - 1n);
  });
});

describe('errors', () => {
  it("maps WrongExpectedVersion with the server's actual version and the caller's expectation", () => {
    const err = new EsdbWrongExpectedVersionError(undefined, { streamName: 'call-1', expected: 3n, current: 5n });
    const mapped = mapEsdbError(err, { streamName: 'call-1', expectedRevision: 'any', operation: 'appendToStream' });
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamName: 'call-1', expectedVersion: 'any', actualVersion: 5n });
    const none = new EsdbWrongExpectedVersionError(undefined, { streamName: 'call-1', expected: 'stream_exists', current: 'no_stream' });
    expect(mapEsdbError(none, { streamName: 'call-1', expectedRevision: 'stream_exists', operation: 'appendToStream' })).toMatchObject({ actualVersion: 'no_stream' });
  });

  it('maps stream-not-found, stream-deleted and append-size errors to the typed errors', () => {
    const ctx = { streamName: 'call-1', operation: 'readStream' };
    expect(mapEsdbError(new EsdbStreamNotFoundError(undefined, 'call-1'), ctx)).toBeInstanceOf(StreamNotFoundError);
    expect(mapEsdbError(EsdbStreamDeletedError.fromStreamName('call-1'), ctx)).toBeInstanceOf(StreamDeletedError);
    expect(mapEsdbError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), ctx)).toMatchObject({ code: 'EVENT_TOO_LARGE', details: { limit: 1024 } });
  });

  it('maps deadlines to a retryable TIMEOUT and overload or unavailability to a retryable STORE_UNAVAILABLE', () => {
    const ctx = { streamName: 'call-1', operation: 'appendToStream' };
    const deadline = mapEsdbError(grpcError(4), ctx);
    expect(isLedgerlineError(deadline, 'TIMEOUT')).toBe(true);
    expect((deadline as LedgerlineError).details).toMatchObject({ retryable: true, reason: 'deadline-exceeded' });
    const exhausted = mapEsdbError(grpcError(8), ctx);
    expect(isLedgerlineError(exhausted, 'STORE_UNAVAILABLE')).toBe(true);
    expect((exhausted as LedgerlineError).details).toMatchObject({ retryable: true, reason: 'resource-exhausted' });
    const unavailable = mapEsdbError(grpcError(14), ctx);
    expect((unavailable as LedgerlineError).details).toMatchObject({ retryable: true, reason: 'unavailable' });
    expect((unavailable as LedgerlineError).status).toBe(503);
  });

  it('wraps anything else as a non-retryable STORE_UNAVAILABLE and passes Ledgerline errors through', () => {
    const other = mapEsdbError(new Error('weird'), { operation: 'readAll' });
    expect(other).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { retryable: false } });
    expect((other as Error).cause).toBeInstanceOf(Error);
    const own = new StreamNotFoundError('x');
    expect(mapEsdbError(own, { operation: 'readStream' })).toBe(own);
  });

  it('re-subscribes after connection-level drops only', () => {
    expect(isTransientSubscriptionError(grpcError(14))).toBe(true);
    expect(isTransientSubscriptionError(grpcError(4))).toBe(true);
    expect(isTransientSubscriptionError(grpcError(13, 'Received RST_STREAM'))).toBe(true);
    expect(isTransientSubscriptionError(EsdbStreamDeletedError.fromStreamName('call-1'))).toBe(false);
    expect(isTransientSubscriptionError(new TypeError('bug'))).toBe(false);
    expect(isTransientSubscriptionError(new StreamDeletedError('call-1'))).toBe(false);
  });
});
