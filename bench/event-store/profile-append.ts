// `node bench/event-store/profile-append.ts`: where an append's and a catch-up read's time goes on the PostgreSQL
// store. Not part of `make bench` (run-all.sh runs only run.ts files); a diagnostic for the adapter's authors.
// Writes bench/results/event-store-profile.json. It calls the adapter's SQL function `ll_append` directly to
// separate the database's cost from the driver's and the adapter's: keep it in step with the migration.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import { contentHashOfCanonical } from '../../adapters/event-store/hash-chain.ts';
import { validateEvents } from '../../adapters/event-store/validation.ts';
import { createTestDatabase, services } from '../../infra/test-support/services.ts';
import { sampleCpu } from './cpu.ts';
import { round, runWriters } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';

const WRITERS = 8;
const STREAMS = 1000;
const WARMUP = 1_000;
const DURATION = Number(process.env.PROFILE_DURATION_MS ?? 4_000);
/** PROFILE_ONLY=append or catchup runs one half. */
const ONLY = process.env.PROFILE_ONLY;
const out: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  gitCommit: process.env.BENCH_GIT_COMMIT ?? 'unknown',
  loadAverage1mAtStart: os.loadavg()[0],
};
const log = (k: string, v: unknown) => {
  out[k] = v;
  process.stderr.write(`${k}: ${JSON.stringify(v)}\n`);
};

// 1. Client-side CPU per event: validation (canonical JSON) and the content hash, no IO.
{
  const events = sampleBatch(1, 0, 20_000);
  const t0 = performance.now();
  const valid = validateEvents('call-1', events);
  const t1 = performance.now();
  for (const e of valid) contentHashOfCanonical(e.id, e.type, e.dataJson, e.metadataJson);
  const t2 = performance.now();
  log('jsMicrosecondsPerEvent', { validateAndCanonicalJson: round(((t1 - t0) * 1000) / events.length, 2), contentHash: round(((t2 - t1) * 1000) / events.length, 2) });
}

