import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../infra/test-support/services.ts';
import { collect, comparePositions, describeEventStoreContract, event, failure, uniqueStream } from '../contract/event-store-contract.ts';
import { InvalidEventStoreInputError, StreamDeletedError } from '../errors.ts';
import { contentHashOfCanonical } from '../hash-chain.ts';
import { openEventStore } from '../open-event-store.ts';
import type { EventStore, RecordedEvent } from '../port.ts';
import { createEventStorePool, openPostgresEventStore } from './open-postgres.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('event_store');
});
afterAll(async () => {
  await db?.drop();
});

// About a third of the appends hold their transaction open for up to 25 ms after writing, so commits land out
// of order with respect to sequence numbers, which the contract's concurrency test must survive.
let seed = 11;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
describeEventStoreContract('PostgreSQL', () =>
  openPostgresEventStore(db.url, { pollIntervalMs: 10, commitDelayMs: () => (random() < 0.35 ? 1 + random() * 25 : 0) }),
);

describe('PostgreSQL specifics', () => {
  let store: EventStore;
  let client: pg.Client;
  let reader: pg.Client;
  beforeAll(async () => {
    store = await openPostgresEventStore(db.url, { pollIntervalMs: 10 });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
  });
  afterAll(async () => {
    await client?.end();
    await reader?.end();
    await store?.close();
  });

  it('Given several subscriptions with different filters on one store and writers committing out of order, Then each gets exactly its own events in log order (served by the shared tail window once caught up)', async () => {
    const shared = await openPostgresEventStore(db.url, { pollIntervalMs: 10, commitDelayMs: () => (random() < 0.35 ? 1 + random() * 15 : 0) });
    const tag = uniqueStream('win');
    const start = (await shared.headPosition()) ?? 'start';
    const filters = [
      { streamNamePrefixes: [`${tag}call-`] },
      { streamNamePrefixes: [`${tag}call-`, `${tag}agent-`] },
      { streamNamePrefixes: [`${tag}`], eventTypePrefixes: ['Agent'] },
      { streamNamePrefixes: [`${tag}`] },
    ];
    const seen = filters.map(() => [] as RecordedEvent[]);
    const subs = filters.map((filter) => shared.subscribeToAll({ fromPosition: start, filter }));
    const consuming = subs.map(async (sub, i) => {
      for await (const e of sub) seen[i]!.push(e);
    });
    try {
      const writers = Array.from({ length: 6 }, async (_, w) => {
        for (let n = 0; n < 15; n++) {
          const category = n % 3 === 0 ? 'agent' : 'call';
          await shared.appendToStream(`${tag}${category}-${w}`, event(category === 'agent' ? 'AgentReady' : 'CallQueued', { w, n }));
        }
      });
      await Promise.all(writers);
      const log = (await collect(() => shared.readAll())).filter((e) => e.streamId.startsWith(tag));
      expect(log).toHaveLength(90);
      const wanted = filters.map((f) =>
        log.filter((e) => f.streamNamePrefixes.some((p) => e.streamId.startsWith(p)) && (!('eventTypePrefixes' in f) || f.eventTypePrefixes!.some((t) => e.type.startsWith(t)))).map((e) => e.id),
      );
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && seen.some((s, i) => s.length < wanted[i]!.length)) await new Promise((r) => setTimeout(r, 20));
      for (const [i, ids] of wanted.entries()) expect(seen[i]!.map((e) => e.id)).toEqual(ids);
      for (const s of seen) for (let k = 1; k < s.length; k++) expect(comparePositions(s[k - 1]!.position, s[k]!.position)).toBeLessThan(0);
    } finally {
      await Promise.all(subs.map((s) => s.unsubscribe()));
      await Promise.all(consuming);
      await shared.close();
    }
  });

  it('Given two processes opening a fresh database at once, When both migrate, Then both stores work on one schema', async () => {
    const fresh = await createTestDatabase('event_store_open');
    try {
      const [a, b] = await Promise.all([openPostgresEventStore(fresh.url), openPostgresEventStore(fresh.url)]);
      try {
        await a.appendToStream('call-1', event('A', 1), { expectedRevision: 'no_stream' });
        await b.appendToStream('call-1', event('B', 2), { expectedRevision: 0n });
        expect((await collect(() => a.readStream('call-1'))).map((e) => e.type)).toEqual(['A', 'B']);
      } finally {
        await a.close();
        await b.close();
      }
      const again = await openPostgresEventStore(fresh.url);
      await again.close();
    } finally {
      await fresh.drop();
    }
  });

  it('Given a write transaction that took its sequence number first but commits last, Then a naive seq reader skips it while the store delivers both in commit-safe order', async () => {
    const prefix = uniqueStream('late');
    const start = (await store.headPosition()) ?? 'start';
    const [{ max: seqBefore }] = (await client.query<{ max: string | null }>('SELECT max(global_seq)::text AS max FROM ll_events')).rows as [{ max: string | null }];
    const received: RecordedEvent[] = [];
    const sub = store.subscribeToAll({ fromPosition: start, filter: { streamNamePrefixes: [prefix] } });
    const consuming = (async () => {
      for await (const e of sub) received.push(e);
    })();
    try {
      // T1 appends (taking the lower sequence number) and stays open.
      const late = event('Late', { n: 1 });
      await client.query('BEGIN');
      await client.query('SELECT * FROM ll_append($1, $2, NULL, $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])', [
        `${prefix}a`,
        'any',
        [late.id],
        ['Late'],
        ['{"n":1}'],
        ['{}'],
        [contentHashOfCanonical(late.id, 'Late', '{"n":1}', '{}')],
      ]);
      // T2 appends and commits while T1 is still open.
      await store.appendToStream(`${prefix}b`, event('Early', { n: 2 }));

      const naive = await naiveReadAfter(seqBefore);
      expect(naive.map((r) => r.event_type)).toEqual(['Early']); // a `seq > last` reader would checkpoint past Late
      const committed = (await collect(() => store.readAll({ fromPosition: typeof start === 'object' ? start : 'start' }))).filter((e) => e.streamId.startsWith(prefix));
      expect(committed.map((e) => e.type)).toEqual(['Early']); // a one-off read shows what is committed
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toEqual([]); // the subscription's snapshot bound holds everything back while T1 is open

      await client.query('COMMIT');
      await waitUntil(() => received.length >= 2);
      expect(received.map((e) => e.type)).toEqual(['Late', 'Early']);
      expect(comparePositions(received[0]!.position, received[1]!.position)).toBeLessThan(0);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await sub.unsubscribe();
      await consuming;
    }
  });

  it("Given a transaction still open when subscribing from 'end', Then its events arrive when it commits, and events committed before the subscription do not", async () => {
    const prefix = uniqueStream('end');
    const late = event('OpenAtSubscribe', { n: 1 });
    await client.query('BEGIN');
    await client.query('SELECT * FROM ll_append($1, $2, NULL, $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])', [
      `${prefix}a`,
      'any',
      [late.id],
      [late.type],
      ['{"n":1}'],
      ['{}'],
      [contentHashOfCanonical(late.id, late.type, '{"n":1}', '{}')],
    ]);
    await store.appendToStream(`${prefix}b`, event('CommittedBefore', 2));
    const sub = store.subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [prefix] } });
    const received: RecordedEvent[] = [];
    const consuming = (async () => {
      for await (const e of sub) received.push(e);
    })();
    try {
      await new Promise((r) => setTimeout(r, 250)); // let the subscription take its 'end' first
      await client.query('COMMIT');
      await store.appendToStream(`${prefix}b`, event('After', 3));
      await waitUntil(() => received.length >= 2);
      expect(received.map((e) => e.type)).toEqual(['OpenAtSubscribe', 'After']);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await sub.unsubscribe();
      await consuming;
    }
  });

  async function naiveReadAfter(seq: string | null): Promise<{ event_type: string }[]> {
    return (await reader.query<{ event_type: string }>('SELECT event_type FROM ll_events WHERE global_seq > $1 ORDER BY global_seq', [seq ?? '0'])).rows;
  }

  describe('tampering is reported at the first broken link', () => {
    async function streamOf(n: number): Promise<string> {
      const stream = uniqueStream('tamper');
      await store.appendToStream(stream, Array.from({ length: n }, (_, i) => event('E', { i })));
      return stream;
    }

    it('Given changed data at revision 2, Then verifyChain reports hash_mismatch at revision 2', async () => {
      const stream = await streamOf(5);
      await client.query(`UPDATE ll_events SET data = '{"i": 99}' WHERE stream_id = $1 AND revision IN (2, 4)`, [stream]);
      expect(await store.verifyChain({ stream })).toMatchObject({ ok: false, streamId: stream, revision: 2n, problem: 'hash_mismatch', events: 3 });
      const all = await store.verifyChain();
      expect(all.ok).toBe(false);
    });

    it('Given a changed type, metadata or id, Then verifyChain reports hash_mismatch', async () => {
      for (const change of [`event_type = 'Forged'`, `metadata = '{"actor":"mallory"}'`, `event_id = '00000000-0000-4000-8000-000000000000'`]) {
        const stream = await streamOf(3);
        await client.query(`UPDATE ll_events SET ${change} WHERE stream_id = $1 AND revision = 1`, [stream]);
        expect(await store.verifyChain({ stream })).toMatchObject({ ok: false, revision: 1n, problem: 'hash_mismatch' });
      }
    });

    it('Given a rewritten prev link at revision 3, Then verifyChain reports prev_mismatch at revision 3', async () => {
      const stream = await streamOf(5);
      await client.query(`UPDATE ll_events SET prev_hash = repeat('a', 64) WHERE stream_id = $1 AND revision = 3`, [stream]);
      expect(await store.verifyChain({ stream })).toMatchObject({ ok: false, revision: 3n, problem: 'prev_mismatch' });
    });

    it('Given a deleted row in the middle or at the start, Then verifyChain reports missing_revision there', async () => {
      const middle = await streamOf(5);
      await client.query('DELETE FROM ll_events WHERE stream_id = $1 AND revision = 2', [middle]);
      expect(await store.verifyChain({ stream: middle })).toMatchObject({ ok: false, revision: 2n, problem: 'missing_revision' });

      const first = await streamOf(3);
      await client.query('DELETE FROM ll_events WHERE stream_id = $1 AND revision = 0', [first]);
      expect(await store.verifyChain({ stream: first })).toMatchObject({ ok: false, revision: 0n, problem: 'missing_revision' });
    });

    it('Given hidden (truncated, soft-deleted) events, Then the chain still covers them', async () => {
      const stream = await streamOf(4);
      await store.setStreamMetadata(stream, { truncateBefore: 2n });
      await store.deleteStream(stream);
      await store.appendToStream(stream, event('After', 1));
      expect(await store.verifyChain({ stream })).toEqual({ ok: true, streams: 1, events: 5 });
    });
  });

  it('Given an idempotent retry, Then it returns exactly the first result (position included)', async () => {
    const stream = uniqueStream('retry');
    const events = [event('A', 1), event('B', 2)];
    const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    for (const expectedRevision of ['no_stream', 'any', 'stream_exists'] as const) {
      expect(await store.appendToStream(stream, events, { expectedRevision })).toEqual(first);
    }
    const next = [event('C', 3)];
    const second = await store.appendToStream(stream, next, { expectedRevision: 1n });
    expect(await store.appendToStream(stream, next, { expectedRevision: 1n })).toEqual(second);
    const read = await collect(() => store.readStream(stream));
    expect(comparePositions(read[1]!.position, first.position)).toBe(0);
  });

  it('Given a soft-deleted stream, Then truncateBefore is the largest revision until the next write, which may expect no_stream or the old revision', async () => {
    const a = uniqueStream('del');
    await store.appendToStream(a, [event('A', 1), event('B', 2)]);
    await store.deleteStream(a);
    expect((await store.getStreamMetadata(a)).metadata?.truncateBefore).toBe(9223372036854775807n);
    expect(await failure(() => store.appendToStream(a, event('C', 3), { expectedRevision: 'stream_exists' }))).toBeInstanceOf(Error);
    expect((await store.appendToStream(a, event('C', 3), { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(2n);
    expect((await store.getStreamMetadata(a)).metadata?.truncateBefore).toBe(2n);

    const b = uniqueStream('del');
    await store.appendToStream(b, [event('A', 1), event('B', 2)]);
    await store.deleteStream(b, { expectedRevision: 'stream_exists' });
    expect((await store.appendToStream(b, event('C', 3), { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
    expect((await collect(() => store.readStream(b))).map((e) => e.type)).toEqual(['C']);
  });

  it('Given multi-event appends on the fast path and on every fall-through (metadata, soft delete, conflict, retry), Then the stored JSON is byte for byte the canonical JSON and the chain verifies', async () => {
    const tricky = { z: 'quote " backslash \\ newline \n tab \t', a: ['é', '😀', '\u2028', 0, -0, 1e21, 0.1], m: { b: null, a: true } };
    const canonical = '{"a":["é","😀","\u2028",0,0,1e+21,0.1],"m":{"a":true,"b":null},"z":"quote \\" backslash \\\\ newline \\n tab \\t"}';
    const fast = uniqueStream('batch');
    await store.appendToStream(fast, [event('TA', tricky, { k: 'ü' }), event('B', [tricky])], { expectedRevision: 'no_stream' });
    const withMeta = uniqueStream('batch');
    await store.setStreamMetadata(withMeta, { owner: 'x' });
    await store.appendToStream(withMeta, [event('TA', tricky), event('B', 2)], { expectedRevision: 'no_stream' });
    const deleted = uniqueStream('batch');
    await store.appendToStream(deleted, [event('A', 1), event('B', 2)]);
    await store.deleteStream(deleted);
    await store.appendToStream(deleted, [event('TC', tricky), event('D', 4)], { expectedRevision: 1n });
    const batch = [event('TE', tricky), event('F', 6)];
    const first = await store.appendToStream(deleted, batch, { expectedRevision: 3n });
    expect(await store.appendToStream(deleted, batch, { expectedRevision: 3n })).toEqual(first);
    expect(await failure(() => store.appendToStream(deleted, [event('G', 7), event('H', 8)], { expectedRevision: 3n }))).toBeInstanceOf(Error);

    const stored = await client.query<{ stream_id: string; revision: string; data: string; metadata: string }>(
      `SELECT stream_id, revision::text, data::text AS data, metadata::text AS metadata FROM ll_events
       WHERE stream_id = ANY($1) AND event_type LIKE 'T%' ORDER BY stream_id, revision`,
      [[fast, withMeta, deleted]],
    );
    expect(stored.rows.map((r) => r.data)).toEqual(stored.rows.map(() => canonical));
    expect(stored.rows.find((r) => r.stream_id === fast)!.metadata).toBe('{"k":"ü"}');
    expect((await collect(() => store.readStream(deleted))).map((e) => `${e.type}@${e.revision}`)).toEqual(['TC@2', 'D@3', 'TE@4', 'F@5']);
    expect((await collect(() => store.readStream(withMeta))).map((e) => e.data)).toEqual([JSON.parse(canonical), 2]);
    for (const stream of [fast, withMeta, deleted]) expect((await store.verifyChain({ stream })).ok).toBe(true);
  });

  it('Given two store instances writing one stream, When one appends after the other moved the stream on, Then any lands after it, a stale revision conflicts, retries are idempotent and a tombstone stops both', async () => {
    const other = await openPostgresEventStore(db.url);
    try {
      for (const size of [1, 3]) {
        const batch = (tag: string) => Array.from({ length: size }, (_, i) => event(`${tag}${i}`, { i }));
        const stream = uniqueStream('heads');
        const first = await store.appendToStream(stream, batch('A'), { expectedRevision: 'no_stream' });
        await other.appendToStream(stream, batch('B'), { expectedRevision: first.nextExpectedRevision });
        const any = await store.appendToStream(stream, batch('C'));
        expect(any.nextExpectedRevision).toBe(BigInt(3 * size - 1));
        await other.appendToStream(stream, batch('D'), { expectedRevision: 'stream_exists' });
        const stale = await failure(() => store.appendToStream(stream, batch('E'), { expectedRevision: any.nextExpectedRevision }));
        expect(stale).toMatchObject({ actualVersion: BigInt(4 * size - 1) });
        const retried = batch('F');
        const ok = await store.appendToStream(stream, retried, { expectedRevision: BigInt(4 * size - 1) });
        expect(await store.appendToStream(stream, retried)).toEqual(ok);
        expect(await store.appendToStream(stream, retried, { expectedRevision: BigInt(4 * size - 1) })).toEqual(ok);
        const read = await collect(() => store.readStream(stream));
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 5 * size }, (_, i) => BigInt(i)));
        expect(read.map((e) => e.type[0]).join('')).toBe(['A', 'B', 'C', 'D', 'F'].map((x) => x.repeat(size)).join(''));
        expect(await store.verifyChain({ stream })).toEqual({ ok: true, streams: 1, events: 5 * size });
        await other.tombstoneStream(stream);
        expect(await failure(() => store.appendToStream(stream, batch('G')))).toBeInstanceOf(StreamDeletedError);
      }
    } finally {
      await other.close();
    }
  });

  it('Given bad input, Then not a single row is written', async () => {
    const count = async () => Number((await client.query<{ n: string }>('SELECT count(*)::text AS n FROM ll_events')).rows[0]!.n);
    const before = await count();
    const attempts: (() => Promise<unknown>)[] = [
      () => store.appendToStream('$bad', event('A', 1)),
      () => store.appendToStream('call-x', [event('A', 1), event('B', { bad: 1n })]),
      () => store.appendToStream('call-x', [event('A', 1), event('B', 'x'.repeat(1_100_000))]),
      () => store.appendToStream('call-x', event('A', 1), { expectedRevision: -1n }),
    ];
    for (const attempt of attempts) expect(await failure(attempt)).toBeInstanceOf(InvalidEventStoreInputError);
    expect(await count()).toBe(before);
  });

  it('Given store URLs, When opened through openEventStore, Then postgres:// opens this adapter and an unknown scheme is a coded error', async () => {
    const viaUrl = await openEventStore(db.url);
    try {
      const stream = uniqueStream('url');
      await viaUrl.appendToStream(stream, event('A', 1));
      expect((await collect(() => store.readStream(stream))).length).toBe(1);
    } finally {
      await viaUrl.close();
    }
    const error = await failure(() => openEventStore('mysql://user:secret@host/db'));
    expect(error).toBeInstanceOf(InvalidEventStoreInputError);
    expect((error as InvalidEventStoreInputError).code).toBe('UNSUPPORTED_STORE_URL');
    expect((error as Error).message).not.toContain('secret');
  });

  it('Given the store pool, Then every connection carries the statement and idle-in-transaction timeouts', async () => {
    const pool = createEventStorePool(db.url, { statementTimeoutMs: 1_234, idleInTransactionTimeoutMs: 2_345 });
    try {
      const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
      for (const c of [a, b]) {
        expect((await c.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('1234ms');
        expect((await c.query('SHOW idle_in_transaction_session_timeout')).rows[0].idle_in_transaction_session_timeout).toBe('2345ms');
        c.release();
      }
      const defaults = createEventStorePool(db.url);
      try {
        expect((await defaults.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('30s');
      } finally {
        await defaults.end();
      }
    } finally {
      await pool.end();
    }
  });
});

async function waitUntil(condition: () => boolean, guardMs = 30_000): Promise<void> {
  const until = Date.now() + guardMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
