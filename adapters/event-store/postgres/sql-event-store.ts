/**
 * The EventStore over PostgreSQL (pg Pool) or PGlite, through kysely. Schema and the append function:
 * ./migrations/0001-event-store-schema.ts.
 *
 * Why transaction ids order the log: a `bigserial` is taken at insert and becomes visible at commit, so
 * sequence numbers appear out of order under concurrent writers and a `seq > last` reader silently skips the
 * row that commits late. Each row is therefore stamped with its writer's transaction id (xid8) and readers only
 * look at rows whose transaction id is below the oldest transaction still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`): everything below that bound has committed or aborted, so the
 * pair (tx_id, global_seq) is a checkpoint nothing can later slip behind. Position = { commit: tx_id,
 * prepare: global_seq }. The price: a long transaction anywhere on the server holds readers back, so every
 * pooled connection gets a statement timeout and an idle-in-transaction timeout (see open-postgres.ts).
 * (Serialising all writers behind one lock would also be correct, but caps write throughput.)
 *
 * `readAll` is a one-off read of everything committed; subscriptions, which checkpoint, apply the bound.
 *
 * Subscriptions poll (no NOTIFY: inside an appending transaction it serialises every commit), sleeping a short
 * idle interval only when a batch came back short, and wake early when this same store instance appends.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { InvalidEventStoreInputError, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.ts';
import { contentHashOfCanonical, verifyChainLinks, type ChainedEvent } from '../hash-chain.ts';
import type {
  AppendOptions,
  AppendResult,
  ChainReport,
  DeleteResult,
  EventData,
  EventMetadata,
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
} from '../port.ts';
import {
  validateEvents,
  validateExpectedRevision,
  validateMaxCount,
  validatePosition,
  validateReadRevision,
  validateStreamMetadata,
  validateStreamName,
} from '../validation.ts';
import { migrateEventStore } from './migrations/index.ts';
import { PollingSubscription, type Wake } from './polling-subscription.ts';
import { TailWindow } from './tail-window.ts';

/** Tuning and test hooks shared by the PostgreSQL and PGlite stores. */
export interface SqlEventStoreOptions {
  /** How long an idle subscription sleeps between polls, in ms (default 20). */
  readonly pollIntervalMs?: number;
  /** Rows per read query (default 2,000). */
  readonly batchSize?: number;
  /**
   * Test hook: when set, each append runs in an explicit transaction that sleeps this many ms (`pg_sleep`) after
   * writing and before committing, so tests can make commits land out of order. Never set in production.
   */
  readonly commitDelayMs?: () => number;
}

// The database as this module sees it: raw SQL only, so no table typing is needed.
type Db = Kysely<unknown>;

interface EventRow {
  tx: string;
  seq: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: EventMetadata;
  /** Milliseconds since the epoch (parsing a number is much cheaper than a timestamp). */
  created: number | string;
  prev_hash: string;
  hash: string;
}

interface StreamRow {
  last_revision: string;
  deleted: boolean;
  tombstoned: boolean;
  metadata_revision: string;
  max_age: string | null;
  max_count: string | null;
  truncate_before: string | null;
  custom_metadata: Record<string, unknown> | null;
}

const EVENT_COLUMNS = sql.raw(
  `e.tx_id::text AS tx, e.global_seq::text AS seq, e.stream_id, e.revision::text AS revision, e.event_id::text AS event_id,
   e.event_type, e.data, e.metadata, (extract(epoch FROM e.created) * 1000)::float8 AS created, e.prev_hash, e.hash`,
);
const VISIBLE = sql.raw('e.tx_id < pg_snapshot_xmin(pg_current_snapshot())');
const STREAM_LOCK_CLASS = 1819047936;
const MAX_REVISION = 9223372036854775807n;

/** One append's parameters, in `ll_append`'s order (also what `ll_find_retry` needs). */
export type AppendParams = readonly [string, string, string | null, string[], string[], string[], string[], string[]];

/** What `ll_append` returns. */
export interface AppendRow {
  o_outcome: 'ok' | 'idempotent' | 'wrong_version' | 'conflict' | 'deleted';
  o_next_revision: string | number | null;
  o_tx: string | null;
  o_seq: string | number | null;
  o_actual: string | null;
}

