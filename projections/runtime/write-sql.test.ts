import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { defineProjection, type Write } from '../projection.ts';
import { writeSql } from './write-sql.ts';

const def = defineProjection({
  name: 'shape',
  version: 1,
  description: 'test',
  tables: { t: { columns: { k: 'text', n: 'bigint', note: { type: 'text', nullable: true } }, primaryKey: ['k'] } },
  handle: () => [],
});

describe('writeSql refuses writes the definition does not allow (VALIDATION_FAILED, before any SQL runs)', () => {
  it.each<[string, Write, string]>([
    ['an unknown table', { op: 'upsert', table: 'nope', row: { k: 'a' } }, 'unknown table'],
    ['an unknown column', { op: 'upsert', table: 't', row: { k: 'a', z: 1 } }, 'unknown column'],
    ['an upsert without its key', { op: 'upsert', table: 't', row: { n: 1 } }, 'lacks key column'],
    ['a merge on the key', { op: 'upsert', table: 't', row: { k: 'a', n: 1 }, merge: { k: 'add' } }, 'key column'],
    ['"add" of a non-number', { op: 'upsert', table: 't', row: { k: 'a', n: 'x' }, merge: { n: 'add' } }, '"add" needs a number'],
    ['an update keyed by a non-key column', { op: 'update', table: 't', key: { k: 'a', n: 1 }, set: { note: 'x' } }, 'non-key column'],
    ['an update that sets nothing', { op: 'update', table: 't', key: { k: 'a' }, set: {} }, 'sets nothing'],
    ['a delete without a condition', { op: 'delete', table: 't', where: {} }, 'at least one column'],
  ])('%s', (_what, write, fragment) => {
    try {
      writeSql(def, 'shape_v1_b1', write);
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'VALIDATION_FAILED')).toBe(true);
      expect((e as Error).message).toContain(fragment);
    }
  });

  it('builds a parameterised statement for a valid upsert (values never enter the SQL text)', () => {
    const statement = writeSql(def, 'shape_v1_b1', { op: 'upsert', table: 't', row: { k: "a'); DROP TABLE t; --", n: 1n }, merge: { n: 'add' } });
    const compiler = new Kysely<unknown>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const compiled = statement.compile(compiler);
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.parameters).toEqual(["a'); DROP TABLE t; --", '1']);
  });
});
