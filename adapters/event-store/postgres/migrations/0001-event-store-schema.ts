/**
 * The event store's tables and its one-round-trip append functions.
 *
 * Global order: rows are stamped with the writing transaction's id (`tx_id xid8`, `pg_current_xact_id()`) and
 * the log is ordered by (tx_id, global_seq). Readers of the log only see rows whose tx_id is below
 * `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below that bound has finished, so no row can
 * later appear behind a checkpoint. A plain `global_seq > last` reader would skip a row whose sequence number
 * was taken before a later-numbered row committed. See ../sql-event-store.ts.
 *
 * Per-stream order agrees with the global order because every append function takes the stream's advisory lock
 * BEFORE anything assigns the transaction an id: the previous writer of the stream has committed (and got its id)
 * before the next one is given a larger id. The lock also orders appends against delete, tombstone and metadata
 * writes, which take the same lock (a lock-free insert relying on the primary key alone could commit an event
 * after a concurrent tombstone it did not see).
 *
 * Cost: the common appends (`ll_append_one`, `ll_append_batch`) are the lock, taken as a plain expression, and
 * one or two statements; `ll_append` is the full decision (retries, soft-deleted streams, conflicts) they fall
 * through to. The stream head is the last row of the stream (a backwards primary-key probe), not a separate row
 * to update; `ll_streams` only holds the rarely written state: metadata, soft deletion and tombstones. Data and metadata are `json` (validated text, stored and
 * returned as written: cheaper than `jsonb` on the way in and out, and the writer's canonical JSON is kept).
 */
import { sql, type Kysely } from 'kysely';

