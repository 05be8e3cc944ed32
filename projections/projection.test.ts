import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../domain/errors/ledgerline-error.ts';
import { defineProjection, type ProjectionDefinition } from './projection.ts';
import { checkedRegistry, findProjection, projectionRegistry } from './registry.ts';

const valid: ProjectionDefinition = {
  name: 'queue_stats',
  version: 1,
  description: 'test',
  tables: { queues: { columns: { queue: 'text', waiting: 'integer', note: { type: 'text', nullable: true } }, primaryKey: ['queue'] } },
  handle: () => [],
};

function problems(def: ProjectionDefinition): string[] {
  try {
    defineProjection(def);
    return [];
  } catch (e) {
    expect(isLedgerlineError(e, 'VALIDATION_FAILED')).toBe(true);
    return (e as { details: { problems: string[] } }).details.problems;
  }
}

describe('defineProjection', () => {
  it('accepts a well-formed definition unchanged', () => {
    expect(defineProjection(valid)).toBe(valid);
  });

  it.each([
    ['a bad name', { ...valid, name: 'Queue-Stats' }, 'name'],
    ['a reserved schema name', { ...valid, name: 'public' }, 'name'],
    ['a name shaped like a build schema', { ...valid, name: 'x_v1_b2' }, 'name'],
    ['version 0', { ...valid, version: 0 }, 'version'],
    ['no tables', { ...valid, tables: {} }, 'at least one table'],
    ['an unknown column type', { ...valid, tables: { t: { columns: { a: 'varchar' as never }, primaryKey: ['a'] } } }, 'unknown type'],
    ['a key that is not a column', { ...valid, tables: { t: { columns: { a: 'text' }, primaryKey: ['b'] } } }, 'not a column'],
    ['a nullable key', { ...valid, tables: { t: { columns: { a: { type: 'text', nullable: true } }, primaryKey: ['a'] } } }, 'cannot be nullable'],
    ['an index on a missing column', { ...valid, tables: { t: { columns: { a: 'text' }, primaryKey: ['a'], indexes: [['z']] } } }, 'index column'],
  ])('refuses %s', (_what, def, fragment) => {
    expect(problems(def as ProjectionDefinition).join(' ')).toContain(fragment);
  });
});

describe('registry', () => {
  it('holds stream_stats and finds it by name', () => {
    expect(findProjection('stream_stats', projectionRegistry).name).toBe('stream_stats');
  });

  it('answers NOT_FOUND naming the known projections', () => {
    try {
      findProjection('nope');
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'NOT_FOUND')).toBe(true);
      expect((e as Error).message).toContain('stream_stats');
    }
  });

  it('refuses two projections with one name', () => {
    expect(() => checkedRegistry([valid, { ...valid }])).toThrow(/registered twice/);
  });
});
