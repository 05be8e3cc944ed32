/**
 * A checksum over the contents of read-model tables, to show two builds (a blue-green rebuild and the live
 * one, a single pass and a double replay) hold the same rows. Each table's rows are rendered as JSON
 * (`to_jsonb`), sorted, and hashed; the per-table hashes and row counts are hashed in the order given. Table
 * and schema names are not part of it, so `stream_stats_v1_b1.by_type` and `stream_stats_v2_b2.by_type` compare.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/** One table's part of a checksum. */
export interface TableChecksum {
  readonly table: string;
  readonly rows: number;
  readonly sha256: string;
}

/** The combined checksum and its parts. */
export interface ReadModelChecksum {
  readonly sha256: string;
  readonly tables: readonly TableChecksum[];
}

/** Checksums `tables` (`table` or `schema.table`, in a fixed order). */
export async function readModelChecksum(db: Kysely<unknown>, tables: readonly string[]): Promise<ReadModelChecksum> {
  const parts: TableChecksum[] = [];
  for (const table of tables) {
    const ref = sql.id(...table.split('.'));
    const { rows } = await sql<{ n: string; h: string | null }>`
      SELECT count(*)::text AS n, encode(sha256(convert_to(COALESCE(string_agg(r, E'\n' ORDER BY r), ''), 'UTF8')), 'hex') AS h
      FROM (SELECT to_jsonb(t)::text AS r FROM ${ref} t) rows`.execute(db);
    parts.push({ table, rows: Number(rows[0]!.n), sha256: rows[0]!.h ?? '' });
  }
  const all = createHash('sha256');
  for (const p of parts) all.update(`${p.rows}:${p.sha256}\n`);
  return { sha256: all.digest('hex'), tables: parts };
}
