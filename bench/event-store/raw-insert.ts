// Baseline: plain INSERTs into a bare table, no versioning, no ordering guarantees; the ceiling for any store.
import pg from 'pg';
import { databaseOf } from './cpu.ts';
import { runWriters, type Throughput } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';
import type { AppendLoad } from './settings.ts';

const TABLE = `CREATE TABLE raw_events (
  id uuid PRIMARY KEY,
  stream text NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
)`;

/** `rowsPerTx` rows per transaction (one multi-row INSERT, autocommit), `s.writers` connections in parallel. */
export async function benchRawInsert(url: string, rowsPerTx: number, s: AppendLoad): Promise<Throughput> {
  const pool = new pg.Pool({ connectionString: url, max: s.writers });
  // An idle connection killed by the database drop after the run must not crash the benchmark.
  pool.on('error', () => undefined);
  try {
    await pool.query(TABLE);
    const sql = insertSql(rowsPerTx);
    const next = Array.from({ length: s.writers }, (_, w) => ownedStreams(w, s.writers, s.streams));
    let seq = 0;
    return await runWriters(s.writers, s.warmupMs, s.durationMs, async (w) => {
      const i = next[w]!();
      const params: unknown[] = [];
      for (const e of sampleBatch(i, seq++, rowsPerTx)) {
        params.push(e.id, streamName('', i), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
      }
      await pool.query(sql, params);
      return rowsPerTx;
    }, databaseOf(url));
  } finally {
    await pool.end();
  }
}

function insertSql(rows: number): string {
  const values: string[] = [];
  for (let r = 0; r < rows; r++) {
    const b = r * 5;
    values.push(`($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5}::jsonb)`);
  }
  return `INSERT INTO raw_events (id, stream, type, data, metadata) VALUES ${values.join(', ')}`;
}
