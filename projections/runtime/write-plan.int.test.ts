import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineProjection, type Write } from '../projection.ts';
import { readModelChecksum } from '../read-model-checksum.ts';
import { createBuildTables, dropBuildTables } from './build-schema.ts';
import { planWrites } from './write-plan.ts';
import { writeSql } from './write-sql.ts';
import { pgliteEnvironment, type TestEnvironment } from './testing.ts';

const def = defineProjection({
  name: 'plan_check',
  version: 1,
  description: 'folding check',
  tables: {
    a: {
      columns: { k: 'integer', n: 'bigint', label: { type: 'text', nullable: true }, first: { type: 'text', nullable: true }, hi: { type: 'bigint', nullable: true } },
      primaryKey: ['k'],
    },
    b: { columns: { k: 'text', n: 'bigint' }, primaryKey: ['k'] },
  },
  handle: () => [],
});

const key = fc.integer({ min: 0, max: 1 });
const word = fc.constantFrom('x', 'y', 'z');
const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ k: key, n: fc.integer({ min: -5, max: 5 }), label: word }).map(({ k, n, label }) => ({ op: 'upsert', table: 'a', row: { k, n, label }, merge: { n: 'add' } }) as Write),
  fc.record({ k: key, n: fc.integer({ min: -5, max: 5 }), first: word }).map(({ k, n, first }) => ({ op: 'upsert', table: 'a', row: { k, n, first }, merge: { n: 'add', first: 'keep' } }) as Write),
  fc.record({ k: key, hi: fc.integer({ min: 0, max: 9 }) }).map(({ k, hi }) => ({ op: 'upsert', table: 'a', row: { k, n: 0, hi }, merge: { hi: 'max', n: 'add' } }) as Write),
  fc.record({ k: key, label: word }).map(({ k, label }) => ({ op: 'upsert', table: 'a', row: { k, n: 1, label } }) as Write),
  fc.record({ k: key, n: fc.integer({ min: 0, max: 3 }) }).map(({ k, n }) => ({ op: 'update', table: 'a', key: { k }, set: { n }, merge: { n: 'add' } }) as Write),
  key.map((k) => ({ op: 'delete', table: 'a', where: { k } }) as Write),
  fc.record({ k: word, n: fc.bigInt({ min: 0n, max: 3n }) }).map(({ k, n }) => ({ op: 'upsert', table: 'b', row: { k, n }, merge: { n: 'add' } }) as Write),
  word.map((k) => ({ op: 'delete', table: 'b', where: { k } }) as Write),
);

async function applyTo(db: Kysely<unknown>, schema: string, statements: readonly { execute: (db: Kysely<unknown>) => Promise<unknown> }[]): Promise<string> {
  await dropBuildTables(db, schema);
  await createBuildTables(db, def, schema);
  await db.transaction().execute(async (trx) => {
    for (const s of statements) await s.execute(trx);
  });
  return (await readModelChecksum(db, [`${schema}.a`, `${schema}.b`])).sha256;
}

describe('planWrites (on PGlite)', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await pgliteEnvironment();
  });
  afterAll(async () => env?.dispose());

  it('Given any sequence of upserts, updates and deletes, Then the folded statements leave the same rows as one statement per write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 40 }), async (writes) => {
        const one = await applyTo(env.db, 'plan_one', writes.map((w) => writeSql(def, 'plan_one', w)));
        const planned = planWrites(def, writes);
        const folded = await applyTo(env.db, 'plan_folded', planned.map((w) => writeSql(def, 'plan_folded', w)));
        expect(folded).toBe(one);
        expect(planned.length).toBeLessThanOrEqual(writes.length);
      }),
      {
        numRuns: 100,
        examples: [
          // A 'keep' on a row the batch inserts must keep the first value.
          [
            [
              { op: 'upsert', table: 'a', row: { k: 0, n: 1, first: 'x' }, merge: { n: 'add', first: 'keep' } },
              { op: 'upsert', table: 'a', row: { k: 0, n: 2, first: 'y' }, merge: { n: 'add', first: 'keep' } },
            ],
          ],
        ],
      },
    );
  });

  it('Given 500 counter upserts over 3 keys, Then they fold into one statement', () => {
    const writes: Write[] = Array.from({ length: 500 }, (_, i) => ({ op: 'upsert', table: 'b', row: { k: `k${i % 3}`, n: 1 }, merge: { n: 'add' } }));
    const planned = planWrites(def, writes);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ op: 'upsert_many', rows: [{ k: 'k0', n: 167 }, { k: 'k1', n: 167 }, { k: 'k2', n: 166 }] });
  });
});
