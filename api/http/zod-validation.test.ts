import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLedgerlineError, type LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseInput } from './zod-validation.ts';

function failure(fn: () => unknown): LedgerlineError {
  try {
    fn();
  } catch (e) {
    if (isLedgerlineError(e, 'VALIDATION_FAILED')) return e;
    throw e;
  }
  throw new Error('accepted');
}

const schema = z.strictObject({ a: z.object({ b: z.int() }), tags: z.array(z.string()).default([]) });

describe('parseInput', () => {
  it('returns the parsed value with defaults', () => {
    expect(parseInput(schema, { a: { b: 1 } }, 'body')).toEqual({ a: { b: 1 }, tags: [] });
  });

  it('names each unknown key by its own path, top-level (strict) and nested (stripped) alike', () => {
    const top = failure(() => parseInput(schema, { a: { b: 1 }, x: 1, y: 2 }, 'body'));
    expect(top.details).toMatchObject({ path: 'body.x', issues: [{ path: 'body.x', code: 'unrecognized_keys' }, { path: 'body.y' }] });
    const nested = failure(() => parseInput(schema, { a: { b: 1, c: 2 } }, 'body'));
    expect(nested.details.path).toBe('body.a.c');
  });

  it('reports wrong types with the location prefix', () => {
    expect(failure(() => parseInput(schema, { a: { b: 'one' } }, 'body')).details.path).toBe('body.a.b');
    expect(failure(() => parseInput(schema, null, 'query')).details.path).toBe('query');
  });

  it('lets headers carry keys the schema does not name', () => {
    expect(parseInput(z.looseObject({ 'x-a': z.string().optional() }), { host: 'h', 'x-a': '1' }, 'headers')).toEqual({ host: 'h', 'x-a': '1' });
  });
});
