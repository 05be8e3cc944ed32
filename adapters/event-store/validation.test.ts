import { describe, expect, it } from 'vitest';
import { InvalidEventStoreInputError } from './errors.ts';
import {
  MAX_EVENT_BYTES,
  validateEvents,
  validateExpectedRevision,
  validateMaxCount,
  validatePosition,
  validateReadRevision,
  validateStreamMetadata,
  validateStreamName,
} from './validation.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventStoreInputError);
    return (err as InvalidEventStoreInputError).code;
  }
  return undefined;
}

describe('validateStreamName', () => {
  it.each(['call-1', 'agent-5b1c7e1a', 'queue-sales.emea', 'x'.repeat(200), 'ivrflow-ünïcode'])('accepts %s', (name) => {
    expect(codeOf(() => validateStreamName(name))).toBeUndefined();
  });
  it.each(['', 'x'.repeat(201), 'call 1', 'call\t1', ' call', 'call-\u0007', '$all', '$$call-1', '\ud800x', 42, null])('rejects %j', (name) => {
    expect(codeOf(() => validateStreamName(name))).toBe('INVALID_STREAM_NAME');
  });
});

describe('validateEvents', () => {
  it('Given good events, Then they come back with defaulted metadata, lower-case ids and canonical JSON', () => {
    const [a, b] = validateEvents('call-1', [
      { id: id(1).toUpperCase(), type: 'A', data: { b: 1, a: 2 } },
      { id: id(2), type: 'B', data: null, metadata: { correlationId: 'c' } },
    ]);
    expect(a).toMatchObject({ id: id(1), metadata: {}, dataJson: '{"a":2,"b":1}', metadataJson: '{}' });
    expect(b).toMatchObject({ dataJson: 'null', metadataJson: '{"correlationId":"c"}' });
    expect(validateEvents('call-1', { id: id(3), type: 'C', data: 1 })).toHaveLength(1);
  });

  it.each([
    ['an empty array', [], 'INVALID_EVENT'],
    ['a non-object', [1], 'INVALID_EVENT'],
    ['a bad id', [{ id: 'x', type: 'A', data: 1 }], 'INVALID_EVENT'],
    ['duplicate ids (any case)', [{ id: id(1), type: 'A', data: 1 }, { id: id(1).toUpperCase(), type: 'B', data: 1 }], 'INVALID_EVENT'],
    ['an empty type', [{ id: id(1), type: '', data: 1 }], 'INVALID_EVENT'],
    ['a long type', [{ id: id(1), type: 'T'.repeat(201), data: 1 }], 'INVALID_EVENT'],
    ['a type with spaces', [{ id: id(1), type: 'Call Queued', data: 1 }], 'INVALID_EVENT'],
    ['missing data', [{ id: id(1), type: 'A' }], 'INVALID_EVENT'],
    ['bigint data', [{ id: id(1), type: 'A', data: { n: 1n } }], 'INVALID_EVENT'],
    ['array metadata', [{ id: id(1), type: 'A', data: 1, metadata: [] }], 'INVALID_EVENT'],
    ['metadata with a function', [{ id: id(1), type: 'A', data: 1, metadata: { f: () => 1 } }], 'INVALID_EVENT'],
    ['data over the limit', [{ id: id(1), type: 'A', data: 'x'.repeat(MAX_EVENT_BYTES) }], 'EVENT_TOO_LARGE'],
    ['data and metadata together over the limit', [{ id: id(1), type: 'A', data: 'x'.repeat(MAX_EVENT_BYTES / 2), metadata: { m: 'y'.repeat(MAX_EVENT_BYTES / 2) } }], 'EVENT_TOO_LARGE'],
  ])('Given %s, Then %s', (_label, events, code) => {
    expect(codeOf(() => validateEvents('call-1', events as never))).toBe(code);
  });

  it('Given an event just under the limit (multi-byte characters count as bytes), Then it passes; one byte more fails', () => {
    const fits = 'é'.repeat((MAX_EVENT_BYTES - 2 - 2) / 2); // quotes, metadata {}
    expect(codeOf(() => validateEvents('call-1', [{ id: id(1), type: 'A', data: fits }]))).toBeUndefined();
    expect(codeOf(() => validateEvents('call-1', [{ id: id(1), type: 'A', data: `${fits}x` }]))).toBe('EVENT_TOO_LARGE');
  });
});

describe('revisions, positions and counts', () => {
  it('validateExpectedRevision accepts the four kinds and defaults to any', () => {
    expect(validateExpectedRevision(undefined)).toBe('any');
    for (const x of ['any', 'no_stream', 'stream_exists', 0n, 41n] as const) expect(validateExpectedRevision(x)).toBe(x);
    for (const x of [-1n, 0, 1, '3', 'latest', null, {}]) expect(codeOf(() => validateExpectedRevision(x))).toBe('INVALID_REVISION');
  });

  it('validateReadRevision, validatePosition and validateMaxCount reject negatives and wrong types', () => {
    expect(validateReadRevision(undefined, 'end')).toBe('end');
    expect(validateReadRevision(3n)).toBe(3n);
    expect(codeOf(() => validateReadRevision(-1n))).toBe('INVALID_REVISION');
    expect(codeOf(() => validateReadRevision(3))).toBe('INVALID_REVISION');
    expect(validatePosition({ commit: 1n, prepare: 2n })).toEqual({ commit: 1n, prepare: 2n });
    expect(codeOf(() => validatePosition({ commit: 1, prepare: 2n }))).toBe('INVALID_REVISION');
    expect(codeOf(() => validatePosition({ commit: -1n, prepare: 2n }))).toBe('INVALID_REVISION');
    expect(validateMaxCount(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(validateMaxCount(5n)).toBe(5);
    expect(validateMaxCount(0)).toBe(0);
    for (const x of [-1, 1.5, -1n, '3', Number.NaN]) expect(codeOf(() => validateMaxCount(x))).toBe('INVALID_REVISION');
  });
});

describe('validateStreamMetadata', () => {
  it('keeps known and custom keys', () => {
    expect(validateStreamMetadata('s', { maxAge: 60, maxCount: 3, truncateBefore: 2n, owner: 'ops' })).toEqual({ maxAge: 60, maxCount: 3, truncateBefore: 2n, owner: 'ops' });
  });
  it.each([{ maxAge: 0 }, { maxAge: 1.5 }, { maxCount: -1 }, { truncateBefore: 2 }, { custom: 1n }, null, []])('rejects metadata case %#', (m) => {
    expect(codeOf(() => validateStreamMetadata('s', m))).toBe('INVALID_EVENT');
  });
});
