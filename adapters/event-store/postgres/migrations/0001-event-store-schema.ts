/**
 * The event store's tables and its one-round-trip append function.
 *
 * Global order: rows are stamped with the writing transaction's id (`tx_id xid8`, `pg_current_xact_id()`) and
 * the log is ordered by (tx_id, global_seq). Readers of the log only see rows whose tx_id is below
 * `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below that bound has finished, so no row can
 * later appear behind a checkpoint. A plain `global_seq > last` reader would skip a row whose sequence number
 * was taken before a later-numbered row committed. See ../sql-event-store.ts.
 *
 * Per-stream order agrees with the global order because `ll_append` takes the stream's advisory lock BEFORE
 * anything assigns the transaction an id: the previous writer of the stream has committed (and got its id)
 * before the next one is given a larger id.
 */
import { sql, type Kysely } from 'kysely';

/** Applies the schema. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ll_streams (
      stream_id text PRIMARY KEY,
      -- revision of the last event written (-1: none yet); revisions continue after soft deletes
      last_revision bigint NOT NULL DEFAULT -1,
      last_hash text NOT NULL DEFAULT repeat('0', 64),
      -- soft-deleted and not written since: reads raise StreamNotFound, 'no_stream' is accepted
      deleted boolean NOT NULL DEFAULT false,
      tombstoned boolean NOT NULL DEFAULT false,
      -- stream metadata (the metastream, kept as a row): -1 when never set
      metadata_revision bigint NOT NULL DEFAULT -1,
      max_age bigint,
      max_count bigint,
      truncate_before bigint,
      custom_metadata jsonb
    )`.execute(db);

  await sql`
    CREATE TABLE ll_events (
      stream_id text NOT NULL,
      revision bigint NOT NULL,
      global_seq bigint GENERATED ALWAYS AS IDENTITY,
      tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      created timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ll_events_pkey PRIMARY KEY (stream_id, revision),
      CONSTRAINT ll_events_stream_event_id UNIQUE (stream_id, event_id)
    )`.execute(db);

  // The log order; stream and type ride along so filtered subscriptions can scan the index alone.
  await sql`CREATE UNIQUE INDEX ll_events_log_order ON ll_events (tx_id, global_seq) INCLUDE (stream_id, event_type)`.execute(db);

  // One append = one statement: lock the stream, check the expectation, recognise an idempotent retry, chain the
  // hashes with the built-in sha256(), insert, and move the stream head. Outcomes are returned, not raised, so a
  // conflict costs no exception block. A duplicate event id elsewhere in the stream fails on
  // ll_events_stream_event_id (the caller maps it to a conflict).
  await sql`
    CREATE FUNCTION ll_append(
      p_stream text, p_expected_kind text, p_expected_revision bigint,
      p_ids uuid[], p_types text[], p_data text[], p_metadata text[], p_content text[])
    RETURNS TABLE (o_outcome text, o_next_revision bigint, o_tx text, o_seq bigint, o_actual text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      v_found boolean;
      v_last bigint := -1;
      v_hash text := repeat('0', 64);
      v_deleted boolean := false;
      v_tomb boolean := false;
      v_n int := cardinality(p_ids);
      v_exists boolean;
      v_ok boolean;
      v_first bigint;
      v_matched int;
      v_prevs text[] := '{}';
      v_hashes text[] := '{}';
      v_prev text;
      v_seq bigint;
    BEGIN
      -- Must come before anything that assigns this transaction an id (see the migration's header).
      PERFORM pg_advisory_xact_lock(1819047936, hashtext(p_stream));
      SELECT s.last_revision, s.last_hash, s.deleted, s.tombstoned INTO v_last, v_hash, v_deleted, v_tomb
        FROM ll_streams s WHERE s.stream_id = p_stream;
      v_found := FOUND;
      IF NOT v_found THEN
        v_last := -1; v_hash := repeat('0', 64); v_deleted := false; v_tomb := false;
      END IF;
      IF v_tomb THEN
        RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text;
        RETURN;
      END IF;
      v_exists := v_last >= 0 AND NOT v_deleted;
      v_ok := CASE p_expected_kind
        WHEN 'any' THEN true
        WHEN 'no_stream' THEN NOT v_exists
        WHEN 'stream_exists' THEN v_exists
        ELSE v_last >= 0 AND p_expected_revision = v_last
      END;
      IF NOT v_ok OR p_expected_kind IN ('any', 'stream_exists') THEN
        SELECT e.revision INTO v_first FROM ll_events e WHERE e.stream_id = p_stream AND e.event_id = p_ids[1];
        IF FOUND THEN
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
            RETURN QUERY SELECT 'idempotent'::text, e.revision, e.tx_id::text, e.global_seq, NULL::text
              FROM ll_events e WHERE e.stream_id = p_stream AND e.revision = v_first + v_n - 1;
            RETURN;
          END IF;
          RETURN QUERY SELECT 'conflict'::text, NULL::bigint, NULL::text, NULL::bigint,
            CASE WHEN v_exists THEN v_last::text ELSE 'no_stream' END;
          RETURN;
        END IF;
      END IF;
      IF NOT v_ok THEN
        RETURN QUERY SELECT 'wrong_version'::text, NULL::bigint, NULL::text, NULL::bigint,
          CASE WHEN v_exists THEN v_last::text ELSE 'no_stream' END;
        RETURN;
      END IF;

      v_prev := v_hash;
      FOR i IN 1..v_n LOOP
        v_prevs[i] := v_prev;
        v_prev := encode(sha256(convert_to(v_prev || ':' || p_stream || ':' || (v_last + i)::text || ':' || p_content[i], 'UTF8')), 'hex');
        v_hashes[i] := v_prev;
      END LOOP;

      WITH ins AS (
        INSERT INTO ll_events (stream_id, revision, event_id, event_type, data, metadata, prev_hash, hash)
        SELECT p_stream, v_last + u.i, u.id, u.t, u.d::jsonb, u.m::jsonb, v_prevs[u.i], v_hashes[u.i]
          FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS u(id, t, d, m, i)
        RETURNING ll_events.global_seq
      )
      SELECT max(ins.global_seq) INTO v_seq FROM ins;

      IF v_found THEN
        UPDATE ll_streams SET last_revision = v_last + v_n, last_hash = v_prev, deleted = false WHERE stream_id = p_stream;
      ELSE
        INSERT INTO ll_streams (stream_id, last_revision, last_hash) VALUES (p_stream, v_last + v_n, v_prev);
      END IF;
      RETURN QUERY SELECT 'ok'::text, v_last + v_n, pg_current_xact_id()::text, v_seq, NULL::text;
    END
    $fn$`.execute(db);
}

/** Removes the schema (for tests of the migrator only: it drops every event). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS ll_append(text, text, bigint, uuid[], text[], text[], text[], text[])`.execute(db);
  await sql`DROP TABLE IF EXISTS ll_events`.execute(db);
  await sql`DROP TABLE IF EXISTS ll_streams`.execute(db);
}