/** The one-event append (`ll_append_one`) with numbered parameters. */
export const APPEND_ONE_SQL = 'SELECT ll_append_one($1, $2, $3::bigint, $4::uuid, $5, $6, $7, $8) AS r';

/** The multi-event append (`ll_append_batch`): data and metadata as JSON arrays of the events' canonical JSON. */
export const APPEND_BATCH_SQL = 'SELECT ll_append_batch($1, $2, $3::bigint, $4::uuid[], $5::text[], $6::json, $7::json, $8::text[]) AS r';

/** Driver-specific fast paths (the pg Pool runs the appends as named prepared statements). */
export interface SqlEventStoreDriverHooks {
  /** Runs `text` as the prepared statement `name` and returns its first row. */
  readonly runPrepared?: (name: string, text: string, values: readonly unknown[]) => Promise<Record<string, unknown> | undefined>;
}

/** Runs the migrations on `db`, then returns the store; `close()` destroys `db`. */
export async function openSqlEventStore(db: Db, options: SqlEventStoreOptions = {}, hooks: SqlEventStoreDriverHooks = {}): Promise<EventStore> {
  await migrateEventStore(db);
  return new SqlEventStore(db, options, hooks);
}

function appendOneCall(p: readonly unknown[]): RawBuilder<{ r: string }> {
  return sql<{ r: string }>`SELECT ll_append_one(${p[0]}, ${p[1]}, ${p[2]}::bigint, ${p[3]}::uuid, ${p[4]}, ${p[5]}, ${p[6]}, ${p[7]}) AS r`;
}

/** Reads the text result of `ll_append_one` / `ll_append_batch` into the shape `ll_append` returns. */
function parseAppendOne(text: string): AppendRow {
  const [outcome, a, tx, seq] = text.split(' ');
  if (outcome === 'ok' || outcome === 'idempotent') return { o_outcome: outcome, o_next_revision: a!, o_tx: tx!, o_seq: seq!, o_actual: null };
  return { o_outcome: outcome as AppendRow['o_outcome'], o_next_revision: null, o_tx: null, o_seq: null, o_actual: a ?? null };
}

function appendBatchCall(p: readonly unknown[]): RawBuilder<{ r: string }> {
  return sql<{ r: string }>`SELECT ll_append_batch(${p[0]}, ${p[1]}, ${p[2]}::bigint, ${p[3]}::uuid[], ${p[4]}::text[], ${p[5]}::json, ${p[6]}::json, ${p[7]}::text[]) AS r`;
}

class SqlEventStore implements EventStore {
  readonly #db: Db;
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #commitDelayMs: (() => number) | undefined;
  readonly #runPrepared: SqlEventStoreDriverHooks['runPrepared'];
  readonly #wakers = new Set<Wake>();
  readonly #subscriptions = new Set<PollingSubscription>();
  /** The log's newest events, read once for all subscriptions (tail-window.ts). */
  readonly #tail: TailWindow;
  /** Appends of this instance so far (the tail window's freshness). */
  #appendSeq = 0;
  #closed = false;

