import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, contentHash, contentHashOfCanonical, GENESIS_HASH, verifyChainLinks, type ChainedEvent } from './hash-chain.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** A correctly chained stream of `n` events. */
function chained(streamId: string, n: number, head?: bigint): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'E', data: { i, s: 'ü' }, metadata: { actor: 'a' } };
    const revision = BigInt(i);
    const hash = chainHash(prev, streamId, revision, contentHash(e));
    out.push({ ...e, streamId, revision, chain: { prev, hash }, ...(head === undefined ? {} : { streamHead: head }) });
    prev = hash;
  }
  return out;
}

const jsonValue = fc.jsonValue({ noUnicodeString: false }).filter((v) => !JSON.stringify(v).includes('\\u0000'));

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined properties and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined, b: 2.5 } })).toBe('{"a":{"b":2.5,"d":[true,null,"x"]},"b":1}');
  });

  it('is independent of key insertion order and agrees with JSON.parse (property)', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const text = canonicalJson(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(JSON.stringify(v), (_k, x) =>
          x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });

  it.each([
    ['a bigint', { n: 1n }, '$.n: bigint'],
    ['a function', [() => 1], '$[0]: function'],
    ['a symbol', { s: Symbol('x') }, '$.s: symbol'],
    ['NaN', { n: Number.NaN }, 'not finite'],
    ['Infinity', [Infinity], 'not finite'],
    ['a Date', { at: new Date(0) }, 'Date is not a plain JSON value'],
    ['a Map', new Map(), 'Map is not a plain JSON value'],
    ['undefined at the top', undefined, 'undefined'],
    ['undefined in an array', [1, undefined], '$[1]: undefined'],
    ['a lone surrogate', { s: '\ud800' }, 'lone surrogate'],
    ['U+0000', { s: `a${String.fromCharCode(0)}` }, 'U+0000'],
  ])('rejects %s', (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('rejects cycles but accepts shared (acyclic) references', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow('circular');
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('content and chain hashes', () => {
  it('contentHash is SHA-256 of the canonical {data,id,metadata,type}, metadata {} when absent', () => {
    const e = { id: 'f0e1d2c3-b4a5-4968-8776-655443322110', type: 'CallQueued', data: { q: 'sales', n: 2 } };
    expect(contentHash(e)).toBe(sha('{"data":{"n":2,"q":"sales"},"id":"f0e1d2c3-b4a5-4968-8776-655443322110","metadata":{},"type":"CallQueued"}'));
    expect(contentHashOfCanonical(e.id, e.type, canonicalJson(e.data), '{}')).toBe(contentHash(e));
  });

  it('chainHash is SHA-256 of prev:stream:revision:content (the text PostgreSQL hashes)', () => {
    expect(chainHash(GENESIS_HASH, 'call-1', 12n, 'abc')).toBe(sha(`${GENESIS_HASH}:call-1:12:abc`));
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});

describe('verifyChainLinks', () => {
  it('Given intact streams, Then ok with the counts', async () => {
    expect(await verifyChainLinks([...chained('a', 3, 2n), ...chained('b', 2)])).toEqual({ ok: true, streams: 2, events: 5 });
    expect(await verifyChainLinks([])).toEqual({ ok: true, streams: 0, events: 0 });
  });

  it('Given changed data, Then hash_mismatch at that revision (the first broken link)', async () => {
    const events = chained('a', 4);
    events[1] = { ...events[1]!, data: { i: 99 } };
    events[3] = { ...events[3]!, data: { i: 98 } };
    expect(await verifyChainLinks(events)).toMatchObject({ ok: false, streamId: 'a', revision: 1n, problem: 'hash_mismatch', events: 2 });
  });

  it('Given a rewritten prev, Then prev_mismatch', async () => {
    const events = chained('a', 3);
    events[2] = { ...events[2]!, chain: { ...events[2]!.chain, prev: 'f'.repeat(64) } };
    expect(await verifyChainLinks(events)).toMatchObject({ ok: false, revision: 2n, problem: 'prev_mismatch' });
  });

  it('Given a removed event, a stream not starting at 0, a repeated revision or a short tail, Then missing_revision', async () => {
    const gap = chained('a', 4);
    gap.splice(1, 1);
    expect(await verifyChainLinks(gap)).toMatchObject({ ok: false, revision: 1n, problem: 'missing_revision' });
    expect(await verifyChainLinks(chained('a', 3).slice(1))).toMatchObject({ ok: false, revision: 0n, problem: 'missing_revision' });
    const twice = chained('a', 2);
    expect(await verifyChainLinks([...twice, twice[1]!])).toMatchObject({ ok: false, revision: 1n, problem: 'missing_revision' });
    expect(await verifyChainLinks([...chained('a', 2, 4n), ...chained('b', 1)])).toMatchObject({ ok: false, streamId: 'a', revision: 2n, problem: 'missing_revision' });
  });

  it('Given any single-field tamper of a random stream, Then the report is not ok (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.constantFrom('data', 'type', 'metadata', 'hash', 'prev'), async (n, at, field) => {
        const events = chained('s', n);
        const i = at % n;
        const e = events[i]!;
        events[i] =
          field === 'data' ? { ...e, data: { i: -1 } }
          : field === 'type' ? { ...e, type: 'X' }
          : field === 'metadata' ? { ...e, metadata: { actor: 'm' } }
          : field === 'hash' ? { ...e, chain: { ...e.chain, hash: '1'.repeat(64) } }
          : { ...e, chain: { ...e.chain, prev: '1'.repeat(64) } };
        const report = await verifyChainLinks(events);
        // Changing the last event's own hash is caught by its recomputation; any other change at i is caught at i.
        expect(report.ok).toBe(false);
        if (!report.ok) expect(report.revision).toBe(BigInt(i));
      }),
    );
  });
});