const db = await createTestDatabase('bench_profile');
try {
  const store = await openEventStore(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: WRITERS });
  pool.on('error', () => undefined);
  try {
    // 2. Statements per append, counted at the driver, for each expected-revision kind.
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    let statements = 0;
    proto.query = function (this: unknown, ...args: unknown[]) {
      statements++;
      return original.apply(this, args);
    };
    const count = async (fn: () => Promise<unknown>) => {
      statements = 0;
      await fn();
      return statements;
    };
    const s = 'call-count';
    log('statementsPerAppend', {
      noStream: await count(() => store.appendToStream(s, sampleBatch(0, 0, 1), { expectedRevision: 'no_stream' })),
      exactRevision: await count(() => store.appendToStream(s, sampleBatch(0, 1, 1), { expectedRevision: 0n })),
      any: await count(() => store.appendToStream(s, sampleBatch(0, 2, 1))),
      tenEventsExact: await count(() => store.appendToStream(s, sampleBatch(0, 3, 10), { expectedRevision: 2n })),
    });
    proto.query = original;

    // 3. The same 8-writer, 1-event / 10-event load five ways: a bare table with one uuid key (the raw baseline),
    // a plain INSERT into ll_events (its three indexes, but no function, lock or stream row), ll_append called
    // straight through pg (no kysely, hashes computed here) as an unnamed and as a named prepared statement,
    // and the store itself.
    await pool.query('CREATE TABLE bare_events (id uuid PRIMARY KEY, stream text NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created timestamptz NOT NULL DEFAULT now())');
    const direct = (n: number, kind: 'store' | 'function' | 'prepared' | 'insert' | 'bare', table: string) => {
      const revisions = new Map<number, bigint>();
      const next = Array.from({ length: WRITERS }, (_, w) => ownedStreams(w, WRITERS, STREAMS));
      let seq = 0;
      return runWriters(WRITERS, WARMUP, DURATION, async (w) => {
        const i = next[w]!();
        const name = `${table}-${streamName('', i)}`;
        const last = revisions.get(i);
        const batch = sampleBatch(i, seq++, n);
        if (kind === 'store') {
          const r = await store.appendToStream(name, batch, { expectedRevision: last ?? 'no_stream' });
          revisions.set(i, r.nextExpectedRevision);
          return n;
        }
        const valid = validateEvents(name, batch);
        const content = valid.map((e) => contentHashOfCanonical(e.id, e.type, e.dataJson, e.metadataJson));
        const first = last === undefined ? 0n : last + 1n;
        if (kind === 'bare') {
          await pool.query(
            `INSERT INTO bare_events (id, stream, type, data, metadata)
             SELECT u.id, $1, u.t, u.d::jsonb, u.m::jsonb FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS u(id, t, d, m)`,
            [name, valid.map((e) => e.id), valid.map((e) => e.type), valid.map((e) => e.dataJson), valid.map((e) => e.metadataJson)],
          );
          return n;
        }
        if (kind === 'function' || kind === 'prepared') {
          const r = await pool.query<{ o_outcome: string; o_next_revision: string }>({
            ...(kind === 'prepared' ? { name: 'profile_ll_append' } : {}),
            text: 'SELECT * FROM ll_append($1, $2, $3::bigint, $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[])',
            values: [name, last === undefined ? 'no_stream' : 'revision', last === undefined ? null : last.toString(), valid.map((e) => e.id), valid.map((e) => e.type), valid.map((e) => e.dataJson), valid.map((e) => e.metadataJson), content],
          });
          if (r.rows[0]?.o_outcome !== 'ok') throw new Error(`ll_append: ${r.rows[0]?.o_outcome}`);
          revisions.set(i, BigInt(r.rows[0].o_next_revision));
          return n;
        }
        await pool.query(
          `INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
           SELECT $1, $2::bigint + u.i - 1, u.id, u.t, u.d::json, u.m::json, u.h, u.h
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(id, t, d, m, h, i)`,
          [name, first.toString(), valid.map((e) => e.id), valid.map((e) => e.type), valid.map((e) => e.dataJson), valid.map((e) => e.metadataJson), content],
        );
        revisions.set(i, first + BigInt(n) - 1n);
        return n;
      }, db.name);
    };
    const wal = async () => {
      const r = await pool.query<{ bytes: string; fpi: string }>('SELECT wal_bytes::text AS bytes, wal_fpi::text AS fpi FROM pg_stat_wal');
      return { bytes: Number(r.rows[0]!.bytes), fpi: Number(r.rows[0]!.fpi) };
    };
    for (const n of ONLY === 'catchup' ? [] : [1, 10]) {
      const rows: Record<string, unknown> = {};
      for (const kind of ['bare', 'insert', 'function', 'prepared', 'store'] as const) {
        const walBefore = await wal();
        const t = await direct(n, kind, `${kind}${n}`);
        const walAfter = await wal();
        // Server-wide WAL (other databases on the server add to it): bytes and full-page images per event written,
        // counting the warm-up's events too (the WAL counters cannot tell the two apart).
        const written = t.events * (1 + WARMUP / DURATION);
        rows[kind] = {
          eventsPerSecond: t.eventsPerSecond,
          p50Ms: t.p50Ms,
          clientCpuUsPerEvent: t.clientCpuUsPerEvent,
          serverCpuUsPerEvent: t.serverCpuUsPerEvent,
          walBytesPerEvent: Math.round((walAfter.bytes - walBefore.bytes) / written),
          walFullPageImagesPerEvent: round((walAfter.fpi - walBefore.fpi) / written, 3),
        };
      }
      log(`append${n}`, rows);
    }

    if (ONLY !== 'append') {
    // 4. Catch-up: the adapter's readAll versus the same keyset query through pg, with and without jsonb parsing.
    const total = Number(process.env.PROFILE_CATCHUP_EVENTS ?? 200_000);
    {
      let issued = 0;
      const revisions = new Map<number, bigint>();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const next = ownedStreams(w, WRITERS, STREAMS);
          while (issued < total / 100) {
            const k = issued++;
            const i = next();
            const last = revisions.get(i);
            const r = await store.appendToStream(`c-${streamName('', i)}`, sampleBatch(i, k, 100), { expectedRevision: last ?? 'no_stream' });
            revisions.set(i, r.nextExpectedRevision);
          }
        }),
      );
    }
    const logSize = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ll_events')).rows[0]!.n);
    // Rate, and CPU per event on each side: whichever side is near its core's limit is the bottleneck.
    const timeIt = async (fn: () => Promise<number>) => {
      const cpu0 = sampleCpu(db.name);
      const t0 = performance.now();
      const n = await fn();
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = sampleCpu(db.name);
      const clientUs = cpu1.clientUs - cpu0.clientUs;
      const serverUs = cpu1.serverUs !== undefined && cpu0.serverUs !== undefined ? cpu1.serverUs - cpu0.serverUs : NaN;
      return {
        eventsPerSecond: Math.round(n / seconds),
        clientCpuUsPerEvent: round(clientUs / n, 2),
        serverCpuUsPerEvent: round(serverUs / n, 2),
        clientCoreShare: round(clientUs / 1e6 / seconds, 2),
        serverCoreShare: round(serverUs / 1e6 / seconds, 2),
      };
    };
    const keyset = (columns: string) => async () => {
      const client = await pool.connect();
      try {
        let n = 0;
        let cursor: [string, string] | undefined;
        for (;;) {
          const r = await client.query<{ tx: string; seq: string }>(
            `SELECT e.tx_id::text AS tx, e.global_seq::text AS seq, ${columns} FROM ll_events e
             WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) ${cursor ? 'AND (e.tx_id, e.global_seq) > ($1::xid8, $2::bigint)' : ''}
             ORDER BY e.tx_id, e.global_seq LIMIT 2000`,
            cursor ?? [],
          );
          n += r.rows.length;
          if (r.rows.length < 2000) return n;
          const last = r.rows[r.rows.length - 1]!;
          cursor = [last.tx, last.seq];
        }
      } finally {
        client.release();
      }
    };
    const cols = 'e.stream_id, e.revision::text AS revision, e.event_id::text AS event_id, e.event_type, e.created, e.prev_hash, e.hash';
    // The same page query with the adapter's per-row work (JSON.parse of text payloads, bigint positions), once in
    // sequence (query, then process) and once with the next page requested before the current one is processed.
    const pageSql = (after: boolean) => `SELECT e.tx_id::text AS tx, e.global_seq::text AS seq, ${cols}, e.data::text AS data, e.metadata::text AS metadata
      FROM ll_events e WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) ${after ? 'AND (e.tx_id, e.global_seq) > ($1::xid8, $2::bigint)' : ''}
      ORDER BY e.tx_id, e.global_seq LIMIT 2000`;
    type PageRow = { tx: string; seq: string; revision: string; data: string; metadata: string };
    const fetchPage = (cursor: [string, string] | undefined) => pool.query<PageRow>(pageSql(cursor !== undefined), cursor ?? []);
    let sink = 0n;
    const work = (rows: PageRow[]) => {
      for (const row of rows) {
        JSON.parse(row.data);
        JSON.parse(row.metadata);
        sink += BigInt(row.tx) + BigInt(row.seq) + BigInt(row.revision);
      }
    };
    const pages = (prefetch: boolean) => async () => {
      let n = 0;
      let pending: ReturnType<typeof fetchPage> | undefined = fetchPage(undefined);
      while (pending) {
        const r: pg.QueryResult<PageRow> = await pending;
        const last = r.rows[r.rows.length - 1];
        const next: [string, string] | undefined = r.rows.length === 2000 && last ? ([last.tx, last.seq] as [string, string]) : undefined;
        pending = prefetch && next ? fetchPage(next) : undefined;
        work(r.rows);
        n += r.rows.length;
        if (!prefetch && next) pending = fetchPage(next);
      }
      return n;
    };
    log('catchUpEventsPerSecond', {
      events: logSize,
      storeReadAll: await timeIt(async () => {
        let n = 0;
        for await (const _e of store.readAll()) n++;
        return n;
      }),
      pgKeysetJsonbParsed: await timeIt(keyset(`${cols}, e.data, e.metadata`)),
      pgKeysetJsonAsText: await timeIt(keyset(`${cols}, e.data::text AS data, e.metadata::text AS metadata`)),
      pgKeysetNoPayload: await timeIt(keyset(cols)),
      pagesSequentialWithRowWork: await timeIt(pages(false)),
      pagesPrefetchedWithRowWork: await timeIt(pages(true)),
      storeReadAllAgain: await timeIt(async () => {
        let n = 0;
        for await (const _e of store.readAll()) n++;
        return n;
      }),
    });
    const sizes = await pool.query<{ table_mb: string; indexes_mb: string; shared_buffers: string }>(
      `SELECT pg_table_size('ll_events') / 1048576 AS table_mb, pg_indexes_size('ll_events') / 1048576 AS indexes_mb, current_setting('shared_buffers') AS shared_buffers`,
    );
    log('catchUpStorage', { ...sizes.rows[0], checksum: String(sink % 10n) });
    }
  } finally {
    await pool.end();
    await store.close();
  }
} finally {
  await new Promise((r) => setTimeout(r, 300));
  await db.drop();
}
out.loadAverage1mAtEnd = os.loadavg()[0];
out.postgresAdmin = services.postgresAdminUrl.replace(/:[^:@/]*@/, ':***@');
await writeFile(fileURLToPath(new URL('../results/event-store-profile.json', import.meta.url)), JSON.stringify(out, null, 2) + '\n');