  constructor(db: Db, options: SqlEventStoreOptions, hooks: SqlEventStoreDriverHooks) {
    this.#db = db;
    this.#runPrepared = hooks.runPrepared;
    this.#pollIntervalMs = options.pollIntervalMs ?? 20;
    this.#batchSize = options.batchSize ?? 2000;
    this.#commitDelayMs = options.commitDelayMs;
    this.#tail = new TailWindow({
      read: async (after) => {
        const bound = after ? sql`AND (e.tx_id, e.global_seq) > (${after.commit.toString()}::xid8, ${after.prepare.toString()}::bigint)` : sql``;
        const rows = await this.#rows(sql`SELECT ${EVENT_COLUMNS} FROM ll_events e WHERE ${VISIBLE} ${bound} ORDER BY e.tx_id, e.global_seq LIMIT ${this.#batchSize}`);
        return rows.map(toRecorded);
      },
      appendSeq: () => this.#appendSeq,
      now: () => performance.now(),
      maxEvents: this.#batchSize * 10,
      freshMs: 1,
    });
  }

  async appendToStream(stream: string, events: EventData | readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertOpen();
    validateStreamName(stream);
    const expected = validateExpectedRevision(options.expectedRevision);
    const valid = validateEvents(stream, events);
    const kind = typeof expected === 'bigint' ? 'revision' : expected;
    const revision = typeof expected === 'bigint' ? expected.toString() : null;
    let params: AppendParams;
    // The statement's parameters and how to run it: ll_append_one for one event, ll_append_batch for more.
    let call: { name: string; text: string; values: unknown[]; build: (p: readonly unknown[]) => RawBuilder<{ r: string }> };
    if (valid.length === 1) {
      const e = valid[0]!;
      const content = contentHashOfCanonical(e.id, e.type, e.dataJson, e.metadataJson);
      params = [stream, kind, revision, [e.id], [e.type], [e.dataJson], [e.metadataJson], [content]];
      call = { name: 'll_append_one_v1', text: APPEND_ONE_SQL, values: [stream, kind, revision, e.id, e.type, e.dataJson, e.metadataJson, content], build: appendOneCall };
    } else {
      const ids: string[] = [];
      const types: string[] = [];
      const data: string[] = [];
      const metadata: string[] = [];
      const content: string[] = [];
      for (const e of valid) {
        ids.push(e.id);
        types.push(e.type);
        data.push(e.dataJson);
        metadata.push(e.metadataJson);
        content.push(contentHashOfCanonical(e.id, e.type, e.dataJson, e.metadataJson));
      }
      params = [stream, kind, revision, ids, types, data, metadata, content];
      const values = [stream, kind, revision, ids, types, `[${data.join(',')}]`, `[${metadata.join(',')}]`, content];
      call = { name: 'll_append_batch_v1', text: APPEND_BATCH_SQL, values, build: appendBatchCall };
    }
    let row: AppendRow | undefined;
    try {
      const delay = this.#commitDelayMs?.() ?? 0;
      let result: { r: string } | undefined;
      if (delay > 0) {
        result = await this.#db.transaction().execute(async (trx) => {
          const r = (await call.build(call.values).execute(trx)).rows[0];
          await sql`SELECT pg_sleep(${delay / 1000})`.execute(trx);
          return r;
        });
      } else if (this.#runPrepared) {
        result = (await this.#runPrepared(call.name, call.text, call.values)) as { r: string } | undefined;
      } else {
        result = (await call.build(call.values).execute(this.#db)).rows[0];
      }
      row = result && parseAppendOne(result.r);
    } catch (err) {
      if (!isUniqueViolation(err, 'll_events_stream_event_id')) throw err;
      row = await this.#retryOrConflict(params);
    }
    if (!row) throw new Error('ll_append returned no row');
    switch (row.o_outcome) {
      case 'deleted':
        throw new StreamDeletedError(stream);
      case 'wrong_version':
      case 'conflict':
        throw new WrongExpectedVersionError(stream, expected, row.o_actual === 'no_stream' || row.o_actual === null ? 'no_stream' : BigInt(row.o_actual));
    }
    const position = { commit: BigInt(row.o_tx!), prepare: BigInt(row.o_seq!) };
    if (row.o_outcome === 'ok') this.#wake(stream, valid, position);
    return { success: true, nextExpectedRevision: BigInt(row.o_next_revision!), position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.#assertOpen();
    validateStreamName(stream);
    const backwards = validateDirection(options.direction);
    const from = validateReadRevision(options.fromRevision, backwards ? 'end' : 'start');
    let remaining = validateMaxCount(options.maxCount);
    const s = await this.#streamRow(stream);
    if (s.tombstoned) throw new StreamDeletedError(stream);
    if (BigInt(s.last_revision) < 0n || s.deleted) throw new StreamNotFoundError(stream);
    const last = BigInt(s.last_revision);
    let lowest = 0n;
    if (s.truncate_before !== null) lowest = max(lowest, BigInt(s.truncate_before));
    if (s.max_count !== null) lowest = max(lowest, last - BigInt(s.max_count) + 1n);
    const maxAge = s.max_age === null ? null : Number(s.max_age);
    const ageFilter = maxAge === null ? sql`` : sql`AND e.created >= now() - make_interval(secs => ${maxAge})`;
    let cursor: bigint;
    if (backwards) cursor = from === 'end' ? last : from === 'start' ? 0n : min(from, last);
    else cursor = from === 'start' ? lowest : from === 'end' ? last + 1n : max(from, lowest);
    while (remaining > 0) {
      const limit = Math.min(this.#batchSize, remaining);
      const rows = backwards
        ? await this.#rows(sql`SELECT ${EVENT_COLUMNS} FROM ll_events e
            WHERE e.stream_id = ${stream} AND e.revision <= ${cursor.toString()}::bigint AND e.revision >= ${lowest.toString()}::bigint ${ageFilter}
            ORDER BY e.revision DESC LIMIT ${limit}`)
        : await this.#rows(sql`SELECT ${EVENT_COLUMNS} FROM ll_events e
            WHERE e.stream_id = ${stream} AND e.revision >= ${cursor.toString()}::bigint ${ageFilter}
            ORDER BY e.revision LIMIT ${limit}`);
      for (const r of rows) yield toRecorded(r);
      remaining -= rows.length;
      if (rows.length < limit) return;
      const lastRevision = BigInt(rows[rows.length - 1]!.revision);
      cursor = backwards ? lastRevision - 1n : lastRevision + 1n;
      if (backwards && cursor < lowest) return;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.#assertOpen();
    const backwards = validateDirection(options.direction);
    const from = validatePosition(options.fromPosition, backwards ? 'end' : 'start');
    let remaining = validateMaxCount(options.maxCount);
    // Nothing lies before the start or after the end.
    if ((backwards && from === 'start') || (!backwards && from === 'end')) return;
    // The next page is requested before the current one is handed out, so the database reads it while the
    // consumer works (a catch-up then keeps both cores busy instead of taking turns).
    const page = (cursor: Position | undefined, inclusive: boolean, limit: number) => {
      const op = sql.raw(backwards ? (inclusive ? '<=' : '<') : inclusive ? '>=' : '>');
      const bound = cursor ? sql`AND (e.tx_id, e.global_seq) ${op} (${cursor.commit.toString()}::xid8, ${cursor.prepare.toString()}::bigint)` : sql``;
      const order = sql.raw(backwards ? 'e.tx_id DESC, e.global_seq DESC' : 'e.tx_id, e.global_seq');
      // Everything committed, unlike subscriptions: a one-off read has no checkpoint that a late commit could slip
      // behind, and it should not wait for unrelated transactions elsewhere on the server.
      return settle(this.#rows(sql`SELECT ${EVENT_COLUMNS} FROM ll_events e WHERE true ${bound} ORDER BY ${order} LIMIT ${limit}`));
    };
    const start = typeof from === 'object' ? from : undefined;
    let limit = Math.min(this.#batchSize, remaining);
    let pending: Promise<EventRow[]> | undefined = remaining > 0 ? page(start, start !== undefined, limit) : undefined;
    while (pending) {
      const rows: EventRow[] = await pending;
      pending = undefined;
      remaining -= rows.length;
      if (rows.length >= limit && remaining > 0) {
        const lastRow = rows[rows.length - 1]!;
        limit = Math.min(this.#batchSize, remaining);
        pending = page({ commit: BigInt(lastRow.tx), prepare: BigInt(lastRow.seq) }, false, limit);
      }
      for (const r of rows) yield toRecorded(r);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): StreamSubscription {
    this.#assertOpen();
    const from = validatePosition(options.fromPosition, 'start');
    const streamPrefixes = validatePrefixes(options.filter?.streamNamePrefixes, 'streamNamePrefixes');
    const typePrefixes = validatePrefixes(options.filter?.eventTypePrefixes, 'eventTypePrefixes');
    const onCheckpoint = options.onCheckpoint;
    let cursor: Position | undefined = typeof from === 'object' ? from : undefined;
    // 'end' is taken when subscribe is called, not when iteration starts: see #endOfLog.
    let end = from === 'end' ? settle(this.#endOfLog()) : undefined;
    let skipSnapshot: { text: string; xmax: bigint } | undefined;
    const poll = async () => {
      if (end) {
        const e = await end;
        cursor = e.head;
        skipSnapshot = e.snapshot;
        end = undefined;
      }
      if (skipSnapshot && cursor && cursor.commit >= skipSnapshot.xmax) skipSnapshot = undefined;
      const limit = this.#batchSize;
      if (!skipSnapshot && this.#tail.covers(cursor)) {
        // Served from the shared window: what this instance already read for another subscription costs no query.
        let slice = this.#tail.slice(cursor, limit, matches);
        if (!slice.full) {
          await this.#tail.fresh();
          if (this.#tail.covers(cursor)) slice = this.#tail.slice(cursor, limit, matches);
        }
        if (this.#tail.covers(cursor)) {
          if (slice.checkpoint) cursor = slice.checkpoint;
          return slice;
        }
      }
      const filtered = streamPrefixes !== undefined || typePrefixes !== undefined || skipSnapshot !== undefined;
      const match = sql.join(
        [
          streamPrefixes ? sql`s.stream_id LIKE ANY(${streamPrefixes.map(likePrefix)}::text[])` : sql`true`,
          typePrefixes ? sql`s.event_type LIKE ANY(${typePrefixes.map(likePrefix)}::text[])` : sql`true`,
          skipSnapshot ? sql`NOT pg_visible_in_snapshot(s.tx_id, ${skipSnapshot.text}::pg_snapshot)` : sql`true`,
        ],
        sql` AND `,
      );
      const bound = cursor ? sql`AND (e.tx_id, e.global_seq) > (${cursor.commit.toString()}::xid8, ${cursor.prepare.toString()}::bigint)` : sql``;
      let rows: (EventRow | ScanRow)[];
      if (!filtered) {
        rows = await this.#rows(sql`SELECT ${EVENT_COLUMNS} FROM ll_events e WHERE ${VISIBLE} ${bound} ORDER BY e.tx_id, e.global_seq LIMIT ${limit}`);
      } else {
        // Scan a batch of positions, fetch the payload of matches only; non-matching rows still move the checkpoint.
        rows = await this.#rows<EventRow | ScanRow>(sql`
          WITH s AS MATERIALIZED (
            SELECT e.tx_id, e.global_seq, e.stream_id, e.event_type FROM ll_events e
            WHERE ${VISIBLE} ${bound} ORDER BY e.tx_id, e.global_seq LIMIT ${limit})
          SELECT s.tx_id::text AS tx, s.global_seq::text AS seq, (${match}) AS matched,
                 e.stream_id, e.revision::text AS revision, e.event_id::text AS event_id, e.event_type, e.data, e.metadata,
                 (extract(epoch FROM e.created) * 1000)::float8 AS created, e.prev_hash, e.hash
          FROM s LEFT JOIN ll_events e ON (${match}) AND e.tx_id = s.tx_id AND e.global_seq = s.global_seq
          ORDER BY s.tx_id, s.global_seq`);
      }
      const events: RecordedEvent[] = [];
      for (const r of rows) if (!filtered || (r as ScanRow).matched) events.push(toRecorded(r as EventRow));
      const lastRow = rows[rows.length - 1];
      let checkpoint: Position | undefined;
      if (lastRow) {
        checkpoint = { commit: BigInt(lastRow.tx), prepare: BigInt(lastRow.seq) };
        cursor = checkpoint;
      }
      const full = rows.length >= limit;
      // Caught up on its own: from here on, the shared window can serve it (and every subscription at or past it).
      if (!full && !skipSnapshot) this.#tail.anchor(cursor);
      return { events, full, checkpoint };
    };
    const matches = (e: RecordedEvent): boolean =>
      (streamPrefixes === undefined || streamPrefixes.some((p) => e.streamId.startsWith(p))) &&
      (typePrefixes === undefined || typePrefixes.some((p) => e.type.startsWith(p)));
    const wants = (stream: string, types: readonly string[]) =>
      (streamPrefixes === undefined || streamPrefixes.some((p) => stream.startsWith(p))) &&
      (typePrefixes === undefined || types.some((t) => typePrefixes.some((p) => t.startsWith(p))));
    return this.#subscribe(poll, onCheckpoint, wants, true);
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): StreamSubscription {
    this.#assertOpen();
    validateStreamName(stream);
    const from = validateReadRevision(options.fromRevision, 'start');
    let after: bigint | undefined = typeof from === 'bigint' ? from : from === 'start' ? -1n : undefined;
    let end = from === 'end' ? settle(this.#streamRow(stream)) : undefined;
    const poll = async () => {
      if (end) {
        const s = await end;
        after = BigInt(s.last_revision);
        end = undefined;
      }
      if (after === undefined) throw new Error('unreachable: subscription has no start');
      const limit = this.#batchSize;
      const rows = await this.#rows<EventRow & { tombstoned: boolean | null }>(sql`
        SELECT s.tombstoned, ${EVENT_COLUMNS}
        FROM (SELECT 1) AS one
        LEFT JOIN ll_streams s ON s.stream_id = ${stream}
        LEFT JOIN LATERAL (
          SELECT * FROM ll_events x WHERE x.stream_id = ${stream} AND x.revision > ${after.toString()}::bigint ORDER BY x.revision LIMIT ${limit}
        ) e ON true
        ORDER BY e.revision`);
      const events: RecordedEvent[] = [];
      for (const r of rows) if (r.revision !== null) events.push(toRecorded(r));
      if (events.length === 0 && rows[0]?.tombstoned) throw new StreamDeletedError(stream);
      if (events.length > 0) after = events[events.length - 1]!.revision;
      return { events, full: events.length >= limit, checkpoint: undefined };
    };
    return this.#subscribe(poll, undefined, (s) => s === stream, false);
  }

  async setStreamMetadata(stream: string, metadata: StreamMetadata, options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertOpen();
    validateStreamName(stream);
    const expected = validateExpectedRevision(options.expectedRevision);
    const m = validateStreamMetadata(stream, metadata);
    const { maxAge, maxCount, truncateBefore, ...custom } = m;
    const next = await this.#db.transaction().execute(async (trx) => {
      await lockStream(trx, stream);
      const s = await this.#streamRow(stream, trx);
      if (s.tombstoned) throw new StreamDeletedError(stream);
      const current = BigInt(s.metadata_revision);
      if (!expectationHolds(expected, current)) throw new WrongExpectedVersionError(stream, expected, current < 0n ? 'no_stream' : current);
      const customJson = Object.keys(custom).length > 0 ? JSON.stringify(custom) : null;
      const values = sql`${numOrNull(maxAge)}::bigint, ${numOrNull(maxCount)}::bigint, ${truncateBefore === undefined ? null : truncateBefore.toString()}::bigint, ${customJson}::jsonb`;
      await sql`
        INSERT INTO ll_streams AS s (stream_id, metadata_revision, max_age, max_count, truncate_before, custom_metadata)
        VALUES (${stream}, 0, ${values})
        ON CONFLICT (stream_id) DO UPDATE SET metadata_revision = s.metadata_revision + 1, max_age = EXCLUDED.max_age,
          max_count = EXCLUDED.max_count, truncate_before = EXCLUDED.truncate_before, custom_metadata = EXCLUDED.custom_metadata`.execute(trx);
      return current + 1n;
    });
    return { success: true, nextExpectedRevision: next, position: (await this.headPosition()) ?? { commit: 0n, prepare: 0n } };
  }

  async getStreamMetadata(stream: string): Promise<StreamMetadataResult> {
    this.#assertOpen();
    validateStreamName(stream);
    const s = await this.#streamRow(stream);
    if (s.tombstoned) throw new StreamDeletedError(stream);
    if (BigInt(s.metadata_revision) < 0n) return { streamName: stream };
    const metadata: StreamMetadata = { ...(s.custom_metadata ?? {}) };
    if (s.max_age !== null) metadata.maxAge = Number(s.max_age);
    if (s.max_count !== null) metadata.maxCount = Number(s.max_count);
    if (s.truncate_before !== null) metadata.truncateBefore = BigInt(s.truncate_before);
    return { streamName: stream, metadata, metastreamRevision: BigInt(s.metadata_revision) };
  }

  async deleteStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    return this.#delete(stream, options, false);
  }

  async tombstoneStream(stream: string, options: AppendOptions = {}): Promise<DeleteResult> {
    return this.#delete(stream, options, true);
  }

  async verifyChain(options: { stream?: string } = {}): Promise<ChainReport> {
    this.#assertOpen();
    if (options.stream !== undefined) validateStreamName(options.stream);
    const only = options.stream;
    const db = this.#db;
    const batch = this.#batchSize;
    async function* rows(): AsyncIterable<ChainedEvent> {
      let after: [string, bigint] = ['', -1n];
      for (;;) {
        const filter = only === undefined ? sql`` : sql`AND e.stream_id = ${only}`;
        const { rows: page } = await sql<EventRow>`
          SELECT ${EVENT_COLUMNS}
          FROM ll_events e
          WHERE (e.stream_id, e.revision) > (${after[0]}, ${after[1].toString()}::bigint) ${filter}
          ORDER BY e.stream_id, e.revision LIMIT ${batch}`.execute(db);
        for (const r of page) yield toRecorded(r);
        if (page.length < batch) return;
        const last = page[page.length - 1]!;
        after = [last.stream_id, BigInt(last.revision)];
      }
    }
    // Only rows are walked: a stream cut short at its end leaves no trace inside the database (anchor the head
    // hashes elsewhere to detect that).
    return verifyChainLinks(rows());
  }

  /** The newest committed event's position (it may still be held back from readers by an older open transaction). */
  async headPosition(): Promise<Position | undefined> {
    this.#assertOpen();
    const rows = await this.#rows<{ tx: string; seq: string }>(
      sql`SELECT e.tx_id::text AS tx, e.global_seq::text AS seq FROM ll_events e ORDER BY e.tx_id DESC, e.global_seq DESC LIMIT 1`,
    );
    const r = rows[0];
    return r ? { commit: BigInt(r.tx), prepare: BigInt(r.seq) } : undefined;
  }

  /**
   * Where a subscription from 'end' starts: after the readable head, skipping rows that were already committed
   * (visible in this snapshot) when it was taken. Rows of transactions still running then are delivered, even
   * when their ids are below a committed one's; starting after the newest committed row would skip them.
   */
  async #endOfLog(): Promise<{ head: Position | undefined; snapshot: { text: string; xmax: bigint } }> {
    const { rows } = await sql<{ snap: string; xmax: string; tx: string | null; seq: string | null }>`
      SELECT snap::text AS snap, pg_snapshot_xmax(snap)::text AS xmax, h.tx, h.seq
      FROM (SELECT pg_current_snapshot() AS snap) AS now
      LEFT JOIN LATERAL (
        SELECT e.tx_id::text AS tx, e.global_seq::text AS seq FROM ll_events e
        WHERE e.tx_id < pg_snapshot_xmin(now.snap) ORDER BY e.tx_id DESC, e.global_seq DESC LIMIT 1
      ) h ON true`.execute(this.#db);
    const r = rows[0]!;
    return {
      head: r.tx === null || r.seq === null ? undefined : { commit: BigInt(r.tx), prepare: BigInt(r.seq) },
      snapshot: { text: r.snap, xmax: BigInt(r.xmax) },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.unsubscribe()));
    await this.#db.destroy();
  }

  async #delete(stream: string, options: AppendOptions, hard: boolean): Promise<DeleteResult> {
    this.#assertOpen();
    validateStreamName(stream);
    const expected = validateExpectedRevision(options.expectedRevision);
    await this.#db.transaction().execute(async (trx) => {
      await lockStream(trx, stream);
      const s = await this.#streamRow(stream, trx);
      if (s.tombstoned) throw new StreamDeletedError(stream);
      const last = BigInt(s.last_revision);
      const exists = last >= 0n && !s.deleted;
      const holds =
        expected === 'any' ||
        (expected === 'no_stream' && !exists) ||
        (expected === 'stream_exists' && exists) ||
        (typeof expected === 'bigint' && last >= 0n && expected === last);
      if (!holds) throw new WrongExpectedVersionError(stream, expected, exists ? last : 'no_stream');
      if (hard) {
        await sql`INSERT INTO ll_streams AS s (stream_id, tombstoned) VALUES (${stream}, true)
                  ON CONFLICT (stream_id) DO UPDATE SET tombstoned = true`.execute(trx);
      } else if (last >= 0n) {
        // As EventStoreDB: a soft delete sets truncateBefore to the largest revision; the next write sets it to just
        // past the deleted events (ll_append) and continues the revisions.
        const tb = MAX_REVISION.toString();
        await sql`INSERT INTO ll_streams AS s (stream_id, deleted_revision, truncate_before, metadata_revision)
                  VALUES (${stream}, ${last.toString()}::bigint, ${tb}::bigint, 0)
                  ON CONFLICT (stream_id) DO UPDATE SET deleted_revision = EXCLUDED.deleted_revision,
                    truncate_before = EXCLUDED.truncate_before, metadata_revision = s.metadata_revision + 1`.execute(trx);
      }
    });
    return { position: await this.headPosition() };
  }

  #subscribe(
    poll: () => Promise<{ events: RecordedEvent[]; full: boolean; checkpoint: Position | undefined }>,
    onCheckpoint: SubscribeToAllOptions['onCheckpoint'],
    wants: (stream: string, types: readonly string[]) => boolean,
    heldBack: boolean,
  ): StreamSubscription {
    const sub: PollingSubscription = new PollingSubscription({
      poll,
      onCheckpoint,
      wants,
      heldBack,
      idleMs: this.#pollIntervalMs,
      wakers: this.#wakers,
      onEnd: () => this.#subscriptions.delete(sub),
    });
    this.#subscriptions.add(sub);
    return sub;
  }

  /** Tells this instance's subscriptions that `stream` got `events` at `position` (a hint: see polling-subscription.ts). */
  #wake(stream: string, events: readonly { type: string }[], position: Position): void {
    this.#appendSeq++;
    if (this.#wakers.size === 0) return;
    const types = events.map((e) => e.type);
    for (const wake of this.#wakers) wake(stream, types, position);
  }

  async #rows<R = EventRow>(query: RawBuilder<unknown>): Promise<R[]> {
    return (await (query as RawBuilder<R>).execute(this.#db)).rows;
  }

  /** The stream's head and state; `last_revision` is -1 and the flags false when nothing is known about it. */
  async #streamRow(stream: string, db: Db = this.#db): Promise<StreamRow> {
    const { rows } = await sql<StreamRow>`
      SELECT coalesce(h.revision, -1)::text AS last_revision,
             coalesce(s.deleted_revision = h.revision, false) AS deleted, coalesce(s.tombstoned, false) AS tombstoned,
             coalesce(s.metadata_revision, -1)::text AS metadata_revision, s.max_age::text AS max_age, s.max_count::text AS max_count,
             s.truncate_before::text AS truncate_before, s.custom_metadata
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT e.revision FROM ll_events e WHERE e.stream_id = ${stream} ORDER BY e.revision DESC LIMIT 1) h ON true
      LEFT JOIN ll_streams s ON s.stream_id = ${stream}`.execute(db);
    return rows[0]!;
  }

  /** After an insert hit a duplicate event id: an exact retry (idempotent success) or a conflict. */
  async #retryOrConflict(params: AppendParams): Promise<AppendRow> {
    const { rows } = await sql<AppendRow>`SELECT * FROM ll_find_retry(${params[0]}, ${params[1]}, ${params[2]}::bigint, ${params[3]}::uuid[])`.execute(this.#db);
    return rows[0]!;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The event store is closed');
  }
}

interface ScanRow {
  tx: string;
  seq: string;
  matched: boolean;
}

async function lockStream(db: Db, stream: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(${stream}))`.execute(db);
}

function expectationHolds(expected: ExpectedRevision, current: bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current < 0n;
  if (expected === 'stream_exists') return current >= 0n;
  return expected === current;
}

function toRecorded(r: EventRow): RecordedEvent {
  return {
    id: r.event_id,
    type: r.event_type,
    data: r.data,
    metadata: r.metadata,
    streamId: r.stream_id,
    revision: BigInt(r.revision),
    position: { commit: BigInt(r.tx), prepare: BigInt(r.seq) },
    created: new Date(Number(r.created)),
    chain: { prev: r.prev_hash, hash: r.hash },
  };
}

function validateDirection(direction: unknown): boolean {
  if (direction === undefined || direction === 'forwards') return false;
  if (direction === 'backwards') return true;
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid direction ${String(direction)}: use 'forwards' or 'backwards'`);
}

function validatePrefixes(prefixes: unknown, name: string): string[] | undefined {
  if (prefixes === undefined) return undefined;
  if (Array.isArray(prefixes) && prefixes.length === 0) return undefined;
  if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string')) {
    throw new InvalidEventStoreInputError('INVALID_STREAM_NAME', `Subscription filter ${name} must be an array of strings`);
  }
  return prefixes as string[];
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}

function numOrNull(n: number | undefined): string | null {
  return n === undefined ? null : String(n);
}

/** A promise that is already handled (a subscription may be dropped before it is ever iterated). */
function settle<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

