import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDialect } from './pglite-dialect.ts';

describe('PgliteDialect', () => {
  let db: Kysely<unknown>;
  beforeAll(async () => {
    db = new Kysely<unknown>({ dialect: new PgliteDialect({ pglite: new PGlite() }) });
    await sql`CREATE TABLE t (n int)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('Given a transaction in progress, When another query runs meanwhile, Then it waits for the transaction and is not swallowed by its rollback', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const tx = db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO t VALUES (1)`.execute(trx);
        inside();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await entered;
    const outside = sql`INSERT INTO t VALUES (2)`.execute(db);

    expect(await tx).toBe('roll back');
    await outside;
    const { rows } = await sql<{ n: number }>`SELECT n FROM t ORDER BY n`.execute(db);
    expect(rows.map((r) => r.n)).toEqual([2]);
  });

  it('Given kysely queries, Then parameters and results round-trip (arrays, json, bigint as text)', async () => {
    const { rows } = await sql<{ a: string[]; j: { x: number }; b: string }>`SELECT ${['p"q', 'r']}::text[] AS a, ${'{"x":1}'}::json AS j, ${'9007199254740993'}::int8::text AS b`.execute(db);
    expect(rows[0]).toEqual({ a: ['p"q', 'r'], j: { x: 1 }, b: '9007199254740993' });
  });
});