/** Applies the schema. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ll_streams (
      stream_id text PRIMARY KEY,
      -- soft delete: the stream's last revision when deleted; the stream reads as absent until written again
      deleted_revision bigint,
      tombstoned boolean NOT NULL DEFAULT false,
      -- stream metadata (the metastream, kept as a row): -1 when never set
      metadata_revision bigint NOT NULL DEFAULT -1,
      max_age bigint,
      max_count bigint,
      truncate_before bigint,
      custom_metadata json
    )`.execute(db);

  await sql`
    CREATE TABLE ll_events (
      stream_id text NOT NULL,
      revision bigint NOT NULL,
      global_seq bigint GENERATED ALWAYS AS IDENTITY,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      data json NOT NULL,
      metadata json NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      created timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ll_events_pkey PRIMARY KEY (stream_id, revision),
      CONSTRAINT ll_events_stream_event_id UNIQUE (stream_id, event_id)
    )`.execute(db);

  // The log order.
  await sql`CREATE UNIQUE INDEX ll_events_log_order ON ll_events (tx_id, global_seq)`.execute(db);

  // Recognises a retry: the events at the revisions right after the expected one carry exactly these ids.
  // Called by ll_append when the expectation fails, and by the caller when an insert hit a duplicate event id.
  await sql`
    CREATE FUNCTION ll_find_retry(p_stream text, p_expected_kind text, p_expected_revision bigint, p_ids uuid[],
      OUT o_outcome text, OUT o_next_revision bigint, OUT o_tx text, OUT o_seq bigint, OUT o_actual text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_first bigint;
      v_matched int;
      v_n int := cardinality(p_ids);
      v_last bigint;
      v_deleted_revision bigint;
    BEGIN
      SELECT coalesce((SELECT e.revision FROM ll_events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1), -1),
             (SELECT s.deleted_revision FROM ll_streams s WHERE s.stream_id = p_stream)
        INTO v_last, v_deleted_revision;
      o_actual := CASE WHEN v_last >= 0 AND v_deleted_revision IS DISTINCT FROM v_last THEN v_last::text ELSE 'no_stream' END;
      SELECT e.revision INTO v_first FROM ll_events e WHERE e.stream_id = p_stream AND e.event_id = p_ids[1];
      IF NOT FOUND THEN
        o_outcome := 'wrong_version';
        RETURN;
      END IF;
      SELECT count(*) INTO v_matched
        FROM unnest(p_ids) WITH ORDINALITY AS u(id, i)
        JOIN ll_events e ON e.stream_id = p_stream AND e.revision = v_first + u.i - 1 AND e.event_id = u.id;
      -- (parenthesised: PL/pgSQL ends an IF condition at the first THEN outside parentheses)
      IF v_matched = v_n AND (CASE p_expected_kind
          WHEN 'any' THEN true
          WHEN 'stream_exists' THEN true
          WHEN 'no_stream' THEN v_first = 0
          ELSE p_expected_revision = v_first - 1
        END) THEN
        o_outcome := 'idempotent';
        SELECT e.revision, e.tx_id::text, e.global_seq INTO o_next_revision, o_tx, o_seq
          FROM ll_events e WHERE e.stream_id = p_stream AND e.revision = v_first + v_n - 1;
        RETURN;
      END IF;
      o_outcome := 'conflict';
    END
    $fn$`.execute(db);

  // One append = one statement: lock the stream, check the expectation (a failed one may still be a retry),
  // chain the hashes with the built-in sha256(), insert. Outcomes are returned, not raised, so a conflict costs no
  // exception block; OUT parameters avoid a result set. A duplicate event id elsewhere in the stream fails on
  // ll_events_stream_event_id: the caller then asks ll_find_retry (the common path pays for no probe).
  await sql`
    CREATE FUNCTION ll_append(
      p_stream text, p_expected_kind text, p_expected_revision bigint,
      p_ids uuid[], p_types text[], p_data text[], p_metadata text[], p_content text[],
      OUT o_outcome text, OUT o_next_revision bigint, OUT o_tx text, OUT o_seq bigint, OUT o_actual text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_last bigint;
      v_hash text;
      v_deleted_revision bigint;
      v_tomb boolean;
      v_n int := cardinality(p_ids);
      v_exists boolean;
      v_ok boolean;
      v_prevs text[] := '{}';
      v_hashes text[] := '{}';
      v_prev text;
      v_seq bigint;
    BEGIN
      -- Must come before anything that assigns this transaction an id (see the migration's header).
      PERFORM pg_advisory_xact_lock(1819047936, hashtext(p_stream));
      SELECT h.revision, h.hash, s.deleted_revision, s.tombstoned INTO v_last, v_hash, v_deleted_revision, v_tomb
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM ll_events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1) h ON true
        LEFT JOIN ll_streams s ON s.stream_id = p_stream;
      IF v_tomb THEN
        o_outcome := 'deleted';
        RETURN;
      END IF;
      v_last := coalesce(v_last, -1);
      v_hash := coalesce(v_hash, repeat('0', 64));
      v_exists := v_last >= 0 AND v_deleted_revision IS DISTINCT FROM v_last;
      v_ok := CASE p_expected_kind
        WHEN 'any' THEN true
        WHEN 'no_stream' THEN NOT v_exists
        WHEN 'stream_exists' THEN v_exists
        ELSE v_last >= 0 AND p_expected_revision = v_last
      END;
      IF NOT v_ok THEN
        SELECT * INTO o_outcome, o_next_revision, o_tx, o_seq, o_actual
          FROM ll_find_retry(p_stream, p_expected_kind, p_expected_revision, p_ids);
        RETURN;
      END IF;

      v_prev := v_hash;
      IF v_n = 1 THEN
        -- The common case, without the array machinery.
        v_hash := encode(sha256(convert_to(v_prev || ':' || p_stream || ':' || (v_last + 1)::text || ':' || p_content[1], 'UTF8')), 'hex');
        INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
          VALUES (p_stream, v_last + 1, p_ids[1], p_types[1], p_data[1]::json, p_metadata[1]::json, v_prev, v_hash)
          RETURNING ll_events.global_seq INTO v_seq;
      ELSE
        FOR i IN 1..v_n LOOP
          v_prevs[i] := v_prev;
          v_prev := encode(sha256(convert_to(v_prev || ':' || p_stream || ':' || (v_last + i)::text || ':' || p_content[i], 'UTF8')), 'hex');
          v_hashes[i] := v_prev;
        END LOOP;
        WITH ins AS (
          INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
          SELECT p_stream, v_last + u.i, u.id, u.t, u.d::json, u.m::json, v_prevs[u.i], v_hashes[u.i]
            FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(id, t, d, m, i)
          RETURNING ll_events.global_seq
        )
        SELECT max(ins.global_seq) INTO v_seq FROM ins;
      END IF;

      IF v_deleted_revision = v_last THEN
        -- The first write after a soft delete: truncate before it (the delete had truncated everything).
        UPDATE ll_streams SET truncate_before = v_last + 1, metadata_revision = metadata_revision + 1
          WHERE stream_id = p_stream AND truncate_before = 9223372036854775807;
      END IF;
      o_outcome := 'ok';
      o_next_revision := v_last + v_n;
      o_tx := pg_current_xact_id()::text;
      o_seq := v_seq;
    END
    $fn$`.execute(db);

  // The one-event append, the common shape, in as few executor runs as possible: the lock as a plain expression,
  // then ONE statement that finds the head, checks the expectation, chains the hash and inserts. Scalar parameters
  // (no array parsing) and a text result (no OUT record) keep the call itself cheap. Any case that statement does
  // not cover (a row in ll_streams: metadata, soft delete or tombstone; a failed expectation) falls through to
  // ll_append, which decides it in full. Result: 'ok <next revision> <tx> <seq>', 'idempotent …' the same,
  // 'wrong_version <actual>', 'conflict <actual>' or 'deleted'.
  await sql`
    CREATE FUNCTION ll_append_one(
      p_stream text, p_expected_kind text, p_expected_revision bigint,
      p_id uuid, p_type text, p_data text, p_metadata text, p_content text)
    RETURNS text
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_locked text;
      v_rev bigint;
      v_seq bigint;
      r record;
    BEGIN
      -- Must come before anything that assigns this transaction an id (see the migration's header).
      v_locked := pg_advisory_xact_lock(1819047936, hashtext(p_stream))::text;
      INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
        SELECT p_stream, h.last + 1, p_id, p_type, p_data::json, p_metadata::json, h.hash,
               encode(sha256(convert_to(h.hash || ':' || p_stream || ':' || (h.last + 1)::text || ':' || p_content, 'UTF8')), 'hex')
        FROM (
          SELECT coalesce(x.revision, -1) AS last, coalesce(x.hash, repeat('0', 64)) AS hash
          FROM (SELECT 1) AS one
          LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM ll_events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1) x ON true
        ) h
        WHERE NOT EXISTS (SELECT 1 FROM ll_streams s WHERE s.stream_id = p_stream)
          AND (CASE p_expected_kind
            WHEN 'any' THEN true
            WHEN 'no_stream' THEN h.last < 0
            WHEN 'stream_exists' THEN h.last >= 0
            ELSE h.last >= 0 AND h.last = p_expected_revision
          END)
        RETURNING ll_events.revision, ll_events.global_seq INTO v_rev, v_seq;
      IF v_rev IS NOT NULL THEN
        RETURN 'ok ' || v_rev::text || ' ' || pg_current_xact_id()::text || ' ' || v_seq::text;
      END IF;
      SELECT * INTO r FROM ll_append(p_stream, p_expected_kind, p_expected_revision, ARRAY[p_id], ARRAY[p_type], ARRAY[p_data], ARRAY[p_metadata], ARRAY[p_content]);
      IF r.o_outcome IN ('ok', 'idempotent') THEN
        RETURN r.o_outcome || ' ' || r.o_next_revision::text || ' ' || r.o_tx || ' ' || r.o_seq::text;
      END IF;
      RETURN r.o_outcome || ' ' || coalesce(r.o_actual, 'no_stream');
    END
    $fn$`.execute(db);

  // The multi-event append: as ll_append_one, but the payloads arrive as two JSON arrays built by joining the
  // events' canonical JSON (no array-literal escaping in the driver, no array_in unescaping and no second JSON
  // parse per event here: json_array_elements hands back each element's original text). The head is read once,
  // the chain is hashed in a loop of plain expressions, and one INSERT writes every row. Anything unusual falls
  // through to ll_append. Result: as ll_append_one.
  await sql`
    CREATE FUNCTION ll_append_batch(
      p_stream text, p_expected_kind text, p_expected_revision bigint,
      p_ids uuid[], p_types text[], p_data json, p_metadata json, p_content text[])
    RETURNS text
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_locked text;
      v_last bigint;
      v_hash text;
      v_special boolean;
      v_n int := cardinality(p_ids);
      v_prevs text[];
      v_hashes text[];
      v_seq bigint;
      r record;
    BEGIN
      -- Must come before anything that assigns this transaction an id (see the migration's header).
      v_locked := pg_advisory_xact_lock(1819047936, hashtext(p_stream))::text;
      SELECT coalesce(x.revision, -1), coalesce(x.hash, repeat('0', 64)), EXISTS (SELECT 1 FROM ll_streams s WHERE s.stream_id = p_stream)
        INTO v_last, v_hash, v_special
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM ll_events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1) x ON true;
      IF NOT v_special AND (CASE p_expected_kind
          WHEN 'any' THEN true
          WHEN 'no_stream' THEN v_last < 0
          WHEN 'stream_exists' THEN v_last >= 0
          ELSE v_last >= 0 AND v_last = p_expected_revision
        END) THEN
        v_prevs := array_fill(NULL::text, ARRAY[v_n]);
        v_hashes := v_prevs;
        FOR i IN 1..v_n LOOP
          v_prevs[i] := v_hash;
          v_hash := encode(sha256(convert_to(v_hash || ':' || p_stream || ':' || (v_last + i)::text || ':' || p_content[i], 'UTF8')), 'hex');
          v_hashes[i] := v_hash;
        END LOOP;
        WITH ins AS (
          INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
          SELECT p_stream, v_last + u.i, u.id, u.t, u.d, u.m, u.p, u.h
            FROM ROWS FROM (unnest(p_ids), unnest(p_types), json_array_elements(p_data), json_array_elements(p_metadata), unnest(v_prevs), unnest(v_hashes))
              WITH ORDINALITY AS u(id, t, d, m, p, h, i)
          RETURNING ll_events.global_seq
        )
        SELECT max(ins.global_seq) INTO v_seq FROM ins;
        RETURN 'ok ' || (v_last + v_n)::text || ' ' || pg_current_xact_id()::text || ' ' || v_seq::text;
      END IF;
      SELECT * INTO r FROM ll_append(p_stream, p_expected_kind, p_expected_revision, p_ids, p_types,
        ARRAY(SELECT json_array_elements_text(p_data)), ARRAY(SELECT json_array_elements_text(p_metadata)), p_content);
      IF r.o_outcome IN ('ok', 'idempotent') THEN
        RETURN r.o_outcome || ' ' || r.o_next_revision::text || ' ' || r.o_tx || ' ' || r.o_seq::text;
      END IF;
      RETURN r.o_outcome || ' ' || coalesce(r.o_actual, 'no_stream');
    END
    $fn$`.execute(db);
}

/** Removes the schema (for tests of the migrator only: it drops every event). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS ll_append_batch(text, text, bigint, uuid[], text[], json, json, text[])`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ll_append_one(text, text, bigint, uuid, text, text, text, text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ll_append(text, text, bigint, uuid[], text[], text[], text[], text[])`.execute(db);
  await sql`DROP FUNCTION IF EXISTS ll_find_retry(text, text, bigint, uuid[])`.execute(db);
  await sql`DROP TABLE IF EXISTS ll_events`.execute(db);
  await sql`DROP TABLE IF EXISTS ll_streams`.execute(db);
}
